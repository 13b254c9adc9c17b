"""A sweep from start to summaries: every point's scenario validated before anything runs, put on
the study's basis, its tasks looked up in the store, the rest run as one task graph, each result
kept in the store as it arrives and filed into its point's tally, and each point summarized as
soon as its last task is in (then its tally goes: memory stays flat in the number of points).

With `replications: auto`, points are run in rounds (5, 8, 12, … replications, as `orgsim run`
grows a run): after each round a point whose verdict is settled stops; the others get the next
batch, on the same replication seeds as every other point (common random numbers throughout).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from simulate.basis import on_basis
from simulate.decision.margins import Margin
from simulate.decision.record import margins_of
from simulate.decision.sequential import counts
from simulate.designs import Design, compared
from simulate.runner import replication_seeds
from simulate.scenario.schema import Scenario
from simulate.sweep.aggregate import Summary, Tally, summarize
from simulate.sweep.apply import apply, check_path
from simulate.sweep.graph import SweepTask, execute
from simulate.sweep.points import Axis, Point, SweepError
from simulate.sweep.store import Store, scenario_key, task_key

MAX_PROBLEMS = 20  # lines of bad points shown; a grid with one bad value would repeat it


class Progress(Protocol):
    """Hears how a study goes: tasks planned (the total grows round by round with auto),
    each task finished (reused from the store or run), each point summarized."""

    def planned(self, tasks: int) -> None: ...
    def task(self, reused: bool) -> None: ...
    def point(self) -> None: ...


class Silent:
    def planned(self, tasks: int) -> None:
        pass

    def task(self, reused: bool) -> None:
        pass

    def point(self) -> None:
        pass


@dataclass
class Study:
    """What to run: the scenario (its file for messages), the axes and points, the replications
    (a count, or "auto" up to `cap`), the basis, and where the store is."""

    base: Scenario
    source: str
    axes: tuple[Axis, ...]
    points: list[Point]
    replications: int | str
    cap: int
    basis: str
    folder: Path
    until: str = "verdict"
    notes: list[str] = field(default_factory=list)

    @property
    def margins(self) -> dict[str, Margin]:
        return margins_of(self.base)


@dataclass
class Ran:
    """The summaries, one per point in order, and how many tasks ran or were found in the store."""

    summaries: list[Summary]
    ran: int
    reused: int


def check(study: Study) -> None:
    """Every path and every point's scenario valid, or SweepError naming each problem."""
    problems: list[str] = []
    for axis in study.axes:
        try:
            check_path(study.base, axis.path, study.source)
        except SweepError as err:
            problems.extend(err.problems)
    if problems:
        raise SweepError(problems)
    for point in study.points:
        try:
            apply(study.base, point.setting(study.axes), study.source)
        except SweepError as err:
            problems.extend(p for p in err.problems if p not in problems)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise SweepError(problems[:MAX_PROBLEMS])


class Scenarios:
    """Each point's scenario on the study's basis. Applying a point is cheap and done again when
    needed; what a basis found (the optimizer's staffing) is kept, per point, as the staffing
    section alone."""

    def __init__(self, study: Study, jobs: int, progress: Callable[[str], None]):
        self.study, self.jobs, self.say = study, jobs, progress
        self.staffing: dict[int, Any] = {}
        self.get = lru_cache(maxsize=32)(self._make)

    def _make(self, index: int) -> Scenario:
        study = self.study
        point = study.points[index]
        scenario = apply(study.base, point.setting(study.axes), study.source)
        if study.basis != "given" and index not in self.staffing:
            self.say(f"point {index}: basis {study.basis}")
            self.staffing[index] = on_basis(scenario, study.basis, self.jobs, self.say).scenario.staffing
        if index in self.staffing:
            scenario = scenario.model_copy(update={"staffing": self.staffing[index]})
        return scenario.model_copy(update={"basis": "given"})

    def __call__(self, index: int) -> Scenario:
        return self.get(index)


def run_study(study: Study, *, jobs: int = 1, executor: str = "local", address: str | None = None,
              progress: Progress | None = None, say: Callable[[str], None] | None = None,
              **options: Any) -> Ran:
    """Run `study` (see the module's docstring); results kept in `study.folder`."""
    heard = progress or Silent()
    store = Store(study.folder)
    scenarios = Scenarios(study, jobs, say or (lambda m: None))
    designs: dict[int, list[Design]] = {}
    digests: dict[int, str] = {}
    for point in study.points:
        scenario = scenarios(point.index)
        designs[point.index] = compared(scenario)
        digests[point.index] = scenario_key(scenario)
    names = tuple(d.name for d in compared(study.base))
    steps = counts(study.cap) if study.replications == "auto" else [int(study.replications)]
    seeds = replication_seeds(study.base.seed, steps[-1])
    tallies: dict[int, Tally] = {}
    finished: dict[int, Summary] = {}
    ran = reused = 0
    done = 0
    for n in steps:
        open_points = [p for p in study.points if p.index not in finished]
        heard.planned(len(open_points) * len(names) * (n - done))
        last = n == steps[-1]
        todo: list[SweepTask] = []

        def close(point: Point, tally: Tally, n: int = n, last: bool = last) -> None:
            summary = summarize(point, tally, study.margins, study.basis)
            if last or _stops(summary, study.until):
                finished[point.index] = summary
                tallies.pop(point.index, None)
                heard.point()

        for point in open_points:
            tally = tallies.get(point.index)
            tally = Tally(names, n) if tally is None else tally.grown(n)
            tallies[point.index] = tally
            for design in designs[point.index]:
                for r in range(done, n):
                    key = task_key(digests[point.index], design.name, r, seeds[r])
                    kept = store.get(key)
                    if kept is None:
                        todo.append(SweepTask(point.index, design, r, seeds[r], key))
                    else:
                        tally.add(design.name, r, kept)
                        reused += 1
                        heard.task(True)
            if tally.complete:
                close(point, tally)

        def arrived(task: SweepTask, result: dict[str, Any]) -> None:
            nonlocal ran
            store.put(task.key, result)
            tally = tallies[task.point]
            tally.add(task.design.name, task.replication, result)
            ran += 1
            heard.task(False)
            if tally.complete:
                close(study.points[task.point], tally)

        execute(scenarios, todo, arrived, jobs=jobs, executor=executor, address=address, **options)
        done = n
        if len(finished) == len(study.points):
            break
    return Ran([finished[p.index] for p in study.points], ran, reused)


def _stops(summary: Summary, until: str) -> bool:
    """Whether an auto point is decided enough to stop (decision.until, as `orgsim run`)."""
    return summary.undecided == 0 if until == "every_call" else summary.settled
