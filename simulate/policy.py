"""Staffing policies as the optimizer moves them (issue 12): per role, one ratio to the driver its
work grows with (ARR per CSM, tickets a month per agent, …), on a ladder of 10% steps, so the
headcount a policy asks for scales with the book and keeps up with it through the hiring lag.

Step 0 is the ratio the analytic workload implies at mid-horizon (simulate.workload); a step up
is one step less generous (10% more of the driver per person, fewer people), a step down one more
generous. Ratios are rounded to three significant figures, so the policy written to
staffing.yaml is exactly the one simulated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulate.domain.designs import Design
from simulate.domain.drivers import DRIVER
from simulate.domain.roles import ROLE
from simulate.scenario.schema import RatioPolicy, Scenario
from simulate.workload import estimate, mid_drivers

STEP = 1.1  # one ladder step: 10% more (or less) of the driver per person
Steps = tuple[int, ...]  # one ladder step per searched role, in the search's role order


def rounded(x: float) -> float:
    """`x` to three significant figures (integers stay integers)."""
    if x <= 0 or not math.isfinite(x):
        return x
    digits = 2 - math.floor(math.log10(x))
    value = round(x, digits)
    return float(int(value)) if value >= 100 else value


@dataclass(frozen=True)
class Axis:
    """One searched role: its driver, the ratio at step 0 and the fewest people it may have."""

    role: str
    driver: str  # a DRIVER key, e.g. "per_arr"
    anchor: float
    floor: int

    def ratio(self, step: int) -> float:
        return rounded(self.anchor * STEP ** step)

    def policy(self, step: int) -> dict[str, float | int]:
        return {self.driver: self.ratio(step), "min": self.floor}

    def reads(self, step: int) -> str:
        """The policy in words: "1 per $2.1M ARR (at least 1)"."""
        ratio = self.ratio(step)
        amount = (f"{ratio / 1e6:g}M" if ratio >= 1e6 else f"{ratio:,.0f}" if ratio >= 100
                  else f"{ratio:g}")
        floor = f" (at least {self.floor})" if self.floor > 1 else ""
        return DRIVER[self.driver].describe(amount) + floor


def driver_of(scenario: Scenario, design: Design, role: str) -> str:
    """The driver a role's policy counts: the one the scenario's plan gives it, else the one the
    role's work grows with (simulate.domain.roles)."""
    given = scenario.staffing.plans.get(design.name, {}).get(role)
    return given.driver if isinstance(given, RatioPolicy) else ROLE[role].driver


def axes(scenario: Scenario, design: Design, roles: tuple[str, ...], sla: float | None,
         floors: Mapping[str, int]) -> tuple[Axis, ...]:
    """The search's axes: each role's ratio anchored where the analytic headcount at mid-horizon
    (workload ÷ productive hours; Erlang C for a pooled queue) puts it."""
    counts = estimate(scenario, design, roles, sla)
    drivers = mid_drivers(scenario)
    found = []
    for role in roles:
        key = driver_of(scenario, design, role)
        level = drivers[DRIVER[key].measure]
        people = max(counts.get(role, 1), floors[role], 1)
        anchor = rounded(level / people) if level > 0 else 1.0
        found.append(Axis(role, key, anchor, floors[role]))
    return tuple(found)


def staffing_of(axes_: tuple[Axis, ...], steps: Steps) -> dict[str, dict[str, Any]]:
    """The policies at `steps`, as the scenario's `staffing:` takes them for one design."""
    return {a.role: a.policy(s) for a, s in zip(axes_, steps, strict=True)}


def describe(axes_: tuple[Axis, ...], steps: Steps) -> str:
    """The policies in a line: "csm 1 per $2.1M ARR, support_agent 1 per 180 tickets/month"."""
    return ", ".join(f"{a.role} {a.reads(s)}" for a, s in zip(axes_, steps, strict=True))
