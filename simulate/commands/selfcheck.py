"""`orgsim selfcheck`: the engine against queueing theory, on this machine, in a table."""

from __future__ import annotations

import sys
import time

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from simulate.commands import cap_jobs, catch_signals
from simulate.exits import FAILED, INTERRUPTED, fail
from simulate.runner import TaskFailed
from simulate.selfcheck import SIZES, cases, render, task_count


@click.command("selfcheck", short_help="Show that orgsim agrees with queueing theory.")
@click.option("--size", type=click.Choice(list(SIZES)), default="quick", show_default=True,
              help="quick: under a minute; full: a few minutes, tighter intervals.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=2, show_default=True,
              help="Worker processes.")
def command(size: str, jobs: int) -> None:
    """Run orgsim where queueing theory knows the answer and show that they agree.

    Exits 0 when every check passes, 1 when any fails.
    """
    jobs = cap_jobs(jobs)
    catch_signals()
    chosen = SIZES[size]
    started = time.perf_counter()
    try:
        with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(f"selfcheck ({size})", total=task_count(size))
            results = cases(size, jobs=jobs, progress=lambda: bar.advance(task))
    except KeyboardInterrupt:
        fail(["orgsim: interrupted"], INTERRUPTED)
    except TaskFailed as err:
        fail([f"orgsim: {err}"], FAILED)
    wall = time.perf_counter() - started
    title = (f"orgsim selfcheck ({size}: {chosen.replications} replications of "
             f"{chosen.horizon_months - chosen.warmup_months:g} months each): the engine against "
             "queueing theory")
    Console(width=None if sys.stdout.isatty() else 140).print(render(results, title))
    failed = [r for r in results if not r.passed]
    click.echo(f"{len(results) - len(failed)} of {len(results)} checks passed in {wall:.0f} s.")
    if failed:
        sys.exit(FAILED)
