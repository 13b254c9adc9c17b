"""Attrition (issue 10, defect 5): people leave at roles.<r>.attrition_per_year; the plan
replaces them only if the policy still asks, so a ratio can go down as well as up."""

from __future__ import annotations

import copy
import itertools

import pytest

from simulate.consistency import parse
from simulate.designs import resolve
from simulate.invariants import violations
from simulate.model import simulate
from simulate.model.world import World

from conftest import TINY


def _shrinking(attrition: float) -> dict:
    """A closed book that loses accounts fast, staffed one CSM per 10 accounts."""
    doc = copy.deepcopy(TINY)
    doc["compare"] = ["full_stack"]
    doc["horizon_months"], doc["warmup_months"] = 24, 1
    for segment in doc["segments"].values():
        segment.update(new_per_month=0, renewal_risk=4.0)
    doc["referrals"] = {"per_green_account_year": 0}
    doc["staffing"]["hiring_lag_days"] = 10
    doc["staffing"]["full_stack"] = {"csm": {"per_accounts": 10, "min": 1}}
    doc["roles"]["csm"]["attrition_per_year"] = attrition
    return doc


def _csms(doc: dict, seed: int = 2) -> list[float]:
    scenario = parse(doc)
    record = simulate(scenario, resolve(scenario, "full_stack"), seed)
    assert violations(record, scenario) == []
    return [m["headcount_csm"] for m in record.monthly]


def test_without_attrition_nobody_leaves_and_headcount_only_ratchets_up():
    heads = _csms(_shrinking(0.0))
    assert all(b >= a for a, b in itertools.pairwise(heads))


def test_with_attrition_a_shrinking_book_needs_and_keeps_fewer_csms():
    kept, shrunk = _csms(_shrinking(0.0)), _csms(_shrinking(0.6))
    assert shrunk[-1] < kept[-1]
    assert shrunk[-1] < max(shrunk)


def test_leavers_are_replaced_when_the_policy_still_asks():
    doc = copy.deepcopy(TINY)
    doc["compare"] = ["active_passive"]
    doc["horizon_months"] = 18
    doc["roles"]["support_agent"]["attrition_per_year"] = 2.0
    scenario = parse(doc)
    world = World(scenario, resolve(scenario, "active_passive"), 4).build()
    record = world.finish()
    agents = [p for p in record.staff if p.role == "support_agent"]
    assert sum(1 for p in agents if p.left < record.horizon) >= 3
    assert all(m["headcount_support_agent"] >= 1 for m in record.monthly[1:])
    assert violations(record, scenario) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_leaving_csm_hands_every_account_and_its_waiting_work_to_the_others(seed):
    doc = copy.deepcopy(TINY)
    doc["compare"] = ["full_stack"]
    doc["horizon_months"] = 12
    doc["roles"]["csm"]["attrition_per_year"] = 1.5
    scenario = parse(doc)
    world = World(scenario, resolve(scenario, "full_stack"), seed).build()
    world.env.run(until=world.params.horizon)
    gone = [p for p in world.team.everyone if p.left < world.params.horizon]
    assert gone
    for person in gone:
        assert not person.book.accounts and not person.own.heap
    present = set(world.team.people["csm"])
    assert all(a.csm in present for a in world.accounts if a.live)


def test_a_review_also_hires_for_the_departures_expected_within_the_hiring_lag():
    from simulate.model.staffing import Drivers, Plan

    hires: list[str] = []
    scheduled: list[str] = []
    plan = Plan({"support_agent": 4}, hires.append, lambda d, f, role: scheduled.append(role), 100.0,
                {"support_agent": 0.3})
    plan.open(Drivers(arr=0, accounts=0, tickets_per_month=0, new_accounts_per_month=0,
                      escalations_per_month=0))
    assert hires == ["support_agent"] * 4
    plan.review(Drivers(arr=0, accounts=0, tickets_per_month=0, new_accounts_per_month=0,
                        escalations_per_month=0))
    assert scheduled == ["support_agent"]  # 4 + floor(4 × 0.3 expected leavers) − 4 staffed
