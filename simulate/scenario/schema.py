"""The scenario file format (DESIGN.md §2–§5) as a pydantic schema.

Every section rejects unknown keys; every default is documented in docs/calibration.md.
Units are in the field names: `*_hours`/`*_days` are business time, `*_per_month`/`*_per_year`
are rates per business month or year, costs are USD.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from simulate.domain.bands import BAND_NAMES
from simulate.domain.designs import BUILT_IN
from simulate.domain.roles import ROLES
from simulate.scenario.arrivals import NewAccounts, arrival_problems, resolve_new_accounts
from simulate.scenario.compensation import Compensation, compensation_problems
from simulate.scenario.current import Current
from simulate.scenario.customers import (  # noqa: F401 (re-exported: the schema's sections)
    BandProbabilities,
    Bands,
    BandValues,
    Engineering,
    Expansion,
    Health,
    Onboarding,
    OptOut,
    Referrals,
    Renewal,
    Segment,
    Shock,
    Tickets,
    TicketType,
)
from simulate.scenario.decision import Basis, Decision
from simulate.scenario.fields import (  # noqa: F401 (re-exported)
    AtLeastOne,
    Count,
    NonNeg,
    Number,
    Points,
    Positive,
    Probability,
    Section,
)
from simulate.scenario.staffing import (  # noqa: F401 (re-exported: the schema's sections)
    DEFAULT_ROLES,
    DRIVERS,
    CsOps,
    DesignSpec,
    DesignStaffing,
    Policy,
    RatioPolicy,
    Role,
    RoleName,
    Staffing,
    WorkKind,
)
from simulate.scenario.targets import Budget, WindowedTarget
from simulate.scenario.tiers import Tiers, tier_problems

BANDS = BAND_NAMES


class Calendar(Section):
    """The business calendar: the model runs in business hours (DESIGN.md §2)."""

    hours_per_day: Positive = Field(
        8.0, description="business hours in a business day (docs/calibration.md §2 Run settings "
                         "and calendar; convention)")
    days_per_year: Positive = Field(
        250.0, description="business days in a business year; a business month is a twelfth "
                           "(docs/calibration.md §2 Run settings and calendar; convention)")


class Sla(Section):
    """The service levels tickets are measured against."""

    first_response_hours: Positive = Field(
        4.0, description="first-response target, business hours from ticket to first answer "
                         "(docs/calibration.md §2 Run settings and calendar; B)")
    resolution_hours: Positive = Field(
        24.0, description="resolution target, business hours from ticket to resolved "
                          "(docs/calibration.md §2 Run settings and calendar; B)")


BUILT_IN_DESIGNS = tuple(BUILT_IN)

# The random streams number segments in 7 bits of their key (simulate/model/streams.py).
MAX_SEGMENTS = 128
# The entries of the scenario's maps, each described for the schema (and the editors reading it).
Target = Annotated[str | float | WindowedTarget, Field(description=(
    'a bound ">= x" or "<= x", x in the KPI\'s unit (docs/kpis.md), or {at: ">= x", '
    'in_every_window: true} to hold it in every 12-month window after warm-up'))]
SegmentEntry = Annotated[Segment, Field(description=(
    "one customer segment: its initial book, new accounts and service needs"))]
RoleEntry = Annotated[Role, Field(description="one role: its cost, productive share, ramp and attrition")]
DesignEntry = Annotated[DesignSpec, Field(description=(
    "a built-in design's overrides, or a custom design starting from base"))]


class Scenario(Section):
    """A whole scenario file."""

    name: str = Field(description="the scenario's name; its results go to results/<name>/")
    description: str = Field("", description="what the scenario represents, in a sentence")
    horizon_months: Positive = Field(36, description="business months simulated")
    warmup_months: NonNeg | Literal["auto"] = Field(
        "auto", description="business months skipped by the statistics; auto: long enough for "
        "health to settle and the initial book to renew once (docs/calibration.md §1 Warm-up)")
    replications: AtLeastOne | Literal["auto"] = Field(
        20, description="independent replications per design, or 'auto': run in batches until "
                        "every headline comparison is decided or max_replications is reached")
    max_replications: AtLeastOne = Field(
        200, description="with replications: auto, the most replications per design to run")
    basis: Basis | None = Field(
        None, description="what the designs are compared at: given (the staffing below), "
                          "equal_service (each at its cheapest staffing meeting targets:) or "
                          "equal_budget (each scaled to the same CS cost to ARR); default "
                          "equal_service when targets: are set, else given")
    decision: Decision = Field(Decision(), description="which differences between designs matter")
    seed: Count = Field(0, description="random seed of replication 1 (an integer, no unit); "
                                       "the same seed gives the same results")
    compare: list[str] = Field(
        default_factory=lambda: list(BUILT_IN_DESIGNS), min_length=1,
        description="the designs to compare, built-in or under designs:; the first is the one "
                    "the others are compared with")
    calendar: Calendar = Field(Calendar(), description="the business calendar")
    sla: Sla = Field(Sla(), description="ticket service levels")
    segments: dict[str, SegmentEntry] = Field(
        min_length=1, description="customer segments by name (e.g. smb, mid_market, enterprise)")
    new_accounts: NewAccounts | None = Field(
        None, description="new accounts for the whole company, split over segments by mix; "
                          "instead of segments.<s>.new_per_month, never beside it")
    onboarding: Onboarding = Field(Onboarding(), description="onboarding sessions and cohorts")
    tickets: Tickets = Field(Tickets(), description="ticket types and what changes their rate")
    engineering: Engineering = Field(Engineering(), description="R&D, outside the CS org: "
                                                                "escalations it works")
    internal_handoff_hours: NonNeg = Field(
        1.0, description="business hours before in-org tech support picks up an escalation "
                         "(docs/calibration.md §2 Tickets and escalation; assumption)")
    roles: dict[RoleName, RoleEntry] = Field(
        default_factory=lambda: dict(DEFAULT_ROLES),
        description="cost and working time per role; a role left out takes its defaults")
    cs_ops: CsOps = Field(CsOps(), description="what CS ops staff do, by coverage")
    health: Health = Field(Health(), description="the health score, its bands and what moves it")
    renewal: Renewal = Field(Renewal(), description="renewal work and odds, by health band")
    opt_out: OptOut = Field(OptOut(), description="mid-term exits of red accounts")
    expansion: Expansion = Field(Expansion(), description="CS-qualified leads from touches")
    referrals: Referrals = Field(Referrals(), description="new accounts green accounts bring")
    designs: dict[str, DesignEntry] = Field(
        default_factory=dict, description="overrides of built-in designs and custom designs, "
                                          "by name")
    staffing: Staffing = Field(Staffing(), description="hiring and, per design, a policy per role")
    current: Current | None = Field(  # type: ignore[valid-type]
        None, description="today's team, people per role: each design's plan is shown as moves "
                          "from it (hires, role changes, surplus) and their one-off cost; "
                          "changes no simulation")
    targets: dict[str, Target] = Field(
        default_factory=dict,
        description='service targets for `orgsim optimize`: kpi[.segment]: ">= x" or "<= x", or '
                    '{at: ">= x", in_every_window: true}')
    budget: Budget = Field(Budget(), description="finance's ceiling on CS spend")
    compensation: Compensation | None = Field(
        None, description="variable pay: bonus and commission per role, sales' commission; absent: "
                          "no variable pay, each role costs its annual_cost")
    tiers: Tiers | None = Field(
        None, description="A/B/C account tiers: touch cadence and renewal target per tier, the "
                          "tiering rule per segment; absent: no tiers")

    @field_validator("segments")
    @classmethod
    def _few_enough_segments(cls, segments: dict[str, Segment]) -> dict[str, Segment]:
        if len(segments) > MAX_SEGMENTS:
            raise ValueError(f"at most {MAX_SEGMENTS} segments (got {len(segments)})")
        return segments

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Scenario:
        resolve_new_accounts(self)
        if self.warmup_months == "auto":
            object.__setattr__(self, "warmup_months", auto_warmup_months(self))
        missing_roles = [r for r in ROLES if r not in self.roles]
        if missing_roles:
            roles = dict(DEFAULT_ROLES)
            roles.update(self.roles)
            object.__setattr__(self, "roles", roles)
        if not (info.context or {}).get(DEFER_CROSS_CHECKS):
            problems = [f"{field}: {message}" for _, field, message in self.cross_checks()]
            if problems:
                raise ValueError("\n".join(problems))
        return self

    def cross_checks(self) -> list[tuple[frozenset[str], str, str]]:
        """Problems between fields: (top-level keys the check reads, field, message) each."""
        return [(keys, field, message) for keys, check in CROSS_CHECKS for field, message in check(self)]

    # Time conversions: the model runs in business hours.
    @property
    def hours_per_month(self) -> float:
        return self.calendar.hours_per_day * self.calendar.days_per_year / 12

    @property
    def hours_per_year(self) -> float:
        return self.calendar.hours_per_day * self.calendar.days_per_year

    def days(self, d: float) -> float:
        """Business days → business hours."""
        return d * self.calendar.hours_per_day


# Validating with context {DEFER_CROSS_CHECKS: True} leaves the cross-checks to the caller, who can
# then report them beside the field errors (load.py does).
DEFER_CROSS_CHECKS = "defer_cross_checks"


SETTLED = 0.05  # health has settled when its initial gap to rest is down to this share


def auto_warmup_months(s: Scenario) -> float:
    """The warm-up the model needs before its statistics mean something: the longer of the
    months health takes to close all but 5% of its initial gap (mean reversion at
    health.reversion_per_month: ln 0.05 ÷ ln(1 − r)) and the longest contract (the initial
    book's renewal dates are spread over one term, so its first renewals are all behind then);
    at most half the horizon, so that something is measured. Whole months, for windows."""
    r = s.health.reversion_per_month
    settle = math.log(SETTLED) / math.log1p(-r) if r > 0 else 0.0
    contract = max(seg.contract_months for seg in s.segments.values())
    return float(min(math.ceil(max(settle, contract)), math.floor(s.horizon_months / 2)))


def _warmup_before_horizon(s: Scenario) -> Iterator[tuple[str, str]]:
    if s.warmup_months >= s.horizon_months:
        yield ("warmup_months", "must be shorter than horizon_months "
               f"(got {s.warmup_months:g} ≥ {s.horizon_months:g})")


RESERVED = frozenset({"all"})  # summary.csv's word for the whole book and the whole period
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def _names_are_safe(s: Scenario) -> Iterator[tuple[str, str]]:
    """The scenario's name becomes a folder of results/: one plain path component. Segment
    names are columns and rows of the result files: not a reserved word, not empty."""
    if not SAFE_NAME.match(s.name) or s.name in {".", ".."}:
        yield "name", (f"must be one plain folder name: letters, digits, '_', '-' or '.', not "
                       f"starting with '.' or '-' (got {s.name!r})")
    for segment in s.segments:
        if segment in RESERVED or not segment.strip():
            yield f"segments.{segment}", (f"{segment!r} cannot name a segment: 'all' means the "
                                          "whole book in the result files" if segment in RESERVED
                                          else "a segment needs a name")


def _compare_each_once(s: Scenario) -> Iterator[tuple[str, str]]:
    for name in dict.fromkeys(d for d in s.compare if s.compare.count(d) > 1):
        yield "compare", f"design {name!r} is listed twice"


# Each check with the top-level keys it reads: when one of those keys is itself invalid, a loader
# skips the check rather than report a consequence of the first error.
CROSS_CHECKS: tuple[tuple[frozenset[str], Callable[[Scenario], Iterator[tuple[str, str]]]], ...] = (
    (frozenset({"warmup_months", "horizon_months"}), _warmup_before_horizon),
    (frozenset({"compare"}), _compare_each_once),
    (frozenset({"name", "segments"}), _names_are_safe),
    (frozenset({"new_accounts", "segments"}), arrival_problems),
    (frozenset({"tiers", "segments"}), tier_problems),
    (frozenset({"compensation"}), compensation_problems),
)
