"""Where an account's work goes under a design: each route key's value read through a table of
targets (the owner CSM's lists, a role's pool, or outside the CS org). Nothing here asks which
design it is routing for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from simulate.domain.designs import Design
from simulate.domain.routes import OUTSIDE, OWNER, POOL
from simulate.model.clock import call
from simulate.model.tickets import Escalation, Ticket, to_engineering

if TYPE_CHECKING:
    import simpy

    from simulate.model.account_work import RenewalWork
    from simulate.model.accounts import Account
    from simulate.model.staff import WorkQueue
    from simulate.model.team import Team

QueueOf = Callable[["Account"], "WorkQueue"]

# The owner's list each route key uses: onboarding sessions go on the CSM's own list; inbound
# tickets on their inbound queue (their own list, or the queue shared with a buddy).
OWNER_LIST: dict[str, QueueOf] = {
    "onboarding": lambda a: a.csm.own,
    "inbound": lambda a: a.csm.inbound,
}


def _owner(key: str, team: Team, role: str | None) -> QueueOf:
    return OWNER_LIST[key]


def _pool(key: str, team: Team, role: str | None) -> QueueOf:
    pool = team.pools[role]
    return lambda account: pool


QUEUE_TARGETS: dict[str, Callable[[str, Team, str | None], QueueOf]] = {OWNER: _owner, POOL: _pool}

RenewalTo = Callable[["RenewalWork"], None]


def _renewal_to_owner(team: Team, role: str | None) -> RenewalTo:
    return lambda work: work.account.csm.own.push(work)


def _renewal_to_pool(team: Team, role: str | None) -> RenewalTo:
    return team.pools[role].push


def _renewal_outside(team: Team, role: str | None) -> RenewalTo:
    """Sales works the renewal outside CS, at once: its hours are recorded and costed in
    total_cost (like engineering's), and the renewal counts as worked."""
    def to_sales(work: RenewalWork) -> None:
        account = work.account
        account.world.record.sales(account.world.env.now, work.left)
        account.renewal_worked = True

    return to_sales


# Where renewal preparation goes for each target of the renewal_owner route key.
RENEWAL_TARGETS: dict[str, Callable[[Team, str | None], RenewalTo]] = {
    OWNER: _renewal_to_owner, POOL: _renewal_to_pool, OUTSIDE: _renewal_outside}


class Router:
    """The design's routes, resolved once: a work queue per account for onboarding and inbound
    tickets, and a way out for escalations."""

    def __init__(self, env: simpy.Environment, design: Design, team: Team, internal_handoff: float):
        self.env = env
        self.onboarding = self._queue_of("onboarding", design, team)
        self.inbound = self._queue_of("inbound", design, team)
        escalation = design.route("escalation")
        self.escalation_pool = team.pools[escalation.role] if escalation.role else None
        self.internal_handoff = internal_handoff
        self.escalate: Callable[[Ticket], None] = {
            OUTSIDE: to_engineering, POOL: self._to_pool}[escalation.target]
        self.cohort_pool = team.pools[design.route("onboarding").role]
        owner = design.route("renewal_owner")
        self.renewal: RenewalTo = RENEWAL_TARGETS[owner.target](team, owner.role)

    @staticmethod
    def _queue_of(key: str, design: Design, team: Team) -> QueueOf:
        value = design.route(key)
        return QUEUE_TARGETS[value.target](key, team, value.role)

    def _to_pool(self, ticket: Ticket) -> None:
        """An escalation worked inside the CS org, after the in-org handoff."""
        call(self.env, self.internal_handoff, self._queue_escalation, ticket)

    def _queue_escalation(self, ticket: Ticket) -> None:
        self.escalation_pool.push(Escalation(ticket))
