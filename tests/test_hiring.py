"""New hires (issue 10, defect 5): books rebalanced on hire at a relationship cost, a ramp to
full productivity, and hiring ahead of the ratio by the forecast over the hiring lag."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from simulate.consistency import parse
from simulate.designs import resolve
from simulate.model.staff import RAMP
from simulate.model.staffing import Drivers, Forecast
from simulate.model.world import World

from conftest import TINY


def _growing(**staffing: object) -> dict:
    """Full-stack CSMs on a book that doubles over the horizon."""
    doc = copy.deepcopy(TINY)
    doc["compare"] = ["full_stack"]
    doc["horizon_months"], doc["warmup_months"] = 18, 2
    doc["segments"]["smb"].update(initial_accounts=60, new_per_month=12)
    doc["segments"]["mid"].update(initial_accounts=10, new_per_month=2)
    doc["staffing"].update(hiring_lag_days=20, **staffing)
    doc["staffing"]["full_stack"] = {"csm": {"per_accounts": 15, "min": 1}}
    return doc


def _run(doc: dict, seed: int = 3) -> tuple[World, list]:
    scenario = parse(doc)
    world = World(scenario, resolve(scenario, "full_stack"), seed).build()
    arrivals = []
    new_account = world.new_account

    def watched(segment, origin):
        account = new_account(segment, origin)
        arrivals.append((account, world.env.now - account.csm.hired))
        return account

    world.new_account = watched  # type: ignore[method-assign]
    world.env.run(until=world.params.horizon)
    return world, arrivals


def test_new_accounts_no_longer_pile_onto_the_newest_csm():
    world, arrivals = _run(_growing())
    day = world.params.hours_per_day
    fresh = [a for a, age in arrivals if age < 20 * day]
    csms = world.team.people["csm"]
    hired_later = sum(1 for p in csms if p.hired > 0)
    assert hired_later >= 3
    # a new CSM gets a fair share of arrivals, not every arrival until their book catches up
    assert len(fresh) / len(arrivals) < 0.2


def test_a_new_csm_takes_an_average_book_from_the_heaviest_ones():
    world, _ = _run(_growing())
    weights = np.array([p.book.weight for p in world.team.people["csm"]])
    assert weights.max() / weights.mean() < 1.5


def test_accounts_moved_to_a_new_csm_lose_the_handoff_points():
    doc = _growing()
    doc["health"]["handoff_points"] = 0
    calm, _ = _run(doc)
    doc["health"]["handoff_points"] = 30
    rough, _ = _run(doc)
    def health(world: World) -> float:
        return float(np.mean([a.health() for a in world.accounts if a.live and a.live_at is not None]))

    assert health(rough) < health(calm)


def test_a_new_hire_ramps_up_in_thirds():
    world, _ = _run(_growing())
    person = next(p for p in world.team.people["csm"] if p.hired > 0)
    assert RAMP == (0.7, 0.85, 1.0)
    ramp = person.ramp
    assert ramp == pytest.approx(90 * world.params.hours_per_day)
    for into, expected in ((1.0, 0.7), (ramp / 2, 0.85), (ramp * 0.9, 1.0), (ramp + 1, 1.0)):
        assert person.productivity(person.hired + into) == expected


def test_the_forecast_carries_three_months_of_growth_forward_and_never_shrinks():
    forecast = Forecast()
    for month in range(6):
        forecast.observe(Drivers(arr=1e6 + 1e5 * month, accounts=100.0, tickets_per_month=50.0 + month,
                                 new_accounts_per_month=10.0, escalations_per_month=0.0))
    ahead = forecast.ahead(2.0)
    assert ahead.arr == pytest.approx(1.5e6 + 2 * 1e5)
    assert ahead.tickets_per_month == pytest.approx(54.0 + 2 * 3.0 / 3)  # flows: 3-month mean + growth
    assert ahead.accounts == 100.0
    shrinking = Forecast()
    for month in range(6):
        shrinking.observe(Drivers(arr=1e6 - 1e5 * month, accounts=1.0, tickets_per_month=1.0,
                                  new_accounts_per_month=1.0, escalations_per_month=1.0))
    assert shrinking.ahead(2.0).arr == pytest.approx(5e5)


def test_hiring_ahead_keeps_each_csm_nearer_the_ratio_on_a_growing_book():
    def accounts_per_csm(ahead: bool) -> float:
        world, _ = _run(_growing(hire_ahead=ahead))
        return float(np.mean([m["accounts"] / m["headcount_csm"] for m in world.record.monthly]))

    assert accounts_per_csm(True) < accounts_per_csm(False)
