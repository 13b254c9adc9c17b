"""KPIs: one replication's record → numbers, as a table of rows (simulate.kpis.table).

Other layers import these names from here; the modules beside this one say how each is made.
"""

from simulate.kpis.table import (
    BY_NAME,
    KPIS,
    QUANTILES,
    Facts,
    Kpi,
    distributions,
    measure,
    overloaded,
)

__all__ = ["BY_NAME", "KPIS", "QUANTILES", "Facts", "Kpi", "distributions", "measure", "overloaded"]
