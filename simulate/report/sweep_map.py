"""The charts of a sweep's report: the decision map (which design the verdict chooses at each
point, "no clear choice" drawn as such), KPI curves with bands along one varied path, KPI
surfaces over two, and the tornado of a sensitivity study. Drawn in the report's house style
(simulate.report.drawing), from the tidy files a sweep writes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from simulate import units
from simulate.report import fmt
from simulate.report.drawing import Chart, _axis_format, _axis_label, _figure, _png, label, palette
from simulate.sweep.aggregate import NO_CHOICE

UNDECIDED = "#d9dde2"  # "no clear choice": grey, hatched
SURFACE_KPIS = ("total_cost", "logo_churn", "frt_p90_h")
CURVE_KPIS = ("total_cost", "frt_p90_h", "logo_churn", "nrr")


def _ticks(values: list[object]) -> list[str]:
    return [units.number(v) if isinstance(v, int | float) else str(v) for v in values]


def _levels(column: pd.Series) -> list[object]:
    return list(dict.fromkeys(column.tolist()))


def _legend(designs: list[str], colors: dict[str, str], shown: set[str]) -> list[Patch]:
    handles = [Patch(facecolor=colors[d], label=label(d)) for d in designs if d in shown]
    if NO_CHOICE in shown:
        handles.append(Patch(facecolor=UNDECIDED, hatch="//", edgecolor="#8a939c", label=NO_CHOICE))
    return handles


def decision_map(points: pd.DataFrame, paths: list[str], designs: list[str], grid: bool) -> Chart | None:
    """Two varied paths on a grid: a cell per point, coloured by the design chosen; on a
    hypercube: the points on the first two paths, coloured the same way."""
    if len(paths) < 2 or points.empty:
        return None
    colors = palette(designs)
    x, y = paths[0], paths[1]
    shown = set(points["choice"])
    with _figure(6.4, 4.6) as fig:
        ax = fig.subplots()
        if grid and len(paths) == 2:
            xs, ys = _levels(points[x]), _levels(points[y])
            for _, row in points.iterrows():
                i, j = xs.index(row[x]), ys.index(row[y])
                undecided = row["choice"] == NO_CHOICE
                ax.add_patch(mpl_rect(i, j, UNDECIDED if undecided else colors.get(row["choice"], "#888"),
                                      undecided))
                text = "no clear\nchoice" if undecided else label(row["choice"])
                ax.text(i, j, f"{text}\n({row['replications']} rep.)", ha="center", va="center",
                        fontsize=7, color="#1d232b")
            ax.set_xlim(-0.5, len(xs) - 0.5)
            ax.set_ylim(-0.5, len(ys) - 0.5)
            ax.set_xticks(range(len(xs)), _ticks(xs))
            ax.set_yticks(range(len(ys)), _ticks(ys))
            ax.grid(False)
        else:
            for choice, block in points.groupby("choice", sort=True):
                undecided = choice == NO_CHOICE
                ax.scatter(block[x], block[y], s=40, marker="x" if undecided else "o",
                           color="#8a939c" if undecided else colors.get(choice, "#888"))
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.legend(handles=_legend(designs, colors, shown), loc="upper left", bbox_to_anchor=(1.01, 1))
        ax.set_title("Which design the verdict chooses")
        caption = ("Each cell (point) is coloured by the design the verdict chooses there: better or "
                   "equivalent to every other design on every headline KPI and better on one, by "
                   "paired intervals against the practical margins. Grey hatched: no clear choice at "
                   "this precision (a trade-off, or intervals still undecided; points.csv says which).")
        return Chart("decision_map", "Decision map", caption, _png(fig))


def mpl_rect(i: int, j: int, color: str, hatched: bool) -> Rectangle:
    """The cell of point (i, j) on the map."""
    return Rectangle((i - 0.5, j - 0.5), 1, 1, facecolor=color, alpha=0.55 if not hatched else 1.0,
                     hatch="//" if hatched else None, edgecolor="white", lw=2)


def curves(rows: pd.DataFrame, points: pd.DataFrame, path: str, designs: list[str]) -> Chart | None:
    """One varied path: each headline KPI against it, a line per design with its 95% band, and
    the chosen design along the bottom."""
    kpis = [k for k in CURVE_KPIS if k in set(rows["kpi"])]
    if not kpis:
        return None
    colors = palette(designs)
    numeric = pd.api.types.is_numeric_dtype(rows[path])
    with _figure(4.2 * len(kpis), 3.6) as fig:
        for ax, kpi in zip(fig.subplots(1, len(kpis), squeeze=False)[0], kpis, strict=True):
            for d in designs:
                block = rows[(rows["kpi"] == kpi) & (rows["design"] == d)].sort_values(path)
                if block.empty:
                    continue
                xs = block[path] if numeric else np.arange(len(block))
                ax.plot(xs, block["mean"], color=colors[d], lw=1.6, marker="o", ms=3, label=label(d))
                ax.fill_between(xs, block["ci_low"], block["ci_high"], color=colors[d], alpha=0.15, lw=0)
            _axis_format(ax, kpi, "y")
            ax.set_ylabel(_axis_label(kpi))
            ax.set_xlabel(path)
            for _, p in points.iterrows():
                where = p[path] if numeric else _levels(points[path]).index(p[path])
                chosen = p["choice"]
                ax.annotate("●" if chosen != NO_CHOICE else "○", (where, 0),
                            xycoords=("data", "axes fraction"), ha="center", va="bottom", fontsize=8,
                            color=colors.get(chosen, "#8a939c"))
            ax.set_title(fmt.label(kpi))
        fig.axes[0].legend(loc="best")
        caption = (f"Each headline KPI as {path} varies: a line per design (mean over replications) "
                   "with its 95% t-interval as a band. The dots along the bottom are coloured by the "
                   "design the verdict chooses at that point (a hollow grey circle: no clear choice).")
        return Chart("curves", "KPIs along the varied path", caption, _png(fig))


def surfaces(rows: pd.DataFrame, x: str, y: str, designs: list[str]) -> Chart | None:
    """Two varied paths on a grid: cost, churn and response per design, one shared colour scale per
    KPI so designs read against each other."""
    kpis = [k for k in SURFACE_KPIS if k in set(rows["kpi"])]
    if not kpis:
        return None
    xs, ys = _levels(rows[x]), _levels(rows[y])
    with _figure(2.6 * len(designs) + 0.8, 2.4 * len(kpis)) as fig:
        grid = fig.subplots(len(kpis), len(designs), squeeze=False)
        for r, kpi in enumerate(kpis):
            block = rows[rows["kpi"] == kpi]
            finite = block["mean"][np.isfinite(block["mean"].to_numpy(dtype=float))]
            low, high = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
            image = None
            for c, d in enumerate(designs):
                ax = grid[r][c]
                values = np.full((len(ys), len(xs)), math.nan)
                for _, row in block[block["design"] == d].iterrows():
                    values[ys.index(row[y]), xs.index(row[x])] = row["mean"]
                cmap = "viridis_r" if fmt.better(kpi) == "higher" else "viridis"  # darker is better
                image = ax.imshow(values, origin="lower", cmap=cmap, vmin=low,
                                  vmax=high if high > low else low + 1, aspect="auto")
                for (j, i), v in np.ndenumerate(values):
                    if math.isfinite(v):
                        ax.text(i, j, units.value(v, fmt.unit(kpi)), ha="center", va="center", fontsize=6,
                                color="white")
                ax.set_xticks(range(len(xs)), _ticks(xs), fontsize=7)
                ax.set_yticks(range(len(ys)), _ticks(ys), fontsize=7)
                ax.grid(False)
                ax.set_title(f"{label(d)}: {fmt.label(kpi)}", fontsize=8)
                if r == len(kpis) - 1:
                    ax.set_xlabel(x, fontsize=7)
                if c == 0:
                    ax.set_ylabel(y, fontsize=7)
            if image is not None:
                fig.colorbar(image, ax=list(grid[r]), shrink=0.8)
        caption = ("Cost, churn and p90 first response over the two varied paths, per design (mean over "
                   "replications; each KPI on one colour scale, darker is better). Intervals are in "
                   "sweep.csv.")
        return Chart("surfaces", "Cost, churn and response surfaces", caption, _png(fig))


def tornado(table: pd.DataFrame) -> Chart | None:
    """Per headline KPI, how far each parameter's low and high move the margin between the chosen
    design and the runner-up, widest first; parameters that flip the choice named in red."""
    if table.empty:
        return None
    kpis = list(dict.fromkeys(table["kpi"]))
    params = list(dict.fromkeys(table["param"]))
    with _figure(4.6 * len(kpis), 0.32 * len(params) + 1.6) as fig:
        for ax, kpi in zip(fig.subplots(1, len(kpis), squeeze=False)[0], kpis, strict=True):
            block = table[table["kpi"] == kpi].copy()
            block["swing"] = np.fmax(block["delta_low"].abs(), block["delta_high"].abs()).fillna(0)
            block = block.sort_values("swing", kind="stable")
            ys = np.arange(len(block))
            ax.barh(ys, block["delta_low"].fillna(0), color="#5c7cfa", label="at low")
            ax.barh(ys, block["delta_high"].fillna(0), color="#f08c00", alpha=0.8, label="at high")
            ax.axvline(0, color="#1d232b", lw=0.8)
            names = [f"{p} ⇄" if flips else p
                     for p, flips in zip(block["param"], block["flips"], strict=True)]
            ax.set_yticks(ys, names, fontsize=7)
            for tick, flips in zip(ax.get_yticklabels(), block["flips"], strict=True):
                if flips:
                    tick.set_color("#c62828")
            _axis_format(ax, kpi, "x")
            ax.set_xlabel(f"change in the gap (chosen − runner-up), {fmt.label(kpi)}")
            ax.set_title(fmt.label(kpi))
            ax.grid(axis="y", visible=False)
        fig.axes[0].legend(loc="lower right")
        caption = ("How far each assumption, at its low and at its high, moves the gap between the "
                   "chosen design and the runner-up on each headline KPI (the gap at the scenario's own "
                   "values is zero here). Red names marked ⇄ change the verdict's choice at one end.")
        return Chart("tornado", "Which assumptions move the verdict", caption, _png(fig))
