"""A segment's parameters in model units (business hours), precomputed once per run."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulate.designs import ROUTE_ROLE, Design
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
    touch_hours: float
    renewal_hours: float
    onboarding_hours: float
    target_hours: float  # onboarding target, hours
    contract_hours: float
    renewal_risk: float
    cohort: bool  # onboarded one-to-many under this design
    digital: bool
    weight: float  # expected CSM hours a year for one account of this segment, under this design
    onboarding_weight: float  # CSM hours of onboarding a new account brings, under this design
    ticket_block: int  # how many tickets to draw at a time for one account
    touch_block: int  # how many touches' CSQL draws at a time


def segment_models(scenario: Scenario, design: Design) -> list[SegmentModel]:
    """The scenario's segments, in file order, for one design."""
    hpm, hpy = scenario.hours_per_month, scenario.hours_per_year
    mean_handle = sum(t.share * t.handle_hours.expected for t in scenario.tickets.types.values())
    csm = scenario.roles["csm"]
    models = []
    for index, (name, seg) in enumerate(scenario.segments.items()):
        touch_every = scenario.days(seg.touch_every_days) if seg.touch_every_days else None
        contract = seg.contract_months * hpm
        tickets_per_year = seg.tickets_per_month * 12
        weight = seg.renewal_hours * csm.factor("renewal") * hpy / contract
        if touch_every:
            weight += seg.touch_hours * csm.factor("touch") * hpy / touch_every
        if design.inbound == "owner_csm":
            weight += tickets_per_year * mean_handle * csm.factor("ticket")
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
                touch_hours=seg.touch_hours,
                renewal_hours=seg.renewal_hours,
                onboarding_hours=seg.onboarding_hours,
                target_hours=scenario.days(seg.onboarding_target_days),
                contract_hours=contract,
                renewal_risk=seg.renewal_risk,
                cohort=seg.cohort_onboarding and design.cohorts,
                digital=seg.digital_touch,
                weight=max(weight, 1e-6),
                onboarding_weight=(seg.onboarding_hours * csm.factor("onboarding")
                                   if ROUTE_ROLE[design.onboarding] == "csm"
                                   and not (seg.cohort_onboarding and design.cohorts) else 0.0),
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
