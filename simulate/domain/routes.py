"""Routes: for each kind of routed work (a route key), where a design may send it.

A route value sends work to the account's owner (its CSM), to a pool of a role, or outside the
CS org. Pool values are the roles whose row lists the key in `pool_for`, so a new role that can
take a kind of work is a new route value without further edits.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulate.domain.roles import BOOK_OWNER, ROLE_ROWS

OWNER, POOL, OUTSIDE = "owner", "pool", "outside"


@dataclass(frozen=True)
class RouteKey:
    """A kind of work a design routes, with the value a design takes when it says nothing."""

    name: str
    work: str  # the kind of work (simulate.domain.work) it routes
    default: str


@dataclass(frozen=True)
class RouteValue:
    """Where one route value sends work: `target` OWNER, POOL or OUTSIDE; `role` (None outside)."""

    name: str
    key: str
    target: str
    role: str | None


ROUTE_KEYS: tuple[RouteKey, ...] = (
    RouteKey("onboarding", "onboarding", "owner_csm"),
    RouteKey("inbound", "ticket", "owner_csm"),
    RouteKey("escalation", "escalation", "engineering"),
    RouteKey("renewal_owner", "renewal", "csm"),  # who prepares and owns the renewal (issue 16)
)

_SPECIAL: tuple[RouteValue, ...] = (
    RouteValue("owner_csm", "onboarding", OWNER, BOOK_OWNER),
    RouteValue("owner_csm", "inbound", OWNER, BOOK_OWNER),
    RouteValue("engineering", "escalation", OUTSIDE, None),
    RouteValue("csm", "renewal_owner", OWNER, BOOK_OWNER),
    RouteValue("sales", "renewal_owner", OUTSIDE, None),  # outside CS: hours costed like R&D's
)
ROUTE_VALUES: tuple[RouteValue, ...] = _SPECIAL + tuple(
    RouteValue(role.name, key, POOL, role.name) for role in ROLE_ROWS for key in role.pool_for)


def values_for(key: str) -> tuple[str, ...]:
    """The route values a design may give `key`, special ones first."""
    return tuple(v.name for v in ROUTE_VALUES if v.key == key)


def route(key: str, value: str) -> RouteValue:
    """The row of `value` for route key `key`."""
    return next(v for v in ROUTE_VALUES if v.key == key and v.name == value)
