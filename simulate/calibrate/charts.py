"""The fit report's figures: data against fit for each fitted quantity, drawn with matplotlib's
object API on an Agg canvas and returned as base64 PNGs. Names are drawn as written
(`text.parse_math` off), never read as formulas."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from scipy import stats

from simulate.calibrate.distributions import DistFit
from simulate.calibrate.estimates import Estimate, proportion
from simulate.calibrate.renewal import RenewalFit

DPI = 80
STYLE = {"text.parse_math": False, "text.usetex": False, "font.size": 9, "axes.titlesize": 10,
         "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
         "legend.fontsize": 8, "legend.frameon": False}
DATA, FIT = "#1565c0", "#ef6c00"
QQ_POINTS = 200
ACV_BINS = 8


def png(draw: Callable[..., None], *args: object, panels: int = 1) -> str:
    """Draw into a figure of `panels` side-by-side axes; the PNG as base64."""
    with mpl.rc_context(STYLE):
        figure = Figure(figsize=(4.2 * panels, 3.0), dpi=DPI)
        figure.subplots_adjust(left=0.16 / panels, right=0.97, bottom=0.2, top=0.95, wspace=0.3)
        axes = figure.subplots(1, panels)
        draw(*(axes if panels > 1 else [axes]), *args)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def distribution(fit: DistFit, values: np.ndarray, unit: str) -> str:
    """Histogram with the fitted density, and a QQ plot of the data against the fit."""
    x = values[np.isfinite(values) & (values > 0)]

    def draw(hist: Axes, qq: Axes) -> None:
        top = float(np.quantile(x, 0.99))
        hist.hist(x[x <= top], bins=40, density=True, color=DATA, alpha=0.5, label=f"data (n={len(x):,})")
        grid = np.linspace(top / 400, top, 300)
        hist.plot(grid, fit.frozen.pdf(grid), color=FIT, label=f"fitted {fit.dist}")
        hist.set_xlabel(unit)
        hist.legend()
        probs = (np.arange(1, QQ_POINTS + 1) - 0.5) / QQ_POINTS
        qq.scatter(fit.frozen.ppf(probs), np.quantile(x, probs), s=6, color=DATA)
        line = [0, float(fit.frozen.ppf(probs[-1]))]
        qq.plot(line, line, color=FIT, lw=1)
        qq.set_xlabel(f"fitted quantile, {unit}")
        qq.set_ylabel(f"data quantile, {unit}")

    return png(draw, panels=2)


def intervals(names: list[str], estimates: list[Estimate], unit: str) -> str:
    """A point with its 95% interval per name."""

    def draw(ax: Axes) -> None:
        y = np.arange(len(names))
        values = np.array([e.value for e in estimates])
        low = values - np.array([e.low for e in estimates])
        high = np.array([e.high for e in estimates]) - values
        ax.errorbar(values, y, xerr=[low, high], fmt="o", color=DATA, capsize=3)
        ax.set_yticks(y, names)
        ax.set_xlabel(f"{unit} (95% CI)")

    return png(draw)


def monthly(counts: pd.DataFrame, rates: dict[str, float], unit: str) -> str:
    """Counts per month by segment, with the fitted monthly rate as a dashed line."""

    def draw(ax: Axes) -> None:
        for i, column in enumerate(counts.columns):
            colour = f"C{i}"
            ax.plot(counts.index.astype(str), counts[column], marker="o", color=colour, label=str(column))
            if column in rates:
                ax.axhline(rates[column], color=colour, ls="--", lw=1)
        ax.set_ylabel(unit)
        ax.tick_params(axis="x", labelrotation=60)
        ax.legend()

    return png(draw)


def ecdf(samples: dict[str, np.ndarray], unit: str) -> str:
    """Empirical CDFs, one per name."""

    def draw(ax: Axes) -> None:
        for name, values in samples.items():
            x = np.sort(values[np.isfinite(values)])
            if len(x):
                ax.step(x, np.arange(1, len(x) + 1) / len(x), where="post", label=f"{name} (n={len(x):,})")
        ax.set_xlabel(unit)
        ax.set_ylabel("share at or below")
        ax.legend()

    return png(draw)


def renewal(fit: RenewalFit) -> str:
    """Non-renewal by ACV band (data, Wilson 95% CI) against the fitted rule's curve."""

    def draw(ax: Axes) -> None:
        edges = np.unique(np.quantile(fit.acv, np.linspace(0, 1, ACV_BINS + 1)))
        which = np.clip(np.searchsorted(edges, fit.acv, side="right") - 1, 0, len(edges) - 2)
        for b in range(len(edges) - 1):
            mask = which == b
            if mask.any():
                share = proportion(int(fit.outcome[mask].sum()), int(mask.sum()), "")
                centre = float(np.median(fit.acv[mask]))
                ax.errorbar(centre, share.value, yerr=[[share.value - share.low], [share.high - share.value]],
                            fmt="o", color=DATA, capsize=3)
        grid = np.geomspace(max(fit.acv.min(), 1.0), fit.acv.max(), 200)
        ax.plot(grid, fit.churn_probability(grid), color=FIT, label="fitted rule")
        ax.set_xscale("log")
        ax.set_xlabel("ACV, USD (log scale)")
        ax.set_ylabel("share not renewed")
        ax.legend()

    return png(draw)


def poisson_counts(counts: np.ndarray, rate: float) -> str:
    """Monthly counts' histogram against the Poisson probabilities at the fitted rate."""

    def draw(ax: Axes) -> None:
        k = np.arange(0, int(max(counts.max(), rate * 2)) + 2)
        ax.hist(counts, bins=np.arange(-0.5, k[-1] + 1), density=True, color=DATA, alpha=0.5, label="months")
        ax.plot(k, stats.poisson(rate).pmf(k), "o-", color=FIT, label=f"Poisson {rate:.2f}")
        ax.legend()

    return png(draw)
