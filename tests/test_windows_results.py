"""KPIs per 12-month window in what a run writes and in what reads it back (DESIGN.md §7, issue
10 defect 3): summary.csv and replications.csv gain a `window` column ("all", then "year1",
"year2", …), paired differences are per window, the terminal table, the report and
`orgsim compare` read "all" by default, the report shows the trend by window, and a run
directory written before windows (no `window` column) still reads as the whole period."""

from __future__ import annotations

import copy
import math
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from simulate import units
from simulate.cli import main
from simulate.report import render_report, write_report
from simulate.report.data import load_run
from simulate.report.trend import TREND_KPIS, drifts
from simulate.runner import Outcome
from simulate.stats import SUMMARY_COLUMNS, summarize, t_interval

from conftest import TINY, Run, run_tiny

# 26 months with 1 of warm-up: 25 measured, so year1 (months 2–13) and year2 (14–25); the last
# month alone is too short to be a window.
LONG = {**copy.deepcopy(TINY), "name": "long", "horizon_months": 26, "warmup_months": 1,
        "compare": ["full_stack", "refined"]}
WINDOWS = ["all", "year1", "year2"]
SEGMENTS = ["all", *TINY["segments"]]
HEADER = "design,segment,window,kpi,mean,ci_low,ci_high,n,diff_mean,diff_low,diff_high"


