"""Routing per design, observed in the record: who answers tickets, who onboards, who works
escalations (DESIGN.md §5). The model never asks which design it is in; these tests only look
at what people did."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from simulate.consistency import parse
from simulate.designs import compared, resolve
from simulate.model.record import Record
from simulate.model.world import simulate

from conftest import DESIGNS, TINY

SEED = 99


def tiny_with_custom_designs() -> dict[str, Any]:
    doc = copy.deepcopy(TINY)
    doc["designs"] = {
        "buddy_stack": {"base": "full_stack", "buddy": True},
        "split_with_tech": {"base": "active_passive", "escalation": "tech_support"},
    }
    staffing = doc["staffing"]
    staffing["buddy_stack"] = copy.deepcopy(staffing["full_stack"])
    staffing["split_with_tech"] = {**copy.deepcopy(staffing["active_passive"]), "tech_support": 1}
    doc["compare"] = [*DESIGNS, "buddy_stack", "split_with_tech"]
    return doc


@pytest.fixture(scope="module")
def scenario():
    return parse(tiny_with_custom_designs(), "tiny.yaml")


@pytest.fixture(scope="module")
def records(scenario) -> dict[str, Record]:
    return {d.name: simulate(scenario, d, SEED) for d in compared(scenario)}


def busy(record: Record, role: str, kind: str) -> float:
    return sum(p.busy[kind] for p in record.staff if p.role == role)


def staffed(record: Record, role: str) -> int:
    return sum(1 for p in record.staff if p.role == role)


def escalated(record: Record) -> list[Any]:
    return [t for t in record.tickets if t.escalated >= 0]


def assert_escalations_resolve(record: Record) -> None:
    """Every resolved escalation resolved after it was escalated; nearly all resolved."""
    tickets = escalated(record)
    assert tickets
    resolved = [t for t in tickets if t.resolved >= 0]
    assert all(t.resolved > t.escalated for t in resolved)
    assert len(resolved) >= 0.8 * len(tickets)


def test_custom_designs_resolve_from_their_base(scenario):
    buddy = resolve(scenario, "buddy_stack")
    assert (buddy.inbound, buddy.onboarding, buddy.escalation, buddy.buddy) == \
           ("owner_csm", "owner_csm", "engineering", True)
    assert resolve(scenario, "split_with_tech").escalation == "tech_support"


def test_full_stack_csms_answer_tickets_and_no_support_agents_exist(records):
    record = records["full_stack"]
    assert busy(record, "csm", "ticket") > 0
    assert staffed(record, "support_agent") == 0


def test_active_passive_support_agents_do_all_ticket_work_and_csms_none(records):
    record = records["active_passive"]
    assert busy(record, "support_agent", "ticket") > 0
    assert busy(record, "csm", "ticket") == 0


@pytest.mark.parametrize("design", ["active_passive", "refined", "integrated"])
def test_support_pool_answers_tickets_wherever_inbound_goes_to_support(records, design):
    record = records[design]
    assert busy(record, "support_agent", "ticket") > 0
    assert busy(record, "csm", "ticket") == 0


@pytest.mark.parametrize("design", ["full_stack", "active_passive"])
def test_owner_csm_onboards_where_there_is_no_implementation_pool(records, design):
    record = records[design]
    assert busy(record, "csm", "onboarding") > 0
    assert staffed(record, "implementation") == 0


@pytest.mark.parametrize("design", ["refined", "integrated"])
def test_implementation_pool_does_all_onboarding_in_refined_and_integrated(records, design):
    record = records[design]
    assert busy(record, "implementation", "onboarding") > 0
    assert busy(record, "csm", "onboarding") == 0


def test_integrated_escalations_are_worked_by_tech_support(records):
    record = records["integrated"]
    assert busy(record, "tech_support", "escalation") > 0
    assert record.engineering_hours == 0
    assert_escalations_resolve(record)


@pytest.mark.parametrize("design", ["full_stack", "active_passive", "refined"])
def test_escalations_go_to_engineering_without_tech_support(records, design):
    record = records[design]
    assert staffed(record, "tech_support") == 0
    assert record.engineering_hours > 0
    assert_escalations_resolve(record)


def test_only_tech_support_works_escalations(records):
    for design, record in records.items():
        for person in record.staff:
            if person.role != "tech_support":
                assert person.busy["escalation"] == 0, (design, person.role)


def test_custom_split_with_tech_sends_escalations_to_tech_support(records):
    record = records["split_with_tech"]
    assert busy(record, "tech_support", "escalation") > 0
    assert busy(record, "support_agent", "ticket") > 0
    assert record.engineering_hours == 0


@pytest.mark.parametrize("design", ["refined", "integrated"])
def test_early_warning_puts_interventions_on_csm_lists(records, design):
    assert busy(records[design], "csm", "intervention") > 0


@pytest.mark.parametrize("design", ["full_stack", "active_passive"])
def test_no_interventions_without_early_warning(records, design):
    assert busy(records[design], "csm", "intervention") == 0


def test_touches_and_renewals_are_always_the_owner_csms(records):
    for design, record in records.items():
        assert busy(record, "csm", "touch") > 0, design
        assert busy(record, "csm", "renewal") > 0, design
        for person in record.staff:
            if person.role != "csm":
                assert person.busy["touch"] == person.busy["renewal"] == 0, (design, person.role)


def test_buddy_design_runs_and_resolves_tickets(records):
    record = records["buddy_stack"]
    tickets = [t for t in record.tickets if t.created >= record.window_start]
    assert tickets
    assert staffed(record, "support_agent") == 0
    assert busy(record, "csm", "ticket") > 0
    assert sum(t.resolved >= 0 for t in tickets) >= 0.9 * len(tickets)
    assert all(t.first_response >= t.created for t in tickets if t.first_response >= 0)


def test_buddy_pairs_share_ticket_work(records):
    """With a CSM pair answering both books' tickets, every paired CSM answers tickets."""
    csms = [p for p in records["buddy_stack"].staff if p.role == "csm"]
    paired = csms[: len(csms) // 2 * 2]
    assert len(paired) >= 2
    assert all(p.busy["ticket"] > 0 for p in paired)
