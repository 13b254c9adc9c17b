"""Roles of the CS org: one row each, with its defaults and the work it can be routed.

A role's `pool_for` names the route keys (`simulate.domain.routes`) for which a design may send
work to a shared pool of this role; that is what makes its name a route value. `queued` is false
for a role that takes no queued work (cs_ops: its effect is coverage, which `covers` marks).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RoleRow:
    """One role: default fully loaded cost (USD a year) and productive share, the route keys
    it can serve as a pool, and how it works."""

    name: str
    label: str
    annual_cost: float
    productive_share: float
    ramp_days: float  # business days from hire to full productivity
    attrition: float  # share who leave a year (CALIBRATION.md: CSM 10–20%, agents 30–40%)
    pool_for: tuple[str, ...] = ()
    owns_books: bool = False  # keeps a book of accounts: touches, renewals, interventions
    queued: bool = True  # takes work from queues
    covers: bool = False  # speeds up others' work and runs digital touches, by coverage
    driver: str = "per_accounts"  # what its workload grows with: the optimizer's ratio policy


ROLE_ROWS: tuple[RoleRow, ...] = (
    RoleRow("csm", "CSM", 130000, 0.65, 90, 0.15, owns_books=True, driver="per_arr"),
    RoleRow("support_agent", "support agent", 60000, 0.72, 45, 0.35, pool_for=("inbound",),
            driver="per_tickets_per_month"),
    RoleRow("implementation", "implementation specialist", 105000, 0.75, 45, 0.15,
            pool_for=("onboarding",), driver="per_new_accounts_per_month"),
    RoleRow("cs_ops", "CS ops", 110000, 0.80, 45, 0.15, queued=False, covers=True),
    RoleRow("tech_support", "tech support engineer", 95000, 0.75, 45, 0.15, pool_for=("escalation",),
            driver="per_escalations_per_month"),
    # Takes renewal preparation (and closes expansion) where a design's renewal_owner names it.
    RoleRow("account_manager", "account manager", 120000, 0.65, 60, 0.15,
            pool_for=("renewal_owner",), driver="per_arr"),
)
ROLE: dict[str, RoleRow] = {r.name: r for r in ROLE_ROWS}
ROLES: tuple[str, ...] = tuple(ROLE)
QUEUED_ROLES: tuple[str, ...] = tuple(r.name for r in ROLE_ROWS if r.queued)
BOOK_OWNER: str = next(r.name for r in ROLE_ROWS if r.owns_books)
