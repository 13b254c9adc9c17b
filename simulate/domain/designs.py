"""Org designs as rows: a routing table of who does which kind of work, plus flags.

The model reads a `Design`'s routes; it never asks which design it is in. The four built in
are DESIGN.md §5's table; a scenario may override their flags or add designs with a `base`
(resolved in `simulate.designs`).
"""

from __future__ import annotations

from dataclasses import dataclass

from simulate.domain.roles import BOOK_OWNER, QUEUED_ROLES
from simulate.domain.routes import ROUTE_KEYS, RouteValue, route


@dataclass(frozen=True)
class Design:
    """Who onboards, who answers inbound tickets, where technical escalations go; and flags."""

    name: str
    onboarding: str = "owner_csm"
    inbound: str = "owner_csm"
    escalation: str = "engineering"
    renewal_owner: str = "csm"  # who prepares and owns renewals: csm, account_manager or sales
    buddy: bool = False
    cohorts: bool = False
    early_warning: bool = False
    defining: tuple[str, ...] = ()  # roles the design is not itself without: never staffed to 0

    def route(self, key: str) -> RouteValue:
        """Where this design sends the work of route key `key`."""
        return route(key, getattr(self, key))

    @property
    def identity(self) -> tuple[str, ...]:
        """Its defining roles that still do something in it: a queued role only while its routes
        send it work (a design based on integrated that escalates to engineering again is not
        defined by tech support), a covering role (cs_ops) always."""
        return tuple(r for r in self.defining if r in self.roles_used or r not in QUEUED_ROLES)

    @property
    def roles_used(self) -> tuple[str, ...]:
        """Roles its routes send work to; the book owner (CSM) always owns touches and renewals."""
        routed = {self.route(k.name).role for k in ROUTE_KEYS}
        return tuple(r for r in QUEUED_ROLES if r == BOOK_OWNER or r in routed)


BUILT_IN: dict[str, Design] = {
    "full_stack": Design("full_stack"),
    "active_passive": Design("active_passive", inbound="support_agent"),
    "refined": Design("refined", onboarding="implementation", inbound="support_agent",
                      cohorts=True, early_warning=True, defining=("implementation", "cs_ops")),
    "integrated": Design("integrated", onboarding="implementation", inbound="support_agent",
                         escalation="tech_support", cohorts=True, early_warning=True,
                         defining=("implementation", "cs_ops", "tech_support")),
}
