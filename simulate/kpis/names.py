"""The KPIs as words: name, unit, which way is better, whether per segment, whether a headline.

What validation needs to check `targets:` and `decision.margins` (a KPI exists, which way a bare
number points), kept free of numpy and the model so that checking a scenario imports neither;
simulate.kpis.table joins each row to how it is computed. DESIGN.md §6 defines them.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulate.domain.bands import BAND_NAMES
from simulate.domain.roles import QUEUED_ROLES, ROLES


@dataclass(frozen=True)
class KpiName:
    """One KPI as the files, the report and the targets name it."""

    name: str
    unit: str
    better: str  # "lower", "higher" or "" (neither)
    per_segment: bool
    headline: bool = False


NAMES: tuple[KpiName, ...] = (
    KpiName("cs_cost", "USD/yr", "lower", False, True),
    KpiName("total_cost", "USD/yr", "lower", False, True),
    KpiName("cost_to_arr", "ratio", "lower", False, True),
    KpiName("arr_per_csm", "USD", "", False),
    KpiName("accounts_per_csm", "accounts", "", False),
    KpiName("frt_mean_h", "h", "lower", True, True),
    KpiName("frt_p50_h", "h", "lower", True),
    KpiName("frt_p90_h", "h", "lower", True, True),
    KpiName("resolution_mean_h", "h", "lower", True),
    KpiName("resolution_p50_h", "h", "lower", True),
    KpiName("resolution_p90_h", "h", "lower", True, True),
    KpiName("sla_met", "share", "higher", True, True),
    KpiName("escalation_p90_h", "h", "lower", True),
    KpiName("time_to_live_days", "days", "lower", True, True),
    KpiName("touches_on_time", "share", "higher", False),
    KpiName("csm_proactive_share", "share", "higher", False),
    *(KpiName(f"utilization_{role}", "share", "", False) for role in QUEUED_ROLES),
    KpiName("logo_churn", "share/yr", "lower", True, True),
    KpiName("logo_renewal_rate", "share", "higher", True),
    KpiName("dollar_renewal_rate", "share", "higher", True),
    KpiName("grr", "share", "higher", True, True),
    KpiName("nrr", "share", "higher", True, True),
    KpiName("arr_end", "USD", "higher", True),
    KpiName("accounts_end", "accounts", "higher", True),
    *(KpiName(f"{band}_share", "share", "higher" if i == 0 else "", True)
      for i, band in enumerate(BAND_NAMES)),
    KpiName("saves", "per yr", "", False),
    KpiName("wins", "per yr", "", False),
    KpiName("saved_arr_renewed", "USD/yr", "higher", False),
    KpiName("expansion_arr", "USD/yr", "higher", False),
    KpiName("referral_accounts", "per yr", "higher", False),
    KpiName("variable_pay", "USD/yr", "", False),  # in cs_cost (issue 16)
    *(KpiName(f"variable_pay_{role}", "USD/yr", "", False) for role in ROLES),
    KpiName("sales_renewal_commission", "USD/yr", "", False),  # in total_cost
    KpiName("sales_commission", "USD/yr", "", False),  # in total_cost
    KpiName("sales_renewal_cost", "USD/yr", "", False),  # in total_cost
)
BETTER: dict[str, str] = {k.name: k.better for k in NAMES}
