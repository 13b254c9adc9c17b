"""What `orgsim sweep` and `orgsim sensitivity` share: their execution options, the progress line
(points done, tasks, elapsed, time left), and running a study with its failures turned into one
line and an exit status (bad input 2, a failed task 1, an interrupt 130: finished tasks are kept
in the study's folder, and the same command resumes from them)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from simulate import interrupts
from simulate.basis import BASES
from simulate.commands import cap_jobs, catch_signals
from simulate.commands.run import Replications
from simulate.exits import BAD_INPUT, FAILED, INTERRUPTED, fail
from simulate.runner import EXECUTORS
from simulate.sweep.points import SweepError
from simulate.sweep.study import Ran, Study, check, run_study
from simulate.writable import probe

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def execution_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--replications, --max-replications, --basis, --seed, --jobs, --executor, --address, --out."""
    options: list[Decorator] = [
        click.option("--replications", "-r", type=Replications(),
                     help="Per point and design (default: the scenario's); 'auto' runs each point "
                          "until its verdict is settled."),
        click.option("--max-replications", type=click.IntRange(min=2),
                     help="With auto: the most replications per point (default: the scenario's)."),
        click.option("--basis", type=click.Choice(list(BASES)),
                     help="The basis every point is compared on (default: the scenario's own "
                          "default; equal_service runs the optimizer at every point, slowly)."),
        click.option("--seed", type=click.IntRange(min=0), help="Override the scenario's."),
        click.option("--designs", help="Comma-separated designs to compare (default: the scenario's)."),
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Worker processes (local pool or local Dask cluster)."),
        click.option("--executor", type=click.Choice(sorted(EXECUTORS)), default="local",
                     show_default=True, help="Process pool here, or a Dask cluster."),
        click.option("--address", help="Dask scheduler address (tcp://host:port); default a "
                                       "LocalCluster of --jobs workers."),
        click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
                     help="The study's folder: results, and the finished tasks a rerun resumes from."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def overrides(replications: int | str | None, max_replications: int | None, basis: str | None,
              seed: int | None, designs: str | None) -> dict[str, Any]:
    """The scenario fields the execution options replace (None: the scenario's own)."""
    compare = [d.strip() for d in designs.split(",") if d.strip()] if designs else None
    return {"replications": replications, "max_replications": max_replications, "basis": basis,
            "seed": seed, "compare": compare}


class Bar:
    """The progress line on stderr: points summarized, tasks done of those planned, elapsed time
    and an estimate of the time left (from the tasks run, not those found in the store)."""

    def __init__(self, console: Console, points: int):
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("tasks"), TimeElapsedColumn(), TextColumn("left"),
                            TimeRemainingColumn(), console=console, transient=True)
        self.points, self.done = points, 0
        self.id = self.bar.add_task(self._say(), total=0)

    def _say(self) -> str:
        return f"points {self.done}/{self.points}"

    def planned(self, tasks: int) -> None:
        total = self.bar.tasks[0].total or 0
        self.bar.update(self.id, total=total + tasks)

    def task(self, reused: bool) -> None:
        if reused:  # found in the store: not a measure of how fast tasks run
            self.bar.update(self.id, total=(self.bar.tasks[0].total or 1) - 1)
        else:
            self.bar.advance(self.id)

    def point(self) -> None:
        self.done += 1
        self.bar.update(self.id, description=self._say())


def execute(study: Study, scenario: str, jobs: int, executor: str, address: str | None,
            console: Console) -> tuple[Ran, float]:
    """Check the study, then run it with a progress line; every failure ends the command."""
    remote = executor == "dask" and bool(address)
    try:
        check(study)
    except SweepError as err:
        fail(err.problems, BAD_INPUT)
    unwritable = probe(study.folder)
    if unwritable:
        fail([f"orgsim: cannot write to {study.folder}: {unwritable}"], FAILED)
    jobs = cap_jobs(jobs, remote=remote)
    catch_signals()
    # An interrupt says what it leaves: the finished tasks, from which the same command resumes.
    interrupts.written(f"{study.folder} (finished tasks kept: rerun the same command to resume)")
    started = time.perf_counter()
    bar = Bar(console, len(study.points))
    try:
        with bar.bar:
            ran = run_study(study, jobs=jobs, executor=executor, address=address, progress=bar,
                            say=lambda m: console.print(f"  {m}", markup=False, highlight=False))
    except SweepError as err:
        fail(err.problems, BAD_INPUT)
    except KeyboardInterrupt:
        fail(["orgsim: interrupted; finished tasks are kept in "
              f"{study.folder}: rerun the same command to resume"], INTERRUPTED)
    except OSError as err:
        fail([f"orgsim: cannot write to {study.folder}: {err}"], FAILED)
    except Exception as err:  # a task failed, or the cluster did
        fail([f"orgsim: {scenario}: {type(err).__name__}: {err}",
              f"orgsim: finished tasks are kept in {study.folder}; rerun the same command to resume"],
             FAILED)
    return ran, time.perf_counter() - started
