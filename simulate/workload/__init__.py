"""Analytic workload: hours of work per role a design routes, and what they imply for staffing.

These are the optimizer's starting points and the capacity command's bounds: expected
volumes × hours per item ÷ productive hours, and Erlang C for the pooled support queue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulate import theory
from simulate.domain.designs import Design
from simulate.domain.roles import BOOK_OWNER, ROLE
from simulate.domain.routes import POOL
from simulate.model.segments import csm_hours_per_account_year
from simulate.scenario.schema import Scenario, Segment

__all__ = ["OCCUPANCY", "csm_hours_per_account_year", "estimate", "mid_drivers", "monthly_hours",
           "segment_load"]

OCCUPANCY = 0.85  # a sustainable share of productive time spent on queued work


@dataclass(frozen=True)
class SegmentLoad:
    """Expected volumes of one segment at mid-horizon, per business month."""

    accounts: float
    new_accounts: float
    tickets: float


def segment_load(scenario: Scenario, segment: Segment) -> SegmentLoad:
    """Accounts at mid-horizon (initial book plus half the horizon's arrivals, less nothing:
    churn and arrivals roughly offset at the baseline), and the monthly flows they bring."""
    accounts = segment.initial_accounts + segment.new_per_month * scenario.horizon_months / 2
    return SegmentLoad(accounts, segment.new_per_month, accounts * segment.tickets_per_month)


def mid_drivers(scenario: Scenario) -> dict[str, float]:
    """The staffing drivers (simulate.domain.drivers measures) expected at mid-horizon: what a
    ratio policy read from `estimate`'s headcounts is anchored to."""
    loads = [(s, segment_load(scenario, s)) for s in scenario.segments.values()]
    tickets = sum(load.tickets for _, load in loads)
    return {"arr": sum(load.accounts * s.acv.expected for s, load in loads),
            "accounts": sum(load.accounts for _, load in loads),
            "tickets_per_month": tickets,
            "new_accounts_per_month": sum(load.new_accounts for _, load in loads),
            "escalations_per_month": tickets * scenario.tickets.escalation_share}


def monthly_hours(scenario: Scenario, design: Design) -> dict[str, float]:
    """Hours of work a month each role gets under `design`, at mid-horizon volumes: the book
    owner's per-account hours, and the work of each route key wherever the design sends it."""
    hours = {r: 0.0 for r in design.roles_used}
    tickets = scenario.tickets
    sessions_per_month = scenario.calendar.days_per_year / 12 / scenario.onboarding.cohort_every_days
    onboarding, inbound, escalation = (design.route(k) for k in ("onboarding", "inbound", "escalation"))
    for segment in scenario.segments.values():
        load = segment_load(scenario, segment)
        hours[BOOK_OWNER] += load.accounts * csm_hours_per_account_year(scenario, segment, design) / 12
        if inbound.target == POOL:  # the owner's tickets are in the per-account hours above
            hours[inbound.role] += (load.tickets * tickets.mean_handle_hours
                                    * scenario.roles[inbound.role].factor("ticket"))
        factor = scenario.roles[onboarding.role].factor("onboarding")
        if segment.cohort_onboarding and design.cohorts and segment.new_per_month > 0:
            per_cohort = scenario.onboarding.cohort_sessions * scenario.onboarding.session_hours
            hours[onboarding.role] += sessions_per_month * per_cohort * factor
        else:
            hours[onboarding.role] += load.new_accounts * segment.onboarding_hours * factor
        renewal = design.route("renewal_owner")
        if renewal.target == POOL:  # renewal prep by a pool (account managers), a term apart
            hours[renewal.role] += (load.accounts * segment.renewal_hours / segment.contract_months
                                    * scenario.roles[renewal.role].factor("renewal"))
        if escalation.target == POOL:
            hours[escalation.role] += (load.tickets * tickets.escalation_share
                                       * scenario.engineering.hours.expected
                                       * scenario.roles[escalation.role].factor("escalation"))
    return hours


def headcount_for(scenario: Scenario, role: str, hours_per_month: float) -> int:
    """People needed to work `hours_per_month` at a sustainable occupancy."""
    productive = scenario.hours_per_month * scenario.roles[role].productive_share * OCCUPANCY
    return max(1, math.ceil(hours_per_month / productive - 1e-9)) if hours_per_month > 0 else 0


def pooled_for_sla(scenario: Scenario, role: str, target_share: float) -> int:
    """Agents an M/M/c pool needs to answer `target_share` of tickets within the SLA
    (Erlang C), with productive share shrinking each agent's presence."""
    tickets_per_hour = sum(segment_load(scenario, s).tickets for s in scenario.segments.values())
    tickets_per_hour /= scenario.hours_per_month
    handle = scenario.tickets.mean_handle_hours * scenario.roles[role].factor("ticket")
    if tickets_per_hour <= 0 or handle <= 0:
        return 0
    servers = theory.min_servers_for_sla(tickets_per_hour, 1 / handle,
                                         scenario.sla.first_response_hours, target_share)
    return math.ceil(servers / scenario.roles[role].productive_share)


def estimate(scenario: Scenario, design: Design, staffed: tuple[str, ...],
             sla_target: float | None) -> dict[str, int]:
    """A starting headcount per role for the optimizer's search."""
    hours = monthly_hours(scenario, design)
    counts = {}
    accounts = sum(segment_load(scenario, s).accounts for s in scenario.segments.values())
    for role in staffed:
        if ROLE[role].covers:  # enough to cover every account
            counts[role] = max(1, math.ceil(accounts / scenario.cs_ops.accounts_per_ops))
            continue
        counts[role] = max(1, headcount_for(scenario, role, hours.get(role, 0.0)))
    inbound = design.route("inbound")
    if sla_target is not None and inbound.target == POOL and inbound.role in counts:
        counts[inbound.role] = max(counts[inbound.role], pooled_for_sla(scenario, inbound.role, sla_target))
    return counts
