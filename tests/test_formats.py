"""`--format table|csv|json|markdown`: the table a command prints, for people or for programs.
The machine formats are tidy (one row per design × KPI, × run for `orgsim compare`) and read back
with the csv module, json.loads and a Markdown table's pipe rows; stdout holds the document alone."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from simulate import formats
from simulate.cli import main
from simulate.kpis import BY_NAME, KPIS

from conftest import Run, run_tiny

HEADLINE = [k.name for k in KPIS if k.headline]
TIDY = ["design", "kpi", "unit", "mean", "ci_low", "ci_high", "n"]


def markdown_rows(text: str) -> list[dict[str, str]]:
    """A Markdown table's rows, keyed by its header."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    split = [[cell.strip().replace("\\|", "|") for cell in line.strip("|").split(" | ")]
             for line in lines]
    assert set(lines[1]) <= set("|-: ")
    return [dict(zip(split[0], row, strict=True)) for row in split[2:]]


def parse(kind: str, text: str) -> list[dict[str, str]]:
    """Every row as text, whatever the format ("" for an empty cell)."""
    if kind == "csv":
        return list(csv.DictReader(io.StringIO(text)))
    if kind == "json":
        return [{k: "" if v is None else str(v) for k, v in row.items()} for row in json.loads(text)]
    return markdown_rows(text)


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def number(text: str) -> float:
    return math.nan if text == "" else float(text)


# --- The writers --------------------------------------------------------------------------------


DOC = formats.Document(grids=(), columns=("design", "kpi", "mean", "n", "note"), rows=(
    {"design": "full_stack", "kpi": "cs_cost", "mean": 559012.25, "n": 3, "note": "a | b"},
    {"design": "refined", "kpi": "cs_cost", "mean": math.nan, "n": 0, "note": None},
))


@pytest.mark.parametrize("kind", ["csv", "json", "markdown"])
def test_every_machine_format_reads_back_to_the_same_rows(kind: str):
    out = io.StringIO()
    formats.FORMATS[kind].write(DOC, out, 80)
    rows = parse(kind, out.getvalue())
    assert [list(r) for r in rows] == [list(DOC.columns)] * 2
    assert number(rows[0]["mean"]) == 559012.25 and rows[0]["note"] == "a | b"
    assert rows[1]["mean"] == "" and rows[1]["note"] == ""  # NaN and None: empty, in every format
    assert int(rows[0]["n"]) == 3


def test_json_has_no_nan():
    out = io.StringIO()
    formats.FORMATS["json"].write(DOC, out, 80)
    assert json.loads(out.getvalue())[1]["mean"] is None
    assert "NaN" not in out.getvalue()


def test_a_format_is_a_row_of_the_writers_table():
    assert list(formats.FORMATS) == ["table", "csv", "json", "markdown"]
    assert [f.for_people for f in formats.FORMATS.values()] == [True, False, False, False]


# --- The commands -------------------------------------------------------------------------------


def summary_rows(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path / "summary.csv")
    whole = frame[(frame["segment"] == "all") & (frame["window"] == "all")]
    return whole.set_index(["design", "kpi"])


@pytest.mark.parametrize("kind", ["csv", "json", "markdown"])
def test_run_prints_the_headline_table_tidy(kind: str, tiny_path: Path, tmp_path: Path):
    code, out, err = invoke("run", tiny_path, "--out", tmp_path, "--designs", "full_stack,refined",
                            "--replications", "2", "--format", kind)
    assert code == 0, err
    path = Path(err.strip().splitlines()[-1])  # the run directory: stderr, so stdout is the data
    assert path.parent == tmp_path / "tiny"
    rows = parse(kind, out)
    assert list(rows[0]) == TIDY
    assert [(r["design"], r["kpi"]) for r in rows] == [
        (d, k) for d in ("full_stack", "refined") for k in HEADLINE]
    summary = summary_rows(path)
    for row in rows:
        expected = summary.loc[(row["design"], row["kpi"])]
        for column in ("mean", "ci_low", "ci_high"):
            assert number(row[column]) == pytest.approx(expected[column], nan_ok=True)
        assert int(row["n"]) == expected["n"]
        assert row["unit"] == BY_NAME[row["kpi"]].unit


def test_run_prints_a_table_by_default(tiny_run: Run):
    stdout = tiny_run.process.stdout
    assert "┃" in stdout and stdout.strip().splitlines()[-1] == str(tiny_run.path)


def test_optimize_prints_tidy_rows_with_the_headcount(tmp_path: Path, write_scenario, tiny_scenario):
    tiny_scenario.update(horizon_months=3, replications=2, targets={"sla_met": ">= 0.8"})
    path = write_scenario(tiny_scenario)
    code, out, err = invoke("optimize", path, "--designs", "active_passive", "--replications", "2",
                            "--confirm", "2", "--fresh", "0", "--out", tmp_path, "--format", "json")
    assert code == 0, err
    run = Path(err.strip().splitlines()[-1])
    rows = json.loads(out)
    people = json.loads((run / "optimum.json").read_text())["active_passive"]["headcount"]
    heads = {r["kpi"].removeprefix("headcount_"): r["mean"] for r in rows
             if r["kpi"].startswith("headcount_")}
    assert heads == {role: p["mean"] for role, p in people.items()}
    kpis = [r["kpi"] for r in rows if not r["kpi"].startswith("headcount_")]
    assert kpis == HEADLINE
    assert {r["design"] for r in rows} == {"active_passive"}


@pytest.mark.parametrize("kind", ["csv", "json", "markdown"])
def test_capacity_prints_tidy_rows(kind: str, tiny_path: Path, tmp_path: Path):
    code, out, err = invoke("capacity", tiny_path, "--out", tmp_path, "--format", kind)
    assert code == 0, err
    rows = parse(kind, out)
    assert list(rows[0]) == ["design", "segment", "measure", "value", "unit", "note"]
    assert {r["segment"] for r in rows} == {"smb", "mid"}
    acv = {r["segment"]: number(r["value"]) for r in rows if r["measure"] == "acv"}
    assert acv == {"smb": 6000, "mid": 30000}
    assert "optimize" in err  # no optimizer result yet: said on stderr, not in the data


@pytest.fixture(scope="module")
def two_runs(tiny_run: Run, tiny_path: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    other = run_tiny(tiny_path, tmp_path_factory.mktemp("other"), "--designs", "refined,integrated",
                     "--replications", "2", "--seed", "99")
    return [tiny_run.path, other.path]


@pytest.mark.parametrize("kind", ["csv", "json", "markdown"])
def test_compare_prints_one_row_per_run_design_and_kpi(kind: str, two_runs: list[Path]):
    code, out, err = invoke("compare", *two_runs, "--label", "base", "--label", "other",
                            "--headline", "--format", kind)
    assert code == 0, err
    rows = parse(kind, out)
    assert list(rows[0])[:10] == ["run", "design", "segment", "window", "kpi", "unit", "mean",
                                  "ci_low", "ci_high", "n"]
    runs = {("base", d) for d in ("full_stack", "active_passive", "refined", "integrated")}
    runs |= {("other", d) for d in ("refined", "integrated")}
    assert {(r["run"], r["design"]) for r in rows} == runs
    assert len(rows) == len(runs) * len(HEADLINE)
    base = summary_rows(two_runs[0])
    for row in (r for r in rows if r["run"] == "base"):
        assert number(row["mean"]) == pytest.approx(base.loc[(row["design"], row["kpi"]), "mean"])
