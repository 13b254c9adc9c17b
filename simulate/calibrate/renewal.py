"""Renewal outcomes from the accounts export, and `renewal_risk` and its ACV slope fitted through
the model's own renewal rule (simulate/model/accounts.py `_renew`).

The rule: an account of ACV a in band b fails to renew with probability
min(1, renewal_risk × (1 − p_b) × (a ÷ mean ACV)^−renewal_acv_elasticity). Exports show no
bands, so the chance is averaged over the base scenario's band mix (simulate.calibrate.mix), and
the renewal work is taken as done. Renewal dates are a contract's anniversaries (from
`renewal_date` counted back, else from `signed_date`); an account that ended within
TOLERANCE_DAYS of one did not renew, one that ended elsewhere left mid-term (opt-out, not fitted).
Both parameters are fitted jointly by maximum likelihood; intervals by profile likelihood.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from simulate.calibrate.estimates import Estimate, count_text

TOLERANCE_DAYS = 31
EPS = 1e-9
BOUNDS = [(-20.0, 5.0), (0.0, 20.0)]  # log renewal_risk, elasticity
CHI2_HALF = 3.841458820694124 / 2  # half of χ²₁'s 95th percentile: the profile interval's cut


def anniversaries(accounts: pd.DataFrame, term_months: np.ndarray, as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per contract anniversary that fell due by `as_of` (with time to see its outcome):
    account index, date, and whether the account churned at it; plus mid-term exits flagged."""
    tol = np.timedelta64(TOLERANCE_DAYS, "D")
    signed = accounts["signed_date"].to_numpy("datetime64[ns]")
    ended = accounts["ended_date"].to_numpy("datetime64[ns]")
    anchor = signed.copy()
    if "renewal_date" in accounts:
        given = accounts["renewal_date"].to_numpy("datetime64[ns]")
        anchor = np.where(np.isnat(given), anchor, given)
    term = np.maximum(np.rint(term_months), 1).astype(np.int64)
    month = anchor.astype("datetime64[M]")
    offset = anchor.astype("datetime64[D]") - month.astype("datetime64[D]")
    span = (np.datetime64(as_of, "M") - signed.astype("datetime64[M]").min()).astype(int)
    reach = int(span // max(int(term.min()), 1)) + 2
    end = np.datetime64(as_of, "ns") - tol
    rows = []
    for k in range(-reach, reach + 1):
        due_month = (month + (k * term).astype("timedelta64[M]")).astype("datetime64[D]")
        due = (due_month + offset).astype("datetime64[ns]")
        alive = np.isnat(ended) | (ended >= due - tol)
        keep = (due > signed + tol) & (due <= end) & alive
        churned = ~np.isnat(ended) & (ended <= due + tol)
        index = np.flatnonzero(keep)
        rows.append(pd.DataFrame({"account": index, "due": due[index], "churned": churned[index]}))
    return pd.concat(rows, ignore_index=True)


def midterm_exits(accounts: pd.DataFrame, events: pd.DataFrame) -> np.ndarray:
    """Mask of accounts that ended but not at a renewal (left mid-term)."""
    ended = accounts["ended_date"].notna().to_numpy()
    at_renewal = np.zeros(len(accounts), bool)
    at_renewal[events.loc[events["churned"], "account"].to_numpy()] = True
    return ended & ~at_renewal


@dataclass(frozen=True)
class RenewalFit:
    """renewal_risk and renewal_acv_elasticity for one segment, from its renewals."""

    risk: Estimate
    elasticity: Estimate
    renewals: int
    churned: int
    acv: np.ndarray  # each renewal's ACV, for the report
    outcome: np.ndarray  # churned (1) or renewed (0)
    acv_mean: float
    non_renewal: float

    def churn_probability(self, acv: np.ndarray) -> np.ndarray:
        """The fitted rule's chance of not renewing at each ACV, band mix averaged."""
        return churn_probability(np.log(self.risk.value), self.elasticity.value,
                                 np.log(acv / self.acv_mean), self.non_renewal)


def churn_probability(log_risk: float, elasticity: float, log_ratio: np.ndarray,
                      non_renewal: float) -> np.ndarray:
    return np.clip(np.exp(log_risk - elasticity * log_ratio) * non_renewal, EPS, 1 - EPS)


def _nll(theta: np.ndarray, log_ratio: np.ndarray, y: np.ndarray, non_renewal: float) -> float:
    p = churn_probability(theta[0], theta[1], log_ratio, non_renewal)
    return -float(np.sum(y * np.log(p) + (1 - y) * np.log1p(-p)))


def _profile(theta_hat: np.ndarray, index: int, bounds: list[tuple[float, float]],
             args: tuple) -> tuple[float, float]:
    """The likelihood-ratio 95% interval of parameter `index`: where the profile deviance (the
    other parameter re-optimised) stays within χ²₁(0.95). The rule's cap at certain churn makes
    the likelihood kinked near its maximum, where Wald intervals from the curvature mislead."""
    other = 1 - index
    best = _nll(theta_hat, *args)

    def excess(value: float) -> float:
        def at(x: float) -> float:
            theta = np.empty(2)
            theta[index], theta[other] = value, x
            return _nll(theta, *args)
        found = optimize.minimize_scalar(at, bounds=bounds[other], method="bounded",
                                         options={"xatol": 1e-6})
        return min(float(found.fun), at(theta_hat[other])) - best - CHI2_HALF

    ends = []
    for edge in bounds[index]:
        if excess(edge) <= 0:
            ends.append(edge)
        else:
            ends.append(optimize.brentq(excess, min(edge, theta_hat[index]), max(edge, theta_hat[index]),
                                        xtol=1e-6))
    return ends[0], ends[1]


def fit_renewal(acv: np.ndarray, churned: np.ndarray, acv_mean: float,
                non_renewal: float) -> RenewalFit | None:
    """Maximum-likelihood renewal_risk and elasticity from renewals at ACVs `acv` (positive);
    None without a renewal or a churn to fit to."""
    keep = acv > 0
    acv, y = acv[keep], churned[keep].astype(float)
    if not len(acv) or not y.any() or non_renewal <= 0:
        return None
    log_ratio = np.log(acv / acv_mean)
    args = (log_ratio, y, non_renewal)
    start = np.array([math.log(max(y.mean(), 1e-3) / non_renewal), 0.5])
    found = optimize.minimize(_nll, start, args=args, method="L-BFGS-B", bounds=BOUNDS)
    theta = found.x
    log_risk = _profile(theta, 0, BOUNDS, args)
    slope = _profile(theta, 1, BOUNDS, args)
    basis = f"{count_text(len(y), 'renewals')} ({int(y.sum()):,} not renewed)"
    risk = Estimate(math.exp(theta[0]), math.exp(log_risk[0]), math.exp(log_risk[1]), basis)
    elasticity = Estimate(float(theta[1]), slope[0], slope[1], basis)
    return RenewalFit(risk, elasticity, len(y), int(y.sum()), acv, y, acv_mean, non_renewal)
