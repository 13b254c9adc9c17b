"""Fan (design, replication) tasks out over processes or a Dask cluster; results in a fixed order.

Each task is independent and seeded from one `numpy.random.SeedSequence`, so the outcome of
a run does not depend on how many workers ran it, nor where.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import multiprocessing as mp
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulate.designs import Design
from simulate.invariants import InvariantBroken, violations
from simulate.kpis import Facts, distributions, measure_windows, overloaded
from simulate.model import simulate
from simulate.model.garbage import collector_paused
from simulate.scenario.schema import Scenario
from simulate.stats import WHOLE
from simulate.workload.size import usable_cpus

Progress = Callable[[], None]


@dataclass(frozen=True)
class Task:
    """One replication of one design."""

    design: Design
    replication: int
    seed: int


@dataclass
class Outcome:
    """What one task returns: its KPIs in every window, and its monthly series."""

    design: str
    replication: int
    seed: int
    kpis: dict[tuple[str, str, str], float]  # (segment, window, kpi) → value
    monthly: list[dict[str, float]]
    distributions: dict[str, list[float]]
    overloaded: list[str]  # roles whose queue grew without bound

    def kpi(self, name: str, segment: str = WHOLE, window: str = WHOLE) -> float:
        """One KPI: the whole book over the whole measured period unless asked for a segment
        or a window ("year1", …); NaN where it was not measured (no such segment or window)."""
        return self.kpis.get((segment, window, name), math.nan)

    @property
    def windows(self) -> list[str]:
        """The windows measured, in order: "all", then "year1", "year2", …"""
        return list(dict.fromkeys(window for _, window, _ in self.kpis))


class TaskFailed(RuntimeError):
    """A task raised: names the design, replication and seed, so it can be rerun alone."""

    def __init__(self, task: Task, cause: BaseException | str):
        reason = cause if isinstance(cause, str) else f"{type(cause).__name__}: {cause}"
        super().__init__(
            f"design {task.design.name!r}, replication {task.replication} "
            f"(seed {task.seed}) failed: {reason}"
        )
        self.task = task
        self.reason = reason

    def __reduce__(self) -> tuple[type, tuple[Task, str]]:
        return TaskFailed, (self.task, self.reason)  # crosses process boundaries intact


def replication_seeds(seed: int, replications: int) -> list[int]:
    """One 63-bit seed per replication, from the scenario seed; the same for every design."""
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]


def tasks(designs: list[Design], seed: int, replications: int, only: int | None = None,
          start: int = 0) -> list[Task]:
    """Every (design, replication) from replication `start` up to `replications`; `only` keeps
    one replication (to rerun it alone). Replication k has the same seed whatever the count, so
    a run extended in batches (replications: auto) equals one run of the final count."""
    seeds = replication_seeds(seed, replications)
    return [Task(d, r, s) for d in designs for r, s in enumerate(seeds)
            if r >= start and only in (None, r)]


def run_one(scenario: Scenario, task: Task) -> Outcome:
    """Simulate one task and measure it (runs in a worker). The cyclic garbage collector stays
    paused until the task is measured, then collects the finished world once."""
    with collector_paused(collect_after=True):
        return _measured(scenario, task)


def _measured(scenario: Scenario, task: Task) -> Outcome:
    record = simulate(scenario, task.design, task.seed)
    broken = violations(record, scenario)
    if broken:
        raise InvariantBroken("; ".join(broken[:5]))
    facts = Facts(record, scenario)  # the record as arrays, built once for every measure
    return Outcome(task.design.name, task.replication, task.seed,
                   measure_windows(record, scenario, facts), record.monthly,
                   distributions(record, scenario, facts), overloaded(record, scenario, facts))


def _guarded(scenario: Scenario, task: Task) -> Outcome:
    try:
        return run_one(scenario, task)
    except Exception as err:
        raise TaskFailed(task, err) from err


_STARTED: Any = None  # in a worker: the shared table of which process runs which task


def _worker_start(started: Any) -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool and reports once; each keeps the
    table where it notes the task it starts, so a worker the OS kills can be named."""
    global _STARTED
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's: the pool ends us with it
    _STARTED = started


def _noted(scenario: Scenario, task: Task, index: int) -> Outcome:
    """Run task `index` in a worker, its pid in the shared table while it runs (-1 once done)."""
    _STARTED[index] = os.getpid()
    try:
        return _guarded(scenario, task)
    finally:
        _STARTED[index] = -1


