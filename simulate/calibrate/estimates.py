"""An estimate with its 95% interval and its basis, and the exact intervals the fits use:
Garwood's for a Poisson count, Wilson's for a proportion, Student's t for a mean."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

Z95 = float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class Estimate:
    """A fitted value, its 95% interval and what it rests on ("2,413 tickets")."""

    value: float
    low: float
    high: float
    basis: str

    def covers(self, truth: float) -> bool:
        return self.low <= truth <= self.high

    def scaled(self, factor: float) -> Estimate:
        return Estimate(self.value * factor, self.low * factor, self.high * factor, self.basis)


def poisson_rate(count: int, exposure: float, basis: str) -> Estimate:
    """`count` events over `exposure` (e.g. account-months): the rate, exact (Garwood) interval."""
    if exposure <= 0:
        return Estimate(math.nan, math.nan, math.nan, basis)
    low = stats.chi2.ppf(0.025, 2 * count) / 2 if count > 0 else 0.0
    high = stats.chi2.ppf(0.975, 2 * count + 2) / 2
    return Estimate(count / exposure, low / exposure, high / exposure, basis)


def proportion(hits: int, n: int, basis: str) -> Estimate:
    """`hits` of `n`: the share and its Wilson score interval."""
    if n <= 0:
        return Estimate(math.nan, math.nan, math.nan, basis)
    p = hits / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    low = 0.0 if hits == 0 else max(0.0, centre - half)
    high = 1.0 if hits == n else min(1.0, centre + half)
    return Estimate(p, low, high, basis)


def mean(values: np.ndarray, basis: str) -> Estimate:
    """The sample mean and its t-interval."""
    n = len(values)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, basis)
    m = float(np.mean(values))
    if n < 2:
        return Estimate(m, math.nan, math.nan, basis)
    half = float(stats.t.ppf(0.975, n - 1)) * float(np.std(values, ddof=1)) / math.sqrt(n)
    return Estimate(m, m - half, m + half, basis)


def quantile(values: np.ndarray, q: float, basis: str) -> Estimate:
    """The `q` quantile and its distribution-free interval from binomial order statistics."""
    x = np.sort(values[~np.isnan(values)])
    n = len(x)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, basis)
    lo = int(stats.binom.ppf(0.025, n, q))
    hi = int(stats.binom.ppf(0.975, n, q))
    return Estimate(float(np.quantile(x, q)), float(x[max(lo - 1, 0)]), float(x[min(hi, n - 1)]), basis)


def count_text(n: float, noun: str) -> str:
    """"2,413 tickets", "1 account"."""
    return f"{n:,.0f} {noun if n != 1 else noun.rstrip('s')}"
