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

# Pointers to the rows of docs/calibration.md §2 that give each default's source and grade.
SEGMENTS = "docs/calibration.md §2 Segments"
ONBOARDING = "docs/calibration.md §2 Onboarding"
TICKETS = "docs/calibration.md §2 Tickets and escalation"
HEALTH = "docs/calibration.md §2 Health"
RENEWAL = "docs/calibration.md §2 Renewal, expansion, opt-out, referrals"


class Segment(Section):
    """One customer segment: its initial book, new-account stream and service needs."""

    initial_accounts: Count = Field(
        0, description="accounts live at time 0, their renewal dates spread over one contract")
    new_per_month: NonNeg = Field(
        0.0, description="new accounts a business month (Poisson); or set new_accounts: for the "
                         "whole company instead, never both")
    acv: quantity("lognormal", "USD per year", cv=0.5) = Field(  # type: ignore[valid-type]
        default_factory=lambda: Quantity(dist="lognormal", mean=10000, cv=0.5),
        description=f"annual contract value, USD per year; a bare number is the mean of a "
                    f"lognormal with cv 0.5 ({SEGMENTS}; A)",
    )
    contract_months: AtLeastOne = Field(
        12, description=f"contract term, business months ({SEGMENTS}; assumption)")
    renewal_risk: NonNeg = Field(
        1.0, description=f"multiplier on the band's non-renewal chance at the segment's mean ACV "
                         f"({SEGMENTS}; assumption, tuned)")
    renewal_acv_elasticity: NonNeg = Field(
        0.0, description="exponent e: renewal risk × (ACV ÷ the segment's mean ACV)^−e, so "
        f"smaller accounts churn more often ({SEGMENTS}; assumption, tuned)")
    onboarding_hours: NonNeg = Field(
        0.0, description=f"specialist business hours of onboarding per account ({SEGMENTS}; "
                         "C / assumption)")
    onboarding_target_days: NonNeg = Field(
        20.0, description="business days from arrival to go-live before go-live health suffers "
                          f"({SEGMENTS}; C)")
    session_hours: Positive | None = Field(
        None, description="business hours a one-to-one onboarding session lasts at most "
        f"(default: onboarding.session_hours; {SEGMENTS}; assumption)")
    days_between_sessions: NonNeg | None = Field(
        None, description="business days of the customer's homework between two one-to-one "
        f"sessions (default: onboarding.days_between_sessions; {SEGMENTS}; assumption)")
    cohort_onboarding: bool = Field(
        False, description="onboarded one-to-many in cohorts where the design does cohorts "
                           f"({SEGMENTS}; B)")
    tickets_per_month: NonNeg = Field(
        0.0, description="tickets per account per business month, before the band and "
                         f"onboarding factors ({SEGMENTS}; C)")
    touch_every_days: Positive | None = Field(
        None, description="business days between proactive CSM touches; null: no touches "
                          f"({SEGMENTS}; B / C / assumption)")
    touch_grace_days: NonNeg | None = Field(
        None, description="business days after its due date a touch still counts as on time "
        f"(touches_on_time); default 10% of touch_every_days ({SEGMENTS}; assumption)")
    touch_hours: NonNeg = Field(1.0, description=f"CSM business hours per touch ({SEGMENTS}; C)")
    health_level: Points | None = Field(
        None, description="health points this segment's scores revert to (default: health.level; "
                          f"{SEGMENTS}; assumption)")
    renewal_hours: NonNeg = Field(
        0.0, description=f"CSM business hours of work per renewal ({SEGMENTS}; C / assumption)")
    digital_touch: bool = Field(
        False, description="gets automated digital touches where cs_ops covers it "
                           f"({SEGMENTS}; B)")


class Onboarding(Section):
    """Sessions (cohorts use these; one-to-one onboarding takes a segment's own values first)
    and the cohort schedule."""

    session_hours: Positive = Field(
        2.0, description="business hours of a cohort session, and of one-to-one sessions in a "
                         f"segment that sets none ({ONBOARDING}; assumption)")
    days_between_sessions: NonNeg = Field(
        2.0, description="business days between two sessions (customer homework), for cohorts "
                         f"and segments that set none ({ONBOARDING}; assumption)")
    cohort_every_days: Positive = Field(
        5.0, description=f"business days between two cohorts' starts ({ONBOARDING}; assumption)")
    cohort_sessions: AtLeastOne = Field(
        3, description=f"sessions per cohort ({ONBOARDING}; assumption)")
    cohort_size: AtLeastOne = Field(
        40, description=f"accounts in one cohort at most ({ONBOARDING}; assumption)")

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
    "BandValues", __base__=_PerBand, __doc__="A multiplier per health band.",
    **{b.name: (NonNeg, Field(description=f"multiplier for accounts in the {b.name} ({b.label}) "
                                          "band")) for b in BAND_ROWS})
