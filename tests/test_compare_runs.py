"""`orgsim compare` between runs: labels that tell runs apart (or the user's own), and B − A per
design and KPI. Runs of one seed share their replication seeds (common random numbers), so the
difference is estimated replication by replication with a paired t interval; runs of different
seeds fall back to an unpaired (Welch) interval, and say so on stderr in one line."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from simulate import compare
from simulate.cli import main
from simulate.kpis import KPIS
from simulate.report.data import load_run
from simulate.stats import summarize

from conftest import TINY, Run, run_tiny

T_975_2 = 4.302652729911275  # Student's t, 97.5% quantile, 2 degrees of freedom


def hand_made(folder: Path, values: dict[str, list[float]], seeds: list[int], *,
              name: str = "hand", seed: int = 1, run_id: str = "20261201T000000Z-aaaaaa") -> Path:
    """A run directory of one KPI (frt_mean_h) for {design: [one value per replication]}."""
    path = folder / name / run_id
    path.mkdir(parents=True)
    long = pd.DataFrame([{"design": d, "replication": r, "segment": "all", "window": "all",
                          "kpi": "frt_mean_h", "value": v}
                         for d, vs in values.items() for r, v in enumerate(vs)])
    summarize(long, list(values)).to_csv(path / "summary.csv", index=False)
    wide = long.pivot_table(index=["design", "replication", "window"], columns="kpi",
                            values="value").reset_index()
    wide.insert(2, "seed", [seeds[r] for r in wide["replication"]])
    wide.to_csv(path / "replications.csv", index=False)
    manifest = {"run_id": run_id, "scenario": name, "seed": seed, "replications": len(seeds)}
    (path / "manifest.json").write_text(json.dumps(manifest))
    return path


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["compare", *(str(a) for a in args)])
    return result.exit_code, result.stdout, result.stderr


A = {"refined": [10.0, 12.0, 14.0]}
B = {"refined": [11.0, 14.0, 15.0]}


# --- The difference, by hand ----------------------------------------------------------------------


def test_the_paired_difference_is_the_t_interval_of_the_replication_differences(tmp_path: Path):
    a = load_run(hand_made(tmp_path / "a", A, [101, 102, 103]))
    b = load_run(hand_made(tmp_path / "b", B, [101, 102, 103]))
    d = compare.difference(a, b, "refined", "frt_mean_h", paired=True)
    # differences 1, 2, 1: mean 4/3, sd √(1/3), half-width t(0.975, 2) · sd / √3
    half = T_975_2 * math.sqrt(1 / 3) / math.sqrt(3)
    assert (d.method, d.n) == ("paired", 3)
    assert d.mean == pytest.approx(4 / 3)
    assert (d.low, d.high) == (pytest.approx(4 / 3 - half), pytest.approx(4 / 3 + half))


def test_the_unpaired_difference_is_welch_by_hand(tmp_path: Path):
    from scipy import stats

    a = load_run(hand_made(tmp_path / "a", A, [101, 102, 103]))
    b = load_run(hand_made(tmp_path / "b", B, [201, 202, 203], seed=2))
    d = compare.difference(a, b, "refined", "frt_mean_h", paired=False)
    va, vb = 4.0 / 3, (13 / 3) / 3  # variance of each mean: s² / n (s²: 4 and 13/3)
    dof = (va + vb) ** 2 / (va ** 2 / 2 + vb ** 2 / 2)
    half = stats.t.ppf(0.975, dof) * math.sqrt(va + vb)
    assert d.method == "welch"
    assert d.mean == pytest.approx(4 / 3)
    assert (d.low, d.high) == (pytest.approx(4 / 3 - half), pytest.approx(4 / 3 + half))


def test_without_replications_the_difference_is_welch_from_the_summaries(tmp_path: Path):
    a_path = hand_made(tmp_path / "a", A, [101, 102, 103])
    b_path = hand_made(tmp_path / "b", B, [101, 102, 103])
    with_files = compare.difference(load_run(a_path), load_run(b_path), "refined", "frt_mean_h",
                                    paired=False)
    (b_path / "replications.csv").unlink()
    b = load_run(b_path)
    assert compare.pairing("a", load_run(a_path), "b", b).paired is False
    summaries = compare.difference(load_run(a_path), b, "refined", "frt_mean_h", paired=True)
    assert summaries.method == "welch"
    assert (summaries.low, summaries.high) == (pytest.approx(with_files.low),
                                               pytest.approx(with_files.high))


def test_a_difference_that_rounds_to_zero_reads_without_a_sign():
    tiny = compare.Difference(-0.001, -0.011, 0.009, 3, compare.PAIRED)
    assert compare._difference_cell(tiny, "h") == "0.00 h ± 0.01 h"
    assert compare._difference_cell(compare.Difference(-0.3, -0.4, -0.2, 3, compare.PAIRED), "h") == \
        "−0.30 h ± 0.10 h"
    assert compare._difference_cell(compare.Difference(0.042, 0.032, 0.052, 3, compare.PAIRED),
                                    "share") == "+4.2 pts ± 1.0 pts"


# --- The command --------------------------------------------------------------------------------


def test_runs_of_one_seed_show_b_minus_a_paired_and_warn_of_nothing(tmp_path: Path):
    a = hand_made(tmp_path / "base", A, [101, 102, 103])
    b = hand_made(tmp_path / "more", B, [101, 102, 103], run_id="20261201T000001Z-bbbbbb")
    code, out, err = invoke(a, b)
    assert code == 0, err
    assert err == ""
    assert "more − base: paired by replication" in out
    assert "+1.33 h ± 1.43 h" in out


def test_runs_of_different_seeds_fall_back_to_welch_and_say_so_in_one_line(tmp_path: Path):
    a = hand_made(tmp_path / "base", A, [101, 102, 103])
    b = hand_made(tmp_path / "more", B, [201, 202, 203], seed=2, run_id="20261201T000001Z-bbbbbb")
    code, out, err = invoke(a, b)
    assert code == 0, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "seeds differ (2 vs 1)" in lines[0] and "Welch" in lines[0]
    assert "more − base: unpaired (Welch)" in out


def test_runs_of_different_scenarios_warn_in_one_line(tmp_path: Path):
    a = hand_made(tmp_path / "x", A, [101, 102, 103], name="baseline")
    b = hand_made(tmp_path / "y", B, [101, 102, 103], name="growth")
    code, out, err = invoke(a, b)
    assert code == 0, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "different scenarios (growth vs baseline)" in lines[0]
    assert "growth − baseline: paired by replication" in out


# --- Labels -------------------------------------------------------------------------------------


def test_runs_of_different_scenarios_are_labelled_by_name(tmp_path: Path):
    runs = [load_run(hand_made(tmp_path / "x", A, [1, 2, 3], name=n)) for n in ("baseline", "growth")]
    assert compare.labels(runs) == ["baseline", "growth"]


def test_runs_of_one_scenario_are_labelled_by_the_shortest_part_that_tells_them_apart(tmp_path: Path):
    by_folder = [load_run(hand_made(tmp_path / f, A, [1, 2, 3])) for f in ("base", "more")]
    assert compare.labels(by_folder) == ["base", "more"]
    same = tmp_path / "results"
    by_id = [load_run(hand_made(same, A, [1, 2, 3], run_id=i))
             for i in ("20261201T000000Z-1a2b3c", "20261201T000100Z-4d5e6f")]
    assert compare.labels(by_id) == ["1a2b3c", "4d5e6f"]
    assert compare.labels([by_id[0], by_id[0]]) == ["hand#1", "hand#2"]  # the same run twice
    mixed = [by_id[0], by_id[1], load_run(hand_made(tmp_path / "g", A, [1, 2, 3], name="growth"))]
    assert compare.labels(mixed) == ["hand 1a2b3c", "hand 4d5e6f", "growth"]


def test_labels_given_are_the_column_headings(tmp_path: Path):
    a = hand_made(tmp_path / "a", A, [101, 102, 103])
    b = hand_made(tmp_path / "b", B, [101, 102, 103])
    code, out, err = invoke(a, b, "--label", "today", "--label", "two more agents")
    assert code == 0, err
    assert "two more agents − today" in out


@pytest.mark.parametrize("given", [["one"], ["one", "one"], ["one", ""]])
def test_labels_must_be_one_distinct_label_per_run(tmp_path: Path, given: list[str]):
    a = hand_made(tmp_path / "a", A, [101, 102, 103])
    b = hand_made(tmp_path / "b", B, [101, 102, 103])
    code, out, err = invoke(a, b, *(x for label in given for x in ("--label", label)))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "--label" in err


def test_csv_file_is_tidy_with_the_difference_to_the_first_run(tmp_path: Path):
    a = hand_made(tmp_path / "base", A, [101, 102, 103])
    b = hand_made(tmp_path / "more", B, [101, 102, 103])
    target = tmp_path / "side.csv"
    code, _, err = invoke(a, b, "--csv", target)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert [(r["run"], r["design"], r["kpi"]) for r in rows] == [
        ("base", "refined", "frt_mean_h"), ("more", "refined", "frt_mean_h")]
    assert rows[0]["diff_mean"] == "" and rows[0]["diff_method"] == ""
    assert float(rows[1]["diff_mean"]) == pytest.approx(4 / 3) and rows[1]["diff_method"] == "paired"
    assert float(rows[1]["mean"]) == pytest.approx(40 / 3)


# --- Two real runs that differ in one parameter -------------------------------------------------


@pytest.fixture(scope="module")
def busier(tmp_path_factory: pytest.TempPathFactory, tiny_path: Path) -> Path:
    """The tiny scenario with more smb tickets, same name and seed."""
    doc = dict(TINY, segments={**TINY["segments"],
                               "smb": {**TINY["segments"]["smb"], "tickets_per_month": 1.5}})
    path = tmp_path_factory.mktemp("busier") / "tiny.yaml"
    import yaml

    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return run_tiny(path, tmp_path_factory.mktemp("busier-results")).path


def test_pairing_two_real_runs_is_narrower_than_not_pairing_them(tiny_run: Run, busier: Path):
    a, b = load_run(tiny_run.path), load_run(busier)
    assert a.manifest["scenario_sha256"] != b.manifest["scenario_sha256"]
    assert compare.pairing("a", a, "b", b).paired
    narrower, widths = 0, 0
    for design in a.designs:
        for kpi in (k.name for k in KPIS if k.headline):
            paired = compare.difference(a, b, design, kpi, paired=True)
            welch = compare.difference(a, b, design, kpi, paired=False)
            assert paired.mean == pytest.approx(welch.mean)
            if math.isfinite(welch.high - welch.low) and welch.high > welch.low:
                widths += 1
                narrower += (paired.high - paired.low) < (welch.high - welch.low)
    assert widths > 20 and narrower >= 0.8 * widths
    for design in ("full_stack", "active_passive"):  # the same customers renew or churn alike
        for kpi in ("logo_churn", "cost_to_arr"):
            paired, welch = (compare.difference(a, b, design, kpi, paired=p) for p in (True, False))
            assert paired.high - paired.low < 0.5 * (welch.high - welch.low), (design, kpi)
