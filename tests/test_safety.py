"""Results are safe: interrupts, worker failures, full disks and concurrent runs never leave a
half-written run directory nor touch earlier runs; overload is said, not hidden."""

from __future__ import annotations

import errno
import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from simulate.cli import main
from simulate.runner import replication_seeds

from conftest import ORGSIM, REPO, Run, orgsim, run_tiny


def snapshot(directory: Path) -> dict[str, str]:
    """Every file under `directory` with the hash of its content."""
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture
def earlier(tiny_file: Path, tmp_path: Path) -> tuple[Path, Run, dict[str, str]]:
    """An --out directory holding one finished run, and a snapshot of it."""
    out = tmp_path / "results"
    run = run_tiny(tiny_file, out)
    return out, run, snapshot(out)


def slow_scenario(tiny_scenario: dict[str, Any], write_scenario: Any) -> Path:
    """The tiny scenario made long enough to interrupt mid-run."""
    tiny_scenario["horizon_months"] = 36
    tiny_scenario["replications"] = 40
    for segment in tiny_scenario["segments"].values():
        segment["initial_accounts"] *= 10
    return write_scenario(tiny_scenario)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_exits_130_leaving_no_partial_run_and_earlier_runs_untouched(
        signum: int, earlier: tuple[Path, Run, dict[str, str]], tiny_scenario: dict[str, Any],
        write_scenario: Any):
    out, _, before = earlier
    path = slow_scenario(tiny_scenario, write_scenario)
    process = subprocess.Popen([str(ORGSIM), "run", str(path), "--jobs", "2", "--out", str(out)],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.5)
    assert process.poll() is None, "the run finished before it could be interrupted"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert snapshot(out) == before
    assert not list(out.rglob("*.partial"))


# The real command line, with `run_one` wrapped so that one task raises. `_guarded` calls
# `run_one` through the module, and pool workers are forked (said outright: Python 3.14 no
# longer forks by default), so the workers see the wrapper too.
FAILING_TASK = """
import multiprocessing
import sys
import simulate.runner as runner
from simulate.cli import main

multiprocessing.set_start_method("fork")

design, replication = sys.argv.pop(1).split("/")
real_run_one = runner.run_one

def run_one(scenario, task):
    if (task.design.name, task.replication) == (design, int(replication)):
        raise RuntimeError("failure injected by the test")
    return real_run_one(scenario, task)

runner.run_one = run_one
main()
"""


def orgsim_failing(task: str, *args: object) -> subprocess.CompletedProcess[str]:
    """`orgsim ARGS` in a subprocess where the task named "design/replication" raises."""
    return subprocess.run([sys.executable, "-c", FAILING_TASK, task, *(str(a) for a in args)],
                          cwd=REPO, capture_output=True, text=True, timeout=120, check=False)


def test_failed_worker_names_design_replication_and_seed_and_writes_nothing(
        earlier: tuple[Path, Run, dict[str, str]], tiny_file: Path):
    out, _, before = earlier
    process = orgsim_failing("refined/1", "run", tiny_file, "--jobs", "2", "--out", out)
    seed = replication_seeds(12345, 3)[1]
    assert process.returncode == 1, process.stderr
    assert "failure injected by the test" in process.stderr
    assert f"design 'refined', replication 1 (seed {seed})" in process.stderr
    assert "--designs refined" in process.stderr and "--replication 1" in process.stderr
    assert "Traceback" not in process.stderr
    assert snapshot(out) == before


def test_one_replication_reruns_alone_with_the_seed_it_had(tiny_file: Path, tmp_path: Path):
    run = run_tiny(tiny_file, tmp_path, "--designs", "refined", "--replication", "2")
    table = pd.read_csv(run.path / "replications.csv")
    assert table[["design", "replication", "seed"]].values.tolist() == \
        [["refined", 2, replication_seeds(12345, 3)[2]]]


def test_full_disk_exits_1_removes_the_staging_directory_and_keeps_earlier_runs(
        earlier: tuple[Path, Run, dict[str, str]], tiny_file: Path, monkeypatch: pytest.MonkeyPatch):
    out, _, before = earlier

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", no_space)
    result = CliRunner().invoke(main, ["run", str(tiny_file), "--out", str(out)])
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert snapshot(out) == before
    assert not list(out.rglob("*.partial"))


def test_two_runs_of_one_scenario_at_once_both_land_under_different_ids(tiny_file: Path,
                                                                        tmp_path: Path):
    command = [str(ORGSIM), "run", str(tiny_file), "--out", str(tmp_path)]
    first = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    paths = {Path(p.communicate(timeout=120)[0].strip().splitlines()[-1]) for p in (first, second)}
    assert first.returncode == second.returncode == 0
    assert len(paths) == 2 and all(p.is_dir() for p in paths)
    assert sorted(p.name for p in (tmp_path / "tiny").iterdir()) == sorted(p.name for p in paths)


def test_overloaded_role_is_flagged_unstable_and_the_run_still_finishes(
        tiny_scenario: dict[str, Any], write_scenario: Any, tmp_path: Path):
    tiny_scenario["segments"]["smb"]["tickets_per_month"] = 12  # ~600 tickets a month, one agent
    tiny_scenario["staffing"]["active_passive"]["support_agent"] = 1
    tiny_scenario["staffing"]["full_stack"]["csm"] = 12  # plenty
    path = write_scenario(tiny_scenario)
    process = orgsim("run", path, "--designs", "active_passive,full_stack", "--out", tmp_path)
    assert process.returncode == 0, process.stderr
    assert "active_passive unstable: support_agent queue grows without bound" in process.stdout
    assert "full_stack unstable" not in process.stdout
