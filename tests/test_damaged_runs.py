"""Damaged run directories (issue 13): `orgsim report` and `orgsim compare` refuse a folder whose
files were cut short, edited by hand or half-copied — exit 2, one line naming the file and what is
wrong, no traceback — instead of crashing or drawing a report from what is left."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from simulate.cli import main

from conftest import TINY, Run, run_tiny


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """A real run of two designs, two replications (a few seconds)."""
    doc = copy.deepcopy(TINY)
    doc.update(replications=2, compare=["full_stack", "active_passive"])
    folder = tmp_path_factory.mktemp("damaged")
    (folder / "tiny.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    return run_tiny(folder / "tiny.yaml", folder / "results")


def _edit(name: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def damage(run_dir: Path) -> None:
        path = run_dir / name
        path.write_text(change(path.read_text()))
    return damage


def _line(name: str, number: int, change: Callable[[list[str]], list[str]]) -> Callable[[Path], None]:
    """Change the comma-separated fields of line `number` (1 is the first row after the header)."""
    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        lines[number] = ",".join(change(lines[number].rstrip("\n").split(","))) + "\n"
        return "".join(lines)
    return _edit(name, edit)


def _at(index: int, value: str) -> Callable[[list[str]], list[str]]:
    return lambda fields: [value if i == index else f for i, f in enumerate(fields)]


def _drop_rows(name: str, keep: Callable[[str], bool]) -> Callable[[Path], None]:
    def edit(text: str) -> str:
        header, *rows = text.splitlines(keepends=True)
        return header + "".join(r for r in rows if keep(r))
    return _edit(name, edit)


def _remove(name: str) -> Callable[[Path], None]:
    return lambda run_dir: (run_dir / name).unlink()


DAMAGES: dict[str, tuple[Callable[[Path], None], str, str]] = {  # how, file named, words said
    "n is not a number": (_line("summary.csv", 1, _at(7, "two")), "summary.csv", "n"),
    "a mean is not a number": (_line("summary.csv", 2, _at(4, "lots")), "summary.csv", "mean"),
    "a cut last line": (_edit("summary.csv", lambda t: t[:-25]), "summary.csv", "cut"),
    "rows missing for a design": (
        _drop_rows("summary.csv", lambda r: not r.startswith("active_passive,all,all,sla_met,")),
        "summary.csv", "active_passive"),
    "rows missing for a KPI": (_drop_rows("summary.csv", lambda r: ",all,all,sla_met," not in r),
                               "summary.csv", "sla_met"),
    "rows missing for a segment's KPI": (_drop_rows("summary.csv", lambda r: ",mid,all,frt_p90_h," not in r),
                                         "summary.csv", "frt_p90_h (mid, all)"),
    "an empty summary": (_edit("summary.csv", lambda t: ""), "summary.csv", "empty"),
    "a NaN replication in distributions.csv": (_line("distributions.csv", 1, _at(1, "")),
                                               "distributions.csv", "replication"),
    "a NaN percentile in distributions.csv": (_line("distributions.csv", 3, _at(3, "nan")),
                                              "distributions.csv", "percentile"),
    "a word in monthly.csv": (_line("monthly.csv", 2, _at(3, "x")), "monthly.csv", "arr"),
    "a cut monthly.csv": (_edit("monthly.csv", lambda t: t[:len(t) // 2]), "monthly.csv", "cut"),
    "a replication that is not a number": (_line("replications.csv", 1, _at(1, "first")),
                                           "replications.csv", "replication"),
    "scenario.yaml that is not YAML": (_edit("scenario.yaml", lambda t: "a: [1\n"), "scenario.yaml", ""),
    "scenario.yaml that is a list": (_edit("scenario.yaml", lambda t: "[1, 2]\n"), "scenario.yaml",
                                     "mapping"),
    "manifest.json that is not JSON": (_edit("manifest.json", lambda t: "{\n"), "manifest.json", ""),
    "a design the manifest does not list": (
        _edit("manifest.json", lambda t: json.dumps({**json.loads(t), "designs": ["full_stack"]})),
        "summary.csv", "active_passive"),
    "a missing monthly.csv": (_remove("monthly.csv"), "monthly.csv", "missing"),
    "a missing scenario.yaml": (_remove("scenario.yaml"), "scenario.yaml", "missing"),
    "bytes that are not text": (lambda d: (d / "replications.csv").write_bytes(b"\xff\xfe\x00\x81" * 50),
                                "replications.csv", ""),
}


@pytest.fixture(params=list(DAMAGES), ids=list(DAMAGES))
def damaged(request: pytest.FixtureRequest, small_run: Run, tmp_path: Path) -> tuple[Path, str, str]:
    damage, name, words = DAMAGES[request.param]
    run_dir = tmp_path / "tiny" / small_run.path.name
    shutil.copytree(small_run.path, run_dir)
    (run_dir / "report.html").unlink()
    damage(run_dir)
    return run_dir, name, words


def _one_line_naming(done: Result, run_dir: Path, name: str, words: str) -> None:
    assert done.exit_code == 2, (done.output, done.exception)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert str(run_dir / name) in lines[0] and words in lines[0], lines[0]


def test_report_refuses_a_damaged_run_directory_in_one_line(damaged: tuple[Path, str, str]):
    run_dir, name, words = damaged
    done = CliRunner().invoke(main, ["report", str(run_dir)])
    _one_line_naming(done, run_dir, name, words)
    assert not (run_dir / "report.html").exists()


def test_compare_refuses_a_damaged_run_directory_in_one_line(damaged: tuple[Path, str, str],
                                                             small_run: Run):
    run_dir, name, words = damaged
    done = CliRunner().invoke(main, ["compare", str(small_run.path), str(run_dir)])
    _one_line_naming(done, run_dir, name, words)


def test_the_undamaged_run_is_read_as_before(small_run: Run):
    done = CliRunner().invoke(main, ["compare", str(small_run.path), str(small_run.path),
                                     "--label", "a", "--label", "b"])
    assert done.exit_code == 0, done.output
    done = CliRunner().invoke(main, ["report", str(small_run.path)])
    assert done.exit_code == 0, done.output
