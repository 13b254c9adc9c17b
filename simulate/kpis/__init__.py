"""KPIs: one replication's record → numbers, as a table of rows (simulate.kpis.table).

Other layers import these names from here; the modules beside this one say how each is made:
names (each KPI's name, unit and better direction, free of numpy), facts (the record as columns,
and windows), cohorts (churn, GRR, NRR), service (tickets, touches, time to live, people's time),
money (cost, renewals, flows, the book at a window's end), overload (roles whose backlog keeps
growing). The names are loaded on first use, so that importing simulate.kpis.names (validation
does) does not load numpy and the model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOME = {
    **dict.fromkeys(("Facts", "Window", "windows"), "simulate.kpis.facts"),
    **dict.fromkeys(("Growth", "growth", "overload", "overloaded"), "simulate.kpis.overload"),
    **dict.fromkeys(("BY_NAME", "KPIS", "QUANTILES", "Kpi", "distributions", "measure",
                     "measure_windows"), "simulate.kpis.table"),
}

__all__ = ["BY_NAME", "KPIS", "QUANTILES", "Facts", "Growth", "Kpi", "Window", "distributions", "growth",
           "measure", "measure_windows", "overload", "overloaded", "windows"]


def __getattr__(name: str) -> Any:
    """A name of __all__, from the module it lives in (imported now if not yet)."""
    if name not in _HOME:
        raise AttributeError(f"module 'simulate.kpis' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOME[name]), name)
