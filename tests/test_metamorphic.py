"""Metamorphic checks: change one input in a known direction (same seeds), and the output
moves the way it must — or stays put."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from simulate.consistency import parse
from simulate.designs import resolve
from simulate.kpis import measure
from simulate.model import simulate
from simulate.runner import replication_seeds

from conftest import TINY

SEEDS = replication_seeds(2024, 4)


def base() -> dict[str, Any]:
    """The tiny scenario, busier and with fixed staffing so only the knob under test moves."""
    doc = copy.deepcopy(TINY)
    doc["horizon_months"] = 8
    for segment in doc["segments"].values():
        segment["initial_accounts"] *= 2
    doc["staffing"]["active_passive"] = {"csm": 3, "support_agent": 2}
    doc["staffing"]["full_stack"] = {"csm": 4}
    for role in doc["roles"].values():
        role["attrition_per_year"] = 0  # nobody leaves: only the knob under test moves
    return doc


def mean_kpi(doc: dict[str, Any], design: str, kpi: str, segment: str = "all") -> float:
    scenario = parse(copy.deepcopy(doc), "meta")
    chosen = resolve(scenario, design)
    return float(np.mean([measure(simulate(scenario, chosen, s), scenario)[(segment, kpi)]
                          for s in SEEDS]))


def test_more_support_agents_never_slow_first_response():
    doc = base()
    means = []
    for agents in (1, 2, 3, 5):
        doc["staffing"]["active_passive"]["support_agent"] = agents
        means.append(mean_kpi(doc, "active_passive", "frt_mean_h"))
    assert means == sorted(means, reverse=True), means


def test_more_tickets_never_speed_up_first_response():
    doc = base()
    means = []
    for rate in (0.5, 1.0, 2.0):
        doc["segments"]["smb"]["tickets_per_month"] = rate
        means.append(mean_kpi(doc, "active_passive", "frt_mean_h"))
    assert means == sorted(means), means


def test_certain_renewals_and_no_opt_outs_mean_zero_churn():
    doc = base()
    doc["renewal"] = {**doc.get("renewal", {}),
                      "probability": dict.fromkeys(("green", "yellow_green", "yellow", "red"), 1.0),
                      "contraction_probability": dict.fromkeys(("green", "yellow_green", "yellow", "red"),
                                                               0.0),
                      "unworked_factor": 1.0}
    doc["opt_out"] = {"share": 0.0, "per_month_red": 0.0}
    for design in ("full_stack", "active_passive", "refined", "integrated"):
        assert mean_kpi(doc, design, "logo_churn") == 0.0, design
        assert mean_kpi(doc, design, "grr") == 1.0, design


def test_a_slower_handoff_to_engineering_never_shortens_escalations():
    doc = base()
    p90 = []
    for days in (0.5, 2.0, 5.0):
        doc["engineering"] = {"handoff_days": {"dist": "lognormal", "mean": days, "cv": 1.0},
                              "hours": 3, "hourly_cost": 90}
        p90.append(mean_kpi(doc, "active_passive", "escalation_p90_h"))
    assert p90 == sorted(p90), p90


@pytest.mark.parametrize("design", ["full_stack", "active_passive"])
def test_fewer_csms_never_raise_touches_on_time(design: str):
    doc = base()
    doc["segments"]["smb"]["touch_hours"] = 2.0  # touches that make a CSM's day
    doc["staffing"][design]["csm"] = {"per_accounts": 10, "min": 1}
    shares = []
    for ratio in (10, 40, 160):  # accounts per CSM: a higher ratio means fewer CSMs
        doc["staffing"][design]["csm"]["per_accounts"] = ratio
        shares.append(mean_kpi(doc, design, "touches_on_time"))
    assert shares == sorted(shares, reverse=True), shares
    assert shares[0] > shares[-1]
