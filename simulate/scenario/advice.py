"""Advice on a valid scenario: settings that will run but cannot do what the file asks of them.

Warnings, never errors: `orgsim validate` prints them and still exits 0, and `orgsim run` prints
them before the run. Today one kind: a segment whose fastest possible one-to-one onboarding
already takes longer than its `onboarding_target_days`, so every account goes live late.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from simulate.domain.designs import Design
from simulate.domain.roles import ROLE
from simulate.domain.work import WORK
from simulate.scenario.schema import Policy, Scenario

EPS = 1e-9  # the model's tolerance for onboarding hours left (simulate/model/onboarding.py)


@dataclass(frozen=True)
class Fastest:
    """The fastest possible one-to-one onboarding of one segment under one design."""

    segment: str
    design: str
    role: str  # who runs the sessions
    sessions: int
    session_hours: float  # a session's hours at most (the last may be shorter)
    days_between: float  # business days between two sessions
    hours_worked: float  # business hours the sessions take, all together
    days: float  # business days from arrival to go-live


def fastest_onboarding(scenario: Scenario, segment: str, design: Design) -> Fastest | None:
    """The shortest time to live one account of `segment` can have under `design`, or None
    when the design onboards the segment in cohorts or it needs no onboarding.

    With nothing else to do and no time away, the onboarding role takes each session the
    moment it is due: `ceil(onboarding_hours / session_hours)` sessions, together taking
    `onboarding_hours` × the role's `time_factor.onboarding` (× (1 − `efficiency_gain`) where
    the design staffs cs_ops, at full coverage), with `days_between_sessions` after every
    session but the last. Queueing and time away only add to it.
    """
    seg = scenario.segments[segment]
    if seg.onboarding_hours <= 0 or (seg.cohort_onboarding and design.cohorts):
        return None
    session_hours, days_between = scenario.onboarding.one_to_one(seg)
    role = design.route("onboarding").role
    assert role is not None  # onboarding always goes to a role (routes.py)
    pace = scenario.roles[role].factor("onboarding")
    if WORK["onboarding"].sped_up and _covered(scenario, design):
        pace *= 1.0 - scenario.cs_ops.efficiency_gain
    sessions = max(1, math.ceil(seg.onboarding_hours / session_hours - EPS))
    worked = seg.onboarding_hours * pace
    hours_per_day = scenario.calendar.hours_per_day
    days = worked / hours_per_day + (sessions - 1) * days_between
    return Fastest(segment, design.name, role, sessions, min(session_hours, seg.onboarding_hours),
                   days_between, worked, days)


def _covered(scenario: Scenario, design: Design) -> bool:
    """Whether the design's staffing can put a covering role (cs_ops) in place."""
    plan = scenario.staffing.plans.get(design.name, {})
    return any(ROLE[role].covers and _can_staff(policy) for role, policy in plan.items())


def _can_staff(policy: Policy) -> bool:
    return policy > 0 if isinstance(policy, int) else True


def _apart(days: float) -> str:
    if days <= 0:
        return "back to back"
    return f"{days:g} day{'' if days == 1 else 's'} apart"


def warnings(scenario: Scenario, designs: Iterable[Design], source: str) -> list[str]:
    """One line per segment and design whose fastest possible onboarding already misses the
    segment's `onboarding_target_days`, in file order; `source` prefixes each line."""
    designs = list(designs)
    lines = []
    for name, seg in scenario.segments.items():
        for design in designs:
            fastest = fastest_onboarding(scenario, name, design)
            if fastest is None or fastest.days <= seg.onboarding_target_days + EPS:
                continue
            plural = "" if fastest.sessions == 1 else "s"
            lines.append(
                f"{source}: segments.{name}.onboarding_target_days: fastest possible onboarding "
                f"takes {fastest.days:.1f} business days under {design.name} ({fastest.sessions} "
                f"session{plural} of {fastest.session_hours:g} h, {_apart(fastest.days_between)}) "
                f"— the target of {seg.onboarding_target_days:g} cannot be met (warning)")
    return lines
