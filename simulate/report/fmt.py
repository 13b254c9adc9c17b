"""How KPI values and differences read in the report and in `orgsim compare`.

Units, directions and the headline flag come from `simulate.kpis.BY_NAME`; this module only
turns numbers into words. Labels are the reader's names for the KPIs the prose talks about.
"""

from __future__ import annotations

import math

from simulate.kpis import BY_NAME
from simulate.table import UNIT_FORMAT

# "per yr" is a rate of the book for churn but a count for saves, wins and referrals.
RATE_PER_YEAR = frozenset({"logo_churn"})

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


def finite(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


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
    """Shares and rates: differences read in percentage points, values in percent."""
    return unit(kpi) in ("share", "ratio") or kpi in RATE_PER_YEAR


def value(v: float, kpi: str) -> str:
    """One value of `kpi` in its unit: $3.42M, 14.7%, 0.50 h, 15.1 d, 1,024."""
    if not finite(v):
        return "–"
    u = unit(kpi)
    if u == "per yr" and kpi not in RATE_PER_YEAR:
        return f"{v:,.0f}/yr" if abs(v) >= 100 else f"{v:,.1f}/yr"
    return UNIT_FORMAT.get(u, lambda x: f"{x:,.3g}")(v)


def spread(mean: float, low: float, high: float, kpi: str) -> str:
    """mean ± half the 95% interval (the mean alone when there is no interval)."""
    if not finite(mean):
        return "–"
    if not (finite(low) and finite(high)):
        return value(mean, kpi)
    return f"{value(mean, kpi)} ± {value((high - low) / 2, kpi)}"


def signed(d: float, kpi: str) -> str:
    """An absolute difference with its sign: +4.2 pts, −$441k, +0.25 h."""
    if not finite(d):
        return "–"
    if is_share(kpi):
        text = f"{abs(100 * d):.1f} pts"
        zero = text == "0.0 pts"
    else:
        text = value(abs(d), kpi)
        zero = d == 0
    return text if zero else f"{'+' if d > 0 else '−'}{text}"


def percent(x: float) -> str:
    """A relative change as a signed percentage: +8%, −41%, +0.4%, −0.05% (more digits when
    small, so that a bound near zero does not read as zero)."""
    if not finite(x):
        return "–"
    magnitude = abs(100 * x)
    if magnitude == 0:
        return "0%"
    digits = next((i for i, floor in enumerate((10, 0.1, 0.01)) if magnitude >= floor), 3)
    text = f"{magnitude:.{digits}f}%"
    return text if float(text[:-1]) == 0 else f"{'+' if x > 0 else '−'}{text}"
