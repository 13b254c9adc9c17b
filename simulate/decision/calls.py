"""Calling a paired comparison: `better`, `worse`, `equivalent` or `undecided` (issue 11).

Two designs run on the same replication seeds (common random numbers), so a KPI's difference is
estimated from per-replication differences: a paired t interval. The ratio of their means gets a
delta-method interval on the log scale, so a relative change can never read beyond −100%.

The calls read off one interval per comparison, at a level that holds for the whole family of
comparisons made at once (Bonferroni: each of m intervals at 1 − α/m, so all m hold together
with probability ≥ 1 − α):

- `equivalent`: the interval lies inside ± the practical margin (two one-sided tests at the
  family level: the interval being inside is at least as strict as TOST at α/m);
- `better` / `worse`: otherwise, the interval excludes zero, on the KPI's good or bad side (for
  a relative margin both the difference's and the ratio's intervals must exclude zero, so that
  no interval shown beside the call holds zero);
- `undecided`: neither (the interval holds zero and reaches beyond the margin).

So no comparison is called better or worse while its interval holds zero, and every interval
inside its margin is called equivalent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulate.decision.margins import Margin
from simulate.stats import t_quantile

ALPHA = 0.05
CALLS = ("better", "worse", "equivalent", "undecided")


@dataclass(frozen=True)
class Interval:
    """A mean and its two-sided interval (NaN bounds: not estimable, e.g. one replication)."""

    mean: float
    low: float
    high: float

    @property
    def known(self) -> bool:
        return math.isfinite(self.low) and math.isfinite(self.high)

    def inside(self, margin: float) -> bool:
        return self.known and -margin < self.low and self.high < margin

    def holds_zero(self) -> bool:
        return not self.known or self.low <= 0 <= self.high


NOT_ESTIMABLE = Interval(math.nan, math.nan, math.nan)


def family_level(comparisons: int, alpha: float = ALPHA) -> float:
    """Bonferroni: the confidence level of each of `comparisons` intervals that hold together."""
    return 1 - alpha / max(comparisons, 1)


def paired_difference(a: np.ndarray, b: np.ndarray, level: float) -> Interval:
    """mean(a − b) over paired replications, with its t interval at `level`."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    d = d[np.isfinite(d)]
    if len(d) == 0:
        return NOT_ESTIMABLE
    mean = float(d.mean())
    if len(d) < 2:
        return Interval(mean, math.nan, math.nan)
    half = t_quantile(level, len(d) - 1) * float(d.std(ddof=1)) / math.sqrt(len(d))
    return Interval(mean, mean - half, mean + half)


def paired_ratio(a: np.ndarray, b: np.ndarray, level: float) -> Interval:
    """mean(a) / mean(b) − 1 and its interval: the delta method on log(ā / b̄), whose variance is
    that of a_i/ā − b_i/b̄ over n, with a t quantile; exponentiated back, so the bounds stay above
    −100%. Not estimable unless both means are positive."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    keep = np.isfinite(a) & np.isfinite(b)
    a, b = a[keep], b[keep]
    if len(a) == 0:
        return NOT_ESTIMABLE
    mean_a, mean_b = float(a.mean()), float(b.mean())
    if not (mean_a > 0 and mean_b > 0):
        return NOT_ESTIMABLE
    log_ratio = math.log(mean_a / mean_b)
    if len(a) < 2:
        return Interval(math.expm1(log_ratio), math.nan, math.nan)
    spread = float(np.std(a / mean_a - b / mean_b, ddof=1)) / math.sqrt(len(a))
    half = t_quantile(level, len(a) - 1) * spread
    return Interval(math.expm1(log_ratio), _grown(log_ratio - half), _grown(log_ratio + half))


def _grown(log_ratio: float) -> float:
    """e^x − 1, infinite where a float cannot hold it: with two replications of a noisy KPI the
    upper bound of a ratio can pass e^709 (the interval is then unbounded at that precision)."""
    return math.inf if log_ratio > MAX_LOG else math.expm1(log_ratio)


MAX_LOG = math.log(np.finfo(float).max)


@dataclass(frozen=True)
class Comparison:
    """One KPI, `design` against `versus`: the difference (design − versus, in the KPI's unit),
    the relative change, the margin in the KPI's unit, and the call."""

    kpi: str
    design: str
    versus: str
    diff: Interval
    relative: Interval
    margin: float
    call: str
    level: float


def call(diff: Interval, relative: Interval, margin: Margin, base: float, better: str) -> str:
    """The call for one comparison (see the module's docstring). A relative margin is judged on
    the ratio interval; an absolute one on the difference's."""
    judged, size = (relative, margin.size) if margin.relative else (diff, margin.size)
    if not judged.known and margin.relative:
        judged, size = diff, margin.absolute(base)  # a mean at or below zero: no ratio
    if judged.inside(size):
        return "equivalent"
    if diff.holds_zero() or better not in ("lower", "higher") or (judged is relative and judged.holds_zero()):
        return "undecided"  # neither interval shown for it may hold zero
    lower_is_better = better == "lower"
    return "better" if (diff.high < 0) == lower_is_better else "worse"


def compare(kpi: str, design: str, versus: str, a: np.ndarray, b: np.ndarray, margin: Margin,
            better: str, level: float) -> Comparison:
    """One paired comparison of replications `a` (design) and `b` (versus), called at `level`."""
    diff = paired_difference(a, b, level)
    relative = paired_ratio(a, b, level)
    base = float(np.nanmean(b)) if np.isfinite(b).any() else math.nan
    return Comparison(kpi, design, versus, diff, relative, margin.absolute(base),
                      call(diff, relative, margin, base, better), level)
