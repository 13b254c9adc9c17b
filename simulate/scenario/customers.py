"""The scenario's customer sections (DESIGN.md §3–§4): segments, onboarding, tickets,
engineering, health, renewal, opt-out, expansion and referrals. Per-band values follow the band
table (simulate.domain.bands)."""

from __future__ import annotations

import itertools
from typing import Annotated

from pydantic import Field, create_model, field_validator, model_validator

from simulate.domain.bands import BAND_NAMES, BAND_ROWS, BOUNDED
from simulate.scenario.fields import (
    AtLeastOne,
    Count,
    NonNeg,
    Number,
    Points,
    Positive,
    Probability,
    Section,
)
from simulate.scenario.quantity import Quantity, quantity


class Segment(Section):
    """One customer segment: its initial book, new-account stream and service needs."""

    initial_accounts: Count = 0
    new_per_month: NonNeg = 0.0
    acv: quantity("lognormal", cv=0.5) = Field(  # type: ignore[valid-type]
        default_factory=lambda: Quantity(dist="lognormal", mean=10000, cv=0.5),
        description="annual contract value, USD",
    )
    contract_months: AtLeastOne = 12
    renewal_risk: NonNeg = 1.0
    renewal_acv_elasticity: NonNeg = Field(
        0.0, description="renewal risk × (ACV ÷ the segment's mean ACV)^−elasticity: within a "
        "segment, smaller accounts churn more often (SaaS Capital: logo churn falls with ACV)")
    onboarding_hours: NonNeg = 0.0
    onboarding_target_days: NonNeg = 20.0
    session_hours: Positive | None = Field(
        None, description="hours a one-to-one onboarding session lasts at most "
        "(default: onboarding.session_hours)")
    days_between_sessions: NonNeg | None = Field(
        None, description="business days of the customer's homework between two one-to-one "
        "sessions (default: onboarding.days_between_sessions)")
    cohort_onboarding: bool = False
    tickets_per_month: NonNeg = 0.0
    touch_every_days: Positive | None = None
    touch_grace_days: NonNeg | None = Field(
        None, description="business days after its due date a touch still counts as on time "
        "(touches_on_time); default 10% of touch_every_days")
    touch_hours: NonNeg = 1.0
    health_level: Points | None = Field(
        None, description="health points this segment's scores revert to (default: health.level)")
    renewal_hours: NonNeg = 0.0
    digital_touch: bool = False


class Onboarding(Section):
    """Sessions (cohorts use these; one-to-one onboarding takes a segment's own values first)
    and the cohort schedule."""

    session_hours: Positive = 2.0
    days_between_sessions: NonNeg = 2.0
    cohort_every_days: Positive = 5.0
    cohort_sessions: AtLeastOne = 3
    cohort_size: AtLeastOne = 40

    def one_to_one(self, segment: Segment) -> tuple[float, float]:
        """(session hours, business days between sessions) of one-to-one onboarding in
        `segment`: the segment's own values, else these."""
        hours = segment.session_hours if segment.session_hours is not None else self.session_hours
        gap = (segment.days_between_sessions if segment.days_between_sessions is not None
               else self.days_between_sessions)
        return hours, gap


class _PerBand(Section):
    """One number per health band (simulate.domain.bands), in band order."""

    def as_tuple(self) -> tuple[float, ...]:
        return tuple(getattr(self, band) for band in BAND_NAMES)


BandValues = create_model(  # type: ignore[call-overload]
    "BandValues", __base__=_PerBand, **{band: (NonNeg, ...) for band in BAND_NAMES})
BandProbabilities = create_model(  # type: ignore[call-overload]
    "BandProbabilities", __base__=_PerBand, **{band: (Probability, ...) for band in BAND_NAMES})


class TicketType(Section):
    share: Probability
    handle_hours: quantity("lognormal", cv=0.8)  # type: ignore[valid-type]
    escalation_rate: Probability = 0.0


class Tickets(Section):
    onboarding_factor: NonNeg = 1.0
    band_factor: BandValues = BandValues(**dict.fromkeys(BAND_NAMES, 1))  # type: ignore[valid-type]
    types: dict[str, TicketType] = Field(
        default_factory=lambda: {
            "how_to": TicketType(share=1.0, handle_hours=Quantity(dist="lognormal", mean=0.25, cv=0.8))
        }
    )

    @field_validator("types")
    @classmethod
    def _shares_sum_to_one(cls, types: dict[str, TicketType]) -> dict[str, TicketType]:
        if not types:
            raise ValueError("at least one ticket type is needed")
        total = sum(t.share for t in types.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"shares must sum to 1 (got {total:g})")
        return types

    @property
    def mean_handle_hours(self) -> float:
        """A specialist's mean handle time over the ticket mix."""
        return sum(t.share * t.handle_hours.expected for t in self.types.values())

    @property
    def escalation_share(self) -> float:
        """The share of all tickets that escalate."""
        return sum(t.share * t.escalation_rate for t in self.types.values())


