"""The assumption-graded parameters (docs/calibration.md: no source, a knob for sensitivity
analysis), as data: each with the mechanism it drives and the range a sensitivity study should
try. A design rests on an assumption when it has the mechanism: the report names them beside
each design, and sensitivity studies read the ranges from here."""

from __future__ import annotations

from dataclasses import dataclass

from simulate.domain.designs import Design
from simulate.domain.roles import ROLE
from simulate.domain.routes import OUTSIDE, OWNER, POOL


@dataclass(frozen=True)
class Mechanism:
    """Something a design does that an assumption drives."""

    name: str
    says: str

    def present(self, design: Design, staffed_roles: frozenset[str]) -> bool:
        return MECHANISM_TEST[self.name](design, staffed_roles)


MECHANISM_TEST = {
    "everyone": lambda d, roles: True,
    "coverage": lambda d, roles: any(ROLE[r].covers for r in roles if r in ROLE),
    "early_warning": lambda d, roles: d.early_warning,
    "cohorts": lambda d, roles: d.cohorts,
    "escalation_inside": lambda d, roles: d.route("escalation").target == POOL,
    "escalation_outside": lambda d, roles: d.route("escalation").target == OUTSIDE,
    "owner_answers": lambda d, roles: d.route("inbound").target == OWNER,
    "renewal_by_pool": lambda d, roles: d.route("renewal_owner").target == POOL,
    "renewal_by_sales": lambda d, roles: d.route("renewal_owner").target == OUTSIDE,
}

MECHANISMS = {m.name: m for m in (
    Mechanism("everyone", "every design: health and renewal dynamics"),
    Mechanism("coverage", "cs_ops coverage: faster work and automated digital touches"),
    Mechanism("early_warning", "early warning: an intervention as an account falls into yellow or red"),
    Mechanism("cohorts", "one-to-many onboarding for cohort segments"),
    Mechanism("escalation_inside", "technical escalations worked inside CS after an in-org handoff"),
    Mechanism("escalation_outside", "technical escalations handed to R&D across a department boundary"),
    Mechanism("owner_answers", "the owner CSM answers their accounts' tickets between other work"),
    Mechanism("renewal_by_pool", "account managers prepare renewals and own expansion"),
    Mechanism("renewal_by_sales", "sales prepares renewals outside CS and keeps its whole rate"),
)}


@dataclass(frozen=True)
class Assumption:
    """One assumption-graded parameter: its scenario path, the mechanism it drives, and the
    low and high a sensitivity study should try (in the parameter's own unit)."""

    path: str
    mechanism: str
    low: float
    high: float
    what: str


ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption("cs_ops.efficiency_gain", "coverage", 0.0, 0.3, "share cut from handle and onboarding times"),
    Assumption("cs_ops.accounts_per_ops", "coverage", 500, 2000, "accounts one ops person covers"),
    Assumption("health.digital_touch", "coverage", 0.0, 4.0, "health points per automated touch"),
    Assumption("health.touch", "everyone", 3.0, 10.0, "health points per CSM touch"),
    Assumption("health.reversion_per_month", "everyone", 0.1, 0.5, "share of the gap to rest closed a month"),
    Assumption("health.level_sd", "everyone", 5.0, 15.0, "spread of accounts' own health levels"),
    Assumption("health.decay_per_month", "everyone", 0.5, 3.0, "health points lost a month"),
    Assumption("health.late_per_sla", "everyone", 0.0, 8.0, "health points per SLA-multiple late"),
    Assumption("health.handoff_points", "everyone", 0.0, 10.0, "health points lost moving to a new CSM"),
    Assumption("health.hold_days", "everyone", 0.0, 40.0, "days a win or save must hold"),
    Assumption("renewal.unworked_factor", "everyone", 0.8, 1.0, "renewal odds × this without renewal work"),
    Assumption("health.late_go_live_per_day", "cohorts", 0.0, 1.0, "health points per day late to go live"),
    Assumption("onboarding.cohort_every_days", "cohorts", 2.0, 10.0, "business days between cohorts"),
    Assumption("health.shock.points", "early_warning", 5.0, 25.0, "health points a shock takes"),
    Assumption("internal_handoff_hours", "escalation_inside", 0.5, 4.0,
               "hours to hand an escalation inside CS"),
    Assumption("engineering.handoff_days.mean", "escalation_outside", 1.0, 4.0,
               "business days before R&D starts on an escalation"),
    Assumption("roles.csm.time_factor.ticket", "owner_answers", 1.0, 1.6,
               "how much longer a CSM takes over a ticket than a specialist"),
    Assumption("roles.account_manager.annual_cost", "renewal_by_pool", 90000, 150000,
               "USD a year, fully loaded, of an account manager"),
)
# Assumptions of issue 16's levers that only a scenario setting compensation: has (checked
# against scenarios/incentives.yaml by tests/test_levers.py); designs rest on them alike.
LEVER_ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption("compensation.sales.hourly_cost", "renewal_by_sales", 60, 150,
               "USD per sales hour of renewal work"),
    Assumption("compensation.roles.csm.targets.active_rate", "everyone", 0.4, 0.8,
               "share of the book active that pays the active-rate bonus at target"),
    Assumption("compensation.roles.csm.weights.active_rate", "everyone", 0.0, 0.4,
               "share of the CSM bonus the active rate decides"),
)


def rests_on(design: Design, staffed_roles: frozenset[str]) -> list[Assumption]:
    """The assumption-graded parameters behind the mechanisms `design` has."""
    return [a for a in ASSUMPTIONS + LEVER_ASSUMPTIONS
            if MECHANISMS[a.mechanism].present(design, staffed_roles)]
