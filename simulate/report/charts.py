"""The report's figures, drawn with matplotlib's object API (Agg canvas, no pyplot state) and
returned as base64 PNGs to inline in the page. Each returns None when its data is missing or
not a number anywhere (a run without tickets has no ticket times to draw).

Names come from the scenario and may be anything: text is drawn as written, never read as a
formula (`text.parse_math` off, no LaTeX), and every name goes through `label`."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, PercentFormatter

from simulate import units
from simulate.report.data import RunData
from simulate.report.drawing import (  # noqa: F401 (re-exported: the report's chart vocabulary)
    BAND_Q,
    BANDS,
    DPI,
    PROACTIVE,
    REACTIVE,
    RESPONSE_TITLE,
    STYLE,
    Chart,
    _axis_format,
    _axis_label,
    _errors,
    _figure,
    _png,
    label,
    palette,
)
from simulate.report.tradeoff import tradeoff


def response_distribution(run: RunData) -> Chart | None:
    """ECDF of first response (and resolution) per design: percentiles averaged over replications."""
    dist = run.distributions
    if dist is None or not {"design", "metric", "percentile", "value"} <= set(dist.columns):
        return None
    dist = dist[np.isfinite(pd.to_numeric(dist["value"], errors="coerce").to_numpy(dtype=float))]
    if dist.empty:
        return None  # no tickets, or none with a time
    sla = run.scenario.get("sla") or {}
    limits = {"frt_h": ("First response", sla.get("first_response_hours")),
              "resolution_h": ("Resolution", sla.get("resolution_hours"))}
    metrics = [m for m in limits if m in set(dist["metric"])]
    if not metrics:
        return None
    mean = dist.groupby(["metric", "design", "percentile"])["value"].mean().sort_index()
    colors = palette(run.designs)
    with _figure(5.0 * len(metrics), 3.4) as fig:
        for ax, metric in zip(fig.subplots(1, len(metrics), squeeze=False)[0], metrics, strict=True):
            title, line = limits[metric]
            top = 0.0
            for d in run.designs:
                if (metric, d) not in mean.index.droplevel(2):
                    continue
                curve = mean.loc[(metric, d)].sort_index()
                values, shares = curve.to_numpy(dtype=float), curve.index.to_numpy(dtype=float) / 100
                ax.plot(values, shares, drawstyle="steps-post", color=colors[d], lw=1.6, label=label(d))
                top = max(top, float(np.nanpercentile(values, 99)))
            if units.finite(line):
                ax.axvline(float(line), color="#c62828", ls="--", lw=1.2)
                ax.annotate(f"SLA {float(line):g} h", (float(line), 0.04), xytext=(4, 0),
                            textcoords="offset points", color="#c62828", fontsize=8)
                top = max(top, 1.3 * float(line))
            ax.set_xlim(0, top * 1.05 if top > 0 else 1)
            ax.set_ylim(0, 1.01)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            ax.set_xlabel("business hours after the ticket was raised")
            ax.set_ylabel("share of tickets")
            ax.set_title(f"{title}: share of tickets within x hours")
            ax.legend(loc="lower right")
        caption = ("Cumulative distribution of ticket times per design (percentiles averaged over "
                   "replications), with the SLA from the scenario; further left and higher is better. "
                   "The axis stops at the slowest design's 99th percentile.")
        return Chart("response", RESPONSE_TITLE, caption, _png(fig))


def _drawable(values: pd.Series) -> bool:
    """Whether a series has a number to draw (not all missing)."""
    return bool(np.isfinite(pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)).any())


def _bands(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    g = frame.groupby(["design", "month"], sort=False)[column]
    return pd.DataFrame({"mean": g.mean(), "low": g.quantile(BAND_Q[0]), "high": g.quantile(BAND_Q[1])})


def _warmup(ax: Axes, run: RunData) -> None:
    warm = run.scenario.get("warmup_months")
    if units.finite(warm) and warm > 0:
        ax.axvspan(0, float(warm), color="#9e9e9e", alpha=0.15, lw=0)


def over_time(run: RunData) -> Chart | None:
    """ARR, accounts and headcount by month: mean and the 10–90% band across replications."""
    monthly = run.monthly
    if monthly is None or monthly.empty or "month" not in monthly.columns:
        return None
    monthly = monthly.copy()
    heads = [c for c in monthly.columns if c.startswith("headcount_")]
    if heads:
        monthly["headcount"] = monthly[heads].sum(axis=1, min_count=1)
    series = [(c, t, f) for c, t, f in (
        ("arr", "ARR", FuncFormatter(lambda v, _p: units.money(v, 1))),
        ("accounts", "Live accounts", FuncFormatter(lambda v, _p: units.count(v))),
        ("headcount", "CS headcount (all roles)", FuncFormatter(lambda v, _p: units.count(v))),
    ) if c in monthly.columns and _drawable(monthly[c])]
    if not series:
        return None
    colors = palette(run.designs)
    with _figure(3.4 * len(series), 3.2) as fig:
        for ax, (column, title, formatter) in zip(fig.subplots(1, len(series), squeeze=False)[0],
                                                  series, strict=True):
            stats = _bands(monthly, column)
            for d in run.designs:
                if d not in stats.index.get_level_values(0):
                    continue
                s = stats.loc[d]
                months = s.index.to_numpy(dtype=float)
                ax.fill_between(months, s["low"], s["high"], color=colors[d], alpha=0.18, lw=0)
                ax.plot(months, s["mean"], color=colors[d], lw=1.5, label=label(d))
            _warmup(ax, run)
            ax.yaxis.set_major_formatter(formatter)
            ax.set_xlabel("month")
            ax.set_title(title)
        fig.axes[0].legend(loc="best")
        caption = ("Mean over replications, with the 10–90% band across them; the grey strip is the "
                   "warm-up, left out of every KPI.")
        return Chart("monthly", "Growth and staffing month by month", caption, _png(fig))


def health_mix(run: RunData) -> Chart | None:
    """Stacked shares of live accounts per health band, by month, one panel per design."""
    monthly = run.monthly
    columns = [f"{b}_share" for b, _ in BANDS]
    if monthly is None or monthly.empty or not set(columns) <= set(monthly.columns):
        return None
    mean = monthly.groupby(["design", "month"], sort=False)[columns].mean()
    present = set(mean.index.get_level_values(0))
    designs = [d for d in run.designs if d in present and _drawable(mean.loc[d].stack())]
    if not designs:
        return None  # no live account in any month
    cols = min(4, len(designs))
    rows = math.ceil(len(designs) / cols)
    with _figure(2.9 * cols, 2.5 * rows + 0.3) as fig:
        axes = fig.subplots(rows, cols, squeeze=False, sharey=True).ravel()
        for ax, d in zip(axes, designs, strict=False):
            m = mean.loc[d]
            ax.stackplot(m.index.to_numpy(dtype=float), *(m[c].to_numpy(dtype=float) for c in columns),
                         colors=[c for _, c in BANDS], labels=[b.replace("_", "-") for b, _ in BANDS],
                         alpha=0.9)
            ax.set_ylim(0, 1)
            ax.set_xlim(float(m.index.min()), float(m.index.max()))
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            ax.set_title(label(d))
            ax.set_xlabel("month")
            ax.grid(False)
        for ax in axes[len(designs):]:
            ax.set_visible(False)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles[::-1], labels[::-1], loc="outside right center")
        caption = "Share of live accounts in each health band, month by month (mean over replications)."
        return Chart("health", "Health mix over time", caption, _png(fig))


def csm_time(run: RunData) -> Chart | None:
    """Each design's CSM hours split into proactive work and reactive (tickets)."""
    stats = [(d, s) for d in run.designs if (s := run.stat(d, "csm_proactive_share")) is not None]
    if not stats:
        return None
    with _figure(6.5, 0.55 * len(stats) + 1.0) as fig:
        ax = fig.subplots()
        y = np.arange(len(stats))
        share = np.array([s.mean for _, s in stats])
        ax.barh(y, share, color=PROACTIVE, label="proactive: onboarding, touches, interventions, renewals")
        ax.barh(y, 1 - share, left=share, color=REACTIVE, label="reactive: tickets")
        ax.errorbar(share, y, xerr=[_errors(s) for _, s in stats], fmt="none", color="black",
                    capsize=3, lw=1)
        for i, v in enumerate(share):
            ax.text(v / 2, i, units.percent(v, 0), ha="center", va="center", color="white", fontsize=8)
            if v < 0.95:
                ax.text((1 + v) / 2, i, units.percent(1 - v, 0), ha="center", va="center",
                        color="white", fontsize=8)
        ax.set_yticks(y, [label(d) for d, _ in stats])
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.grid(False)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
        caption = "Where CSM working hours go (black bars: 95% interval of the proactive share)."
        return Chart("csm_time", "CSM time: proactive vs reactive", caption, _png(fig))


