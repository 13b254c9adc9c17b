"""The assumption table (simulate/domain/assumptions.py): every row names a real scenario
parameter, the baseline sits inside its sensitivity range, and each design's mechanisms pick
out the assumptions it rests on."""

from __future__ import annotations

from typing import Any

import pytest

from simulate.consistency import load
from simulate.domain.assumptions import ASSUMPTIONS, MECHANISMS, rests_on
from simulate.domain.designs import BUILT_IN

from conftest import REPO


def _at(tree: dict[str, Any], path: str) -> Any:
    for key in path.split("."):
        tree = tree[key]
    return tree


@pytest.fixture(scope="module")
def baseline() -> dict[str, Any]:
    return load(REPO / "scenarios" / "baseline.yaml").model_dump(mode="json")


@pytest.mark.parametrize("assumption", ASSUMPTIONS, ids=lambda a: a.path)
def test_each_assumption_is_a_scenario_parameter_and_the_baseline_is_inside_its_range(assumption, baseline):
    value = _at(baseline, assumption.path)
    assert assumption.low <= value <= assumption.high
    assert assumption.low < assumption.high
    assert assumption.mechanism in MECHANISMS


def test_cs_ops_assumptions_weigh_only_on_designs_that_staff_cs_ops():
    paths = {n: {a.path for a in rests_on(d, frozenset(d.roles_used) | ({"cs_ops"} if d.cohorts else set()))}
             for n, d in BUILT_IN.items()}
    assert "cs_ops.efficiency_gain" in paths["refined"] and "cs_ops.efficiency_gain" in paths["integrated"]
    assert "cs_ops.efficiency_gain" not in paths["full_stack"] | paths["active_passive"]
    assert "internal_handoff_hours" in paths["integrated"]
    assert "internal_handoff_hours" not in paths["refined"]
    assert "roles.csm.time_factor.ticket" in paths["full_stack"]


def test_every_assumption_is_graded_assumption_in_docs_calibration():
    page = (REPO / "docs" / "calibration.md").read_text()
    rows = [line for line in page.splitlines() if line.startswith("|")]
    for assumption in ASSUMPTIONS:
        leaf = assumption.path.split(".")[-2 if assumption.path.endswith(".mean") else -1]
        graded = [r for r in rows if leaf in r and "assumption" in r]
        assert graded, f"{assumption.path}: no row grading it 'assumption' in docs/calibration.md"
