"""A worker process killed by the operating system (the OOM killer's SIGKILL) is blamed on the
task it was running — design, replication and seed to rerun — not on whichever task the pool
happened to hand back first (issue 13)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from simulate import runner
from simulate.consistency import parse
from simulate.designs import compared
from simulate.runner import Outcome, Task, TaskFailed

from conftest import TINY

KILLER = 3  # the replication whose worker the OS kills


def _fake_task(scenario: object, task: Task) -> Outcome:
    """Replication 0 runs long in one worker while the other worker meets the killer."""
    if task.replication == KILLER:
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(3 if task.replication == 0 else 0.05)
    return Outcome(task.design.name, task.replication, task.seed, {}, [], {}, [])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the stand-in task reaches workers by fork")
def test_a_worker_killed_by_the_os_is_blamed_on_the_task_it_ran(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(runner, "run_one", _fake_task)
    sc = parse({**TINY, "replications": 6}, "<tiny>")
    designs = compared(sc)[:1]
    seeds = runner.replication_seeds(sc.seed, 6)
    started = time.perf_counter()
    with pytest.raises(TaskFailed) as failed:
        runner.run(sc, designs, replications=6, seed=sc.seed, jobs=2)
    assert time.perf_counter() - started < 10
    assert failed.value.task.replication == KILLER
    message = str(failed.value)
    assert f"replication {KILLER}" in message and str(seeds[KILLER]) in message
    assert "killed by the operating system" in message and "SIGKILL" in message
