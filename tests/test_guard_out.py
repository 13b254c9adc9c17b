"""An output folder that cannot be written is found before anything is simulated: one line,
exit 1, no simulation; and a search whose results cannot be written is printed, not lost."""

from __future__ import annotations

import copy
import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import simulate.commands.optimize as optimize_command
import simulate.runner
from simulate.cli import main
from simulate.writable import probe

from conftest import TINY


def small() -> dict[str, Any]:
    """The tiny scenario with targets, so that optimize takes it too."""
    return {**copy.deepcopy(TINY), "horizon_months": 5,
            "targets": {"sla_met": ">= 0.85", "time_to_live_days": "<= 40"}}


NAME = small()["name"]  # the folder results go in, under --out
LONG = "x" * 300  # one path component longer than any file system allows (255 bytes)


@pytest.fixture
def no_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any simulation fails the test: the refusal must come before it."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("simulated although the output folder cannot be written")

    monkeypatch.setattr(simulate.runner, "run_one", forbidden)


@pytest.fixture
def read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A folder its owner may read but not write. Root ignores permissions (os.geteuid() == 0,
    unless its CAP_DAC_OVERRIDE was dropped, as with `setpriv --inh-caps=-dac_override`): where a
    write into it succeeds anyway, the operating system's refusal is stood in for — creating a
    folder or opening a file under it raises EACCES, as it would for anyone else."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    canary = folder / "canary"
    try:
        canary.touch()
    except PermissionError:
        pass
    else:
        canary.unlink()
        _refuse_writes_under(folder, monkeypatch)
    try:
        yield folder
    finally:
        folder.chmod(stat.S_IRWXU)


def _refuse_writes_under(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """os.mkdir and os.open (which Path.mkdir and tempfile.mkstemp call) raise EACCES inside
    `folder`, as a read-only folder makes them for a user whose permissions are enforced."""
    real_mkdir, real_open = os.mkdir, os.open

    def inside(path: Any) -> bool:
        return Path(os.fsdecode(path)).is_relative_to(folder) and Path(os.fsdecode(path)) != folder

    def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        if inside(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))
        real_mkdir(path, *args, **kwargs)

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if inside(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(os, "open", open_)


def unwritable(tmp_path: Path, kind: str) -> Path:
    if kind == "too long":
        return tmp_path / LONG
    plain = tmp_path / "plain.txt"
    plain.write_text("not a folder\n")
    return plain / "results"


def refused(result: Result, out: Path) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"orgsim: cannot write results to {out}")
    assert "Traceback" not in result.output


# --- the probe itself -----------------------------------------------------------------------


def test_a_writable_folder_is_created_and_left_empty(tmp_path: Path):
    folder = tmp_path / "a" / "b"
    assert probe(folder) is None
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_the_probe_names_why_a_read_only_folder_cannot_be_written(read_only: Path):
    assert "Permission denied" in (probe(read_only / "out") or "")
    assert "Permission denied" in (probe(read_only) or "")


@pytest.mark.parametrize(("kind", "reason"), [("too long", "File name too long"),
                                              ("under a file", "Not a directory")])
def test_the_probe_names_why_a_path_cannot_be_a_folder(tmp_path: Path, kind: str, reason: str):
    assert reason in (probe(unwritable(tmp_path, kind)) or "")


def test_a_full_disk_is_found_by_the_probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    assert "No space left on device" in (probe(tmp_path) or "")
    assert list(tmp_path.iterdir()) == []  # the probe file is gone again


# --- run and optimize refuse before simulating ----------------------------------------------


@pytest.mark.parametrize("command", ["run", "optimize"])
def test_a_read_only_out_folder_is_refused_before_simulating(command: str, read_only: Path,
                                                             write_scenario: Any, no_simulation: None):
    path = write_scenario(small(), "small")
    result = CliRunner().invoke(main, [command, str(path), "--out", str(read_only)])
    refused(result, read_only / NAME)


@pytest.mark.parametrize("kind", ["too long", "under a file"])
@pytest.mark.parametrize("command", ["run", "optimize"])
def test_an_impossible_out_folder_is_refused_before_simulating(command: str, kind: str, tmp_path: Path,
                                                               write_scenario: Any, no_simulation: None):
    path = write_scenario(small(), "small")
    out = unwritable(tmp_path, kind)
    result = CliRunner().invoke(main, [command, str(path), "--out", str(out)])
    refused(result, out / NAME)


# --- optimize on a disk that fills during the search ----------------------------------------


def test_optimize_prints_its_search_when_the_disk_fills_and_writes_nothing(
        tmp_path: Path, write_scenario: Any, monkeypatch: pytest.MonkeyPatch):
    path = write_scenario(small(), "small")
    out = tmp_path / "out"
    written = Path.write_text

    def full(self: Path, text: str, *args: Any, **kwargs: Any) -> int:
        if self.name == "optimum.json":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return written(self, text, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    result = CliRunner().invoke(main, ["optimize", str(path), "--designs", "active_passive",
                                       "--replications", "2", "--confirm", "2", "--fresh", "0",
                                       "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "Paste under staffing:" in result.stdout and "active_passive:" in result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"orgsim: cannot write results to {out / NAME}: No space left")
    assert list((out / NAME).iterdir()) == []  # no run directory, no half-written staging


def test_optimize_fails_with_one_line_when_the_folder_goes_away(tmp_path: Path, write_scenario: Any,
                                                                monkeypatch: pytest.MonkeyPatch):
    def gone(*args: object, **kwargs: object) -> Path:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(tmp_path))

    monkeypatch.setattr(optimize_command, "write_run", gone)
    result = CliRunner().invoke(main, ["optimize", str(write_scenario(small(), "small")), "--designs",
                                       "active_passive", "--replications", "2", "--confirm", "2",
                                       "--fresh", "0", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "Paste under staffing:" in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith("orgsim:")]
    assert len(lines) == 1
    assert lines[0].startswith(f"orgsim: cannot write results to {tmp_path / NAME}: Permission denied")
    assert "printed above" in lines[0]
