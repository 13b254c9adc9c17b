"""What the report and `orgsim compare` say about a KPI: its reader's label, its unit and which
way is better, looked up in the KPI table (`simulate.kpis.BY_NAME`). Numbers are worded by
`simulate.units`, from the unit named here.
"""

from __future__ import annotations

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


def label(kpi: str) -> str:
    if kpi in LABELS:
        return LABELS[kpi]
    if kpi.startswith("utilization_"):
        return f"{kpi.removeprefix('utilization_').replace('_', ' ')} utilization"
    return kpi.replace("_", " ")


def unit(kpi: str) -> str:
    """The name of `kpi`'s unit, a row of `simulate.units` ("" for a KPI this version lacks)."""
    known = BY_NAME.get(kpi)
    return known.unit if known else ""


def better(kpi: str) -> str:
    """Which way is better: "lower", "higher" or "" (neither, or a KPI this version lacks)."""
    known = BY_NAME.get(kpi)
    return known.better if known else ""
