"""How KPI values and differences read in the report and in `orgsim compare`.

Units, directions and the headline flag come from `simulate.kpis.BY_NAME`; this module only
turns numbers into words. Labels are the reader's names for the KPIs the prose talks about.
"""

from __future__ import annotations

from simulate import units
from simulate.kpis import BY_NAME

LABELS = {
    "cs_cost": "CS cost",
    "total_cost": "total cost",
    "cost_to_arr": "CS cost ÷ ARR",
    "frt_mean_h": "mean first response",
    "frt_p50_h": "median first response",
    "frt_p90_h": "p90 first response",
    "resolution_p50_h": "median resolution time",
    "resolution_p90_h": "p90 resolution time",
    "sla_met": "first-response SLA met",
    "escalation_p90_h": "p90 escalation time",
    "time_to_live_days": "time to live",
    "touches_on_time": "touches on time",
    "csm_proactive_share": "CSM proactive time",
    "logo_churn": "logo churn",
    "logo_renewal_rate": "logo renewal rate",
    "grr": "GRR",
    "nrr": "NRR",
    "arr_end": "ARR at horizon",
    "accounts_end": "accounts at horizon",
}


finite = units.finite


def label(kpi: str) -> str:
    if kpi in LABELS:
        return LABELS[kpi]
    if kpi.startswith("utilization_"):
        return f"{kpi.removeprefix('utilization_').replace('_', ' ')} utilization"
    return kpi.replace("_", " ")


def unit(kpi: str) -> str:
    known = BY_NAME.get(kpi)
    return known.unit if known else ""


def better(kpi: str) -> str:
    known = BY_NAME.get(kpi)
    return known.better if known else ""


def is_share(kpi: str) -> bool:
    """Shares and rates of the book: differences read in percentage points, values in percent."""
    return units.BY_NAME[unit(kpi)].share


def relative(kpi: str) -> bool:
    """Whether designs contrast on `kpi` by relative change (−41%) rather than by points."""
    return units.BY_NAME[unit(kpi)].relative


def value(v: float, kpi: str) -> str:
    """One value of `kpi` in its unit: $3.42M, 14.7%, 0.50 h, 15.1 d, 1,024."""
    return units.value(v, unit(kpi))


def spread(mean: float, low: float, high: float, kpi: str) -> str:
    """mean ± half the 95% interval (the mean alone when there is no interval)."""
    return units.spread(mean, low, high, unit(kpi))


def signed(d: float, kpi: str) -> str:
    """An absolute difference with its sign: +4.2 pts, −$441k, +0.25 h."""
    return units.signed(d, unit(kpi))


percent = units.percent_change