def _killed(todo: list[Task], started: Any, workers: list[mp.process.BaseProcess],
            cause: BaseException) -> TaskFailed:
    """The task whose worker died, named with the signal that killed it. Once one worker dies the
    pool terminates the rest (SIGTERM), so the one that died of another signal (SIGKILL from the
    OOM killer, SIGSEGV, …) ran the task to blame; the task the pool hands back may be another."""
    exits = {p.pid: p.exitcode for p in workers}
    running = [(i, exits.get(pid)) for i, pid in enumerate(started) if pid > 0]
    if not running:
        return TaskFailed(todo[0], cause)
    running.sort(key=lambda found: (found[1] is None, found[1] == -signal.SIGTERM))
    index, code = running[0]
    if code is not None and code < 0:
        how = f"killed by the operating system ({signal.Signals(-code).name})"
    else:
        how = f"ended without finishing it (exit status {code})"
    return TaskFailed(todo[index], f"its worker process was {how}; if for want of memory, "
                                   "run fewer --jobs or rerun this replication alone")


def _local(scenario: Scenario, todo: list[Task], jobs: int, address: str | None) -> Iterator[Outcome]:
    if jobs <= 1:
        for task in todo:
            yield _guarded(scenario, task)
        return
    started = mp.RawArray("q", len(todo))  # per task: pid of the worker running it, -1 done
    pool = cf.ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start, initargs=(started,))
    try:
        futures = {pool.submit(_noted, scenario, task, i): task for i, task in enumerate(todo)}
        workers = mp.active_children()  # the pool's processes, whose exit status tells a kill
        for future in cf.as_completed(futures):
            try:
                yield future.result()
            except TaskFailed:
                raise
            except BrokenProcessPool as err:  # a worker process itself died
                pool.shutdown(wait=True, cancel_futures=True)
                raise _killed(todo, started, workers, err) from err
            except Exception as err:
                raise TaskFailed(futures[future], err) from err
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def quiet_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with its stderr on /dev/null. A local Dask cluster's
    worker processes register semaphores with it; when orgsim leaves at once on an interrupt
    (simulate.interrupts) the tracker removes them, and would list each as leaked on stderr."""
    from multiprocessing import resource_tracker

    saved, null = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        resource_tracker.ensure_running()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def _dask(scenario: Scenario, todo: list[Task], jobs: int, address: str | None) -> Iterator[Outcome]:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if address is None:
        quiet_resource_tracker()
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                               dashboard_address=None)
    client = Client(address or cluster)
    try:
        shared = client.scatter(scenario, broadcast=True)
        futures = {client.submit(_guarded, shared, task, pure=False): task for task in todo}
        for future in as_completed(futures):
            try:
                yield future.result()
            except TaskFailed:
                raise
            except Exception as err:  # a worker died or the cluster failed
                raise TaskFailed(futures[future], err) from err
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def workers(jobs: int, executor: str = "local", address: str | None = None) -> int:
    """Worker processes to start for `--jobs`: at most one per CPU this process may use (a pool
    forks every worker asked for at once), except on a remote Dask scheduler, whose size is its own."""
    if executor == "dask" and address:
        return max(1, jobs)
    return max(1, min(jobs, usable_cpus()))


EXECUTORS: dict[str, Callable[[Scenario, list[Task], int, str | None], Iterator[Outcome]]] = {
    "local": _local,
    "dask": _dask,
}


def run(scenario: Scenario, designs: list[Design], *, replications: int, seed: int,
        jobs: int = 1, executor: str = "local", address: str | None = None,
        progress: Progress | None = None, only: int | None = None, start: int = 0) -> list[Outcome]:
    """Every (design, replication) outcome from replication `start` on, ordered by design then
    replication."""
    todo = tasks(designs, seed, replications, only, start)
    outcomes: list[Outcome] = []
    for outcome in EXECUTORS[executor](scenario, todo, workers(jobs, executor, address), address):
        outcomes.append(outcome)
        if progress is not None:
            progress()
    order = {d.name: i for i, d in enumerate(designs)}
    outcomes.sort(key=lambda o: (order[o.design], o.replication))
    return outcomes


def tidy(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """Long rows: design, replication, seed, segment, window, kpi, value."""
    return [
        {"design": o.design, "replication": o.replication, "seed": o.seed,
         "segment": seg, "window": window, "kpi": kpi, "value": value}
        for o in outcomes
        for (seg, window, kpi), value in o.kpis.items()
    ]
