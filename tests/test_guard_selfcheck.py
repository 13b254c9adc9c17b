"""`orgsim selfcheck` with absurd options: refused by click, or run on no more workers than this
machine has CPUs — never a fork of thousands of processes, never a traceback."""

from __future__ import annotations

import concurrent.futures
import os

import pytest
from click.testing import CliRunner

from simulate.cli import main


class Started(Exception):
    """Raised where a pool of worker processes would start."""


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker counts asked of process pools; a pool raises Started instead of forking."""
    asked: list[int] = []

    class NoPool:
        def __init__(self, max_workers: int | None = None, **kwargs: object):
            asked.append(max_workers or 0)
            raise Started

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoPool)
    return asked


@pytest.mark.parametrize("jobs", ["100000000", str(10**30)])
def test_selfcheck_with_absurd_jobs_starts_no_more_workers_than_cpus(jobs: str, pools: list[int]):
    result = CliRunner().invoke(main, ["selfcheck", "--jobs", jobs])
    if result.exit_code == 2:  # refused: one line
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        return
    assert pools and max(pools) <= usable_cpus(), pools
    assert isinstance(result.exception, Started)


@pytest.mark.parametrize(("args", "said"), [
    (["--size", "huge"], "Invalid value for '--size'"),
    (["--jobs", "0"], "Invalid value for '--jobs'"),
    (["--jobs", "-5"], "Invalid value for '--jobs'"),
    (["--jobs", "many"], "Invalid value for '--jobs'"),
])
def test_selfcheck_refuses_impossible_options_as_usage_errors(args: list[str], said: str,
                                                               pools: list[int]):
    result = CliRunner().invoke(main, ["selfcheck", *args])
    assert result.exit_code == 2
    assert said in result.stderr and "Traceback" not in result.output
    assert pools == []
