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

from pydantic import (
    ConfigDict,
    Field,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from simulate.domain.bands import BAND_NAMES
from simulate.domain.designs import BUILT_IN
from simulate.domain.drivers import DRIVER_KEYS
from simulate.domain.roles import ROLE_ROWS, ROLES
from simulate.domain.routes import values_for
from simulate.domain.work import KIND_NAMES
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
from simulate.scenario.targets import Budget

BANDS = BAND_NAMES
RoleName = Literal[ROLES]  # type: ignore[valid-type]
WorkKind = Literal[KIND_NAMES]  # type: ignore[valid-type]


class Calendar(Section):
    hours_per_day: Positive = 8.0
    days_per_year: Positive = 250.0


class Sla(Section):
    first_response_hours: Positive = 4.0
    resolution_hours: Positive = 24.0


class Role(Section):
    annual_cost: NonNeg
    productive_share: Annotated[float, Field(gt=0, le=1), Number] = 1.0
    ramp_days: NonNeg | None = Field(
        None, description="business days a new hire takes to reach full productivity (70% in the "
        "first third, 85% in the second); default per role: CSM 90, others 45")
    attrition_per_year: Annotated[float, Field(ge=0, le=5), Number] | None = Field(
        None, description="share of this role's people who leave a year (replaced only if the "
        "staffing policy still asks for them); default per role: support agents 0.35, others 0.15")
    away_blocks_per_day: AtLeastOne = Field(
        3, description="time away from the queue comes in this many blocks a business day, at "
        "random times")
    time_factor: dict[WorkKind, Positive] = Field(default_factory=dict)

    def factor(self, kind: str) -> float:
        return self.time_factor.get(kind, 1.0)  # type: ignore[call-overload]


DEFAULT_ROLES = {r.name: Role(annual_cost=r.annual_cost, productive_share=r.productive_share)
                 for r in ROLE_ROWS}


class CsOps(Section):
    accounts_per_ops: Positive = 1000.0
    efficiency_gain: Probability = 0.15
    digital_touch_every_days: Positive = 30.0


Onboard = Literal[values_for("onboarding")]  # type: ignore[valid-type]
Inbound = Literal[values_for("inbound")]  # type: ignore[valid-type]
Escalate = Literal[values_for("escalation")]  # type: ignore[valid-type]


class DesignSpec(Section):
    """A design override or a custom design (`base` names the design it starts from)."""

    base: str | None = None
    onboarding: Onboard | None = None
    inbound: Inbound | None = None
    escalation: Escalate | None = None
    buddy: bool | None = None
    cohorts: bool | None = None
    early_warning: bool | None = None


class _Ratio(Section):
    """A headcount reviewed monthly: ceil(driver ÷ ratio), at least `min`. Exactly one driver
    (simulate.domain.drivers)."""

    @model_validator(mode="after")
    def _one_driver(self) -> _Ratio:
        drivers = [k for k in DRIVERS if getattr(self, k) is not None]
        if len(drivers) != 1:
            raise ValueError(
                f"needs exactly one of {', '.join(DRIVERS)} (got {', '.join(drivers) or 'none'})"
            )
        return self

    @property
    def driver(self) -> str:
        return next(k for k in DRIVERS if getattr(self, k) is not None)

    @property
    def ratio(self) -> float:
        return float(getattr(self, self.driver))


DRIVERS = DRIVER_KEYS
RatioPolicy = create_model(  # type: ignore[call-overload]
    "RatioPolicy", __base__=_Ratio, **{k: (Positive | None, None) for k in DRIVERS},
    min=(Count, 0))

Policy = Count | RatioPolicy
DesignStaffing = dict[RoleName, Policy]


class Staffing(Section):
    """`hiring_lag_days` plus, per design name, a policy per role."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, DesignStaffing] = Field(init=False)  # type: ignore[assignment]

    hiring_lag_days: NonNeg = 40.0
    hire_ahead: bool = Field(
        True, description="review ratio policies against the drivers forecast over the hiring lag "
        "(trailing three months' growth), so hires arrive before the ratio is reached")

    @property
    def plans(self) -> dict[str, DesignStaffing]:
        return dict(self.__pydantic_extra__ or {})


BUILT_IN_DESIGNS = tuple(BUILT_IN)

# The random streams number segments in 7 bits of their key (simulate/model/streams.py).
MAX_SEGMENTS = 128


class Scenario(Section):
    """A whole scenario file."""

    name: str
    description: str = ""
    horizon_months: Positive = 36
    warmup_months: NonNeg | Literal["auto"] = Field(
        "auto", description="business months skipped by the statistics; auto: long enough for "
        "health to settle and the initial book to renew once (see auto_warmup_months)")
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
    decision: Decision = Decision()
    seed: Count = 0
    compare: list[str] = Field(default_factory=lambda: list(BUILT_IN_DESIGNS), min_length=1)
    calendar: Calendar = Calendar()
    sla: Sla = Sla()
    segments: dict[str, Segment] = Field(min_length=1)
    onboarding: Onboarding = Onboarding()
    tickets: Tickets = Tickets()
    engineering: Engineering = Engineering()
    internal_handoff_hours: NonNeg = 1.0
    roles: dict[RoleName, Role] = Field(default_factory=lambda: dict(DEFAULT_ROLES))
    cs_ops: CsOps = CsOps()
    health: Health = Health()
    renewal: Renewal = Renewal()
    opt_out: OptOut = OptOut()
    expansion: Expansion = Expansion()
    referrals: Referrals = Referrals()
    designs: dict[str, DesignSpec] = Field(default_factory=dict)
    staffing: Staffing = Staffing()
    targets: dict[str, str | float] = Field(
        default_factory=dict,
        description='service targets for `orgsim optimize`: kpi[.segment]: ">= x" or "<= x"')
    budget: Budget = Budget()

    @field_validator("segments")
    @classmethod
    def _few_enough_segments(cls, segments: dict[str, Segment]) -> dict[str, Segment]:
        if len(segments) > MAX_SEGMENTS:
            raise ValueError(f"at most {MAX_SEGMENTS} segments (got {len(segments)})")
        return segments

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Scenario:
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
)
