"""verdict.json in every run directory (issue 11): its fields, calls that obey their intervals
and margins, and a terminal that prints what the file says."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from simulate.decision.margins import DEFAULTS
from simulate.decision.verdict import HEADLINES

from conftest import TINY, Run, run_tiny

FIELDS = {"basis", "basis_note", "replications", "replications_auto", "stopped_at_cap", "level",
          "correction", "margins", "headcount", "targets", "choice", "reason", "rests_on", "unmeasured",
          "comparisons"}
ROW = {"kpi", "design", "versus", "headline", "diff_mean", "diff_low", "diff_high", "relative_mean",
       "relative_low", "relative_high", "margin", "call"}


@pytest.fixture(scope="module")
def verdict(tiny_run: Run) -> dict:
    return json.loads(tiny_run.read("verdict.json"))


def test_every_field_is_there(verdict: dict):
    assert set(verdict) == FIELDS
    assert verdict["basis"] == "given"  # the tiny scenario sets no targets
    assert verdict["replications"] == TINY["replications"]
    assert verdict["stopped_at_cap"] is False and verdict["replications_auto"] is False
    for row in verdict["comparisons"]:
        assert set(row) == ROW


def test_one_headline_comparison_per_kpi_and_pair_of_designs(verdict: dict):
    designs = TINY["compare"]
    pairs = len(designs) * (len(designs) - 1) // 2
    headline = [r for r in verdict["comparisons"] if r["headline"]]
    assert len(headline) == pairs * len(HEADLINES)
    assert {r["kpi"] for r in headline} == {h.kpi for h in HEADLINES}
    assert verdict["level"] == pytest.approx(1 - 0.05 / len(headline))  # Bonferroni
    assert "Bonferroni" in verdict["correction"]


def test_calls_obey_their_intervals_and_margins(verdict: dict):
    """Never better/worse with an interval holding zero; equivalent exactly when the judged
    interval lies inside ± the margin."""
    for r in verdict["comparisons"]:
        if r["diff_low"] is None:
            assert r["call"] == "undecided"
            continue
        if r["diff_low"] <= 0 <= r["diff_high"]:
            assert r["call"] in ("equivalent", "undecided"), r
        margin = verdict["margins"][r["kpi"]]
        if margin["relative"] and r["relative_low"] is not None:
            inside = -margin["size"] < r["relative_low"] and r["relative_high"] < margin["size"]
        else:
            inside = -r["margin"] < r["diff_low"] and r["diff_high"] < r["margin"]
        assert (r["call"] == "equivalent") == inside, r
        if r["relative_low"] is not None:
            assert r["relative_low"] > -1  # no cut beyond 100%


def test_differences_agree_with_the_replications_file(tiny_run: Run, verdict: dict):
    reps = pd.read_csv(tiny_run.path / "replications.csv", keep_default_na=False)
    reps = reps[reps["window"] == "all"].set_index(["design", "replication"])
    for r in verdict["comparisons"]:
        a, b = reps.loc[r["design"], r["kpi"]], reps.loc[r["versus"], r["kpi"]]
        assert r["diff_mean"] == pytest.approx(float((a - b).mean()), rel=1e-9, abs=1e-12)


def test_margins_are_the_defaults_unless_the_scenario_says(verdict: dict, tmp_path: Path):
    assert verdict["margins"]["total_cost"] == {"size": DEFAULTS["total_cost"].size, "relative": True}
    assert verdict["margins"]["logo_churn"] == {"size": 0.005, "relative": False}


def test_headcount_is_per_design_and_role_at_start_and_end(verdict: dict, tiny_run: Run):
    monthly = pd.read_csv(tiny_run.path / "monthly.csv", keep_default_na=False)
    for design, roles in verdict["headcount"].items():
        rows = monthly[monthly["design"] == design]
        first = rows[rows["month"] == rows["month"].min()]
        last = rows[rows["month"] == rows["month"].max()]
        for role, (start, end) in roles.items():
            assert start == pytest.approx(first[f"headcount_{role}"].mean(), abs=0.05)
            assert end == pytest.approx(last[f"headcount_{role}"].mean(), abs=0.05)
    assert verdict["headcount"]["full_stack"].keys() == {"csm"}


def test_the_terminal_prints_the_files_verdict_and_calls(tiny_run: Run, verdict: dict):
    out = " ".join(tiny_run.process.stdout.split())
    assert f"Verdict: {'choose ' if verdict['choice'] else ''}" in out
    assert " ".join(verdict["reason"].split())[:60] in out
    assert "on headcounts the scenario's author chose" in out
    for word in ("cost: a difference matters beyond ±2%", "NRR: a difference matters beyond ±0.5 pts"):
        assert word in out


def test_scenario_margins_and_targets_reach_the_file(write_scenario, tmp_path: Path):
    doc = {**TINY, "replications": 3, "horizon_months": 8, "warmup_months": 2,
           "compare": ["full_stack", "active_passive"], "basis": "given",
           "decision": {"margins": {"total_cost": "5%", "logo_churn": 0.01}},
           "targets": {"sla_met": ">= 0.5", "time_to_live_days": "<= 1"}}
    run = run_tiny(write_scenario(doc), tmp_path / "out")
    verdict = json.loads(run.read("verdict.json"))
    assert verdict["margins"]["total_cost"] == {"size": 0.05, "relative": True}
    assert verdict["margins"]["logo_churn"] == {"size": 0.01, "relative": False}
    target = verdict["targets"]["full_stack"]["time_to_live_days ≤ 1"]
    assert target["met"] is (target["mean"] <= 1)
    assert target["low"] <= target["mean"] <= target["high"]
    manifest = json.loads(run.read("manifest.json"))
    assert manifest["basis"] == "given" and manifest["stopped_at_cap"] is False
    written = yaml.safe_load(run.read("scenario.yaml"))
    assert written["basis"] == "given"


def test_auto_replications_record_their_count_and_the_cap(write_scenario, tmp_path: Path):
    doc = {**TINY, "horizon_months": 8, "warmup_months": 2, "compare": ["full_stack", "active_passive"],
           "replications": "auto", "max_replications": 6}
    run = run_tiny(write_scenario(doc), tmp_path / "out")
    verdict = json.loads(run.read("verdict.json"))
    assert verdict["replications_auto"] is True
    assert verdict["replications"] in (5, 6)
    undecided = any(r["call"] == "undecided" for r in verdict["comparisons"] if r["headline"])
    assert verdict["stopped_at_cap"] is (undecided and verdict["replications"] == 6)
    assert "undecided" in run.process.stderr or "decided" in run.process.stderr
    reps = pd.read_csv(run.path / "replications.csv", keep_default_na=False)
    assert reps["replication"].nunique() == verdict["replications"]
    assert not math.isnan(verdict["level"])


def test_on_equal_budget_cost_is_held_equal_and_not_a_headline_call(write_scenario, tmp_path: Path):
    doc = {**TINY, "replications": 3, "horizon_months": 8, "warmup_months": 2,
           "compare": ["full_stack", "active_passive"], "budget": {"cs_cost_to_arr": 0.6}}
    run = run_tiny(write_scenario(doc), tmp_path / "out", "--basis", "equal_budget")
    verdict = json.loads(run.read("verdict.json"))
    assert verdict["basis"] == "equal_budget" and "60.0% of ARR" in verdict["basis_note"]
    headline = {r["kpi"] for r in verdict["comparisons"] if r["headline"]}
    assert headline == {"frt_p90_h", "logo_churn", "nrr"}
    assert "total_cost" in {r["kpi"] for r in verdict["comparisons"] if not r["headline"]}
    written = yaml.safe_load(run.read("scenario.yaml"))  # the scaled staffing, rerunnable as given
    assert written["basis"] == "given"
    assert written["staffing"]["full_stack"] != TINY["staffing"]["full_stack"]
