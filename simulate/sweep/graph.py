"""The task graph of a sweep — points × designs × replications, one small task each — run here,
on a local process pool, or on Dask (a LocalCluster of `--jobs` workers, or the scheduler at
`--address`), results streamed back as they finish.

At most a few tasks per worker are in flight at once, submitted point by point, so the parent
holds the scenarios and results of a few points at a time however many points the sweep has:
memory stays flat in the number of points. A task returns only what a sweep keeps — the
whole-book KPIs over the measured period and the roles found overloaded — not the monthly
series a run writes.
"""

from __future__ import annotations

import concurrent.futures as cf
import signal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from simulate.designs import Design
from simulate.runner import Task, quiet_resource_tracker, run_one
from simulate.scenario.schema import Scenario
from simulate.stats import WHOLE
from simulate.sweep.store import exact

IN_FLIGHT_PER_WORKER = 3  # enough to keep a worker busy while its result travels back


@dataclass(frozen=True)
class SweepTask:
    """One replication of one design at one point, and its content key in the store."""

    point: int
    design: Design
    replication: int
    seed: int
    key: str


class SweepTaskFailed(RuntimeError):
    """A task raised: names the point, design, replication and seed."""

    def __init__(self, point: int, design: str, replication: int, seed: int, reason: str):
        super().__init__(f"point {point}, design {design!r}, replication {replication} "
                         f"(seed {seed}) failed: {reason}")
        self.args_ = (point, design, replication, seed, reason)

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return SweepTaskFailed, self.args_  # crosses process boundaries intact


def measure(scenario: Scenario, task: SweepTask) -> dict[str, Any]:
    """Simulate one task (in a worker) and keep what a sweep needs of it."""
    try:
        outcome = run_one(scenario, Task(task.design, task.replication, task.seed))
    except Exception as err:
        raise SweepTaskFailed(task.point, task.design.name, task.replication, task.seed,
                              f"{type(err).__name__}: {err}") from None
    whole = {kpi: value for (segment, window, kpi), value in outcome.kpis.items()
             if segment == WHOLE and window == WHOLE}
    return {"kpis": exact(whole), "overloaded": sorted(outcome.overloaded)}


Heard = Callable[[SweepTask, dict[str, Any]], None]
Scenarios = Callable[[int], Scenario]  # point → its scenario


def _worker_start() -> None:
    """Pool workers leave Ctrl-C to the parent, which stops them (simulate.interrupts)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _here(scenarios: Scenarios, todo: Sequence[SweepTask], jobs: int, address: str | None,
          heard: Heard) -> None:
    for task in todo:
        heard(task, measure(scenarios(task.point), task))


def _pool(scenarios: Scenarios, todo: Sequence[SweepTask], jobs: int, address: str | None,
          heard: Heard) -> None:
    if jobs <= 1:
        _here(scenarios, todo, jobs, address, heard)
        return
    pending = iter(todo)
    with cf.ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start) as pool:
        running: dict[cf.Future[dict[str, Any]], SweepTask] = {}

        def top_up() -> None:
            for task in pending:
                running[pool.submit(measure, scenarios(task.point), task)] = task
                if len(running) >= jobs * IN_FLIGHT_PER_WORKER:
                    return

        top_up()
        while running:
            done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: _order(running[f])):
                task = running.pop(future)
                heard(task, future.result())
            top_up()


def _order(task: SweepTask) -> tuple[int, str, int]:
    return task.point, task.design.name, task.replication


def _dask(scenarios: Scenarios, todo: Sequence[SweepTask], jobs: int, address: str | None,
          heard: Heard, processes: bool = True) -> None:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if address is None:
        if processes:
            quiet_resource_tracker()
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=processes,
                               dashboard_address=None)
    client = Client(address or cluster)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
        shared: dict[int, Any] = {}  # point → its scenario, scattered once while it has tasks
        left: dict[int, int] = {}
        for task in todo:
            left[task.point] = left.get(task.point, 0) + 1
        pending: Iterator[SweepTask] = iter(todo)
        flow = as_completed()
        tasks: dict[Any, SweepTask] = {}

        def top_up() -> None:
            for task in pending:
                if task.point not in shared:
                    shared[task.point] = client.scatter(scenarios(task.point), broadcast=True, hash=False)
                future = client.submit(measure, shared[task.point], task, pure=False)
                tasks[future] = task
                flow.add(future)
                if flow.count() >= workers * IN_FLIGHT_PER_WORKER:
                    return

        top_up()
        for future in flow:
            task = tasks.pop(future)
            heard(task, future.result())
            left[task.point] -= 1
            if not left[task.point]:
                shared.pop(task.point, None)  # the scheduler may forget it
            future.release()
            top_up()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


EXECUTORS: dict[str, Callable[..., None]] = {"local": _pool, "dask": _dask}


def execute(scenarios: Scenarios, todo: Sequence[SweepTask], heard: Heard, *, jobs: int = 1,
            executor: str = "local", address: str | None = None, **options: Any) -> None:
    """Run every task of `todo` and hand each result to `heard` in the parent as it arrives (the
    order of arrival varies; what the sweep writes does not depend on it)."""
    if todo:
        EXECUTORS[executor](scenarios, todo, jobs, address, heard, **options)
