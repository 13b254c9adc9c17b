"""Staffing policies: a fixed count, or a ratio to a driver reviewed monthly, with hiring lag.

A policy asks for ceil(driver ÷ ratio) people, at least `min`. Drivers that count a flow
(tickets, new accounts, escalations per month) are read over the trailing month; at time 0
they are the expected volumes of the initial book. Nobody is laid off.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import make_dataclass

from simulate.domain.drivers import DRIVER, DRIVER_ROWS
from simulate.scenario.schema import Policy, RatioPolicy

# The quantities ratio policies are driven by, at one review: one field per driver's measure.
Drivers = make_dataclass("Drivers", [(d.measure, float) for d in DRIVER_ROWS], frozen=True)


def headcount(policy: Policy, drivers: Drivers) -> int:  # type: ignore[valid-type]
    """How many people a policy asks for, given the drivers."""
    if not isinstance(policy, RatioPolicy):
        return int(policy)
    wanted = getattr(drivers, DRIVER[policy.driver].measure) / policy.ratio
    return max(policy.min, math.ceil(wanted - 1e-9))


class Forecast:
    """The drivers a staffing review expects `months` ahead: their level now (stocks as they
    stand; flows over the trailing three months) plus their growth over the last three months,
    carried forward; never below the level now. Hiring against it hires ahead of the ratio by
    the hiring lag (seed 000: hire before you reach $2M ARR per CSM)."""

    WINDOW = 3  # months

    def __init__(self) -> None:
        self.history: list[Drivers] = []  # type: ignore[valid-type]

    def observe(self, drivers: Drivers) -> None:  # type: ignore[valid-type]
        self.history.append(drivers)

    def ahead(self, months: float) -> Drivers:  # type: ignore[valid-type]
        values = {}
        w = self.WINDOW
        for d in DRIVER_ROWS:
            series = [getattr(h, d.measure) for h in self.history]
            if d.flow:
                level = sum(series[-w:]) / len(series[-w:])
                before = series[-2 * w:-w]
                growth = (level - sum(before) / len(before)) / w if len(before) == w else 0.0
            else:
                level = series[-1]
                growth = (level - series[-1 - w]) / w if len(series) > w else 0.0
            values[d.measure] = level + max(growth, 0.0) * months
        return Drivers(**values)


class Plan:
    """One design's staffing: reviews policies, counts heads and hires with a lag. With
    `leavers_over_lag` (per role: the share of people expected to leave within one hiring lag),
    a review also hires for the departures expected before its hires arrive, as whole people:
    a team expecting 0.4 departures is not given a whole extra person (it would staff a fixed
    count n at n + 1 for good); one expecting 2.8 hires 2 ahead."""

    def __init__(self, policies: Mapping[str, Policy], hire: Callable[[str], None],
                 schedule: Callable[[float, Callable[[str], None], str], None], lag_hours: float,
                 leavers_over_lag: Mapping[str, float] | None = None):
        self.policies = dict(policies)
        self._hire = hire
        self._schedule = schedule
        self.lag = lag_hours
        self.leavers = {r: (leavers_over_lag or {}).get(r, 0.0) for r in self.policies}
        self.pending = dict.fromkeys(self.policies, 0)
        self.staffed = dict.fromkeys(self.policies, 0)

    def open(self, drivers: Drivers) -> None:
        """Staff every role at time 0 at what its policy asks for."""
        for role, policy in self.policies.items():
            for _ in range(headcount(policy, drivers)):
                self._join(role)

    def review(self, drivers: Drivers) -> None:
        """Ask for hires where a policy wants more than staffed plus already hired."""
        for role, policy in self.policies.items():
            leaving = math.floor(self.staffed[role] * self.leavers[role] + 1e-9)  # whole people
            wanted = headcount(policy, drivers) + leaving
            gap = wanted - self.staffed[role] - self.pending[role]
            for _ in range(max(gap, 0)):
                self.pending[role] += 1
                self._schedule(self.lag, self._arrive, role)

    def left(self, role: str) -> None:
        """Someone of `role` left: the next review hires again if the policy still asks."""
        self.staffed[role] -= 1

    def _arrive(self, role: str) -> None:
        self.pending[role] -= 1
        self._join(role)

    def _join(self, role: str) -> None:
        self.staffed[role] += 1
        self._hire(role)
