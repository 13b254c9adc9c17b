"""The optimizer finds a feasible staffing from which one fewer person of any role fails."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulate.consistency import parse, targets
from simulate.designs import resolve
from simulate.optimize import Search, with_staffing

from conftest import TINY, orgsim

TARGETS = {"sla_met": ">= 0.85", "time_to_live_days": "<= 40"}


def small(**targets: str) -> dict[str, Any]:
    doc = copy.deepcopy(TINY)
    doc["horizon_months"] = 5
    doc["replications"] = 3
    doc["segments"]["smb"]["tickets_per_month"] = 3.0
    doc["targets"] = targets or dict(TARGETS)
    return doc


@pytest.fixture(scope="module", params=["full_stack", "active_passive", "integrated"])
def optimum(request: pytest.FixtureRequest) -> tuple[Search, Any]:
    scenario = parse(small(), "small")
    search = Search(scenario, resolve(scenario, request.param), targets(scenario),
                    replications=3, jobs=1, confidence=False)
    return search, search.run()


def test_the_optimum_meets_every_target(optimum: tuple[Search, Any]):
    _, result = optimum
    assert result.feasible
    assert result.best.feasible


def test_one_fewer_person_of_any_role_misses_a_target(optimum: tuple[Search, Any]):
    search, result = optimum
    for role, count in result.best.counts.items():
        if count <= search._floor(role):
            continue
        fewer = dict(result.best.counts, **{role: count - 1})
        assert not search.evaluate(fewer).feasible, (role, fewer)


def test_the_optimum_costs_its_headcount_times_annual_cost(optimum: tuple[Search, Any]):
    search, result = optimum
    expected = sum(n * search.scenario.roles[r].annual_cost for r, n in result.best.counts.items())
    assert result.best.cost == pytest.approx(expected)


def test_neighbouring_staffings_share_their_replication_seeds(optimum: tuple[Search, Any]):
    search, _ = optimum
    seeds = {tuple(o.seed for o in e.outcomes) for e in search.cache.values()}
    assert len(seeds) == 1


def test_impossible_targets_are_reported_not_met():
    scenario = parse(small(logo_churn="<= 0.0"), "small")
    search = Search(scenario, resolve(scenario, "active_passive"), targets(scenario),
                    replications=2, jobs=1, confidence=False, max_steps=3)
    result = search.run()
    assert not result.feasible
    assert [str(t) for t in result.binding] == ["logo_churn ≤ 0"]


def test_with_staffing_replaces_one_design_only():
    scenario = parse(small(), "small")
    changed = with_staffing(scenario, "refined", {"csm": 5, "support_agent": 2, "implementation": 1,
                                                  "cs_ops": 0})
    assert changed.staffing.plans["refined"]["csm"] == 5
    assert changed.staffing.plans["full_stack"] == scenario.staffing.plans["full_stack"]


def test_optimize_command_writes_a_run_with_the_staffing_fragment(tmp_path: Path, write_scenario: Any):
    path = write_scenario(small(), "small")
    process = orgsim("optimize", path, "--designs", "active_passive", "--replications", "2",
                     "--out", tmp_path)
    assert process.returncode == 0, process.stderr
    run = Path(process.stdout.strip().splitlines()[-1])
    fragment = yaml.safe_load((run / "staffing.yaml").read_text())
    optimum = json.loads((run / "optimum.json").read_text())
    assert fragment["active_passive"] == optimum["active_passive"]["staffing"]
    assert optimum["active_passive"]["targets_met"] is True
    assert (run / "summary.csv").exists()
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
    """Issue 12: the search never drops refined's or integrated's defining roles to 0; where the
    targets alone would drop one, the optimum says what keeping it costs."""
    scenario = parse(small(), "small")
    resolved = resolve(scenario, design)
    assert {"implementation", "cs_ops"} <= set(resolved.defining)
    search = Search(scenario, resolved, targets(scenario), replications=3, jobs=1, confidence=False)
    result = search.run()
    for role in resolved.identity:
        assert result.best.counts[role] >= 1, (role, result.best.counts)
    for step in result.path:
        assert all(step.get(role, 1) >= 1 for role in resolved.identity), step
    for role, cost in result.kept_for_identity.items():
        assert role in resolved.identity
        assert cost == result.best.counts[role] * scenario.roles[role].annual_cost
        assert search.evaluate({**result.best.counts, role: 0}).feasible


def test_a_custom_design_may_declare_its_defining_roles():
    doc = small()
    doc["designs"] = {"lean_refined": {"base": "refined", "defining": ["implementation"]}}
    doc["staffing"]["lean_refined"] = doc["staffing"]["refined"]
    doc["compare"] = ["refined", "lean_refined"]
    scenario = parse(doc, "small")
    assert resolve(scenario, "lean_refined").defining == ("implementation",)
    assert resolve(scenario, "refined").defining == ("implementation", "cs_ops")
