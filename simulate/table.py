"""The terminal comparison: designs as columns, headline KPIs as rows (mean ± half-interval)."""

from __future__ import annotations

import pandas as pd
from rich.table import Table

from simulate import units
from simulate.kpis import KPIS


def _cell(row: pd.Series, unit: str) -> str:
    """mean ± half the 95% interval, in the KPI's unit."""
    return units.spread(row["mean"], row["ci_low"], row["ci_high"], unit)


def unstable_lines(unstable: dict[str, dict[str, int]], replications: int) -> list[str]:
    """One warning per design and role whose queue grew without bound."""
    return [f"⚠ {design} unstable: {role} queue grows without bound "
            f"({count}/{replications} replications); its KPIs understate the wait"
            for design, roles in unstable.items() for role, count in roles.items()]


def comparison(summary: pd.DataFrame, designs: list[str], title: str) -> Table:
    """A rich table of the headline KPIs for the whole book over the whole measured period."""
    table = Table(title=title, title_justify="left")
    table.add_column("KPI", style="bold")
    for design in designs:
        table.add_column(design, justify="right")
    whole = summary["segment"] == "all"
    if "window" in summary.columns:
        whole &= summary["window"] == "all"
    book = summary[whole].set_index(["kpi", "design"])
    for kpi in (k for k in KPIS if k.headline):
        cells = [_cell(book.loc[(kpi.name, d)], kpi.unit) if (kpi.name, d) in book.index
                 else units.MISSING for d in designs]
        arrow = {"lower": " ↓", "higher": " ↑"}.get(kpi.better, "")
        table.add_row(f"{kpi.name}{arrow}", *cells)
    return table

