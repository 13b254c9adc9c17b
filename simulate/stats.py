"""Replications → means, 95% t-intervals, and paired differences to the first design."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd

LEVEL = 0.95
SUMMARY_COLUMNS = ["design", "segment", "window", "kpi", "mean", "ci_low", "ci_high", "n",
                   "diff_mean", "diff_low", "diff_high"]
NUMBER_COLUMNS = SUMMARY_COLUMNS[4:]
WHOLE = "all"  # the whole book (segment) and the whole measured period (window)


@cache
def t_quantile(level: float, dof: int) -> float:
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
    half = float(t_quantile(level, n - 1) * values.std(ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half, n


def summarize(long: pd.DataFrame, designs: list[str]) -> pd.DataFrame:
    """`long` has columns design, replication, segment, window, kpi, value (no window: all rows
    are the whole measured period, "all"); one summary row per (design, segment, window, kpi),
    with the paired difference to `designs[0]` by replication within the same window.

    Rows run segment by segment (the whole book first), within a segment window by window
    ("all" first, then "year1", "year2", …), within a window KPI by KPI in the order measured,
    and within a KPI design by design in `designs`' order."""
    if "window" not in long.columns:
        long = long.assign(window=WHOLE)
    keys = ["segment", "window", "kpi"]
    wide = long.pivot_table(index=[*keys, "replication"], columns="design",
                            values="value", aggfunc="first", dropna=False)
    first = designs[0]
    measured = set(zip(long["segment"], long["window"], long["kpi"], strict=True))
    rows = []
    for (segment, window, kpi), block in wide.groupby(level=keys, sort=False):
        if (segment, window, kpi) not in measured:
            continue  # a whole-book KPI has no per-segment value
        for design in designs:
            if design not in block:
                continue
            values = block[design].to_numpy(dtype=float)
            mean, low, high, n = t_interval(values)  # n = 0: not applicable (e.g. no such role)
            diff = (t_interval(values - block[first].to_numpy(dtype=float))
                    if first in block else (math.nan,) * 3 + (0,))
            rows.append([design, segment, window, kpi, mean, low, high, n, *diff[:3]])
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    order = {
        "design": {d: i for i, d in enumerate(designs)},
        **{key: _first_seen(long[key], WHOLE) for key in keys},
    }
    summary = summary.sort_values([*keys, "design"], key=lambda c: c.map(order[c.name]),
                                  kind="stable")
    return summary.reset_index(drop=True)


def _first_seen(column: pd.Series, first: str | None = None) -> dict[str, int]:
    """Each value's rank in order of first appearance, `first` ahead of all the others."""
    seen = list(dict.fromkeys(column))
    if first in seen:
        seen.remove(first)
        seen.insert(0, first)
    return {value: i for i, value in enumerate(seen)}


def crn_gain(first: np.ndarray, second: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    """Half-widths of the interval for mean(second − first): (paired, unpaired).

    With common random numbers the replications of two designs are positively correlated,
    so the paired interval is the narrower; the ratio unpaired ÷ paired is what CRN buys.
    """
    n = len(first)
    t = t_quantile(level, n - 1)
    paired = t * float(np.std(second - first, ddof=1)) / math.sqrt(n)
    unpaired = t * math.sqrt((np.var(first, ddof=1) + np.var(second, ddof=1)) / n)
    return paired, unpaired
