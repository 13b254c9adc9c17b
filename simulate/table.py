"""The terminal comparison: designs as columns, headline KPIs as rows (mean ± half-interval)."""

from __future__ import annotations

import math

import pandas as pd
from rich.table import Table

from simulate.kpis import KPIS

UNIT_FORMAT = {
    "USD/yr": lambda v: f"${v / 1e6:,.2f}M" if abs(v) >= 1e6 else f"${v / 1e3:,.0f}k",
    "USD": lambda v: f"${v / 1e6:,.2f}M" if abs(v) >= 1e6 else f"${v / 1e3:,.0f}k",
    "share": lambda v: f"{100 * v:.1f}%",
    "ratio": lambda v: f"{100 * v:.1f}%",
    "per yr": lambda v: f"{100 * v:.1f}%",
    "h": lambda v: f"{v:.2f} h",
    "days": lambda v: f"{v:.1f} d",
    "accounts": lambda v: f"{v:,.0f}",
}


def _fmt(value: float, unit: str) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return UNIT_FORMAT.get(unit, lambda v: f"{v:.3g}")(value)


def _cell(row: pd.Series, unit: str) -> str:
    mean = _fmt(row["mean"], unit)
    if not math.isfinite(row["ci_high"]):
        return mean
    half = (row["ci_high"] - row["ci_low"]) / 2
    return f"{mean} ± {_fmt(half, unit)}"


def unstable_lines(unstable: dict[str, dict[str, int]], replications: int) -> list[str]:
    """One warning per design and role whose queue grew without bound."""
    return [f"⚠ {design} unstable: {role} queue grows without bound "
            f"({count}/{replications} replications); its KPIs understate the wait"
            for design, roles in unstable.items() for role, count in roles.items()]


def comparison(summary: pd.DataFrame, designs: list[str], title: str) -> Table:
    """A rich table of the headline KPIs for the whole book."""
    table = Table(title=title, title_justify="left")
    table.add_column("KPI", style="bold")
    for design in designs:
        table.add_column(design, justify="right")
    book = summary[summary["segment"] == "all"].set_index(["kpi", "design"])
    for kpi in (k for k in KPIS if k.headline):
        unit = "per yr" if kpi.name == "logo_churn" else kpi.unit
        cells = [_cell(book.loc[(kpi.name, d)], unit) if (kpi.name, d) in book.index else "–"
                 for d in designs]
        arrow = {"lower": " ↓", "higher": " ↑"}.get(kpi.better, "")
        table.add_row(f"{kpi.name}{arrow}", *cells)
    return table

