"""The trend by window: each headline KPI per design in every 12-month window after warm-up
("year1", "year2", …) beside the whole measured period ("all"), and a plain sentence for each KPI
on which a difference between designs drifts from the first year to the last.

Two kinds of drift, each paired replication by replication (a replication's years share its
customers, tickets and shocks) and called only when its 95% interval excludes 0:
- the **gap** between a design and the reference design changes: (a − ref) in the last year
  minus (a − ref) in the first year. Each is said in a sentence;
- a design's own **level** changes: its value in the last year minus its value in the first.
  The table's last column shows it for every design.

The headline and findings average the whole measured period; where a difference drifts, that
average mixes a transient with where the designs settle, and this section says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from simulate import units
from simulate.kpis import KPIS
from simulate.kpis.facts import SHORTEST_LAST_WINDOW_MONTHS
from simulate.report import fmt
from simulate.report.cells import best_design, designs_bold, esc, kpi_cell
from simulate.report.data import Diff, RunData
from simulate.stats import WHOLE, t_interval

TREND_KPIS = tuple(k.name for k in KPIS if k.headline)


@dataclass(frozen=True)
class Drift:
    """One KPI whose gap between a design and the reference changes from the first year window
    to the last: one clause per such design."""

    kpi: str
    gaps: list[str]

    @property
    def sentence(self) -> str:
        name = fmt.label(self.kpi)
        return f"{name[0].upper()}{name[1:]}: " + "; ".join(self.gaps) + "."


def _change(later: pd.Series | None, earlier: pd.Series | None, base: float) -> Diff | None:
    """mean(later − earlier) over the replications both have, with its 95% interval."""
    if later is None or earlier is None:
        return None
    mean, low, high, n = t_interval((later - earlier).to_numpy(dtype=float))
    return Diff(mean, low, high, base, n)


def level_change(run: RunData, design: str, kpi: str, first: str, last: str) -> Diff | None:
    """The design's value in `last` minus its value in `first`, paired by replication."""
    before = run.stat(design, kpi, window=first)
    return _change(run.values(design, kpi, window=last), run.values(design, kpi, window=first),
                   before.mean if before else float("nan"))


def gap_change(run: RunData, design: str, kpi: str, first: str, last: str) -> Diff | None:
    """(design − reference) in `last` minus the same in `first`, paired by replication."""
    ref = run.reference

    def gap(window: str) -> pd.Series | None:
        a, b = run.values(design, kpi, window=window), run.values(ref, kpi, window=window)
        return None if a is None or b is None else a - b

    before = run.stat(ref, kpi, window=first)
    return _change(gap(last), gap(first), before.mean if before else float("nan"))


def _ci(d: Diff, unit: str) -> str:
    """'95% CI −2.1 to −1.1 pts' (the unit of points once, as the findings write it)."""
    low = units.signed(d.low, unit)
    return f"95% CI {low.removesuffix(' pts')} to {units.signed(d.high, unit)}"


def _gap_clause(run: RunData, design: str, kpi: str, first: str, last: str, d: Diff) -> str:
    unit = fmt.unit(kpi)
    g1 = run.paired(design, run.reference, kpi, window=first).mean
    g2 = run.paired(design, run.reference, kpi, window=last).mean
    if not (units.finite(g1) and units.finite(g2)):
        verb = "changes"
    elif g1 == 0 or g2 == 0 or (g1 > 0) != (g2 > 0):
        verb = "opens" if g1 == 0 else "closes" if g2 == 0 else "reverses"
    else:
        verb = "widens" if abs(g2) > abs(g1) else "narrows"
    return (f"{design} − {run.reference} {verb}, {units.signed(g1, unit)} in {first} → "
            f"{units.signed(g2, unit)} in {last} (change {units.signed(d.mean, unit)}, {_ci(d, unit)})")


def drifts(run: RunData) -> list[Drift]:
    """Every headline KPI whose gap between some design and the reference changes significantly
    from the first year window to the last."""
    if len(run.windows) < 2:
        return []
    first, last = run.windows[0], run.windows[-1]
    found = []
    for kpi in TREND_KPIS:
        gaps = []
        for design in run.designs[1:]:
            d = gap_change(run, design, kpi, first, last)
            if d is not None and d.significant:
                gaps.append(_gap_clause(run, design, kpi, first, last, d))
        if gaps:
            found.append(Drift(kpi, gaps))
    return found


def testable(run: RunData) -> bool:
    """Whether drift can be tested: replications.csv holds every year window."""
    kpi = next(iter(run.kpis()), None)
    return kpi is not None and all(run.values(run.reference, kpi, window=w) is not None
                                   for w in run.windows)


def window_months(run: RunData, window: str) -> tuple[float, float] | None:
    """The months a window spans, as (start, end) month ends, from the scenario (None without
    it): year1 after 3 months of warm-up is (3, 15), months 4 to 15."""
    horizon, warm = run.scenario.get("horizon_months"), run.scenario.get("warmup_months") or 0
    if not (units.finite(horizon) and units.finite(warm)):
        return None
    if window == WHOLE:
        return float(warm), float(horizon)
    k = int(window.removeprefix("year")) if window.removeprefix("year").isdigit() else 0
    start = warm + 12 * (k - 1)
    return (float(start), float(min(start + 12, horizon))) if k > 0 else None


