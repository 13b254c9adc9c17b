"""Bad input gets a clear answer (issue 4): every problem of a scenario file, one line each, through
the command line — `orgsim run FILE` and `orgsim validate FILE…` — with exit status 2, the file
and the field named, and never a traceback.

Every case of `bad_scenarios.CASES` goes through `run` and `validate` in this process (click's
runner: the same code, without the second or so it takes to start the program); the real program
is then run in subprocesses on a few cases, and `orgsim validate` once on all the case files together.
"""

from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from simulate.cli import main

from bad_scenarios import BASE, CASES, KNOWN, Re
from conftest import REPO, orgsim


@pytest.fixture(scope="module")
def case_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every case's file, written once into one folder."""
    root = tmp_path_factory.mktemp("cases")
    paths = {}
    for name, case in CASES.items():
        paths[name] = root / f"{name}.yaml"
        case.write(paths[name])
    return paths


def invoke(*args: object) -> Result:
    """The command line in this process (the subprocess tests below cover the real program)."""
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_lines(stderr: str, path: Path, expected: tuple[str, ...]) -> None:
    """stderr is exactly `<path>: <expected line>` for each expected line, in order."""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == len(expected), stderr
    for line, want in zip(lines, expected, strict=True):
        assert line.startswith(f"{path}: "), line
        rest = line.removeprefix(f"{path}: ")
        if isinstance(want, Re):
            assert re.fullmatch(want, rest), (rest, want)
        else:
            assert rest == want


def assert_bad_input(result: Result) -> None:
    """Exit status 2 through sys.exit, nothing on stdout, no exception escaping."""
    assert result.exit_code == 2, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""


@pytest.mark.parametrize("name", CASES)
def test_run_exits_2_with_one_line_per_problem_and_writes_nothing(case_files, tmp_path, name):
    result = invoke("run", case_files[name], "--out", tmp_path / "out")
    assert_bad_input(result)
    assert_lines(result.stderr, case_files[name], CASES[name].lines)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("name", CASES)
def test_validate_prints_the_same_lines(case_files, name):
    result = invoke("validate", case_files[name])
    assert_bad_input(result)
    assert_lines(result.stderr, case_files[name], CASES[name].lines)


def expected_stderr(case_files: dict[str, Path], *names: str) -> str:
    """What validate prints for these cases, file after file (as the tests above check)."""
    return "".join(invoke("validate", case_files[n]).stderr for n in names)


# --- The real program, in subprocesses: exit status 2 and no traceback ----------------------

REAL_RUNS = ("yaml_syntax", "directory", "several")


def test_the_program_exits_2_without_a_traceback(case_files, tmp_path):
    def one(name: str) -> subprocess.CompletedProcess[str]:
        return orgsim("run", case_files[name], "--out", tmp_path / name, timeout=120)

    with ThreadPoolExecutor(max_workers=3) as pool:
        processes = dict(zip(REAL_RUNS, pool.map(one, REAL_RUNS), strict=True))
    for name, process in processes.items():
        assert process.returncode == 2, (name, process.stderr)
        assert process.stdout == ""
        assert "Traceback" not in process.stderr
        assert_lines(process.stderr, case_files[name], CASES[name].lines)
        assert not (tmp_path / name).exists()


def test_validate_checks_every_file_and_prints_every_problem(case_files):
    process = orgsim("validate", *case_files.values())
    assert process.returncode == 2
    assert process.stdout == ""
    assert "Traceback" not in process.stderr
    assert process.stderr == expected_stderr(case_files, *CASES)


def test_validate_names_only_the_bad_files(case_files, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(BASE, sort_keys=False), encoding="utf-8")
    bad = ("negative_rate", "missing_file", "several")
    process = orgsim("validate", good, case_files[bad[0]], case_files[bad[1]], good, case_files[bad[2]])
    assert process.returncode == 2
    assert process.stdout == ""
    assert str(good) not in process.stderr
    assert process.stderr.splitlines() == [f"{case_files[n]}: {line}" for n in bad for line in CASES[n].lines]


def test_validate_good_files_prints_nothing_and_exits_0(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(BASE, sort_keys=False), encoding="utf-8")
    shipped = sorted((REPO / "scenarios").glob("*.yaml"))
    assert shipped
    result = invoke("validate", good, *shipped)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_unknown_design_on_the_command_line_is_named_like_one_in_the_file(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(yaml.safe_dump(BASE, sort_keys=False), encoding="utf-8")
    result = invoke("run", path, "--designs", "full_stack,refind", "--out", tmp_path / "out")
    assert_bad_input(result)
    assert result.stderr.splitlines() == [
        f"{path}: compare: unknown design 'refind' (did you mean 'refined'? known: {KNOWN})"]

