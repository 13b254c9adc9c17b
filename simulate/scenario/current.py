"""Today's team (`current:`): how many people of each role the company has now, so that each
design's plan can be read as moves from here (hires, role changes, surplus) and priced once.

Optional, and it changes no simulation: each design still starts at what its staffing policy
asks for. A role left out has nobody today."""

from __future__ import annotations

from typing import Any

from pydantic import Field, create_model

from simulate.domain.roles import ROLE_ROWS, ROLES
from simulate.scenario.fields import Count, Section


class _Team(Section):
    """Headcount by role, whole people."""

    def people(self) -> dict[str, int]:
        """Every role, with 0 for a role left out."""
        return {role: int(getattr(self, role) or 0) for role in ROLES}


_FIELDS: dict[str, Any] = {
    r.name: (Count | None, Field(None, description=(
        f"{r.label}s on the team today (people); left out: none")))
    for r in ROLE_ROWS
}
Current = create_model(  # type: ignore[call-overload]
    "Current", __base__=_Team, __doc__=(
        "Today's team: people per role now. The report and optimum.json show, per design, the "
        "moves from here to month 1 of its plan and what they cost once."), **_FIELDS)
