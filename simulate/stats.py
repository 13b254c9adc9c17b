"""Replications → means, 95% t-intervals, and paired differences to the first design."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

LEVEL = 0.95
SUMMARY_COLUMNS = ["design", "segment", "kpi", "mean", "ci_low", "ci_high", "n",
                   "diff_mean", "diff_low", "diff_high"]


def _t_quantile(level: float, dof: int) -> float:
    """Student's t quantile for a two-sided interval (scipy imported on first use: it is
    slow to import, and most commands never need it)."""
    from scipy import stats

    return float(stats.t.ppf((1 + level) / 2, dof))


def t_interval(values: np.ndarray, level: float = LEVEL) -> tuple[float, float, float, int]:
    """(mean, low, high, n) over the finite values; the interval is NaN below two values."""
    values = values[np.isfinite(values)]
    n = len(values)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(values.mean())
    if n < 2:
        return mean, math.nan, math.nan, n
    half = float(_t_quantile(level, n - 1) * values.std(ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half, n


def summarize(long: pd.DataFrame, designs: list[str]) -> pd.DataFrame:
    """`long` has columns design, replication, segment, kpi, value; one summary row per
    (design, segment, kpi), with the paired difference to `designs[0]` by replication."""
    wide = long.pivot_table(index=["segment", "kpi", "replication"], columns="design",
                            values="value", aggfunc="first", dropna=False)
    first = designs[0]
    measured = set(zip(long["segment"], long["kpi"], strict=True))
    rows = []
    for (segment, kpi), block in wide.groupby(level=["segment", "kpi"], sort=False):
        if (segment, kpi) not in measured:
            continue  # a whole-book KPI has no per-segment value
        for design in designs:
            if design not in block:
                continue
            values = block[design].to_numpy(dtype=float)
            mean, low, high, n = t_interval(values)  # n = 0: not applicable (e.g. no such role)
            diff = (t_interval(values - block[first].to_numpy(dtype=float))
                    if first in block else (math.nan,) * 3 + (0,))
            rows.append([design, segment, kpi, mean, low, high, n, *diff[:3]])
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    order = {d: i for i, d in enumerate(designs)}
    kpi_order = {k: i for i, k in enumerate(dict.fromkeys(long["kpi"]))}
    seg_order = {s: i for i, s in enumerate(dict.fromkeys(long["segment"]))}
    summary = summary.sort_values(
        ["segment", "kpi", "design"],
        key=lambda c: c.map({"design": order, "kpi": kpi_order, "segment": seg_order}[c.name]),
        kind="stable",
    )
    return summary.reset_index(drop=True)


def crn_gain(first: np.ndarray, second: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    """Half-widths of the interval for mean(second − first): (paired, unpaired).

    With common random numbers the replications of two designs are positively correlated,
    so the paired interval is the narrower; the ratio unpaired ÷ paired is what CRN buys.
    """
    n = len(first)
    t = _t_quantile(level, n - 1)
    paired = t * float(np.std(second - first, ddof=1)) / math.sqrt(n)
    unpaired = t * math.sqrt((np.var(first, ddof=1) + np.var(second, ddof=1)) / n)
    return paired, unpaired
