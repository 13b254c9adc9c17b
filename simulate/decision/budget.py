"""The `equal_budget` basis: each design's staffing scaled, role mix kept, to one CS cost-to-ARR.

A design's staffing is scaled by one factor f: fixed counts become round(n × f), ratio policies
"one per X" become "one per X ÷ f" (their `min` scaled too, but at least one where it was).
f is chosen so that the headcount the plan asks for at time zero — the initial book's ARR,
accounts and expected monthly volumes, as the model staffs at time zero
(simulate.model.staffing) — costs the budget's share of the
initial ARR: `budget.cs_cost_to_arr` when the scenario sets it, else the mean of the designs'
own shares at their given staffing (so that they meet in the middle). Ratio plans then grow
with the book, so the shares stay close over the horizon; the run measures them (cost_to_arr).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulate.designs import resolve
from simulate.model.params import Params
from simulate.model.staffing import Drivers, headcount
from simulate.scenario.schema import RatioPolicy, Scenario

FACTORS = np.geomspace(0.05, 20.0, 1200)  # the scale factors tried, about 0.5% apart


@dataclass(frozen=True)
class Scaled:
    """A design's scale factor, the share it reaches at time zero, and the share aimed at."""

    design: str
    factor: float
    share: float
    target: float

    @property
    def at_limit(self) -> bool:
        """The share could not come closer: the plan's least (or most) staffing was reached."""
        return self.factor in (float(FACTORS[0]), float(FACTORS[-1]))


def initial_drivers(scenario: Scenario, design: str) -> Drivers:  # type: ignore[valid-type]
    """What ratio policies are driven by at time zero: the initial book and its expected flows."""
    params = Params.of(scenario, resolve(scenario, design))
    arr = sum(s.initial_accounts * s.acv.expected for s in scenario.segments.values())
    accounts = sum(s.initial_accounts for s in scenario.segments.values())
    return Drivers(arr=arr, accounts=accounts, **params.expected_volumes())


def scaled_plan(plan: dict, factor: float) -> dict:
    """A staffing plan (role → count or ratio policy) with its headcount scaled by `factor`."""
    out = {}
    for role, policy in plan.items():
        if isinstance(policy, RatioPolicy):
            floor = 1 if policy.min >= 1 else 0  # a role the design has keeps a person
            out[role] = policy.model_copy(update={policy.driver: policy.ratio / factor,
                                                  "min": max(floor, round(policy.min * factor))})
        else:
            out[role] = max(0, round(int(policy) * factor))
    return out


def plan_cost(scenario: Scenario, plan: dict, drivers: Drivers) -> float:  # type: ignore[valid-type]
    """USD a year of the people `plan` asks for at `drivers`."""
    return sum(headcount(policy, drivers) * scenario.roles[role].annual_cost for role, policy in plan.items())


def equal_budget(scenario: Scenario, designs: Sequence[str]) -> tuple[Scenario, list[Scaled]]:
    """The scenario with every design's staffing scaled to the same CS cost-to-ARR at time zero."""
    plans = scenario.staffing.plans
    drivers = {d: initial_drivers(scenario, d) for d in designs}
    arr = drivers[designs[0]].arr
    if arr <= 0:
        raise ValueError("equal_budget needs an initial book with ARR above zero")
    given = {d: plan_cost(scenario, plans[d], drivers[d]) / arr for d in designs}
    target = scenario.budget.cs_cost_to_arr or float(np.mean(list(given.values())))
    chosen, found = {}, []
    for d in designs:
        shares = np.array([plan_cost(scenario, scaled_plan(plans[d], f), drivers[d]) / arr for f in FACTORS])
        best = int(np.argmin(np.abs(shares - target)))
        chosen[d] = scaled_plan(plans[d], float(FACTORS[best]))
        found.append(Scaled(d, float(FACTORS[best]), float(shares[best]), target))
    data = scenario.model_dump(mode="json", exclude_none=True)
    for d, plan in chosen.items():
        data["staffing"][d] = {r: p.model_dump(exclude_none=True) if isinstance(p, RatioPolicy) else p
                               for r, p in plan.items()}
    return Scenario.model_validate(data), found