BandProbabilities = create_model(  # type: ignore[call-overload]
    "BandProbabilities", __base__=_PerBand, __doc__="A probability per health band.",
    **{b.name: (Probability, Field(description=f"probability 0–1 for accounts in the {b.name} "
                                               f"({b.label}) band")) for b in BAND_ROWS})


class TicketType(Section):
    """One type of ticket: how often, how long, how often it escalates."""

    share: Probability = Field(description=f"share 0–1 of tickets of this type ({TICKETS}; "
                                           "assumption)")
    handle_hours: quantity("lognormal", "business hours", cv=0.8) = Field(  # type: ignore[valid-type]
        description="specialist business hours to handle one; a bare number is the mean of a "
                    f"lognormal with cv 0.8 ({TICKETS}; C / assumption)")
    escalation_rate: Probability = Field(
        0.0, description=f"share 0–1 of this type escalated past the first line ({TICKETS}; C)")


TicketTypeEntry = Annotated[TicketType, Field(description=(
    "one ticket type: its share, handle time and escalation rate"))]


class Tickets(Section):
    """Ticket types and the factors on each account's ticket rate."""

    onboarding_factor: NonNeg = Field(
        1.0, description=f"multiplier on the ticket rate before go-live ({TICKETS}; assumption)")
    band_factor: BandValues = Field(  # type: ignore[valid-type]
        BandValues(**dict.fromkeys(BAND_NAMES, 1)),
        description=f"multiplier on the ticket rate by health band ({TICKETS}; assumption)")
    types: dict[str, TicketTypeEntry] = Field(
        default_factory=lambda: {
            "how_to": TicketType(share=1.0, handle_hours=Quantity(dist="lognormal", mean=0.25, cv=0.8))
        },
        description="ticket types by name (how_to, complaint, technical, …); shares sum to 1",
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
    """R&D, outside the CS org: how long an escalation waits and takes, and what an hour costs."""

    handoff_days: quantity("lognormal", "business days", cv=1.0) = Field(  # type: ignore[valid-type]
        Quantity(dist="lognormal", mean=2, cv=1.0),
        description="business days before R&D starts on an escalation (cross-department "
                    f"handoff); bare number: lognormal mean, cv 1.0 ({TICKETS}; C / assumption)")
    hours: quantity("lognormal", "business hours", cv=1.0) = Field(  # type: ignore[valid-type]
        Quantity(dist="lognormal", mean=3, cv=1.0),
        description="engineering business hours per escalation; bare number: lognormal mean, "
                    f"cv 1.0 ({TICKETS}; C)")
    hourly_cost: NonNeg = Field(
        90.0, description=f"USD per engineering hour, counted in total_cost ({TICKETS}; A, derived)")


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
    **{b.name: (Points, Field(b.lower_bound, description=f"lowest health points of the {b.name} "
                                                         f"({b.label}) band ({HEALTH}; B / assumption)"))
       for b in BAND_ROWS if b.lower_bound is not None})


class Shock(Section):
    """Random events that cost an account health (a champion leaves, a budget is cut)."""

    per_year: NonNeg = Field(
        0.5, description=f"shocks per account per business year, Poisson ({HEALTH}; assumption)")
    points: NonNeg = Field(15.0, description=f"health points a shock takes ({HEALTH}; assumption)")


