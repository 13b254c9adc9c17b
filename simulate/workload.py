"""Analytic workload: hours of work per role a design routes, and what they imply for staffing.

These are the optimizer's starting points and the capacity command's bounds: expected
volumes × hours per item ÷ productive hours, and Erlang C for the pooled support queue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulate import theory
from simulate.designs import ROUTE_ROLE, Design
from simulate.scenario.schema import Scenario, Segment

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


def csm_hours_per_account_year(scenario: Scenario, segment: Segment, design: Design) -> float:
    """CSM hours one account needs a year under `design`: touches, renewal prep, and its
    tickets and onboarding where the design gives those to the owner CSM."""
    csm = scenario.roles["csm"]
    hours = segment.renewal_hours * csm.factor("renewal") * 12 / segment.contract_months
    if segment.touch_every_days:
        hours += (segment.touch_hours * csm.factor("touch")
                  * scenario.calendar.days_per_year / segment.touch_every_days)
    if ROUTE_ROLE[design.inbound] == "csm":
        hours += segment.tickets_per_month * 12 * mean_handle(scenario) * csm.factor("ticket")
    return hours


def mean_handle(scenario: Scenario) -> float:
    return sum(t.share * t.handle_hours.expected for t in scenario.tickets.types.values())


def escalation_share(scenario: Scenario) -> float:
    return sum(t.share * t.escalation_rate for t in scenario.tickets.types.values())


def monthly_hours(scenario: Scenario, design: Design) -> dict[str, float]:
    """Hours of work a month each role gets under `design`, at mid-horizon volumes."""
    hours = dict.fromkeys(("csm", "support_agent", "implementation", "tech_support"), 0.0)
    onboarder = ROUTE_ROLE[design.onboarding]
    inbound = ROUTE_ROLE[design.inbound]
    sessions_per_month = scenario.calendar.days_per_year / 12 / scenario.onboarding.cohort_every_days
    for segment in scenario.segments.values():
        load = segment_load(scenario, segment)
        hours["csm"] += load.accounts * csm_hours_per_account_year(scenario, segment, design) / 12
        if inbound != "csm":  # the owner CSM's tickets are in the per-account hours above
            hours[inbound] += (load.tickets * mean_handle(scenario)
                               * scenario.roles[inbound].factor("ticket"))
        factor = scenario.roles[onboarder].factor("onboarding")
        if segment.cohort_onboarding and design.cohorts and segment.new_per_month > 0:
            per_cohort = scenario.onboarding.cohort_sessions * scenario.onboarding.session_hours
            hours[onboarder] += sessions_per_month * per_cohort * factor
        else:
            hours[onboarder] += load.new_accounts * segment.onboarding_hours * factor
        if ROUTE_ROLE[design.escalation] == "tech_support":
            hours["tech_support"] += (load.tickets * escalation_share(scenario)
                                      * scenario.engineering.hours.expected
                                      * scenario.roles["tech_support"].factor("escalation"))
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
    handle = mean_handle(scenario) * scenario.roles[role].factor("ticket")
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
    for role in staffed:
        if role == "cs_ops":
            accounts = sum(segment_load(scenario, s).accounts for s in scenario.segments.values())
            counts[role] = max(1, math.ceil(accounts / scenario.cs_ops.accounts_per_ops))
            continue
        counts[role] = max(1, headcount_for(scenario, role, hours.get(role, 0.0)))
    inbound = ROUTE_ROLE[design.inbound]
    if sla_target is not None and inbound != "csm" and inbound in counts:
        counts[inbound] = max(counts[inbound], pooled_for_sla(scenario, inbound, sla_target))
    return counts
