"""The basis designs are compared on (issue 11): given, equal_budget, equal_service; and the
batches of `replications: auto`, which must be the same run as one of the final count."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from simulate import consistency
from simulate.basis import default_basis, on_basis
from simulate.decision.budget import equal_budget, initial_drivers, plan_cost
from simulate.decision.calls import Comparison, Interval
from simulate.decision.sequential import batch_sizes, counts, until_decided
from simulate.decision.verdict import Verdict
from simulate.designs import compared
from simulate.runner import run
from simulate.scenario.schema import RatioPolicy

from conftest import TINY


def scenario(**changes: object):
    return consistency.parse({**TINY, **changes})


def test_the_default_basis_is_equal_service_with_targets_else_given():
    assert default_basis(scenario()) == "given"
    assert default_basis(scenario(targets={"sla_met": ">= 0.8"})) == "equal_service"
    assert default_basis(scenario(targets={"sla_met": ">= 0.8"}, basis="given")) == "given"
    assert default_basis(scenario(basis="equal_budget")) == "equal_budget"


def test_equal_budget_brings_every_design_within_one_person_of_the_same_share_of_arr():
    sc = scenario(budget={"cs_cost_to_arr": 0.7})
    designs = list(sc.compare)
    staffed, scaled = equal_budget(sc, designs)
    arr = initial_drivers(sc, designs[0]).arr
    dearest = max(r.annual_cost for r in sc.roles.values())
    for s in scaled:
        assert s.target == 0.7
        cost = plan_cost(staffed, staffed.staffing.plans[s.design], initial_drivers(staffed, s.design))
        assert cost / arr == pytest.approx(s.share)
        assert abs(cost / arr - 0.7) <= dearest / arr, s


def test_equal_budget_keeps_each_designs_role_mix():
    """Every ratio policy of a design is divided by the same factor; fixed counts scale by it."""
    sc = scenario(budget={"cs_cost_to_arr": 0.2})
    staffed, scaled = equal_budget(sc, list(sc.compare))
    for s in scaled:
        before, after = sc.staffing.plans[s.design], staffed.staffing.plans[s.design]
        for role, policy in before.items():
            if isinstance(policy, RatioPolicy):
                assert after[role].ratio == pytest.approx(policy.ratio / s.factor)
                assert after[role].min == max(1 if policy.min else 0, round(policy.min * s.factor))
            else:
                assert after[role] == max(0, round(policy * s.factor))


def test_a_budget_below_the_least_staffing_a_design_can_have_is_said_in_the_note():
    note = on_basis(scenario(budget={"cs_cost_to_arr": 0.05}), "equal_budget").basis.note
    assert "cannot get down to" in note


def test_without_a_budget_the_designs_meet_at_the_mean_of_their_own_shares():
    sc = scenario()
    designs = list(sc.compare)
    arr = initial_drivers(sc, designs[0]).arr
    own = [plan_cost(sc, sc.staffing.plans[d], initial_drivers(sc, d)) / arr for d in designs]
    _, scaled = equal_budget(sc, designs)
    assert [s.target for s in scaled] == pytest.approx([float(np.mean(own))] * len(designs))


def test_on_the_given_basis_the_staffing_is_the_scenarios_and_the_note_says_it_was_chosen():
    sc = scenario()
    based = on_basis(sc, "given")
    assert based.scenario == sc
    assert "chose" in based.basis.note


def test_equal_service_without_targets_is_refused_in_words():
    with pytest.raises(ValueError, match="needs targets"):
        on_basis(scenario(), "equal_service")


def test_a_run_grown_in_batches_is_the_run_of_its_final_count():
    """Common random numbers across batches: replications 0–2 then 3–5 equal replications 0–5."""
    sc = scenario(horizon_months=8, warmup_months=2)
    designs = compared(sc)[:2]
    whole = run(sc, designs, replications=6, seed=sc.seed)
    parts = run(sc, designs, replications=3, seed=sc.seed) + run(sc, designs, replications=6,
                                                                  seed=sc.seed, start=3)
    parts.sort(key=lambda o: ([d.name for d in designs].index(o.design), o.replication))

    def ids(outcomes: list) -> list:
        return [(o.design, o.replication, o.seed) for o in outcomes]

    assert ids(parts) == ids(whole)
    assert [o.kpis for o in parts] == [o.kpis for o in whole]


def test_auto_looks_at_a_growing_count_and_ends_at_the_cap():
    steps = counts(40)
    assert steps[0] == 5 and steps[-1] == 40
    assert all(b > a for a, b in itertools.pairwise(steps))
    assert len(steps) <= 8  # few looks: each is a test
    assert sum(batch_sizes(steps)) == 40
    assert counts(3) == [3]


def _verdict(undecided: int) -> Verdict:
    row = Comparison("nrr", "a", "b", Interval(0, -1, 1), Interval(0, -1, 1), 0.005,
                     "undecided" if undecided else "equivalent", 0.95)
    return Verdict([row], None, "", 0.95)


def test_auto_stops_when_decided_and_says_when_the_cap_stopped_it():
    ran: list[tuple[int, int]] = []

    def batch(start: int, stop: int) -> list:
        ran.append((start, stop))
        return list(range(start, stop))

    decided_at_12 = until_decided(batch, lambda o: _verdict(len(o) < 12), cap=100)
    assert decided_at_12.replications == 12 and not decided_at_12.stopped_at_cap
    assert ran == [(0, 5), (5, 8), (8, 12)]  # every replication once, in order
    never = until_decided(batch, lambda o: _verdict(True), cap=20)
    assert never.replications == 20 and never.stopped_at_cap
    assert math.isclose(len(never.outcomes), 20)
