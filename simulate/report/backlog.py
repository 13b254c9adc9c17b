"""When and how fast a flagged queue grows, read back from monthly.csv: the report's words
beside manifest.json's `unstable` flag, which only counts replications.

Each replication's `queue_<role>` series goes through the same `growth` the runner flagged it
with (simulate.kpis.overload), so the month and the rate are the detector's own: since which
month end the backlog grows, its least-squares slope over the last months, and how long it is at
the last month end; the report gives the median over the replications that grow, and the range
of their months.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate import units
from simulate.kpis import growth
from simulate.report.data import RunData


@dataclass(frozen=True)
class Backlog:
    """One design's flagged role, over the replications whose backlog grows."""

    replications: int
    since: int  # the lower median of their months (0: from the start)
    since_low: int
    since_high: int
    per_month: float  # median slope, items a month
    end: float  # median items waiting at the last month end
    end_month: int
    months: int  # month ends the slope is fitted on

    @property
    def sentence(self) -> str:
        """'its backlog has grown since month 15 (median of 4 replications; 14–18) by about 210 a
        month over the last 12 months, to 2,060 waiting at month 26'."""
        when = "since the start of the run" if self.since == 0 else f"since month {self.since}"
        if self.replications > 1:
            spread = (f"; {self.since_low}–{self.since_high}" if self.since_low < self.since_high
                      else ", the same in each")
            when += f" (median of {self.replications} replications{spread})"
        return (f"its backlog has grown {when} by about {units.count(self.per_month)} a month over "
                f"the last {self.months} months, to {units.count(self.end)} waiting at month "
                f"{self.end_month}")


def backlog(run: RunData, design: str, role: str) -> Backlog | None:
    """The growth of `design`'s `role` queue in monthly.csv; None when the file, the series or
    any growing replication is missing."""
    monthly, column = run.monthly, f"queue_{role}"
    if monthly is None or not {"design", "replication", "month", column} <= set(monthly.columns):
        return None
    warmup = run.scenario.get("warmup_months")
    measured_after = float(warmup) if units.finite(warmup) else 0.0
    found, ends = [], []
    rows = monthly[monthly["design"] == design]
    for _, one in rows.groupby("replication", sort=True):
        one = one.sort_values("month")
        months = one["month"].to_numpy(dtype=float)
        g = growth(months, one[column].to_numpy(dtype=float), measured_after)
        if g is not None:
            found.append(g)
            ends.append(int(months[-1]))
    if not found:
        return None
    since = sorted(g.since for g in found)
    return Backlog(len(found), since[(len(since) - 1) // 2], since[0], since[-1],
                   float(np.median([g.per_month for g in found])),
                   float(np.median([g.end for g in found])), max(ends),
                   max(g.months for g in found))

