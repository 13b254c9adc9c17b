"""Staffing drivers: what a ratio policy counts, one row each (`per_arr: 2000000` = one person
per $2M of ARR). Stocks are read at the review; flows over the trailing month."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Driver:
    """One driver: the policy key, the measure it reads, and how a ratio of it reads."""

    key: str
    measure: str
    flow: bool
    reads: str  # "1 per {} ..." with the ratio in the braces

    def describe(self, ratio: str) -> str:
        return self.reads.format(ratio)


DRIVER_ROWS: tuple[Driver, ...] = (
    Driver("per_arr", "arr", False, "1 per ${} ARR"),  # the ratio goes in the braces
    Driver("per_accounts", "accounts", False, "1 per {} accounts"),
    Driver("per_tickets_per_month", "tickets_per_month", True, "1 per {} tickets/month"),
    Driver("per_new_accounts_per_month", "new_accounts_per_month", True, "1 per {} new accounts/month"),
    Driver("per_escalations_per_month", "escalations_per_month", True, "1 per {} escalations/month"),
)
DRIVER: dict[str, Driver] = {d.key: d for d in DRIVER_ROWS}
DRIVER_KEYS: tuple[str, ...] = tuple(DRIVER)
MEASURES: tuple[str, ...] = tuple(d.measure for d in DRIVER_ROWS)
