"""What a scenario path may name: a regular file of at most 5 MB, found as given or, for a bare
name, in ./scenarios and then in the shipped scenarios folder; anything else is one line, exit 2,
before a byte is read (issue 13, items 4 and 5)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from test_scenario_load import SMALL

import simulate
from simulate.consistency import load
from simulate.scenario import ScenarioError, locate
from simulate.scenario.load import MAX_BYTES

from conftest import REPO, orgsim

SHIPPED = Path(simulate.__file__).resolve().parents[1] / "scenarios"


def problems(name: str | Path) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        load(name)
    return err.value.problems


# --- things that are not a scenario file ------------------------------------------------------


def test_dev_zero_is_refused_in_one_line_without_reading_it():
    result = orgsim("validate", "/dev/zero", timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stderr == "/dev/zero: not a regular file (a character device); a scenario is a YAML file\n"


def test_a_fifo_is_refused_in_one_line_without_waiting_for_a_writer(tmp_path: Path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = orgsim("validate", fifo, timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"{fifo}: not a regular file (a FIFO); a scenario is a YAML file\n"


def test_a_directory_is_refused_in_one_line(tmp_path: Path):
    assert problems(tmp_path) == [f"{tmp_path}: is a directory, not a scenario file"]


def test_a_file_over_5_mb_is_refused_in_one_line(tmp_path: Path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# padding\n" * (MAX_BYTES // 10 + 1))
    assert MAX_BYTES == 5 * 2**20
    [line] = problems(path)
    assert line == f"{path}: {path.stat().st_size:,} bytes is larger than a scenario can be (5 MB)"


def test_a_file_of_exactly_5_mb_is_read(tmp_path: Path):
    path = tmp_path / "big.yaml"
    text = yaml.safe_dump(SMALL, sort_keys=False).encode()
    path.write_bytes(text + b"#" * (MAX_BYTES - len(text) - 1) + b"\n")
    assert load(path).name == "small"


# --- bare names -------------------------------------------------------------------------------


def test_a_bare_name_resolves_in_the_shipped_scenarios_from_any_folder(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    assert locate("baseline") == SHIPPED / "baseline.yaml"
    assert load("baseline").name == "baseline"


def test_the_local_scenarios_folder_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "baseline.yaml").write_text(yaml.safe_dump(SMALL), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert locate("baseline") == Path("scenarios/baseline.yaml")
    assert load("baseline").name == "small"


def test_a_missing_bare_name_says_where_it_looked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    assert problems("nowhere") == [
        f"nowhere: no such file (looked for nowhere.yaml and nowhere.yml in scenarios and {SHIPPED})"]


def test_from_the_checkout_the_two_folders_are_named_once(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(REPO)
    assert problems("nowhere") == [
        "nowhere: no such file (looked for nowhere.yaml and nowhere.yml in scenarios)"]


def test_validate_by_bare_name_works_from_another_folder(tmp_path: Path):
    result = orgsim("validate", "baseline", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
