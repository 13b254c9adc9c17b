"""`--jobs` beyond the CPUs this process may use (issue 13): the runner starts one worker per
usable CPU, not a thousand, on either executor (a remote Dask scheduler is not capped: its size is
not known here), and the command says so in one line."""

from __future__ import annotations

import concurrent.futures as cf
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from simulate import runner
from simulate.cli import main
from simulate.consistency import parse
from simulate.designs import compared

from conftest import TINY


class Refused(Exception):
    """Raised by the stand-ins below once they have seen how many workers were asked for."""


@pytest.fixture
def two_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "usable_cpus", lambda: 2, raising=False)


def _tiny():
    sc = parse({**TINY, "replications": 2}, "<tiny>")
    return sc, compared(sc)[:1]


def test_the_local_pool_has_at_most_one_worker_per_usable_cpu(two_cpus, monkeypatch: pytest.MonkeyPatch):
    asked: list[int] = []

    def pool(max_workers: int, **kwargs: Any) -> cf.ProcessPoolExecutor:
        asked.append(max_workers)
        raise Refused

    monkeypatch.setattr(cf, "ProcessPoolExecutor", pool)
    sc, designs = _tiny()
    with pytest.raises(Refused):
        runner.run(sc, designs, replications=2, seed=1, jobs=1000)
    assert asked == [2]


def test_a_local_dask_cluster_has_at_most_one_worker_per_usable_cpu(two_cpus,
                                                                   monkeypatch: pytest.MonkeyPatch):
    distributed = pytest.importorskip("distributed")
    asked: list[int] = []

    def cluster(n_workers: int, **kwargs: Any) -> None:
        asked.append(n_workers)
        raise Refused

    monkeypatch.setattr(distributed, "LocalCluster", cluster)
    sc, designs = _tiny()
    with pytest.raises(Refused):
        runner.run(sc, designs, replications=2, seed=1, jobs=1000, executor="dask")
    assert asked == [2]


def test_a_remote_scheduler_is_not_capped(two_cpus):
    assert runner.workers(1000, "dask", "tcp://elsewhere:8786") == 1000
    assert runner.workers(1000, "dask", None) == runner.workers(1000, "local", None) == 2
    assert runner.workers(1, "local", None) == 1


def test_run_says_in_one_line_that_it_runs_fewer_workers(tmp_path: Path, tiny_file: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    import simulate.commands as commands

    monkeypatch.setattr(commands, "usable_cpus", lambda: 1, raising=False)
    done = CliRunner().invoke(main, ["run", str(tiny_file), "--jobs", "1000", "--designs", "full_stack",
                                     "--replications", "1", "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    notes = [line for line in done.stderr.splitlines() if "--jobs" in line]
    assert notes == ["orgsim: --jobs 1000 is more than the 1 CPU this process may use; running 1 worker"]
