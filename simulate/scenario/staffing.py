"""The scenario's people sections (DESIGN.md §5): roles and what they cost, cs_ops effects,
design overrides and staffing policies. Re-exported by simulate.scenario.schema."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, create_model, model_validator

from simulate.domain.drivers import DRIVER_KEYS, DRIVER_ROWS
from simulate.domain.roles import ROLE_ROWS, ROLES
from simulate.domain.routes import values_for
from simulate.domain.work import KIND_NAMES
from simulate.scenario.fields import AtLeastOne, Count, NonNeg, Number, Positive, Probability, Section

RoleName = Literal[ROLES]  # type: ignore[valid-type]
WorkKind = Literal[KIND_NAMES]  # type: ignore[valid-type]


class Role(Section):
    """One role of the CS org: its cost and how much of its time goes to the queue."""

    annual_cost: NonNeg = Field(
        description="fully loaded cost of one person, USD per year (docs/calibration.md §2 Roles; "
                    "A / assumption)")
    productive_share: Annotated[float, Field(gt=0, le=1), Number] = Field(
        1.0, description="share 0–1 of business hours spent on the work queue; the rest is time "
                         "away (docs/calibration.md §2 Roles; A / B / C)")
    ramp_days: NonNeg | None = Field(
        None, description="business days a new hire takes to reach full productivity (70% in the "
        "first third, 85% in the second); default per role: CSM 90, others 45 "
        "(docs/calibration.md §2 Roles; C / assumption)")
    attrition_per_year: Annotated[float, Field(ge=0, le=5), Number] | None = Field(
        None, description="share of this role's people who leave a year (replaced only if the "
        "staffing policy still asks for them); default per role: support agents 0.35, others 0.15 "
        "(docs/calibration.md §2 Roles; assumption)")
    hire_cost: NonNeg = Field(
        4700.0, description="one-off cost of one hire, USD (recruiting, agency, admin): prices "
        "the hires from current: to a design's plan (docs/calibration.md §2 Roles; SHRM, B)")
    away_blocks_per_day: AtLeastOne = Field(
        3, description="time away from the queue comes in this many blocks a business day, at "
        "random times (docs/calibration.md §1 Time away and work in blocks; B / assumption)")
    time_factor: dict[WorkKind, Annotated[Positive, Field(description=(
        "multiplier on the specialist's handle time for this kind of work"))]] = Field(
        default_factory=dict,
        description="multiplier on the specialist's time, per kind of work (ticket, onboarding, "
                    "…); 1.0 where absent (docs/calibration.md §2 Roles; assumption)")

    def factor(self, kind: str) -> float:
        return self.time_factor.get(kind, 1.0)  # type: ignore[call-overload]


DEFAULT_ROLES = {r.name: Role(annual_cost=r.annual_cost, productive_share=r.productive_share)
                 for r in ROLE_ROWS}


class CsOps(Section):
    """What cs_ops staff do, in proportion to their coverage of the live accounts."""

    accounts_per_ops: Positive = Field(
        1000.0, description="live accounts one CS ops person fully covers (accounts per person; "
                            "docs/calibration.md §2 cs_ops effects; assumption)")
    efficiency_gain: Probability = Field(
        0.15, description="share 0–1 of handle and onboarding time cut at full coverage "
                          "(docs/calibration.md §2 cs_ops effects; assumption)")
    digital_touch_every_days: Positive = Field(
        30.0, description="business days between automated digital touches, for segments with "
                          "digital_touch (docs/calibration.md §2 cs_ops effects; assumption)")


Onboard = Literal[values_for("onboarding")]  # type: ignore[valid-type]
Inbound = Literal[values_for("inbound")]  # type: ignore[valid-type]
Escalate = Literal[values_for("escalation")]  # type: ignore[valid-type]
RenewalOwner = Literal[values_for("renewal_owner")]  # type: ignore[valid-type]


class DesignSpec(Section):
    """A design override or a custom design (`base` names the design it starts from)."""

    base: str | None = Field(None, description="the design this one starts from (a built-in or "
                                               "another custom design)")
    onboarding: Onboard | None = Field(None, description="who onboards new accounts")
    inbound: Inbound | None = Field(None, description="who answers tickets first")
    escalation: Escalate | None = Field(None, description="where technical escalations go")
    renewal_owner: RenewalOwner | None = Field(
        None, description="who prepares and owns renewals: csm (the account's CSM, the default), "
        "account_manager (a pool of account managers) or sales (outside CS: its hours costed at "
        "compensation.sales.hourly_cost in total_cost)")
    buddy: bool | None = Field(None, description="CSMs work in pairs: inbound tickets go to "
                                                 "either CSM of the pair")
    cohorts: bool | None = Field(None, description="onboard segments with cohort_onboarding "
                                                   "one-to-many")
    early_warning: bool | None = Field(None, description="an account falling into yellow or red "
                                                         "puts an intervention on its CSM's list")
    defining: tuple[RoleName, ...] | None = Field(
        None, description="roles that make the design what it is: the optimizer never staffs "
                          "them below one person (refined: implementation and cs_ops)")


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
# What one unit of each driver's ratio is, for the schema's descriptions.
RATIO_UNITS = {
    "arr": "USD of ARR per person",
    "accounts": "live accounts per person",
    "tickets_per_month": "tickets per business month per person",
    "new_accounts_per_month": "new accounts per business month per person",
    "escalations_per_month": "escalations per business month per person",
}
RatioPolicy = create_model(  # type: ignore[call-overload]
    "RatioPolicy", __base__=_Ratio,
    **{d.key: (Positive | None, Field(None, description=(
        f"ratio, {RATIO_UNITS[d.measure]}: {d.describe('N')}; people = ceil({d.measure} ÷ N) "
        f"(docs/calibration.md §2 Designs and staffing)"))) for d in DRIVER_ROWS},
    min=(Count, Field(0, description="people: the policy never asks for fewer")))

Policy = Count | RatioPolicy
DesignStaffing = Annotated[
    dict[RoleName, Annotated[Policy, Field(description=(
        "people: a fixed number, or a ratio policy reviewed monthly"))]],
    Field(description="one design's staffing: a policy per role")]


class Staffing(Section):
    """`hiring_lag_days` plus, per design name, a policy per role."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, DesignStaffing] = Field(init=False)  # type: ignore[assignment]

    hiring_lag_days: NonNeg = Field(
        40.0, description="business days from the review that asks for a hire to the hire's start "
                          "(docs/calibration.md §2 Designs and staffing; assumption)")
    hire_ahead: bool = Field(
        True, description="review ratio policies against the drivers forecast over the hiring lag "
        "(trailing three months' growth), so hires arrive before the ratio is reached "
        "(docs/calibration.md §1 Staffing policies; B / assumption)")

    @property
    def plans(self) -> dict[str, DesignStaffing]:
        return dict(self.__pydantic_extra__ or {})
