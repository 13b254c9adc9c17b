"""Ctrl-C and SIGTERM end every command promptly (issue 13): exit 130, one line on stderr, no
traceback, and nothing half-written — at start-up, mid-simulation, while files are written or the
report is drawn, on the local pool and on a local Dask cluster.

Moments that a timer cannot hit reliably (while the report is drawn, between two CSVs) are hit
from inside: the real command line runs with one function wrapped to send the signal to its own
process at that moment, as the OS would."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import ORGSIM, REPO, Run, run_tiny

PROMPT = 5.0  # seconds from the signal to the exit, on 2 shared cores


def _lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def _ended(process: subprocess.Popen[str], signum: int, sent_at: float | None = None) -> str:
    """How the process ended; `sent_at` (time.time()) or else the time it printed it signalled."""
    stdout, stderr = process.communicate(timeout=60)
    if sent_at is None:
        sent_at = float(stdout.split("signalled at ")[1].split()[0])
    took = time.time() - sent_at
    assert process.returncode == 130, (process.returncode, stderr)
    assert "Traceback" not in stderr and "Warning" not in stderr, stderr
    assert len(_lines(stderr)) == 1 and "interrupted" in stderr, stderr
    assert took < PROMPT, f"{signal.Signals(signum).name}: exit took {took:.1f} s"
    return stderr


def interrupt(args: list[object], after: float, signum: int = signal.SIGINT) -> str:
    """Start the `orgsim` command, send `signum` after `after` seconds, check how it ended."""
    process = subprocess.Popen([str(ORGSIM), *map(str, args)], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    time.sleep(after)
    assert process.poll() is None, "the command finished before it could be interrupted"
    process.send_signal(signum)
    return _ended(process, signum, time.time())


SELF_SIGNAL = """
import os, signal, sys, time
import {module} as target
from simulate.cli import main

signum = int(sys.argv.pop(1))
real = target.{function}

def at_the_moment(*args, **kwargs):
    print(f"signalled at {{time.time()!r}}", flush=True)
    os.kill(os.getpid(), signum)  # delivered here, as from outside
    time.sleep(30)  # a handler that does not end the process promptly fails the test
    return real(*args, **kwargs)

target.{function} = at_the_moment
main()
"""


def interrupt_inside(where: str, args: list[object], signum: int = signal.SIGINT) -> str:
    """The command line with `where` ("module:function") sending `signum` when it is called."""
    module, function = where.split(":")
    script = SELF_SIGNAL.format(module=module, function=function)
    process = subprocess.Popen([sys.executable, "-c", script, str(int(signum)), *map(str, args)],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return _ended(process, signum)


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def slow_file(tiny_scenario: dict[str, Any], write_scenario: Any) -> Path:
    """The tiny scenario made long enough (tens of seconds) to interrupt mid-simulation."""
    tiny_scenario.update(horizon_months=36, replications=40, targets={"sla_met": ">= 0.5"})
    for segment in tiny_scenario["segments"].values():
        segment["initial_accounts"] *= 10
    return write_scenario(tiny_scenario, "slow")


# --- run ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("after", [0.15, 0.6], ids=["starting", "loading"])
def test_run_exits_130_when_signalled_while_it_starts(slow_file: Path, tmp_path: Path, after: float,
                                                     signum: int):
    interrupt(["run", slow_file, "--out", tmp_path / "out"], after, signum)
    assert not (tmp_path / "out").exists() or files_under(tmp_path / "out") == {}


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_exits_130_promptly_mid_simulation_whatever_it_holds(slow_file: Path, tmp_path: Path,
                                                                 jobs: int):
    interrupt(["run", slow_file, "--jobs", jobs, "--out", tmp_path / "out"], 3.0, signal.SIGTERM)
    assert not (tmp_path / "out").exists() or files_under(tmp_path / "out") == {}


@pytest.mark.parametrize("where", ["simulate.results:manifest", "simulate.report.html:render"],
                         ids=["between the files", "while the report is drawn"])
def test_run_signalled_while_writing_leaves_no_run_directory(where: str, tiny_path: Path, tmp_path: Path):
    out = tmp_path / "results"
    before = run_tiny(tiny_path, out, "--replications", "1", "--designs", "full_stack")
    earlier = files_under(out)
    stderr = interrupt_inside(where, ["run", tiny_path, "--out", out, "--replications", "1",
                                      "--designs", "full_stack"])
    assert "no results were written" in stderr or "nothing was written" in stderr
    assert files_under(out) == earlier and before.path.is_dir()
    assert [p.name for p in before.path.parent.iterdir()] == [before.path.name]


@pytest.mark.slow
def test_a_local_dask_cluster_interrupted_while_it_starts_says_one_line(tiny_path: Path, tmp_path: Path):
    pytest.importorskip("distributed")
    interrupt(["run", tiny_path, "--executor", "dask", "--jobs", "2", "--out", tmp_path / "out"], 1.5)
    assert not (tmp_path / "out").exists() or files_under(tmp_path / "out") == {}


# --- report and compare -----------------------------------------------------------------------------


def test_report_signalled_while_drawing_keeps_the_report_it_had(tiny_run: Run, tmp_path: Path):
    before = files_under(tiny_run.path)
    interrupt_inside("simulate.report.html:render", ["report", tiny_run.path], signal.SIGTERM)
    assert files_under(tiny_run.path) == before


def test_report_signalled_while_writing_the_page_keeps_the_report_it_had(tiny_run: Run):
    before = files_under(tiny_run.path)
    interrupt_inside("os:fsync", ["report", tiny_run.path])
    assert files_under(tiny_run.path) == before


def test_compare_signalled_while_writing_its_csv_leaves_the_earlier_file(tiny_run: Run, tmp_path: Path):
    target = tmp_path / "table.csv"
    target.write_text("an earlier table\n")
    interrupt_inside("os:replace", ["compare", tiny_run.path, tiny_run.path, "--label", "a",
                                               "--label", "b", "--csv", target])
    assert target.read_text() == "an earlier table\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


@pytest.mark.parametrize("command", ["report", "compare"])
def test_report_and_compare_exit_130_while_they_start(tiny_run: Run, command: str):
    interrupt([command, tiny_run.path], 0.3)


# --- the other commands ------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_selfcheck_exits_130_mid_check(signum: int):
    interrupt(["selfcheck", "--jobs", "1"], 2.0, signum)


def test_optimize_exits_130_mid_search(slow_file: Path, tmp_path: Path):
    interrupt(["optimize", slow_file, "--out", tmp_path / "out"], 2.5, signal.SIGTERM)
    assert not (tmp_path / "out").exists() or files_under(tmp_path / "out") == {}


@pytest.mark.parametrize("command", ["capacity", "validate"])
def test_quick_commands_exit_130_while_they_start(tiny_path: Path, command: str):
    interrupt([command, tiny_path], 0.3)
