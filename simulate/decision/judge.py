"""Whether a target holds over replications, on its mean and on its 95% confidence bound, over the
whole measured period or in every 12-month window (issue 12).

A target is met on its bound when the side of the two-sided 95% t-interval that faces the target
meets it (the lower end for "≥", the upper for "≤"): the service promised holds with confidence,
not only on average. A target `in_every_window` is judged in its worst window: the window whose
bound (or, below two replications, whose mean) is furthest on the wrong side.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np

from simulate.scenario.targets import Target
from simulate.stats import LEVEL, WHOLE, t_interval, t_quantile


class Measured(Protocol):
    """An outcome of one replication, as simulate.runner returns it."""

    def kpi(self, name: str, segment: str = WHOLE, window: str = WHOLE) -> float: ...

    @property
    def windows(self) -> list[str]: ...


@dataclass(frozen=True)
class Judged:
    """A target over n replications: mean and 95% interval in its judged window (the worst one
    for a target that must hold in every window), and whether it is met on mean and on bound
    (in every window, for such a target)."""

    target: Target
    window: str
    mean: float
    low: float
    high: float
    n: int
    met: bool = False  # the mean meets the target (in every window)
    met_on_bound: bool = False  # the confidence bound meets it (in every window)
    missed_on_bound: bool = False  # the interval's far end misses it (in some window)

    @property
    def bound(self) -> float:
        """The interval's end facing the target (the mean below two replications)."""
        edge = self.low if self.target.op == ">=" else self.high
        return edge if math.isfinite(edge) else self.mean

    def projected(self, n: int) -> float:
        """The bound this target would have on `n` replications at the spread seen here: the
        screen's guess at the confirmation's bound (the mean below two replications)."""
        if self.n < 2 or not (math.isfinite(self.low) and math.isfinite(self.high)):
            return self.mean
        spread = (self.high - self.low) / 2 * math.sqrt(self.n) / t_quantile(LEVEL, self.n - 1)
        half = t_quantile(LEVEL, max(n, 2) - 1) * spread / math.sqrt(max(n, 2))
        return self.mean - half if self.target.op == ">=" else self.mean + half

    def document(self) -> dict[str, Any]:
        """The target as optimum.json and verdict.json give it."""
        t = self.target
        return {"kpi": t.kpi, "segment": t.segment, "op": t.op, "value": t.value,
                "in_every_window": t.every_window, "window": self.window, "n": self.n,
                "mean": _num(self.mean), "low": _num(self.low), "high": _num(self.high),
                "met": self.met, "met_on_bound": self.met_on_bound,
                "missed_on_bound": self.missed_on_bound}


def judge(target: Target, outcomes: Sequence[Measured]) -> Judged:
    """The target over `outcomes` (one design's replications), in its worst window if it must
    hold in every window, else over the whole measured period."""
    windows = [WHOLE]
    if target.every_window and outcomes:
        windows = [w for w in outcomes[0].windows if w != WHOLE] or [WHOLE]
    found = [_in(target, outcomes, w) for w in windows]
    worst = min(found, key=_slack)
    return replace(worst, met=all(_mean_meets(j) for j in found),
                   met_on_bound=all(_bound_meets(j) for j in found),
                   missed_on_bound=any(_surely_missed(j) for j in found))


def _in(target: Target, outcomes: Sequence[Measured], window: str) -> Judged:
    values = np.array([o.kpi(target.kpi, target.segment, window) for o in outcomes], dtype=float)
    mean, low, high, n = t_interval(values)
    return Judged(target, window, mean, low, high, n)


def _mean_meets(j: Judged) -> bool:
    return math.isfinite(j.mean) and j.target.met(j.mean)


def _surely_missed(j: Judged) -> bool:
    far = j.high if j.target.op == ">=" else j.low
    return j.n >= 2 and math.isfinite(far) and not j.target.met(far)


def _bound_meets(j: Judged) -> bool:
    return j.n >= 2 and math.isfinite(j.bound) and j.target.met(j.bound)


def _slack(judged: Judged) -> float:
    """How far the bound is on the right side of the target (negative: missed); unmeasured last."""
    value = judged.bound
    if not math.isfinite(value):
        return -math.inf
    return value - judged.target.value if judged.target.op == ">=" else judged.target.value - value


def _num(x: float) -> float | None:
    return round(float(x), 6) if math.isfinite(x) else None