def utilization(run: RunData) -> Chart | None:
    """Busy ÷ productive hours per role and design, with intervals."""
    kpis = [k for k in run.kpis() if k.startswith("utilization_")]
    if not kpis:
        return None
    colors = palette(run.designs)
    width = 0.8 / len(run.designs)
    with _figure(max(5.0, 1.6 * len(kpis) + 1.5), 3.2) as fig:
        ax = fig.subplots()
        x = np.arange(len(kpis))
        for j, d in enumerate(run.designs):
            stats = [run.stat(d, k) for k in kpis]
            heights = [s.mean if s else 0.0 for s in stats]
            errs = [_errors(s) if s else 0.0 for s in stats]
            offset = (j - (len(run.designs) - 1) / 2) * width
            ax.bar(x + offset, heights, width * 0.92, yerr=errs, color=colors[d], capsize=2, label=label(d),
                   error_kw={"lw": 0.8})
        ax.axhline(1.0, color="#c62828", ls="--", lw=1)
        ax.set_xticks(x, [k.removeprefix("utilization_").replace("_", " ") for k in kpis])
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_ylabel("busy ÷ productive hours")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        caption = ("How busy each role is (mean and 95% interval); a missing bar means the design "
                   "does not staff that role. Near 100% queues grow and waits lengthen.")
        return Chart("utilization", "Utilization by role", caption, _png(fig))


CHARTS: tuple[Callable[[RunData], Chart | None], ...] = (
    tradeoff, response_distribution, over_time, health_mix, csm_time, utilization)


def draw_all(run: RunData) -> dict[str, Chart]:
    return {c.key: c for f in CHARTS if (c := f(run)) is not None}
