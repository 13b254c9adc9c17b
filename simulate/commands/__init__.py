"""One module per `orgsim` command, and what several of them share: signals and --jobs."""

from __future__ import annotations

import click

from simulate import interrupts
from simulate.workload.size import usable_cpus


def catch_signals() -> None:
    """Ctrl-C and SIGTERM end the command as an interrupt (exit 130, one line, nothing written),
    even when it was started in the background, where SIGINT would be ignored. The command line
    installs this before any command runs (simulate.cli); calling it again is harmless."""
    if not interrupts.installed():
        interrupts.install()


def cap_jobs(jobs: int, remote: bool = False) -> int:
    """`--jobs`, at most one worker per CPU this process may use (a pool would fork every worker
    asked for at once), said in one line on stderr when capped; a remote Dask scheduler's size is
    its own, not capped."""
    cpus = usable_cpus()
    if remote or jobs <= cpus:
        return jobs
    plural = "s" if cpus > 1 else ""
    click.echo(f"orgsim: --jobs {jobs} is more than the {cpus} CPU{plural} this process may use; "
               f"running {cpus} worker{plural}", err=True)
    return cpus