# --- The section ----------------------------------------------------------------------------------


def _head(run: RunData, window: str) -> str:
    months = window_months(run, window)
    name = "whole period" if window == WHOLE else window
    span = f"<br><span class=k>months {months[0] + 1:g}–{months[1]:g}</span>" if months else ""
    return f"<th>{esc(name)}{span}</th>"


def _level_cell(run: RunData, design: str, kpi: str) -> str:
    """The design's own change from the first year window to the last, with its interval."""
    first, last = run.windows[0], run.windows[-1]
    d = level_change(run, design, kpi, first, last)
    if d is None or not units.finite(d.mean):
        return f"<td>{units.MISSING}</td>"
    if d.known and d.mean == d.low == d.high == 0:
        return "<td>no change</td>"
    unit, direction = fmt.unit(kpi), fmt.better(kpi)
    tone = ""
    if d.significant and direction:
        tone = " better" if (d.mean < 0) == (direction == "lower") else " worse"
    ci = _ci(d, unit) if d.known else "one replication: no interval"
    mark = " (drifts)" if d.significant else ""
    return (f"<td>{esc(units.signed(d.mean, unit))}{mark}"
            f"<span class='d{tone}'>{esc(ci)}</span></td>")


def _table(run: RunData, colors: dict[str, str]) -> str:
    windows = [*run.windows, WHOLE]
    level = len(run.windows) > 1 and testable(run)
    head = "".join(_head(run, w) for w in windows)
    if level:
        head += f"<th>change<br><span class=k>{esc(run.windows[0])} → {esc(run.windows[-1])}</span></th>"
    rows = []
    for kpi in TREND_KPIS:
        if all(run.stat(d, kpi, window=w) is None for d in run.designs for w in windows):
            continue
        best = {w: best_design(run, kpi, window=w) for w in windows}
        arrow = {"lower": " ↓", "higher": " ↑"}.get(fmt.better(kpi), "")
        for i, design in enumerate(run.designs):
            label = (f"<td rowspan={len(run.designs)}>{esc(fmt.label(kpi))}{arrow}<br>"
                     f"<span class=k>{esc(kpi)}</span></td>") if i == 0 else ""
            cells = "".join(kpi_cell(run, design, kpi, WHOLE, best[w], w) for w in windows)
            if level:
                cells += _level_cell(run, design, kpi)
            rows.append(f"<tr class={'first' if i == 0 else 'next'}>{label}<td class=design>"
                        f"<span class=swatch style='background:{colors[design]}'></span>"
                        f"{esc(design)}</td>{cells}</tr>")
    return (f"<table class=trend><thead><tr><th>KPI</th><th>design</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _summary(run: RunData) -> str:
    """What the section says in words: the drifts, or why there are none to read."""
    if not run.windows:
        months = window_months(run, WHOLE)
        if months is not None and months[1] - months[0] >= SHORTEST_LAST_WINDOW_MONTHS:
            return ("<p>This run directory has no year windows: it was written before orgsim "
                    "reported KPIs by window. Run the scenario again to see the trend.</p>")
        return ("<p>The measured period is too short for a year window (one needs at least "
                f"{SHORTEST_LAST_WINDOW_MONTHS} months after warm-up), so every KPI is for the whole "
                "measured period only: there is no trend by year to read.</p>")
    first, last = run.windows[0], run.windows[-1]
    if len(run.windows) == 1:
        return f"<p>One year window ({esc(first)}): no trend between years to read.</p>"
    if not testable(run):
        return ("<p>replications.csv is not in the run directory (or has no window column), so "
                "whether a KPI drifts between windows cannot be tested; the table shows the "
                "means.</p>")
    found = drifts(run)
    if not found:
        return (f"<p>No gap between a design and {esc(run.reference)} on a headline KPI changes "
                f"significantly from {esc(first)} to {esc(last)} (paired by replication; 95% "
                "interval of the change).</p>")
    items = "".join(f"<li class=mixed>{designs_bold(d.sentence, run.designs)}</li>" for d in found)
    return (f"<p>Differences between designs that change from {esc(first)} to {esc(last)} (paired "
            "by replication; 95% interval of the change excluding 0). The headline and findings "
            "average the whole measured period; where a difference drifts, the last year is the "
            f"better guide to where it settles.</p><ul class=findings>{items}</ul>")


def section(run: RunData, colors: dict[str, str]) -> str:
    """The trend section of the report page."""
    intro = ("<h2 id=trend>Trend by window</h2><p class=meta>Each headline KPI per 12-month window "
             "after warm-up, beside the whole measured period. Mean ± half the 95% interval; Δ is "
             f"the paired difference to {esc(run.reference)} in the same window. The last column "
             "is each design's own change from the first year to the last, paired replication by "
             "replication, with its 95% interval: “drifts” where the interval excludes 0.</p>")
    table = _table(run, colors) if run.windows else ""
    return intro + _summary(run) + table
