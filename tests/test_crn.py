"""Common random numbers (DESIGN.md §1): within one replication seed every design sees the same
exogenous randomness — arrivals, the initial book, each account's tickets."""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any

import pytest

from simulate.consistency import parse
from simulate.designs import compared
from simulate.model.record import Record
from simulate.model.streams import ORIGIN_INITIAL, ORIGIN_NEW
from simulate.model.world import World, simulate

from conftest import DESIGNS, TINY

SEED = 20240611


@pytest.fixture(scope="module")
def scenario():
    return parse(copy.deepcopy(TINY), "tiny.yaml")


@pytest.fixture(scope="module")
def records(scenario) -> dict[str, Record]:
    """One replication of every built-in design, all with the same seed."""
    return {d.name: simulate(scenario, d, SEED) for d in compared(scenario)}


def new_arrivals(record: Record) -> list[tuple[float, int, float]]:
    return [(a.at, a.segment, a.acv) for a in record.arrivals if a.origin == ORIGIN_NEW]


def ticket_draws(record: Record) -> dict[tuple[Any, int], tuple[Any, float, bool]]:
    """An account's n-th ticket (by creation) → its type, handle-time draw and escalation flag."""
    seen: dict[Any, int] = defaultdict(int)
    draws = {}
    for ticket in sorted(record.tickets, key=lambda t: t.created):
        key = ticket.account_key
        draws[(key, seen[key])] = (ticket.type, ticket.handle, bool(ticket.escalates))
        seen[key] += 1
    return draws


def test_every_design_is_compared(records):
    assert tuple(records) == DESIGNS


def test_every_design_sees_the_same_new_account_arrivals(records):
    reference = new_arrivals(records[DESIGNS[0]])
    assert len(reference) >= 10
    for design in DESIGNS[1:]:
        assert new_arrivals(records[design]) == reference, design


def test_new_arrivals_come_from_every_segment(records):
    assert {seg for _, seg, _ in new_arrivals(records[DESIGNS[0]])} == {0, 1}


def test_every_design_starts_from_the_same_initial_book(scenario):
    def book(design) -> dict[tuple[int, ...], tuple[float, float]]:
        world = World(scenario, design, SEED).build()
        return {tuple(a.key): (a.acv, a.score) for a in world.accounts if a.key[1] == ORIGIN_INITIAL}

    designs = compared(scenario)
    reference = book(designs[0])
    assert len(reference) == sum(s["initial_accounts"] for s in TINY["segments"].values())
    for design in designs[1:]:
        assert book(design) == reference, design.name


def test_an_accounts_nth_ticket_is_the_same_in_every_design(records):
    reference = ticket_draws(records[DESIGNS[0]])
    for design in DESIGNS[1:]:
        other = ticket_draws(records[design])
        common = reference.keys() & other.keys()
        # Ticket rates follow health, so counts differ a little; most tickets are shared.
        assert len(common) >= 0.8 * min(len(reference), len(other)), design
        mismatched = [k for k in common if other[k] != reference[k]]
        assert not mismatched, (design, mismatched[:5])


def test_tickets_include_escalating_technical_ones(records):
    record = records[DESIGNS[0]]
    assert any(t.escalates for t in record.tickets)
    assert len({t.type for t in record.tickets}) == len(TINY["tickets"]["types"])


def test_a_different_seed_gives_different_arrivals(scenario):
    design = compared(scenario)[0]
    first = new_arrivals(simulate(scenario, design, SEED))
    second = new_arrivals(simulate(scenario, design, SEED + 1))
    assert first != second
    assert {acv for _, _, acv in first}.isdisjoint({acv for _, _, acv in second})


def test_a_different_seed_gives_a_different_initial_book(scenario):
    design = compared(scenario)[0]
    one = [a.acv for a in World(scenario, design, SEED).build().accounts]
    two = [a.acv for a in World(scenario, design, SEED + 1).build().accounts]
    assert one != two
