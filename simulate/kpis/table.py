"""KPIs as a table: name, unit, which way is better, whether per segment, and how computed.

`measure(record, scenario)` turns one replication's record into `{(segment, kpi): value}` over
the whole measured period; `measure_windows` gives `{(segment, window, kpi): value}` for every
window (`simulate.kpis.facts.windows`). `segment` is "all" for the whole book. Summary, report
and optimizer read the same table; docs/kpis.md gives each formula and its source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulate.domain.bands import BAND_NAMES
from simulate.domain.roles import QUEUED_ROLES, ROLES
from simulate.kpis.cohorts import grr, logo_churn, nrr
from simulate.kpis.facts import Facts, Window, windows
from simulate.kpis.money import (
    accounts_end,
    arr_end,
    band_share,
    cost_to_arr,
    cs_cost,
    dollar_renewal_rate,
    expansion_arr,
    logo_renewal_rate,
    referral_accounts,
    rescues,
    saved_arr_renewed,
    total_cost,
)
from simulate.kpis.names import NAMES
from simulate.kpis.pay import (
    sales_commission,
    sales_renewal_commission,
    sales_renewal_cost,
    variable_pay,
    variable_pay_of,
)
from simulate.kpis.service import (
    csm_proactive_share,
    escalation_p90,
    frt,
    mean,
    pct,
    ratio,
    resolution,
    sla_met,
    time_to_live_days,
    touches_on_time,
    utilization,
)
from simulate.kpis.tiers import measure_tiers
from simulate.model.record import SAVE, WIN, Record
from simulate.scenario.schema import Scenario


@dataclass(frozen=True)
class Kpi:
    """One KPI: how it reads and how it is computed from one window of a replication."""

    name: str
    unit: str
    better: str  # "lower", "higher" or "" (neither)
    per_segment: bool
    compute: Callable[[Window, int | None], float]
    headline: bool = False


# How each KPI of simulate.kpis.names is computed from a window (and a segment, or None).
COMPUTE: dict[str, Callable[[Window, int | None], float]] = {
    "cs_cost": cs_cost,
    "total_cost": total_cost,
    "cost_to_arr": cost_to_arr,
    "arr_per_csm": lambda w, s: ratio(w.mean_series("arr"), w.mean_series("headcount_csm")),
    "accounts_per_csm": lambda w, s: ratio(w.mean_series("accounts"), w.mean_series("headcount_csm")),
    "frt_mean_h": lambda w, s: mean(frt(w, s)),
    "frt_p50_h": lambda w, s: pct(frt(w, s), 50),
    "frt_p90_h": lambda w, s: pct(frt(w, s), 90),
    "resolution_mean_h": lambda w, s: mean(resolution(w, s)),
    "resolution_p50_h": lambda w, s: pct(resolution(w, s), 50),
    "resolution_p90_h": lambda w, s: pct(resolution(w, s), 90),
    "sla_met": sla_met,
    "escalation_p90_h": escalation_p90,
    "time_to_live_days": time_to_live_days,
    "touches_on_time": touches_on_time,
    "csm_proactive_share": csm_proactive_share,
    **{f"utilization_{role}": utilization(role) for role in QUEUED_ROLES},
    "logo_churn": logo_churn,
    "logo_renewal_rate": logo_renewal_rate,
    "dollar_renewal_rate": dollar_renewal_rate,
    "grr": grr,
    "nrr": nrr,
    "arr_end": arr_end,
    "accounts_end": accounts_end,
    **{f"{band}_share": band_share(i, band) for i, band in enumerate(BAND_NAMES)},
    "saves": rescues(SAVE),
    "wins": rescues(WIN),
    "saved_arr_renewed": saved_arr_renewed,
    "expansion_arr": expansion_arr,
    "referral_accounts": referral_accounts,
    "variable_pay": variable_pay,
    **{f"variable_pay_{role}": variable_pay_of(role) for role in ROLES},
    "sales_renewal_commission": sales_renewal_commission,
    "sales_commission": sales_commission,
    "sales_renewal_cost": sales_renewal_cost,
}

KPIS: tuple[Kpi, ...] = tuple(Kpi(k.name, k.unit, k.better, k.per_segment, COMPUTE[k.name], k.headline)
                              for k in NAMES)
BY_NAME = {k.name: k for k in KPIS}


QUANTILES = np.linspace(0, 100, 101)


def distributions(record: Record, scenario: Scenario, facts: Facts | None = None) -> dict[str, list[float]]:
    """Percentiles 0–100 of first response and resolution (hours) over the window: what
    the report's ECDFs are drawn from without keeping every ticket."""
    whole = (facts or Facts(record, scenario)).all
    return {name: (np.percentile(values, QUANTILES).tolist() if len(values) else [])
            for name, values in (("frt_h", frt(whole, None)), ("resolution_h", resolution(whole, None)))}


def _measure(w: Window) -> dict[tuple[str, str], float]:
    values: dict[tuple[str, str], float] = {}
    for kpi in KPIS:
        values[("all", kpi.name)] = float(kpi.compute(w, None))
        if kpi.per_segment:
            for index, name in enumerate(w.facts.segments):
                values[(name, kpi.name)] = float(kpi.compute(w, index))
    values.update(measure_tiers(w))
    return values


def measure(record: Record, scenario: Scenario, facts: Facts | None = None) -> dict[tuple[str, str], float]:
    """Every KPI of one replication over the whole measured period: {("all" or segment, kpi): value}."""
    return _measure((facts or Facts(record, scenario)).all)


def measure_windows(record: Record, scenario: Scenario,
                    facts: Facts | None = None) -> dict[tuple[str, str, str], float]:
    """Every KPI of one replication in every window: {("all" or segment, window, kpi): value}."""
    facts = facts or Facts(record, scenario)
    return {(segment, name, kpi): value
            for name, start, end in windows(record, scenario)
            for (segment, kpi), value in _measure(facts.window(start, end)).items()}
