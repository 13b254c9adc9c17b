"""Several runs' summaries side by side: rows KPI, columns run × design, cells mean ± half the
95% interval, so two scenarios or two staffing plans can be read against each other.

Runs are labelled by scenario name, or by name/run_id where two runs share a scenario. Every
KPI is read over the whole measured period (window "all") unless another window is asked for.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from dataclasses import dataclass

import pandas as pd
from rich.table import Table

from simulate import units
from simulate.kpis import BY_NAME, KPIS
from simulate.report import fmt
from simulate.report.data import RunData, Stat


@dataclass(frozen=True)
class Column:
    run: str
    design: str

    @property
    def name(self) -> str:
        return f"{self.run} {self.design}"


@dataclass
class Comparison:
    segment: str
    window: str
    columns: list[Column]
    kpis: list[str]
    cells: dict[tuple[str, Column], Stat]

    def cell(self, kpi: str, column: Column) -> str:
        s = self.cells.get((kpi, column))
        return units.MISSING if s is None else units.spread(s.mean, s.low, s.high, fmt.unit(kpi))


def labels(runs: list[RunData]) -> list[str]:
    """One distinct label per run: the scenario name, made unique where needed."""
    names = [r.name for r in runs]
    counts = Counter(names)
    out = [f"{r.name}/{r.run_id}" if counts[r.name] > 1 else r.name for r in runs]
    totals, seen = Counter(out), Counter[str]()
    unique = []
    for label in out:  # the same directory given twice
        seen[label] += 1
        unique.append(f"{label}#{seen[label]}" if totals[label] > 1 else label)
    return unique


def segments(runs: list[RunData]) -> list[str]:
    return list(dict.fromkeys(s for r in runs for s in r.segments))


def windows(runs: list[RunData]) -> list[str]:
    """The year windows some run measured ("year1", …), in order."""
    return list(dict.fromkeys(w for r in runs for w in r.windows))


def build(runs: list[RunData], segment: str = "all", headline: bool = False,
          window: str = "all") -> Comparison:
    """The comparison of `runs` for one segment ("all": the whole book) in one window ("all":
    the whole measured period)."""
    columns, cells = [], {}
    measured: set[str] = set()
    for label, run in zip(labels(runs), runs, strict=True):
        for design in run.designs:
            column = Column(label, design)
            columns.append(column)
            for kpi in run.kpis(segment, window):
                s = run.stat(design, kpi, segment, window)
                if s is not None:
                    cells[(kpi, column)] = s
                    measured.add(kpi)
    order = [k.name for k in KPIS if not headline or k.headline]
    extra = [] if headline else sorted(measured - set(BY_NAME))
    kpis = [k for k in order + extra if k in measured]
    return Comparison(segment, window, columns, kpis, cells)


def _row_label(kpi: str) -> str:
    return kpi + {"lower": " ↓", "higher": " ↑"}.get(fmt.better(kpi), "")


def _where(c: Comparison) -> str:
    where = "whole book" if c.segment == "all" else f"segment {c.segment}"
    return where if c.window == "all" else f"{where}, {c.window}"


def to_rich(c: Comparison, title: str | None = None) -> Table:
    heading = title or f"{_where(c)}: mean ± half the 95% interval"
    table = Table(title=heading, title_justify="left")
    table.add_column("KPI", style="bold", no_wrap=True)
    for column in c.columns:
        table.add_column(f"{column.run}\n{column.design}", justify="right")
    for kpi in c.kpis:
        table.add_row(_row_label(kpi), *(c.cell(kpi, column) for column in c.columns))
    return table


def to_frame(c: Comparison) -> pd.DataFrame:
    """Numbers, not text: per run × design its mean and half-interval (blank if none)."""
    rows = []
    for kpi in c.kpis:
        row: dict[str, object] = {"kpi": kpi, "segment": c.segment, "window": c.window,
                                  "unit": fmt.unit(kpi),
                                  "better": fmt.better(kpi)}
        for column in c.columns:
            s = c.cells.get((kpi, column))
            half = (s.high - s.low) / 2 if s is not None and units.finite(s.high - s.low) else math.nan
            row[column.name] = s.mean if s is not None else math.nan
            row[f"{column.name} ±"] = half
        rows.append(row)
    return pd.DataFrame(rows)


def to_csv(c: Comparison) -> str:
    buf = io.StringIO()
    to_frame(c).to_csv(buf, index=False)
    return buf.getvalue()


def to_markdown(c: Comparison) -> str:
    """A GitHub-flavoured Markdown table of the formatted cells."""
    def clean(text: str) -> str:
        return text.replace("|", "\\|")

    head = ["KPI", *(f"{col.run} · {col.design}" for col in c.columns)]
    lines = [f"Segment: {c.segment}; window: {c.window}; mean ± half the 95% interval.", "",
             "| " + " | ".join(clean(h) for h in head) + " |",
             "|" + "---|" + "---:|" * len(c.columns)]
    for kpi in c.kpis:
        cells = [_row_label(kpi), *(c.cell(kpi, column) for column in c.columns)]
        lines.append("| " + " | ".join(clean(x) for x in cells) + " |")
    return "\n".join(lines) + "\n"