class Engineering(Section):
    handoff_days: quantity("lognormal", cv=1.0) = Quantity(dist="lognormal", mean=2, cv=1.0)  # type: ignore[valid-type]
    hours: quantity("lognormal", cv=1.0) = Quantity(dist="lognormal", mean=3, cv=1.0)  # type: ignore[valid-type]
    hourly_cost: NonNeg = 90.0


class _Bounds(Section):
    """Lower bounds of the bands (simulate.domain.bands); below the last bound is red."""

    @model_validator(mode="after")
    def _descending(self) -> _Bounds:
        bounds = [getattr(self, band) for band in BOUNDED]
        if any(a <= b for a, b in itertools.pairwise(bounds)):
            raise ValueError(f"must descend {' > '.join(BOUNDED)} "
                             f"(got {', '.join(f'{b:g}' for b in bounds)})")
        return self

    def as_tuple(self) -> tuple[float, ...]:
        return tuple(getattr(self, band) for band in BOUNDED)


Bands = create_model(  # type: ignore[call-overload]
    "Bands", __base__=_Bounds,
    **{b.name: (Points, b.lower_bound) for b in BAND_ROWS if b.lower_bound is not None})


class Shock(Section):
    per_year: NonNeg = 0.5
    points: NonNeg = 15.0


class Health(Section):
    bands: Bands = Bands()
    initial: quantity("normal", sd=12) = Quantity(dist="normal", mean=70, sd=12)  # type: ignore[valid-type]
    go_live: Points = 80.0
    late_go_live_per_day: NonNeg = 0.5
    decay_per_month: NonNeg = 3.0
    level: Points = Field(60.0, description="health points scores revert to between events, "
                          "before decay and digital touches (per segment: segments.<s>.health_level)")
    level_sd: NonNeg = Field(
        10.0, description="spread of accounts' own levels around their segment's (health points)")
    reversion_per_month: Annotated[float, Field(ge=0, lt=1), Number] = Field(
        0.3, description="share of the gap to the resting level closed per business month")
    handoff_points: NonNeg = Field(
        3.0, description="health points an account loses when it moves to a new CSM's book")
    hold_days: NonNeg = Field(
        20.0, description="business days a band change must hold to count as a win or a save")
    touch: NonNeg = 6.0
    digital_touch: NonNeg = 2.0
    ticket_resolved: NonNeg = 1.0
    late_per_sla: NonNeg = 4.0
    shock: Shock = Shock()


class Renewal(Section):
    lead_days: NonNeg = 40.0
    work_block_hours: Positive = Field(
        2.0, description="renewal preparation is worked in blocks of at most this many hours, "
        "with tickets answered between blocks")
    probability: BandProbabilities = BandProbabilities(  # type: ignore[valid-type]
        **{b.name: b.renewal_probability for b in BAND_ROWS})
    unworked_factor: Probability = 0.9
    expansion_probability: BandProbabilities = BandProbabilities(  # type: ignore[valid-type]
        **{b.name: b.expansion_probability for b in BAND_ROWS})
    expansion_size: NonNeg = 0.20
    contraction_probability: BandProbabilities = Field(  # type: ignore[valid-type]
        default_factory=lambda: BandProbabilities(**{b.name: b.contraction_probability for b in BAND_ROWS}),
        description="chance a renewing account down-sells, by health band")
    contraction_size: Probability = Field(
        0.2, description="share of ACV a down-sell at renewal gives up")

    @model_validator(mode="after")
    def _expand_or_contract(self) -> Renewal:
        for band in BAND_NAMES:
            both = getattr(self.expansion_probability, band) + getattr(self.contraction_probability, band)
            if both > 1 + 1e-9:
                raise ValueError(f"expansion_probability.{band} + contraction_probability.{band} "
                                 f"must be at most 1 (got {both:g})")
        return self


class OptOut(Section):
    share: Probability = 0.0
    per_month_red: Probability = 0.0


class Expansion(Section):
    csql_per_touch: Probability = 0.0
    win_rate: Probability = 0.0
    size: NonNeg = 0.0


class Referrals(Section):
    per_green_account_year: NonNeg = 0.0