class Health(Section):
    """The health score (0–100 points): its bands, where it starts and rests, what moves it."""

    bands: Bands = Field(Bands(), description="lower bounds of the health bands, health points")  # type: ignore[valid-type]
    initial: quantity("normal", "health points", sd=12) = Field(  # type: ignore[valid-type]
        Quantity(dist="normal", mean=70, sd=12),
        description="health points of the initial book at time 0; bare number: normal mean, "
                    f"sd 12 ({HEALTH}; assumption)")
    go_live: Points = Field(80.0, description=f"health points at an on-time go-live ({HEALTH}; "
                                              "assumption)")
    late_go_live_per_day: NonNeg = Field(
        0.5, description="health points lost at go-live per business day past "
                         f"onboarding_target_days ({HEALTH}; C / assumption)")
    decay_per_month: NonNeg = Field(
        3.0, description=f"health points lost per business month ({HEALTH}; assumption)")
    level: Points = Field(60.0, description="health points scores revert to between events, "
                          "before decay and digital touches (per segment: segments.<s>.health_level; "
                          f"{HEALTH}; assumption)")
    level_sd: NonNeg = Field(
        10.0, description="spread (sd) of accounts' own levels around their segment's, health "
                          f"points ({HEALTH}; assumption)")
    reversion_per_month: Annotated[float, Field(ge=0, lt=1), Number] = Field(
        0.3, description="share 0–1 of the gap to the resting level closed per business month "
                         f"({HEALTH}; assumption)")
    handoff_points: NonNeg = Field(
        3.0, description="health points an account loses when it moves to a new CSM's book "
                         f"({HEALTH}; C / assumption)")
    hold_days: NonNeg = Field(
        20.0, description="business days a band change must hold to count as a win or a save "
                          f"({HEALTH}; assumption)")
    touch: NonNeg = Field(6.0, description=f"health points a CSM touch adds ({HEALTH}; assumption)")
    digital_touch: NonNeg = Field(
        2.0, description=f"health points an automated digital touch adds ({HEALTH}; assumption)")
    ticket_resolved: NonNeg = Field(
        1.0, description=f"health points a resolved ticket adds ({HEALTH}; assumption)")
    late_per_sla: NonNeg = Field(
        4.0, description="health points a ticket takes per SLA-multiple late, first response "
                         f"and resolution ({HEALTH}; assumption)")
    shock: Shock = Field(Shock(), description="random shocks to an account's health")


class Renewal(Section):
    """Renewal work and the odds at the renewal date, by health band."""

    lead_days: NonNeg = Field(
        40.0, description="business days before the renewal date its CSM work comes due "
                          f"({RENEWAL}; assumption)")
    work_block_hours: Positive = Field(
        2.0, description="renewal preparation is worked in blocks of at most this many business "
        f"hours, with tickets answered between blocks ({RENEWAL}; assumption)")
    probability: BandProbabilities = Field(  # type: ignore[valid-type]
        BandProbabilities(**{b.name: b.renewal_probability for b in BAND_ROWS}),
        description=f"probability 0–1 of renewing, by health band ({RENEWAL}; A−)")
    unworked_factor: Probability = Field(
        0.9, description="multiplier on the renewal probability when the renewal work was never "
                         f"done ({RENEWAL}; assumption)")
    expansion_probability: BandProbabilities = Field(  # type: ignore[valid-type]
        BandProbabilities(**{b.name: b.expansion_probability for b in BAND_ROWS}),
        description="probability 0–1 a renewing account expands, by health band "
                    f"({RENEWAL}; A derived / assumption)")
    expansion_size: NonNeg = Field(
        0.20, description=f"fraction of ACV an expansion at renewal adds ({RENEWAL}; assumption)")
    contraction_probability: BandProbabilities = Field(  # type: ignore[valid-type]
        default_factory=lambda: BandProbabilities(**{b.name: b.contraction_probability for b in BAND_ROWS}),
        description=f"probability 0–1 a renewing account down-sells, by health band ({RENEWAL}; "
                    "assumption)")
    contraction_size: Probability = Field(
        0.2, description=f"share 0–1 of ACV a down-sell at renewal gives up ({RENEWAL}; assumption)")

    @model_validator(mode="after")
    def _expand_or_contract(self) -> Renewal:
        for band in BAND_NAMES:
            both = getattr(self.expansion_probability, band) + getattr(self.contraction_probability, band)
            if both > 1 + 1e-9:
                raise ValueError(f"expansion_probability.{band} + contraction_probability.{band} "
                                 f"must be at most 1 (got {both:g})")
        return self


class OptOut(Section):
    """Contracts that may be left mid-term, and how fast red accounts use that right."""

    share: Probability = Field(
        0.0, description=f"share 0–1 of contracts with a mid-term opt-out right ({RENEWAL}; "
                         "assumption)")
    per_month_red: Probability = Field(
        0.0, description="probability 0–1 per business month that a red account with the right "
                         f"leaves ({RENEWAL}; assumption)")


class Expansion(Section):
    """CS-qualified leads (CSQL) from touches on green accounts."""

    csql_per_touch: Probability = Field(
        0.0, description="probability 0–1 that a touch on a green account yields a CS-qualified "
                         f"lead ({RENEWAL}; assumption, tuned)")
    win_rate: Probability = Field(
        0.0, description=f"share 0–1 of leads won ({RENEWAL}; assumption)")
    size: NonNeg = Field(0.0, description=f"fraction of ACV a won lead adds ({RENEWAL}; assumption)")


class Referrals(Section):
    """New accounts that green accounts bring (CSQA)."""

    per_green_account_year: NonNeg = Field(
        0.0, description="new accounts of its own segment per green account per business year "
                         f"({RENEWAL}; C)")