@pytest.fixture(scope="module")
def long_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("long") / "long.yaml"
    path.write_text(yaml.safe_dump(LONG, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def long_run(long_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_tiny(long_file, tmp_path_factory.mktemp("long_results"), "--jobs", "2")


@pytest.fixture(scope="module")
def summary(long_run: Run) -> pd.DataFrame:
    return pd.read_csv(long_run.path / "summary.csv")


@pytest.fixture(scope="module")
def replications(long_run: Run) -> pd.DataFrame:
    return pd.read_csv(long_run.path / "replications.csv")


# --- The accessor --------------------------------------------------------------------------------


def test_an_outcome_reads_the_whole_book_over_the_whole_period_unless_asked():
    o = Outcome("d", 0, 1, {("all", "all", "x"): 1.0, ("smb", "all", "x"): 2.0,
                            ("all", "year1", "x"): 3.0, ("smb", "year1", "x"): 4.0}, [], {}, [])
    assert (o.kpi("x"), o.kpi("x", "smb"), o.kpi("x", window="year1"), o.kpi("x", "smb", "year1")) \
        == (1.0, 2.0, 3.0, 4.0)
    assert math.isnan(o.kpi("x", window="year2")) and math.isnan(o.kpi("y"))
    assert o.windows == ["all", "year1"]


# --- summary.csv ---------------------------------------------------------------------------------


def test_summary_has_the_window_column_after_segment(long_run: Run):
    assert long_run.read("summary.csv").decode().splitlines()[0] == HEADER
    assert HEADER.split(",") == SUMMARY_COLUMNS


def test_every_kpi_has_a_row_in_every_window(summary: pd.DataFrame):
    assert list(dict.fromkeys(summary["window"])) == WINDOWS
    keys = {w: set(zip(g["design"], g["segment"], g["kpi"], strict=True))
            for w, g in summary.groupby("window")}
    assert keys["year1"] == keys["all"] == keys["year2"]
    assert (summary.loc[summary["kpi"].isin(["cs_cost", "arr_end"]), "n"] == LONG["replications"]).all()


def test_rows_run_segment_by_segment_then_window_by_window_whole_book_and_all_first(
        summary: pd.DataFrame):
    blocks = list(dict.fromkeys(zip(summary["segment"], summary["window"], strict=True)))
    assert blocks == [(s, w) for s in SEGMENTS for w in WINDOWS]  # each block contiguous, in order
    block = summary[(summary["segment"] == "all") & (summary["window"] == "year1")]
    assert list(block["design"][:4]) == LONG["compare"] * 2  # designs side by side, KPI by KPI
    assert list(dict.fromkeys(block["kpi"]))[:3] == ["cs_cost", "total_cost", "cost_to_arr"]


def test_year_windows_are_measured_on_their_own(summary: pd.DataFrame):
    """ARR at a window's end: year1's is the book at month 13, not the horizon's."""
    arr = summary[(summary["segment"] == "all") & (summary["kpi"] == "arr_end")]
    by_window = arr.groupby("window")["mean"].sum()
    assert len(set(by_window.round(6))) == 3


# --- replications.csv ----------------------------------------------------------------------------


def test_replications_has_one_row_per_design_replication_and_window(replications: pd.DataFrame):
    assert list(replications.columns[:4]) == ["design", "replication", "seed", "window"]
    expected = [(d, r, w) for d in LONG["compare"] for r in range(LONG["replications"]) for w in WINDOWS]
    assert list(zip(replications["design"], replications["replication"], replications["window"],
                    strict=True)) == expected
    assert {"cs_cost", "logo_churn", "logo_churn.smb", "frt_p90_h.mid"} <= set(replications.columns)


@pytest.mark.parametrize("column", ["cs_cost", "logo_churn", "frt_p90_h", "logo_churn.smb", "arr_end.mid"])
def test_means_and_paired_differences_are_per_window(column: str, summary: pd.DataFrame,
                                                     replications: pd.DataFrame):
    kpi, _, segment = column.partition(".")
    first, other = LONG["compare"]
    for window in WINDOWS:
        reps = replications[replications["window"] == window].set_index(["design", "replication"])[column]
        row = summary[(summary["design"] == other) & (summary["segment"] == (segment or "all"))
                      & (summary["window"] == window) & (summary["kpi"] == kpi)].iloc[0]
        mean, low, high, n = t_interval(reps[other].to_numpy(dtype=float))
        assert (row["mean"], row["ci_low"], row["ci_high"], row["n"]) == pytest.approx((mean, low, high, n))
        d = t_interval((reps[other] - reps[first]).to_numpy(dtype=float))
        assert (row["diff_mean"], row["diff_low"], row["diff_high"]) == pytest.approx(d[:3]), window


def test_two_jobs_and_one_write_the_same_windows(long_run: Run, long_file: Path, tmp_path: Path):
    again = run_tiny(long_file, tmp_path, "--jobs", "1")
    for name in ("summary.csv", "replications.csv"):
        assert again.read(name) == long_run.read(name), name


# --- What reads it: terminal, report, compare -------------------------------------------------


def test_the_terminal_table_reads_the_all_window(long_run: Run, summary: pd.DataFrame):
    """full_stack staffs CSMs by a ratio, so its cost grows with the book from year to year."""
    row = summary[(summary["design"] == "full_stack") & (summary["segment"] == "all")
                  & (summary["kpi"] == "cs_cost")].set_index("window")
    whole = units.spread(*row.loc["all", ["mean", "ci_low", "ci_high"]], "USD/yr")
    year1 = units.spread(*row.loc["year1", ["mean", "ci_low", "ci_high"]], "USD/yr")
    assert whole in long_run.process.stdout
    assert whole != year1


def test_the_report_reads_all_by_default_and_shows_the_trend_by_window(long_run: Run, tmp_path: Path,
                                                                       summary: pd.DataFrame):
    run = load_run(long_run.path)
    assert run.windows == ["year1", "year2"]
    stat = run.stat("refined", "logo_churn")
    book = summary[(summary["segment"] == "all") & (summary["kpi"] == "logo_churn")
                   & (summary["design"] == "refined")].set_index("window")
    assert stat.mean == pytest.approx(book.loc["all", "mean"])
    assert run.stat("refined", "logo_churn", window="year2").mean == pytest.approx(book.loc["year2", "mean"])
    page = (long_run.path / "report.html").read_text()
    start = page.index("<h2 id=trend>")
    assert page.index("id=findings") < start
    trend = re.sub(r"<[^>]+>", " ", page[start:page.index("<h2", start + 5)])
    for text in ("year1", "year2", "months 2–13", "months 14–25", "whole period", "year1 → year2"):
        assert text in trend, text
    for kpi in TREND_KPIS:
        assert kpi in trend, kpi
    assert "Differences between designs that change" in trend or "No gap between a design" in trend


def test_orgsim_compare_reads_all_unless_asked_for_a_window(long_run: Run, summary: pd.DataFrame,
                                                            tmp_path: Path):
    for window, extra in (("all", []), ("year1", ["--window", "year1"])):
        target = tmp_path / f"{window}.csv"
        result = CliRunner().invoke(main, ["compare", str(long_run.path), "--csv", str(target), *extra])
        assert result.exit_code == 0, result.stderr
        table = pd.read_csv(target, keep_default_na=False)
        table = table[table["segment"] == "all"].set_index(["design", "kpi"])
        rows = summary[(summary["segment"] == "all") & (summary["window"] == window)]
        mean = rows.set_index(["design", "kpi"]).loc[("full_stack", "cs_cost"), "mean"]
        assert table.loc[("full_stack", "cs_cost"), "mean"] == pytest.approx(mean)
        assert set(table["window"]) == {window}
    result = CliRunner().invoke(main, ["compare", str(long_run.path), "--window", "year3"])
    assert result.exit_code == 2
    assert result.stderr.strip() == ("orgsim compare: --window year3: no such window in these runs "
                                     "(windows: all, year1, year2)")


# --- Runs written before windows -----------------------------------------------------------------


def without_windows(run: Path, to: Path) -> Path:
    """The run as orgsim wrote it before windows: the "all" rows, no window column."""
    to.mkdir()
    for name in ("summary.csv", "replications.csv"):
        frame = pd.read_csv(run / name)
        frame[frame["window"] == "all"].drop(columns="window").to_csv(to / name, index=False)
    for name in ("monthly.csv", "distributions.csv", "plan.csv", "scenario.yaml", "manifest.json",
                 "verdict.json"):
        shutil.copy(run / name, to / name)
    return to


def test_a_run_without_the_window_column_still_reads_as_the_whole_period(long_run: Run, tmp_path: Path):
    old = without_windows(long_run.path, tmp_path / "old")
    assert "window" not in pd.read_csv(old / "summary.csv").columns
    then, now = load_run(old), load_run(long_run.path)
    assert then.windows == []
    assert set(then.summary["window"]) == {"all"} and set(then.replications["window"]) == {"all"}
    for kpi in ("cs_cost", "logo_churn", "frt_p90_h"):
        assert then.stat("refined", kpi) == now.stat("refined", kpi)
        assert then.paired("refined", "full_stack", kpi) == now.paired("refined", "full_stack", kpi)
    page = write_report(old).read_text()
    assert "written before orgsim reported KPIs by window" in page
    result = CliRunner().invoke(main, ["compare", str(old), str(long_run.path), "--headline"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count(units.spread(now.stat("refined", "cs_cost").mean,
                                            now.stat("refined", "cs_cost").low,
                                            now.stat("refined", "cs_cost").high, "USD/yr")) == 2


# --- Drift, on hand-made runs whose trend is known ------------------------------------------------


def hand_made(tmp_path: Path, values: dict[str, dict[str, dict[str, list[float]]]]) -> Path:
    """summary.csv and replications.csv for {design: {window: {kpi: [one value per replication]}}},
    summarised by the real statistics code."""
    rows = [{"design": d, "replication": r, "segment": "all", "window": w, "kpi": k, "value": v}
            for d, by_window in values.items() for w, kpis in by_window.items()
            for k, vs in kpis.items() for r, v in enumerate(vs)]
    long = pd.DataFrame(rows)
    summarize(long, list(values)).to_csv(tmp_path / "summary.csv", index=False)
    wide = long.pivot_table(index=["design", "replication", "window"], columns="kpi",
                            values="value").reset_index()
    wide.to_csv(tmp_path / "replications.csv", index=False)
    return tmp_path


NOISE = np.array([0.004, -0.002, 0.001, -0.003, 0.0])


def churn(level: float, gap: float = 0.0) -> list[float]:
    return list(level + gap + NOISE)


def test_a_gap_that_grows_from_year1_to_year3_is_said_plainly(tmp_path: Path):
    """The issue's example: full-stack − refined churn gap 0.8 pts in year 1, 2.4 pts in year 3."""
    run = hand_made(tmp_path, {
        "full_stack": {w: {"logo_churn": churn(0.10)} for w in ("all", "year1", "year2", "year3")},
        "refined": {w: {"logo_churn": churn(0.10, gap)} for w, gap in (
            ("all", -0.016), ("year1", -0.008), ("year2", -0.016), ("year3", -0.024))},
    })
    found = drifts(load_run(run))
    assert [d.kpi for d in found] == ["logo_churn"]
    text = found[0].sentence
    assert text.startswith("Logo churn: refined − full_stack widens, −0.8 pts in year1 → −2.4 pts in year3 "
                           "(change −1.6 pts, 95% CI"), text
    page = render_report(run)
    trend = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[page.index("<h2 id=trend>"):]))
    assert "Differences between designs that change from year1 to year3" in trend
    assert "refined − full_stack widens" in trend
    assert "change year1 → year3" in trend and "no change" in trend  # full_stack stays put


def test_no_drift_is_said_too(tmp_path: Path):
    rng = np.random.default_rng(3)
    run = hand_made(tmp_path, {
        d: {w: {"logo_churn": list(0.1 + gap + rng.normal(0, 0.01, 5))} for w in ("all", "year1", "year2")}
        for d, gap in (("a", 0.0), ("b", -0.02))})
    assert drifts(load_run(run)) == []
    assert "No gap between a design and a on a headline KPI changes significantly from year1 to year2" \
        in re.sub(r"<[^>]+>", "", render_report(run))
