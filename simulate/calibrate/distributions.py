"""Fitting a positive quantity (ACV, handle time): lognormal and gamma by maximum likelihood,
the better kept by AIC, with a KS statistic and 95% intervals for its mean and cv.

Both families have closed or one-dimensional maximum-likelihood equations, solved directly
(scipy's generic optimiser is slower and no more exact): lognormal μ, σ² are the mean and
variance of the logs; the gamma shape k solves log k − ψ(k) = log x̄ − mean(log x). Intervals:
for the lognormal, Cox's for the mean and the χ² interval of σ² for the cv; for the gamma, the
t-interval of the mean (its MLE is x̄) and the Fisher-information interval of k for the cv.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize, special, stats

from simulate.calibrate.estimates import Z95, Estimate
from simulate.calibrate.estimates import mean as sample_mean

PARAMETERS = 2  # both families: AIC = 2·2 − 2·log-likelihood
FEWEST = 3  # fewer positive values than this cannot be fitted


@dataclass(frozen=True)
class DistFit:
    """The better of the two fits: its family, mean and cv with intervals, AIC of both, KS."""

    dist: str
    mean: Estimate
    cv: Estimate
    aic: dict[str, float]
    ks: float
    n: int
    dropped: int  # values ≤ 0, left out (neither family has them)
    frozen: Any  # the fitted scipy distribution, for the report's curves and QQ plot

    def quantity(self, digits: int = 4) -> dict[str, Any]:
        """As the scenario writes a quantity: `{dist, mean, cv}`."""
        return {"dist": self.dist, "mean": _round(self.mean.value, digits),
                "cv": _round(self.cv.value, 3)}


def aic_text(fit: DistFit) -> str:
    """"lognormal 9,659; gamma 9,676": both families' AIC."""
    return "; ".join(f"{k} {v:,.0f}" for k, v in fit.aic.items())


def _round(x: float, digits: int) -> float:
    """`x` to `digits` significant digits."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def _lognormal(x: np.ndarray, logs: np.ndarray, basis: str) -> tuple[float, Estimate, Estimate, Any]:
    n = len(x)
    mu, s2 = float(logs.mean()), float(logs.var())
    s2u = float(logs.var(ddof=1))
    frozen = stats.lognorm(math.sqrt(s2), scale=math.exp(mu))
    loglik = float(frozen.logpdf(x).sum())
    theta, se = mu + s2 / 2, math.sqrt(s2u / n + s2u**2 / (2 * (n - 1)))
    mean = Estimate(math.exp(theta), math.exp(theta - Z95 * se), math.exp(theta + Z95 * se), basis)
    s2_low = (n - 1) * s2u / stats.chi2.ppf(0.975, n - 1)
    s2_high = (n - 1) * s2u / stats.chi2.ppf(0.025, n - 1)
    cv = Estimate(*(math.sqrt(math.expm1(v)) for v in (s2, s2_low, s2_high)), basis)
    return loglik, mean, cv, frozen


def _gamma(x: np.ndarray, logs: np.ndarray, basis: str) -> tuple[float, Estimate, Estimate, Any]:
    n = len(x)
    gap = math.log(float(x.mean())) - float(logs.mean())
    if gap <= 1e-12:  # all values (nearly) equal: an infinitely sharp gamma
        k = 1e6
    else:
        k = optimize.brentq(lambda a: math.log(a) - special.digamma(a) - gap, 1e-8, 1e8)
    frozen = stats.gamma(k, scale=float(x.mean()) / k)
    loglik = float(frozen.logpdf(x).sum())
    info = n * (special.polygamma(1, k) - 1.0 / k)
    se_k = 1.0 / math.sqrt(info) if info > 0 else math.inf
    k_low, k_high = max(k - Z95 * se_k, 1e-12), k + Z95 * se_k
    cv = Estimate(1 / math.sqrt(k), 1 / math.sqrt(k_high), 1 / math.sqrt(k_low), basis)
    return loglik, sample_mean(x, basis), cv, frozen


FAMILIES = {"lognormal": _lognormal, "gamma": _gamma}


def fit_positive(values: np.ndarray, basis: str) -> DistFit | None:
    """The better of lognormal and gamma for `values` by AIC (None with fewer than 3 positive,
    distinct values); `basis` names the sample ("2,413 tickets")."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    x = values[values > 0]
    if len(x) < FEWEST or np.ptp(x) == 0:
        return None
    logs = np.log(x)
    fits = {name: family(x, logs, basis) for name, family in FAMILIES.items()}
    aic = {name: 2 * PARAMETERS - 2 * fit[0] for name, fit in fits.items()}
    best = min(aic, key=lambda name: aic[name])
    _, mean, cv, frozen = fits[best]
    ks = float(stats.kstest(x, frozen.cdf).statistic)
    return DistFit(best, mean, cv, aic, ks, len(x), len(values) - len(x), frozen)
