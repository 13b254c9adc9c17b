"""The optimizer (issue 12) finds, per design, the cheapest staffing *policy* whose targets hold on
their 95% confidence bounds, from which one step less generous on any role misses a target."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulate.candidate import ON_BOUND
from simulate.consistency import parse, targets
from simulate.designs import resolve
from simulate.optimize import Search, with_staffing
from simulate.policy import STEP

from conftest import TINY, orgsim

TARGETS = {"sla_met": ">= 0.85", "time_to_live_days": "<= 40"}


def small(**targets: str) -> dict[str, Any]:
    doc = copy.deepcopy(TINY)
    doc["horizon_months"] = 5
    doc["replications"] = 3
    doc["segments"]["smb"]["tickets_per_month"] = 3.0
    doc["targets"] = targets or dict(TARGETS)
    return doc


def growing() -> dict[str, Any]:
    """A book big enough that every role has several people, growing month by month."""
    doc = small(sla_met=">= 0.85", touches_on_time=">= 0.8")
    doc["horizon_months"] = 4
    doc["segments"]["smb"].update(initial_accounts=120, new_per_month=12, tickets_per_month=2.0)
    doc["segments"]["mid"].update(initial_accounts=24, new_per_month=3)
    return doc


@pytest.fixture(scope="module")
def optimum() -> tuple[Search, Any]:
    scenario = parse(growing(), "growing")
    search = Search(scenario, resolve(scenario, "active_passive"), targets(scenario),
                    replications=2, confirm=4, jobs=1)
    return search, search.run()


def test_the_optimum_meets_every_target_on_its_confidence_bound(optimum: tuple[Search, Any]):
    _, result = optimum
    assert result.feasible
    assert result.best.n == 4
    for judged in result.best.judged.values():
        assert judged.met_on_bound, judged
        assert judged.target.met(judged.low if judged.target.op == ">=" else judged.high)


def test_one_step_less_generous_on_any_role_misses_a_target(optimum: tuple[Search, Any]):
    search, result = optimum
    assert set(result.at_minimum) < set(search.roles)  # some role is priced by its targets
    for i, role in enumerate(search.roles):
        if role in result.at_minimum:
            continue
        steps = tuple(s + (1 if k == i else 0) for k, s in enumerate(result.best.steps))
        neighbour = search._judged_neighbour(steps, 4, ON_BOUND)
        assert neighbour.cost < result.best.cost or neighbour.n < 4
        assert not neighbour.feasible(ON_BOUND), (role, steps)
    assert result.binding


def test_the_policy_is_a_ratio_per_role_that_scales_with_the_book(optimum: tuple[Search, Any]):
    search, result = optimum
    for policy in result.policy.values():
        (driver, ratio), = ((k, v) for k, v in policy.items() if k != "min")
        assert driver.startswith("per_") and ratio > 0 and policy["min"] >= 1
    csm = result.best.headcount["csm"]
    assert csm[-1] > csm[0]  # the book grows 10% a month: the policy hires with it
    ratio = result.policy["csm"]["per_arr"]
    assert ratio == pytest.approx(search.axes[0].anchor * STEP ** result.best.steps[0], rel=5e-3)


def test_every_candidate_runs_on_the_same_replication_seeds(optimum: tuple[Search, Any]):
    search, _ = optimum
    longest = max(search.cache.values(), key=lambda e: e.n)
    seeds = [o.seed for o in longest.outcomes]
    for evaluation in search.cache.values():
        assert [o.seed for o in evaluation.outcomes] == seeds[:evaluation.n]


def test_impossible_targets_are_reported_not_met():
    scenario = parse(small(logo_churn="<= 0.0"), "small")
    search = Search(scenario, resolve(scenario, "active_passive"), targets(scenario),
                    replications=2, confirm=2, jobs=1, max_steps=2)
    result = search.run()
    assert not result.feasible
    assert [str(t) for t in result.binding] == ["logo_churn ≤ 0"]


def test_with_staffing_replaces_one_design_only():
    scenario = parse(small(), "small")
    changed = with_staffing(scenario, "refined", {"csm": {"per_arr": 900000, "min": 1}, "support_agent": 2,
                                                  "implementation": 1, "cs_ops": 1})
    assert changed.staffing.plans["refined"]["csm"].ratio == 900000
    assert changed.staffing.plans["full_stack"] == scenario.staffing.plans["full_stack"]


def test_optimize_command_writes_policies_plan_and_confirmation(tmp_path: Path, write_scenario: Any):
    path = write_scenario(small(), "small")
    process = orgsim("optimize", path, "--designs", "active_passive", "--replications", "2",
                     "--fresh", "2", "--out", tmp_path)
    assert process.returncode == 0, process.stderr
    assert "confirm, 10 reps" in process.stderr and "fresh seeds" in process.stderr
    run = Path(process.stdout.strip().splitlines()[-1])
    fragment = yaml.safe_load((run / "staffing.yaml").read_text())
    optimum = json.loads((run / "optimum.json").read_text())["active_passive"]
    assert fragment["active_passive"] == optimum["policy"]
    assert optimum["targets_met"] is True and optimum["replications"] >= 10
    for judged in optimum["targets"].values():
        assert judged["met_on_bound"] and judged["low"] <= judged["mean"] <= judged["high"]
    assert optimum["fresh_seeds"]["replications"] == 2 and "met" in optimum["fresh_seeds"]
    assert optimum["path"][0]["stage"] == "screen" and optimum["path"][-1]["stage"] == "confirm"
    assert (run / "summary.csv").exists()
    for line in process.stdout.splitlines()[:-1]:  # the last is the run's folder
        assert len(line) <= 80, line
    rerun = yaml.safe_load((run / "scenario.yaml").read_text())
    assert rerun["staffing"]["active_passive"] == optimum["policy"]
    capacity = orgsim("capacity", path, "--out", tmp_path)
    assert capacity.returncode == 0, capacity.stderr
    assert "smb" in capacity.stdout and "$2M rule" in capacity.stdout


def test_optimize_without_targets_is_bad_input(tmp_path: Path, write_scenario: Any):
    doc = small()
    doc.pop("targets")
    process = orgsim("optimize", write_scenario(doc, "small"), "--out", tmp_path)
    assert process.returncode == 2
    assert "targets" in process.stderr and "Traceback" not in process.stderr


@pytest.mark.parametrize("design", ["refined", "integrated"])
def test_a_design_keeps_the_roles_that_define_it_and_says_what_they_cost(design: str):
    """The search never drops refined's or integrated's defining roles to 0; where the targets
    alone would drop one, the optimum says what keeping it costs."""
    scenario = parse(small(), "small")
    resolved = resolve(scenario, design)
    assert {"implementation", "cs_ops"} <= set(resolved.defining)
    search = Search(scenario, resolved, targets(scenario), replications=2, confirm=3, jobs=1)
    result = search.run()
    for role in resolved.identity:
        assert result.policy[role]["min"] >= 1, (role, result.policy)
        assert min(result.best.headcount[role]) >= 1
    for step in result.path:
        assert all(role in step["policy"] for role in resolved.identity), step
    for role, cost in result.kept_for_identity.items():
        assert role in resolved.identity and cost > 0
        without = {r: p for r, p in result.policy.items() if r != role}
        assert search.evaluate(result.best.steps, result.best.n, staffing=without).feasible(ON_BOUND)


def test_a_custom_design_may_declare_its_defining_roles():
    doc = small()
    doc["designs"] = {"lean_refined": {"base": "refined", "defining": ["implementation"]}}
    doc["staffing"]["lean_refined"] = doc["staffing"]["refined"]
    doc["compare"] = ["refined", "lean_refined"]
    scenario = parse(doc, "small")
    assert resolve(scenario, "lean_refined").defining == ("implementation",)
    assert resolve(scenario, "refined").defining == ("implementation", "cs_ops")


def test_settling_on_the_comparisons_replications_keeps_every_bound_met():
    """With more replications compared than confirmed, the optimum is judged again on all of
    them (the ones beyond were never seen by the search) and its bounds still meet there."""
    scenario = parse(growing(), "growing")
    search = Search(scenario, resolve(scenario, "full_stack"), targets(scenario),
                    replications=2, confirm=3, settle=6, jobs=1)
    result = search.run()
    assert result.feasible and result.best.n == 6
    assert all(j.met_on_bound and j.n == 6 for j in result.best.judged.values())
    assert any(step["stage"] == "settle" for step in result.path)
