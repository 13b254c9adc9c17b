"""A segment's parameters in model units (business hours), precomputed once per run."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulate.domain.designs import Design
from simulate.domain.routes import OWNER
from simulate.scenario.quantity import Quantity
from simulate.scenario.schema import Scenario, Segment


@dataclass(frozen=True)
class SegmentModel:
    """What the model needs of one segment, with times in hours and rates per hour."""

    index: int
    name: str
    spec: Segment
    acv: Quantity
    initial_accounts: int
    new_per_hour: float
    ticket_rate: float  # per hour, before band and onboarding factors
    touch_every: float | None  # hours, or None for no CSM touches
    touch_grace: float  # hours after its due time a touch is still on time
    touch_hours: float
    renewal_hours: float
    onboarding_hours: float
    session_hours: float  # one-to-one onboarding: hours a session lasts at most
    between_sessions: float  # one-to-one onboarding: hours between two sessions of an account
    target_hours: float  # onboarding target, hours
    contract_hours: float
    renewal_risk: float
    acv_mean: float  # the segment's mean ACV, what renewal risk's ACV elasticity compares to
    acv_elasticity: float
    cohort: bool  # onboarded one-to-many under this design
    digital: bool
    health_level: float  # the level health reverts to
    weight: float  # expected CSM hours a year for one account of this segment, under this design
    onboarding_weight: float  # CSM hours of onboarding a new account brings, under this design
    ticket_block: int  # how many tickets to draw at a time for one account
    touch_block: int  # how many touches' CSQL draws at a time


def csm_hours_per_account_year(scenario: Scenario, seg: Segment, design: Design) -> float:
    """CSM hours one account of `seg` needs a year under `design`: touches, renewal prep where
    the CSM owns renewals, and its tickets where the design gives them to the owner CSM
    (onboarding aside)."""
    hpm, hpy = scenario.hours_per_month, scenario.hours_per_year
    csm = scenario.roles["csm"]
    touch_every = scenario.days(seg.touch_every_days) if seg.touch_every_days else None
    hours = 0.0
    if design.route("renewal_owner").target == OWNER:
        hours += seg.renewal_hours * csm.factor("renewal") * hpy / (seg.contract_months * hpm)
    if touch_every:
        hours += seg.touch_hours * csm.factor("touch") * hpy / touch_every
    if design.route("inbound").target == OWNER:
        hours += seg.tickets_per_month * 12 * scenario.tickets.mean_handle_hours * csm.factor("ticket")
    return hours


def segment_models(scenario: Scenario, design: Design) -> list[SegmentModel]:
    """The scenario's segments, in file order, for one design."""
    hpm = scenario.hours_per_month
    csm = scenario.roles["csm"]
    onboards_owner = design.route("onboarding").target == OWNER
    models = []
    for index, (name, seg) in enumerate(scenario.segments.items()):
        touch_every = scenario.days(seg.touch_every_days) if seg.touch_every_days else None
        cohort = seg.cohort_onboarding and design.cohorts
        session_hours, days_between = scenario.onboarding.one_to_one(seg)
        models.append(
            SegmentModel(
                index=index,
                name=name,
                spec=seg,
                acv=seg.acv,
                initial_accounts=seg.initial_accounts,
                new_per_hour=seg.new_per_month / hpm,
                ticket_rate=seg.tickets_per_month / hpm,
                touch_every=touch_every,
                touch_grace=(scenario.days(seg.touch_grace_days) if seg.touch_grace_days is not None
                             else 0.1 * touch_every if touch_every else 0.0),
                touch_hours=seg.touch_hours,
                renewal_hours=seg.renewal_hours,
                onboarding_hours=seg.onboarding_hours,
                session_hours=session_hours,
                between_sessions=scenario.days(days_between),
                target_hours=scenario.days(seg.onboarding_target_days),
                contract_hours=seg.contract_months * hpm,
                renewal_risk=seg.renewal_risk,
                acv_mean=seg.acv.expected,
                acv_elasticity=seg.renewal_acv_elasticity,
                cohort=cohort,
                digital=seg.digital_touch,
                health_level=(seg.health_level if seg.health_level is not None
                              else scenario.health.level),
                weight=max(csm_hours_per_account_year(scenario, seg, design), 1e-6),
                onboarding_weight=(seg.onboarding_hours * csm.factor("onboarding")
                                   if onboards_owner and not cohort else 0.0),
                touch_block=_block_size(
                    scenario.horizon_months * hpm / touch_every if touch_every else 0),
                ticket_block=_block_size(seg.tickets_per_month * scenario.horizon_months),
            )
        )
    return models


def _block_size(expected: float) -> int:
    """Draw about one horizon's worth at a time: few generator resets, bounded memory."""
    return int(min(64, max(4, math.ceil(1.2 * expected))))


class TicketMix:
    """Ticket types as arrays, to draw a block of an account's tickets at once."""

    def __init__(self, scenario: Scenario):
        types = list(scenario.tickets.types.values())
        self.names = list(scenario.tickets.types)
        self.cum_share = np.cumsum([t.share for t in types])
        self.cum_share[-1] = 1.0
        self.handle = [t.handle_hours for t in types]
        self.escalation_rate = np.array([t.escalation_rate for t in types])
        self.escalation_share = scenario.tickets.escalation_share
        self.handoff = scenario.engineering.handoff_days
        self.engineering = scenario.engineering.hours
        self.hours_per_day = scenario.calendar.hours_per_day

    def block(self, gen: np.random.Generator, n: int) -> np.ndarray:
        """`n` tickets, a row each: (gap, type, handle hours, escalates, handoff hours,
        engineering hours); the gap is a unit exponential for the account's ticket clock."""
        gap = gen.standard_exponential(n)
        kind = np.searchsorted(self.cum_share, gen.random(n), side="right")
        kind = np.minimum(kind, len(self.handle) - 1)
        handle = np.empty(n)
        for k, dist in enumerate(self.handle):
            mask = kind == k
            count = int(mask.sum())
            if count:
                handle[mask] = dist.sample(gen, count)
        escalates = gen.random(n) < self.escalation_rate[kind]
        handoff = self.handoff.sample(gen, n) * self.hours_per_day
        engineering = self.engineering.sample(gen, n)
        return np.column_stack((gap, kind, handle, escalates, handoff, engineering))
