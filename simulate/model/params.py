"""What the model reads of a scenario and a design, frozen and in model units (business hours,
rates per hour), built once per replication: entities read these, never the scenario file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from simulate.domain.designs import Design
from simulate.domain.roles import ROLE
from simulate.domain.work import KIND_NAMES
from simulate.model.health import HealthRules
from simulate.model.segments import SegmentModel, TicketMix, segment_models
from simulate.model.tiers import TierRules
from simulate.scenario.quantity import Quantity
from simulate.scenario.schema import Policy, Scenario


@dataclass(frozen=True)
class RoleParams:
    """One role's cost, time away from the queue a day, and time factor per kind of work."""

    annual_cost: float
    productive_share: float
    away_per_day: float  # hours a business day spent away from the queue
    away_blocks: int  # in this many blocks a day
    ramp: float  # hours from hire to full productivity
    leave_rate: float  # departures per hour per person (attrition)
    factors: Mapping[str, float]


@dataclass(frozen=True)
class Params:
    """One replication's parameters: one scenario under one design."""

    design: Design
    hours_per_day: float
    hours_per_month: float
    hours_per_year: float
    horizon: float
    window_start: float  # the end of warm-up: statistics count from here
    months: int  # month-end reviews, the last one at the horizon
    segments: tuple[SegmentModel, ...]
    ticket_mix: TicketMix
    health: HealthRules
    initial_health: Quantity
    roles: Mapping[str, RoleParams]
    policies: Mapping[str, Policy]  # this design's staffing, by role
    hiring_lag: float
    hire_ahead: bool  # review staffing against the drivers forecast over the hiring lag
    # onboarding
    session_hours: float
    between_sessions: float
    cohort_every: float
    cohort_sessions: int
    cohort_size: int
    # tickets and their service
    band_factor: tuple[float, ...]
    onboarding_factor: float
    sla_first: float
    sla_resolution: float
    internal_handoff: float
    # contract, retention and revenue
    renewal_lead: float
    renewal_block: float  # renewal preparation is worked in pieces of at most this (hours)
    renew_probability: tuple[float, ...]
    unworked_factor: float
    expansion_probability: tuple[float, ...]
    expansion_size: float
    contraction_probability: tuple[float, ...]
    contraction_size: float
    opt_out_share: float
    opt_out_rate: float  # per hour, while red
    referral_rate: float  # per hour, while green
    shock_mean_gap: float  # hours between shocks (0: none)
    csql_per_touch: float
    csql_win_rate: float
    csql_size: float
    # cs_ops
    accounts_per_ops: float
    efficiency_gain: float
    tiers: TierRules | None = None  # A/B/C tiers, where the scenario sets them

    @classmethod
    def of(cls, sc: Scenario, design: Design) -> Params:
        hpm, hpy = sc.hours_per_month, sc.hours_per_year
        per_year = sc.health.shock.per_year
        roles = {
            name: RoleParams(spec.annual_cost, spec.productive_share,
                             (1.0 - spec.productive_share) * sc.calendar.hours_per_day,
                             spec.away_blocks_per_day,
                             sc.days(spec.ramp_days if spec.ramp_days is not None
                                     else ROLE[name].ramp_days),
                             (spec.attrition_per_year if spec.attrition_per_year is not None
                              else ROLE[name].attrition) / hpy,
                             {k: spec.factor(k) for k in KIND_NAMES})
            for name, spec in sc.roles.items()
        }
        return cls(
            design=design,
            hours_per_day=sc.calendar.hours_per_day,
            hours_per_month=hpm,
            hours_per_year=hpy,
            horizon=sc.horizon_months * hpm,
            window_start=sc.warmup_months * hpm,
            months=int(sc.horizon_months + 1e-9),
            segments=tuple(segment_models(sc, design)),
            ticket_mix=TicketMix(sc),
            health=HealthRules.of(sc),
            initial_health=sc.health.initial,
            roles=MappingProxyType(roles),
            policies=MappingProxyType(dict(sc.staffing.plans[design.name])),
            hiring_lag=sc.days(sc.staffing.hiring_lag_days),
            hire_ahead=sc.staffing.hire_ahead,
            session_hours=sc.onboarding.session_hours,
            between_sessions=sc.days(sc.onboarding.days_between_sessions),
            cohort_every=sc.days(sc.onboarding.cohort_every_days),
            cohort_sessions=sc.onboarding.cohort_sessions,
            cohort_size=sc.onboarding.cohort_size,
            band_factor=sc.tickets.band_factor.as_tuple(),
            onboarding_factor=sc.tickets.onboarding_factor,
            sla_first=sc.sla.first_response_hours,
            sla_resolution=sc.sla.resolution_hours,
            internal_handoff=sc.internal_handoff_hours,
            renewal_lead=sc.days(sc.renewal.lead_days),
            renewal_block=sc.renewal.work_block_hours,
            renew_probability=sc.renewal.probability.as_tuple(),
            unworked_factor=sc.renewal.unworked_factor,
            expansion_probability=sc.renewal.expansion_probability.as_tuple(),
            expansion_size=sc.renewal.expansion_size,
            contraction_probability=sc.renewal.contraction_probability.as_tuple(),
            contraction_size=sc.renewal.contraction_size,
            opt_out_share=sc.opt_out.share,
            opt_out_rate=sc.opt_out.per_month_red / hpm,
            referral_rate=sc.referrals.per_green_account_year / hpy,
            shock_mean_gap=hpy / per_year if per_year > 0 else 0.0,
            csql_per_touch=sc.expansion.csql_per_touch,
            csql_win_rate=sc.expansion.win_rate,
            csql_size=sc.expansion.size,
            accounts_per_ops=sc.cs_ops.accounts_per_ops,
            efficiency_gain=sc.cs_ops.efficiency_gain,
            tiers=TierRules.of(sc),
        )

    def expected_volumes(self) -> dict[str, float]:
        """Monthly flows the initial book is expected to bring (for staffing at time 0), by
        staffing measure; stocks are filled in by the caller."""
        tickets = sum(s.initial_accounts * s.spec.tickets_per_month for s in self.segments)
        return {
            "tickets_per_month": tickets,
            "new_accounts_per_month": sum(s.spec.new_per_month for s in self.segments),
            "escalations_per_month": tickets * self.ticket_mix.escalation_share,
        }

    def late_penalty(self, first_response: float, resolution: float) -> float:
        """Health points lost for each SLA-multiple of lateness."""
        late = max(0.0, first_response - self.sla_first) / self.sla_first
        late += max(0.0, resolution - self.sla_resolution) / self.sla_resolution
        return self.health.late_per_sla * late
