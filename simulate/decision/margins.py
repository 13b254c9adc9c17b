"""Practical margins: the smallest difference in a KPI that matters to a decision (issue 11).

A margin is relative (a share of the comparison design's mean: costs, response times) or absolute
in the KPI's own unit (points of churn, days to live). Defaults are a table, one row per KPI; a
scenario's `decision.margins` overrides a row's size. They are judgement, not data: docs say so.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Margin:
    """A difference smaller than `size` does not matter for `kpi`: relative (a share of the
    comparison design's mean) or absolute (in the KPI's unit: 0.005 is half a point of a share)."""

    kpi: str
    size: float
    relative: bool

    def absolute(self, base: float) -> float:
        """The margin in the KPI's unit, against a comparison design whose mean is `base`."""
        return self.size * abs(base) if self.relative else self.size


DEFAULT_MARGINS: tuple[Margin, ...] = (
    Margin("total_cost", 0.02, relative=True),
    Margin("cs_cost", 0.02, relative=True),
    Margin("cost_to_arr", 0.02, relative=True),
    Margin("frt_p90_h", 0.10, relative=True),
    Margin("frt_p50_h", 0.10, relative=True),
    Margin("frt_mean_h", 0.10, relative=True),
    Margin("resolution_p90_h", 0.10, relative=True),
    Margin("resolution_p50_h", 0.10, relative=True),
    Margin("escalation_p90_h", 0.10, relative=True),
    Margin("sla_met", 0.02, relative=False),
    Margin("time_to_live_days", 2.0, relative=False),
    Margin("logo_churn", 0.005, relative=False),
    Margin("logo_renewal_rate", 0.005, relative=False),
    Margin("grr", 0.005, relative=False),
    Margin("nrr", 0.005, relative=False),
)
DEFAULTS = {m.kpi: m for m in DEFAULT_MARGINS}
