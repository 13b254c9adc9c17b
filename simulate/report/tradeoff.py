"""The trade-off chart: each design's cost against its churn and its p90 first response, with
intervals, a shape per design (designs on one spot stay apart) and axes that span at least the
practical margin (docs/decision.md), so that a gap too small to act on is not zoomed to fill
the chart."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes

from simulate.decision.margins import DEFAULTS, Margin
from simulate.report import fmt
from simulate.report.data import RunData
from simulate.report.drawing import Chart, _axis_format, _axis_label, _errors, _figure, _png, label, palette


def _frontier(points: list[tuple[float, float]]) -> list[int]:
    """Indices of the non-dominated points (lower x and lower y both better), by x."""
    order = sorted(range(len(points)), key=lambda i: (points[i][0], points[i][1]))
    kept, best = [], math.inf
    for i in order:
        if points[i][1] < best:
            kept.append(i)
            best = points[i][1]
    return kept


def _labels(ax: Axes, pts: list[tuple[float, float]], names: list[str], colors: dict[str, str]) -> None:
    """Name each point; points close together get their names stacked, not overprinted, and
    points on the same spot say so ("= refined")."""
    if not pts:
        return
    xs, ys = np.array(pts).T
    span_x = float(np.ptp(xs)) or abs(float(xs[0])) or 1.0
    span_y = float(np.ptp(ys)) or abs(float(ys[0])) or 1.0
    for i, name in enumerate(names):
        near = sum(1 for j in range(i) if abs(xs[j] - xs[i]) < 0.25 * span_x
                   and abs(ys[j] - ys[i]) < 0.08 * span_y)
        same = [names[j] for j in range(i) if abs(xs[j] - xs[i]) < 0.005 * span_x
                and abs(ys[j] - ys[i]) < 0.005 * span_y]
        text = label(name) + (f" (= {label(same[0])})" if same else "")
        ax.annotate(text, (xs[i], ys[i]), xytext=(7, 5 + 11 * near), textcoords="offset points",
                    fontsize=8, color=colors[name], fontweight="bold")


MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")  # one shape per design: coinciding dots stay told apart


def _margins(run: RunData) -> dict[str, Margin]:
    """The run's practical margins: the defaults, with its scenario's decision.margins over them."""
    from simulate.scenario.decision import margin_size

    margins = dict(DEFAULTS)
    written = ((run.scenario.get("decision") or {}).get("margins") or {})
    for kpi, spec in written.items() if isinstance(written, dict) else ():
        try:
            size, relative = margin_size(spec)
        except (TypeError, ValueError):
            continue
        margins[kpi] = Margin(kpi, size, relative)
    return margins


def _at_least_margin(ax: Axes, margin: Margin | None, values: list[float], axis: str) -> bool:
    """Widen the axis to span at least the KPI's practical margin (docs/decision.md) around the
    designs' means, so that a gap too small to matter is not zoomed to fill the chart; True when
    the means lie within the margin."""
    if margin is None or not values:
        return False
    centre = float(np.mean(values))
    size = margin.absolute(centre)
    if not (size > 0) or float(np.ptp(values)) >= size:
        return False
    low, high = (ax.get_xlim() if axis == "x" else ax.get_ylim())
    low, high = min(low, centre - size), max(high, centre + size)
    (ax.set_xlim if axis == "x" else ax.set_ylim)(low, high)
    return True


def tradeoff(run: RunData) -> Chart | None:
    """Cost against churn and against p90 first response, each design with its intervals."""
    measured = run.kpis()
    cost = next((k for k in ("total_cost", "cs_cost") if k in measured), None)
    others = [k for k in ("logo_churn", "frt_p90_h") if k in measured and cost is not None
              and any(run.stat(d, cost) and run.stat(d, k) for d in run.designs)]
    if cost is None or not others:
        return None
    colors = palette(run.designs)
    shapes = {d: MARKERS[i % len(MARKERS)] for i, d in enumerate(run.designs)}
    margins = _margins(run)
    flat: set[str] = set()
    with _figure(5.0 * len(others), 3.6) as fig:
        for ax, kpi in zip(fig.subplots(1, len(others), squeeze=False)[0], others, strict=True):
            pts, names = [], []
            for d in run.designs:
                x, y = run.stat(d, cost), run.stat(d, kpi)
                if x is None or y is None:
                    continue
                ax.errorbar(x.mean, y.mean, xerr=_errors(x), yerr=_errors(y), fmt=shapes[d], ms=7,
                            color=colors[d], capsize=3, lw=1.2, label=label(d), mfc="none"
                            if shapes[d] != "o" else colors[d], mew=1.6)
                pts.append((x.mean, y.mean))
                names.append(d)
            _labels(ax, pts, names, colors)
            sign = -1 if fmt.better(kpi) == "higher" else 1
            front = _frontier([(x, sign * y) for x, y in pts])
            if len(front) > 1:
                ax.plot([pts[i][0] for i in front], [pts[i][1] for i in front], ls="--",
                        color="#555", lw=1, zorder=0, label="frontier")
            ax.set_xlabel(_axis_label(cost))
            ax.set_ylabel(_axis_label(kpi))
            _axis_format(ax, cost, "x")
            _axis_format(ax, kpi, "y")
            ax.set_title(f"{fmt.label(cost).capitalize()} vs {fmt.label(kpi)}")
            ax.margins(0.18)
            for kpi_on, axis, values in ((cost, "x", [p[0] for p in pts]), (kpi, "y", [p[1] for p in pts])):
                if _at_least_margin(ax, margins.get(kpi_on), values, axis):
                    flat.add(kpi_on)
            if len(pts) > 1:
                ax.legend(fontsize=7, loc="best", frameon=False)
        caption = (f"Each mark is a design's mean (its own shape, so designs on the same spot stay "
                   f"apart), bars its 95% interval. Lower-left is better; the dashed line joins "
                   f"designs no other beats on both {fmt.label(cost)} and the other axis (the "
                   "trade-off frontier).")
        if flat:
            caption += (" " + ", ".join(fmt.label(k) for k in sorted(flat)).capitalize() +
                        ": the designs' means lie within the margin that matters (docs/decision.md), so "
                        "the axis spans that margin instead of zooming a gap too small to act on.")
        return Chart("tradeoff", "Trade-off: what each design costs and what it delivers", caption,
                     _png(fig))


