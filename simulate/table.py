"""What `orgsim run` and `orgsim optimize` print: the headline KPIs of each design (mean ± half the
95% interval, whole book, whole measured period), and the optimizer's staffing — as grids for
people and as tidy rows for programs (`simulate.formats`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from simulate import units
from simulate.formats import Document
from simulate.kpis import KPIS
from simulate.layout import Field, Grid, Record

if TYPE_CHECKING:  # the report reads this module too, and needs nothing of the optimizer's
    from simulate.optimize import Optimum

HEADLINE = tuple(k for k in KPIS if k.headline)
TIDY = ("design", "kpi", "unit", "mean", "ci_low", "ci_high", "n")
WARNING = "bold yellow"


def unstable_lines(unstable: dict[str, dict[str, int]], replications: int) -> list[str]:
    """One warning per design and role whose queue grew without bound."""
    return [f"⚠ {design} unstable: {role} queue grows without bound "
            f"({count}/{replications} replications); its KPIs understate the wait"
            for design, roles in unstable.items() for role, count in roles.items()]


def _whole_book(summary: pd.DataFrame) -> dict[tuple[str, str], dict[str, object]]:
    """Summary rows of the whole book over the whole measured period, by (design, kpi)."""
    whole = summary["segment"] == "all"
    if "window" in summary.columns:
        whole &= summary["window"] == "all"
    return {(r["design"], r["kpi"]): r for r in summary[whole].to_dict("records")}


def _label(kpi_name: str, better: str) -> str:
    return kpi_name + {"lower": " ↓", "higher": " ↑"}.get(better, "")


def headline(summary: pd.DataFrame, designs: list[str], title: str) -> tuple[Grid, list[dict[str, object]]]:
    """The headline KPIs per design: a grid (designs as columns) and tidy rows."""
    book = _whole_book(summary)
    nothing = {"mean": math.nan, "ci_low": math.nan, "ci_high": math.nan, "n": 0}
    records, rows = [], []
    for design in designs:
        cells = []
        for kpi in HEADLINE:
            row = book.get((design, kpi.name), nothing)
            cells.append(units.spread(row["mean"], row["ci_low"], row["ci_high"], kpi.unit))
            rows.append({"design": design, "kpi": kpi.name, "unit": kpi.unit,
                         **{c: row[c] for c in ("mean", "ci_low", "ci_high", "n")}})
        records.append(Record(design, tuple(cells)))
    fields = tuple(Field(_label(k.name, k.better)) for k in HEADLINE)
    return Grid(title, fields, tuple(records), record_kind="design", field_kind="KPI"), rows


def run_document(summary: pd.DataFrame, designs: list[str], title: str,
                 warnings: list[str]) -> Document:
    """What `orgsim run` prints: the headline table, then a warning per unstable queue."""
    grid, rows = headline(summary, designs, title)
    return Document((grid,), TIDY, tuple(rows), tuple((w, WARNING) for w in warnings))


OPTIMUM_FIELDS = (Field("policy", numeric=False), Field("people, start → end", numeric=False),
                  Field("cost/yr"), Field("targets", numeric=False), Field("binding", numeric=False),
                  Field("simulations"))


def people(series: dict[str, list[float]]) -> str:
    """csm 12 → 17, support_agent 4 → 6: mean people at the first and last month-end."""
    return ", ".join(f"{role} {s[0]:.3g} → {s[-1]:.3g}" for role, s in series.items() if any(s))


def optimum_grid(optima: list[Optimum]) -> Grid:
    """Each design's cheapest policy meeting the targets on their bounds (or the closest found)."""
    records = []
    for o in optima:
        n = o.best.n
        status = (f"met on 95% bounds, {n} reps" if o.feasible
                  else "NOT met: " + ", ".join(map(str, o.binding)))
        binding = ", ".join(map(str, o.binding)) if o.feasible else units.MISSING
        records.append(Record(o.design, (o.reads(), people(o.best.headcount),
                                         f"${o.best.cost / 1e6:,.2f}M", status, binding or units.MISSING,
                                         f"{o.simulations} ({o.evaluations} policies)")))
    return Grid("Cheapest staffing policy that meets the targets", OPTIMUM_FIELDS, tuple(records),
                record_kind="design", records_across=False)


def optimize_document(optima: list[Optimum], summary: pd.DataFrame, title: str, simulations: int,
                      seconds: float, fragment: str,
                      notes: Sequence[tuple[str, str]] = ()) -> Document:
    """What `orgsim optimize` prints: the staffing found, the headline KPIs at it, the YAML to
    paste. As rows: each design's headcount per role (kpi `headcount_<role>`, unit people), then
    its headline KPIs."""
    designs = [o.design for o in optima]
    grid, kpi_rows = headline(summary, designs, title)
    rows = []
    for o in optima:
        rows += [{"design": o.design, "kpi": f"headcount_{role}", "unit": "people",
                  "mean": round(sum(s) / len(s), 2)} for role, s in o.best.headcount.items() if any(s)]
        rows += [r for r in kpi_rows if r["design"] == o.design]
    kept = [(f"{o.design} keeps its {role} ({units.money(cost)} a year) because the role defines "
             f"the design; the targets alone would hold without it", "")
            for o in optima for role, cost in o.kept_for_identity.items()]
    lines = [*kept, *notes, (f"{simulations} simulations in {seconds:.0f} s. Paste under staffing:", ""),
             ("", ""),
             *((line, "") for line in fragment.rstrip("\n").splitlines())]
    return Document((optimum_grid(optima), grid), TIDY, tuple(rows), tuple(lines))
