"""From today's team (`current:`) to month 1 of a design's plan: per role the hires, the people
who change role and the surplus, and what getting there costs once.

A surplus person of one role fills an opening in another only where ROLE_CHANGES allows it (the
work is close enough that they bring what the new role needs); every other opening is a hire.
Among the ways to fill openings from surplus, the one that saves the most hiring cost is taken
(an exact small integer programme; a greedy pass can strand a person whose only opening another
took). The one-off cost is hire_cost × hires plus the productivity lost while every new or
moved person ramps up: ramp_days × the share of full speed the model's ramp loses (70% in its
first third, 85% in the second, 100% in the last: 15% on average) × the role's daily cost
(annual_cost ÷ business days a year). A moved person ramps like a hire. Surplus is shown with
its yearly cost, not priced into the transition: the model lays nobody off, and whether to keep,
move or let them go is the reader's call.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulate import units
from simulate.domain.roles import ROLE, ROLES
from simulate.model.staff import RAMP
from simulate.scenario.schema import Scenario

RAMP_LOST = 1 - sum(RAMP) / len(RAMP)  # share of full speed lost over a ramp, on average: 0.15
TIE_BREAK = 1e-3  # USD: among equally cheap ways, the earlier row of ROLE_CHANGES goes first


@dataclass(frozen=True)
class RoleChange:
    """Someone of role `source` may take an opening of role `target`, because `why`."""

    source: str
    target: str
    why: str


ROLE_CHANGES: tuple[RoleChange, ...] = (
    RoleChange("csm", "implementation", "CSMs onboard their own accounts where no implementation "
                                        "pool does"),
    RoleChange("implementation", "csm", "they know the accounts they took live"),
    RoleChange("csm", "cs_ops", "CS ops builds the playbooks and tooling CSMs work with"),
    RoleChange("support_agent", "tech_support", "tier 1 to tier 2: the support ladder"),
    RoleChange("tech_support", "support_agent", "tech support can answer first-line tickets"),
    RoleChange("support_agent", "csm", "support to CSM: the usual step into customer success"),
)


@dataclass(frozen=True)
class Transition:
    """Whole people per role today and in month 1, and who moves from which role to which."""

    today: dict[str, int]
    month_1: dict[str, int]
    moves: dict[tuple[str, str], int]  # (source, target) → people

    def moved_in(self, role: str) -> int:
        return sum(n for (_, target), n in self.moves.items() if target == role)

    def moved_out(self, role: str) -> int:
        return sum(n for (source, _), n in self.moves.items() if source == role)

    def hires(self, role: str) -> int:
        return max(self.month_1.get(role, 0) - self.today.get(role, 0), 0) - self.moved_in(role)

    def surplus(self, role: str) -> int:
        return max(self.today.get(role, 0) - self.month_1.get(role, 0), 0) - self.moved_out(role)


def whole(planned: Mapping[str, float]) -> dict[str, int]:
    """Mean headcounts as whole people, rounded half up (a fraction is replications that
    disagree, e.g. someone leaving in month 1 in some of them)."""
    return {role: math.floor(n + 0.5) for role, n in planned.items()}


def transition(today: Mapping[str, int], month_1: Mapping[str, int],
               hire_cost: Mapping[str, float]) -> Transition:
    """The moves from `today` to `month_1` that save the most hiring cost: x people along each
    allowed role change, at most a role's surplus out and its openings in, maximising
    Σ hire_cost[target] × x."""
    today = {r: int(today.get(r, 0)) for r in ROLES}
    month_1 = {r: int(month_1.get(r, 0)) for r in ROLES}
    spare = {r: max(today[r] - month_1[r], 0) for r in ROLES}
    open_ = {r: max(month_1[r] - today[r], 0) for r in ROLES}
    edges = [(i, c) for i, c in enumerate(ROLE_CHANGES) if spare[c.source] and open_[c.target]]
    if not edges:
        return Transition(today, month_1, {})
    import numpy as np  # scipy and numpy only when a team has somewhere to move
    from scipy.optimize import Bounds, LinearConstraint, milp

    gain = np.array([hire_cost.get(c.target, 0.0) + TIE_BREAK * (len(ROLE_CHANGES) - i)
                     for i, c in edges])
    rows, limits = [], []
    for role in ROLES:
        for side, limit in (("source", spare[role]), ("target", open_[role])):
            row = [1.0 if getattr(c, side) == role else 0.0 for _, c in edges]
            if any(row):
                rows.append(row)
                limits.append(limit)
    result = milp(-gain, integrality=np.ones(len(edges)), bounds=Bounds(0, np.inf),
                  constraints=LinearConstraint(np.array(rows), -np.inf, np.array(limits, dtype=float)),
                  options={"mip_rel_gap": 0.0})
    if not result.success:  # cannot happen for this bounded, feasible (x = 0) programme
        raise RuntimeError(f"role changes: {result.message}")
    moves = {(c.source, c.target): round(float(x)) for (_, c), x in zip(edges, result.x, strict=True)
             if round(x) > 0}
    return Transition(today, month_1, moves)


@dataclass(frozen=True)
class Prices:
    """What one hire and one ramp cost in a role, USD."""

    hire: float
    ramp: float  # ramp_days × RAMP_LOST × annual_cost ÷ business days a year


def prices(scenario: Scenario) -> dict[str, Prices]:
    days = scenario.calendar.days_per_year
    found = {}
    for role in ROLES:
        spec = scenario.roles[role]
        ramp_days = spec.ramp_days if spec.ramp_days is not None else ROLE[role].ramp_days
        found[role] = Prices(spec.hire_cost, ramp_days * RAMP_LOST * spec.annual_cost / days)
    return found


def usd(v: float) -> str:
    """An amount of money as the transition reads: $0, $7,020, $41k, $1.23M (exact below $10k,
    where a hire or a ramp is priced)."""
    return f"${v:,.0f}" if abs(v) < 1e4 else units.money(v)


def _people(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {role}" for role, n in counts.items() if n)


def line(doc: Mapping[str, Any]) -> str:
    """'hire 2 csm; 1 support_agent → tech_support; one-off $23k (hiring $9,400, ramp $14k);
    surplus 1 cs_ops ($110k a year if kept)': the moves, then their cost, then who is left over."""
    parts = []
    hires = _people(doc["hires"])
    if hires:
        parts.append(f"hire {hires}")
    parts += [f"{m['people']} {m['from']} → {m['to']}" for m in doc["role_changes"]]
    cost = doc["cost"]
    if parts:
        parts.append(f"one-off {usd(cost['total'])} (hiring {usd(cost['hiring'])}, "
                     f"ramp {usd(cost['ramp'])})")
    surplus = _people(doc["surplus"])
    if surplus:
        parts.append(f"surplus {surplus} ({usd(doc['surplus_annual_cost'])} a year if kept)")
    return "; ".join(parts) or "today's team is month 1's: no hires, no moves"


