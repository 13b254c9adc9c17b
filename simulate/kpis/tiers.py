"""KPIs per account tier (issue 16), where the scenario sets tiers: a window's view that counts
the rows of one tier's accounts instead of one segment's, so the per-segment functions serve
unchanged; each tier's rows appear as segment `tier_<name>` in the result files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from simulate.kpis.cohorts import _books, cohort_months
from simulate.kpis.facts import NAN, Columns, Window
from simulate.kpis.money import dollar_renewal_rate, logo_renewal_rate
from simulate.kpis.service import touches_on_time
from simulate.scenario.tiers import TIER_PREFIX


def _tier_column(w: Window, table: Columns) -> np.ndarray:
    """Each row's tier rank: the table's own column, else its account's tier."""
    if "tier" in table.columns:
        return table["tier"]
    key = ("tier", id(table))
    cache = w.facts.cache
    if key not in cache:
        tiers = w.facts.record.tiers
        cache[key] = np.array([tiers.get(int(a), 0) for a in table["account"]], dtype=float)
    return cache[key]


class TierWindow:
    """One window's rows of one tier's accounts: what a KPI of a segment reads, for a tier."""

    def __init__(self, w: Window, rank: int):
        self.window = w
        self.rank = rank
        self.facts = w.facts
        self.start, self.end, self.years = w.start, w.end, w.years
        self.cache: dict[Any, Any] = {}

    def rows(self, table: Columns, seg: int | None, time: str = "at") -> np.ndarray:
        return self.window.rows(table, None, time) & (_tier_column(self.window, table) == self.rank)

    def per_year(self, amount: float) -> float:
        return self.window.per_year(amount)


def tier_logo_churn(tw: TierWindow, seg: int | None = None) -> float:
    """Accounts of the tier live at a month end, lost within 12 months ÷ those accounts, pooled
    over the window's cohorts (as logo_churn)."""
    facts = tw.facts
    books = _books(facts)
    pairs, exponent = cohort_months(sorted(books.by_month), facts.hours_per_month, tw.start, tw.end)
    tiers = facts.record.tiers
    cohort = lost = 0
    for m0, m1 in pairs:
        ids0, ids1 = books.by_month[m0][0], books.by_month[m1][0]
        mine = np.array([tiers.get(int(a), 0) == tw.rank for a in ids0], bool)
        cohort += int(mine.sum())
        lost += int((mine & ~np.isin(ids0, ids1)).sum())
    if cohort == 0:
        return NAN
    share = lost / cohort
    return share if exponent == 1.0 else 1.0 - (1.0 - share) ** exponent


# The KPIs reported per tier, each computed on the tier's view of a window.
TIER_COMPUTE: dict[str, Callable[[Any, int | None], float]] = {
    "touches_on_time": touches_on_time,
    "logo_renewal_rate": logo_renewal_rate,
    "dollar_renewal_rate": dollar_renewal_rate,
    "logo_churn": tier_logo_churn,
}


def measure_tiers(w: Window) -> dict[tuple[str, str], float]:
    """{(tier_<name>, kpi): value} for every tier of the scenario (none without tiers)."""
    tiers = w.facts.scenario.tiers
    if tiers is None:
        return {}
    return {(f"{TIER_PREFIX}{name}", kpi): float(compute(TierWindow(w, rank), None))
            for rank, name in enumerate(tiers.names) for kpi, compute in TIER_COMPUTE.items()}
