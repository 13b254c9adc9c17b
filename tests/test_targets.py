"""`targets:` in a scenario: '>= x' / '<= x', or a bare number meaning at least (where higher is
better) or at most (where lower is better); their problems reported with every other (issue 13)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from test_scenario_load import SMALL

from simulate import consistency
from simulate.scenario import ScenarioError
from simulate.scenario.targets import Target


def small(targets: dict[str, Any], change: Any = None) -> dict[str, Any]:
    doc = copy.deepcopy(SMALL)
    doc["targets"] = targets
    if change:
        change(doc)
    return doc


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        consistency.parse(doc, "s.yaml")
    return [line.removeprefix("s.yaml: ") for line in err.value.problems]


def broken_segment(doc: dict[str, Any]) -> None:
    doc["segments"]["smb"]["tickets_per_month"] = -1


@pytest.mark.parametrize(("key", "spec", "expected"), [
    ("sla_met", 0.9, Target("sla_met", "all", ">=", 0.9)),
    ("grr.smb", 0.95, Target("grr", "smb", ">=", 0.95)),
    ("frt_p90_h", 4, Target("frt_p90_h", "all", "<=", 4.0)),
    ("logo_churn", 0.1, Target("logo_churn", "all", "<=", 0.1)),
    ("sla_met", ">= 0.8", Target("sla_met", "all", ">=", 0.8)),
    ("sla_met", "≤ 0.99", Target("sla_met", "all", "<=", 0.99)),
])
def test_a_target_reads_as_written_and_a_bare_number_points_the_better_way(key: str, spec: Any,
                                                                           expected: Target):
    scenario = consistency.parse(small({key: spec}), "s.yaml")
    assert consistency.targets(scenario) == [expected]


def test_a_bare_number_for_a_kpi_with_no_better_way_is_refused():
    assert problems(small({"wins": 3})) == [
        "targets.wins: wins is neither better higher nor lower: write '>= 3' or '<= 3'"]


def test_an_unknown_kpi_is_reported_beside_a_segments_error():
    assert problems(small({"frt_p90": "<= 4"}, broken_segment)) == [
        "segments.smb.tickets_per_month: must be ≥ 0 (got -1)",
        "targets.frt_p90: unknown KPI 'frt_p90' (did you mean 'frt_p90_h'?)",
    ]


def test_a_malformed_target_is_reported_beside_a_segments_error():
    assert problems(small({"sla_met": "about 0.9"}, broken_segment)) == [
        "segments.smb.tickets_per_month: must be ≥ 0 (got -1)",
        "targets.sla_met: expected '>= number', '<= number' or a number (got 'about 0.9')",
    ]


def test_a_targets_segment_is_not_judged_while_the_segments_are_in_error():
    assert problems(small({"sla_met.smb": ">= 0.9"}, broken_segment)) == [
        "segments.smb.tickets_per_month: must be ≥ 0 (got -1)"]


def test_an_unknown_segment_is_reported():
    assert problems(small({"sla_met.ent": ">= 0.9"})) == [
        "targets.sla_met.ent: unknown segment 'ent' (known: smb)"]
