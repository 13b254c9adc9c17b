"""Staging folders (`.<run_id>.<pid>.<random>.partial`) left by a run killed before it renamed its
results into place (issue 13): `orgsim report` and `orgsim compare` refuse them in one line, a
scan for runs skips them, and the next run removes the stale ones whose owner is gone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulate.cli import main
from simulate.results import STALE_SECONDS, clean_stale

from conftest import Run


def _dead_pid() -> int:
    """The pid of a process that has finished (and was reaped)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def _staged(parent: Path, run: Run, owner: int, age_seconds: float) -> Path:
    """A staging folder with a finished run's files, as a killed run leaves it."""
    folder = parent / f".{run.path.name}.{owner}.abc123.partial"
    shutil.copytree(run.path, folder)
    then = time.time() - age_seconds
    os.utime(folder, (then, then))
    return folder


@pytest.mark.parametrize("command", ["report", "compare"])
def test_report_and_compare_refuse_a_staging_folder(tiny_run: Run, tmp_path: Path, command: str):
    folder = _staged(tmp_path, tiny_run, _dead_pid(), 0)
    args = [command, str(folder)] if command == "report" else [command, str(tiny_run.path), str(folder)]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 2, done.output
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(folder) in lines[0] and "unfinished run" in lines[0], done.stderr
    assert not (folder / "report.html.new").exists()


def test_a_stale_folder_of_a_dead_run_is_removed_and_a_live_or_recent_one_kept(tiny_run: Run,
                                                                              tmp_path: Path):
    dead, alive = _dead_pid(), os.getpid()
    stale = _staged(tmp_path, tiny_run, dead, STALE_SECONDS + 60)
    recent = _staged(tmp_path, tiny_run, dead + 1 if dead + 1 != alive else dead + 2, 60)
    running = _staged(tmp_path, tiny_run, alive, STALE_SECONDS + 60)
    finished = tmp_path / tiny_run.path.name
    shutil.copytree(tiny_run.path, finished)
    assert clean_stale(tmp_path) == [stale]
    assert not stale.exists() and recent.is_dir() and running.is_dir() and finished.is_dir()


def test_the_next_run_cleans_stale_staging_folders(tiny_run: Run, tiny_path: Path, tmp_path: Path):
    parent = tmp_path / "results" / "tiny"
    parent.mkdir(parents=True)
    stale = _staged(parent, tiny_run, _dead_pid(), STALE_SECONDS + 60)
    done = CliRunner().invoke(main, ["run", str(tiny_path), "--out", str(tmp_path / "results"),
                                     "--designs", "full_stack", "--replications", "1"])
    assert done.exit_code == 0, done.output
    assert not stale.exists()
    assert [p.name.startswith(".") for p in parent.iterdir()] == [False]


def test_capacity_skips_an_unfinished_optimizer_run(tiny_path: Path, tmp_path: Path):
    """A killed optimize run's staging folder holds an optimum.json that must not be taken."""
    folder = tmp_path / "results" / "tiny" / ".20991231T000000Z-ffffff.1.abc.partial"
    folder.mkdir(parents=True)
    (folder / "optimum.json").write_text('{"active_passive": {"staffing": {"csm": 1}, '
                                         '"targets_met": true}}')
    done = CliRunner().invoke(main, ["capacity", str(tiny_path), "--out", str(tmp_path / "results"),
                                     "--format", "csv"])
    assert done.exit_code == 0, done.output
    assert "no optimizer result" in done.output


def test_capacity_refuses_an_optimum_it_cannot_read_in_one_line(tiny_path: Path, tmp_path: Path):
    (tmp_path / "optimum.json").write_text('{"active_passive": {"staffing": {"csm": "x"}}}')
    done = CliRunner().invoke(main, ["capacity", str(tiny_path), "--optimized", str(tmp_path)])
    assert done.exit_code == 2, done.output
    assert "optimum.json" in done.stderr and len(done.stderr.strip().splitlines()) == 1