def transition_document(scenario: Scenario, planned: Mapping[str, float],
                        replications: int | None = None) -> dict[str, Any]:
    """The moves from the scenario's `current:` team to `planned` (a design's month-1 mean
    headcounts by role, from its plan) and their one-off cost, as JSON-ready data with the line
    a leader reads, its basis and what it rests on."""
    if scenario.current is None:
        raise ValueError("transition_document needs a scenario with current:")
    price = prices(scenario)
    t = transition(scenario.current.people(), whole(planned), {r: p.hire for r, p in price.items()})
    hires = {r: t.hires(r) for r in ROLES}
    surplus = {r: t.surplus(r) for r in ROLES}
    hiring = sum(price[r].hire * hires[r] for r in ROLES)
    ramp = sum(price[r].ramp * (hires[r] + t.moved_in(r)) for r in ROLES)
    why = {(c.source, c.target): c.why for c in ROLE_CHANGES}
    over = f" over {replications} replications" if replications else ""
    doc: dict[str, Any] = {
        "today": t.today,
        "month_1": t.month_1,
        "month_1_mean": {r: round(float(planned.get(r, 0.0)), 3) for r in ROLES},
        "hires": hires,
        "role_changes": [{"from": s, "to": d, "people": n, "why": why[(s, d)]}
                         for (s, d), n in t.moves.items()],
        "surplus": surplus,
        "surplus_annual_cost": sum(scenario.roles[r].annual_cost * surplus[r] for r in ROLES),
        "cost": {"hiring": hiring, "ramp": ramp, "total": hiring + ramp},
        "basis": (f"month 1 of the plan: its mean headcount{over} at the month's end, rounded to "
                  "whole people; a one-off cost worked out from it, not simulated, so it has no "
                  "interval"),
        "rests_on": [
            "roles.<role>.hire_cost per hire (default $4,700, SHRM benchmarking, B)",
            f"ramp lost: roles.<role>.ramp_days × {RAMP_LOST:.0%} × annual_cost ÷ "
            "calendar.days_per_year per new or moved person (ramp 70% / 85% / 100% of full "
            "speed by thirds, practitioner plans, C; ramp_days other than CSM: assumption)",
            "which role changes are allowed (simulate/decision/transition.py ROLE_CHANGES: "
            "judgement)",
        ],
    }
    doc["line"] = line(doc)
    return doc
