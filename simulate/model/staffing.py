"""Staffing policies: a fixed count, or a ratio to a driver reviewed monthly, with hiring lag.

A policy asks for ceil(driver ÷ ratio) people, at least `min`. Drivers that count a flow
(tickets, new accounts, escalations per month) are read over the trailing month; at time 0
they are the expected volumes of the initial book. Nobody is laid off.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from simulate.scenario.schema import Policy, RatioPolicy


@dataclass(frozen=True)
class Drivers:
    """The quantities a ratio policy can be driven by, at one review."""

    arr: float
    accounts: float
    tickets_per_month: float
    new_accounts_per_month: float
    escalations_per_month: float


DRIVER_OF: dict[str, Callable[[Drivers], float]] = {
    "per_arr": lambda d: d.arr,
    "per_accounts": lambda d: d.accounts,
    "per_tickets_per_month": lambda d: d.tickets_per_month,
    "per_new_accounts_per_month": lambda d: d.new_accounts_per_month,
    "per_escalations_per_month": lambda d: d.escalations_per_month,
}


def headcount(policy: Policy, drivers: Drivers) -> int:
    """How many people a policy asks for, given the drivers."""
    if not isinstance(policy, RatioPolicy):
        return int(policy)
    wanted = DRIVER_OF[policy.driver](drivers) / policy.ratio
    return max(policy.min, math.ceil(wanted - 1e-9))


class Plan:
    """One design's staffing: reviews policies, counts heads and hires with a lag."""

    def __init__(self, policies: Mapping[str, Policy], hire: Callable[[str], None],
                 schedule: Callable[[float, Callable[[str], None], str], None], lag_hours: float):
        self.policies = dict(policies)
        self._hire = hire
        self._schedule = schedule
        self.lag = lag_hours
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
            gap = headcount(policy, drivers) - self.staffed[role] - self.pending[role]
            for _ in range(max(gap, 0)):
                self.pending[role] += 1
                self._schedule(self.lag, self._arrive, role)

    def _arrive(self, role: str) -> None:
        self.pending[role] -= 1
        self._join(role)

    def _join(self, role: str) -> None:
        self.staffed[role] += 1
        self._hire(role)
