"""`orgsim compare`: earlier runs side by side (rows KPI, columns run × design), in the terminal,
as tidy CSV and Markdown (one row per run × design × KPI); bad run directories are refused with
exit status 2."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from simulate import units
from simulate.cli import main
from simulate.kpis import BY_NAME, KPIS

from conftest import Run, orgsim, run_tiny

ORDER = [k.name for k in KPIS]


@pytest.fixture(scope="module")
def runs(tiny_run: Run, tiny_path: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two runs of the same scenario: the shared tiny run and a smaller one of two designs."""
    other = run_tiny(tiny_path, tmp_path_factory.mktemp("other"), "--designs", "refined,integrated",
                     "--replications", "2", "--seed", "99")
    return [tiny_run.path, other.path]


def compare(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["compare", *(str(a) for a in args)])
    return result.exit_code, result.stdout, result.stderr


def summary(path: Path, segment: str = "all") -> pd.DataFrame:
    """The summary rows `orgsim compare` reads by default: the whole measured period."""
    frame = pd.read_csv(path / "summary.csv")
    return frame[(frame["segment"] == segment) & (frame["window"] == "all") & (frame["n"] > 0)]


def measured(paths: list[Path], segment: str = "all") -> list[str]:
    kpis = set().union(*(set(summary(p, segment)["kpi"]) for p in paths))
    return [k for k in ORDER if k in kpis]


def label(path: Path) -> str:
    """Runs of one scenario in different folders are told apart by their run ids' short hash."""
    return path.name.rsplit("-", 1)[-1]


def test_runs_side_by_side_in_the_terminal(runs: list[Path]):
    code, out, err = compare(*runs)
    assert code == 0, err
    assert out.startswith("whole book: mean ± half the 95% interval")
    for path in runs:
        assert label(path) in out
    for design in ("full_stack", "active_passive", "refined", "integrated"):
        assert design in out
    first = summary(runs[0]).set_index(["design", "kpi"])
    row = first.loc[("full_stack", "cs_cost")]
    assert units.spread(row["mean"], row["ci_low"], row["ci_high"], BY_NAME["cs_cost"].unit) in out
    for kpi in measured(runs):
        assert re.search(rf"│ {kpi}( [↓↑])? ", out), kpi


def test_csv_holds_the_numbers_one_row_per_run_design_and_kpi(runs: list[Path], tmp_path: Path):
    target = tmp_path / "side.csv"
    code, _, err = compare(*runs, "--csv", target)
    assert code == 0, err
    table = pd.read_csv(target, dtype={"run": str})
    assert set(table["kpi"]) == set(measured(runs))
    for _, block in table.groupby(["run", "design"]):  # each design's KPIs in the KPI table's order
        assert list(block["kpi"]) == [k for k in measured(runs) if k in set(block["kpi"])]
    assert set(table["segment"]) == {"all"} and set(table["window"]) == {"all"}
    rows = table.set_index(["run", "design", "kpi"])
    for path in runs:
        expected = summary(path).set_index(["design", "kpi"])
        assert len(rows.loc[label(path)]) == len(expected)
        for (design, kpi), row in expected.iterrows():
            line = rows.loc[(label(path), design, kpi)]
            for column in ("mean", "ci_low", "ci_high", "n"):
                assert line[column] == pytest.approx(row[column], rel=1e-9, abs=1e-12, nan_ok=True)
    # Designs a run did not have have no rows, not zeros.
    assert (label(runs[1]), "full_stack") not in {(r, d) for r, d, _ in rows.index}
    assert list(table["unit"]) == [BY_NAME[k].unit for k in table["kpi"]]


def test_markdown_is_a_tidy_table(runs: list[Path], tmp_path: Path):
    target = tmp_path / "side.md"
    code, _, err = compare(*runs, "--markdown", target, "--headline")
    assert code == 0, err
    lines = [line for line in target.read_text().splitlines() if line.startswith("|")]
    headline = [k.name for k in KPIS if k.headline and k.name in measured(runs)]
    assert lines[0].startswith("| run | design | segment | window | kpi | unit | mean |")
    assert set(lines[1]) <= set("|-:")
    assert len(lines) == 2 + (4 + 2) * len(headline)  # four designs in the first run, two in the other
    assert [line.split(" | ")[4] for line in lines[2:2 + len(headline)]] == headline


def test_one_segment(runs: list[Path], tmp_path: Path):
    target = tmp_path / "smb.csv"
    code, out, err = compare(*runs, "--segment", "smb", "--csv", target)
    assert code == 0, err
    table = pd.read_csv(target, dtype={"run": str})
    assert set(table["kpi"]) == set(measured(runs, "smb"))
    assert "cs_cost" not in set(table["kpi"]) and "logo_churn" in set(table["kpi"])
    smb = summary(runs[0], "smb").set_index(["design", "kpi"])
    churn = table.set_index(["run", "design", "kpi"]).loc[(label(runs[0]), "refined", "logo_churn"), "mean"]
    assert churn == pytest.approx(smb.loc[("refined", "logo_churn"), "mean"])
    assert "segment smb" in out


def test_the_same_run_twice_gets_two_labels(runs: list[Path], tmp_path: Path):
    target = tmp_path / "twice.csv"
    code, _, err = compare(runs[1], runs[1], "--csv", target)
    assert code == 0, err
    assert list(dict.fromkeys(pd.read_csv(target)["run"])) == ["tiny#1", "tiny#2"]


def test_a_bad_run_directory_exits_2_with_one_line_naming_it(runs: list[Path], tmp_path: Path):
    missing = tmp_path / "no-such-run"
    done = orgsim("compare", runs[0], missing)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"orgsim compare: {missing}: not a directory"]
    assert done.stdout == ""
    code, _, err = compare(runs[0], tmp_path)
    assert code == 2 and err.strip().splitlines() == [
        f"orgsim compare: {tmp_path}: not an orgsim run directory (no summary.csv)"]


def test_an_unknown_segment_exits_2(runs: list[Path]):
    code, _, err = compare(runs[0], "--segment", "emea")
    assert code == 2
    assert err.strip() == "orgsim compare: --segment emea: no such segment in these runs " \
                          "(segments: all, smb, mid)"
