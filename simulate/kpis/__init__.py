"""KPIs: one replication's record → numbers, as a table of rows (simulate.kpis.table).

Other layers import these names from here; the modules beside this one say how each is made:
facts (the record as columns, and windows), cohorts (churn, GRR, NRR), service (tickets,
touches, time to live, people's time), money (cost, renewals, flows, the book at a window's end),
overload (roles whose backlog keeps growing).
"""

from simulate.kpis.facts import Facts, Window, windows
from simulate.kpis.overload import Growth, growth, overload, overloaded
from simulate.kpis.table import (
    BY_NAME,
    KPIS,
    QUANTILES,
    Kpi,
    distributions,
    measure,
    measure_windows,
)

__all__ = ["BY_NAME", "KPIS", "QUANTILES", "Facts", "Growth", "Kpi", "Window", "distributions", "growth",
           "measure", "measure_windows", "overload", "overloaded", "windows"]
