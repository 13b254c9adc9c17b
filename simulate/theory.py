"""Queueing theory in closed form: what the engine must agree with where theory applies.

Notation: arrival rate λ, service rate μ per server (mean handle time 1/μ), c servers,
offered load a = λ/μ, utilization ρ = a/c (< 1 for a stable queue). Waits are in queue,
from arrival until service starts: that is the engine's first response. Time in system
is the wait plus the service: the engine's resolution when nothing escalates.

    Erlang C      C(c, a) = P(wait > 0)
                          = [aᶜ/c! · c/(c − a)] / [Σ_{k<c} aᵏ/k! + aᶜ/c! · c/(c − a)]
    M/M/c         Wq = C / (cμ − λ)                   P(wait > t) = C · e^{−(cμ − λ) t}
                  W  = Wq + 1/μ,  Lq = λ Wq,  L = λ W  (Little's law)
    M/M/1         C = ρ, so Wq = ρ / (μ − λ) and P(wait > t) = ρ · e^{−(μ − λ) t}
    Allen–Cunneen Wq(G/G/c) ≈ Wq(M/M/c) · (ca² + cs²) / 2, with ca², cs² the squared
                  coefficients of variation of inter-arrival and service times (ca² = 1
                  for Poisson arrivals, so M/G/c scales by (1 + cs²)/2; exact for c = 1,
                  the Pollaczek–Khinchine formula)

An unstable queue (λ ≥ cμ) has infinite waits: the functions say so (inf, or a
probability of 1) rather than raise.
"""

from __future__ import annotations

import math


def erlang_c(c: int, a: float) -> float:
    """P(an arrival waits) in M/M/c with offered load a = λ/μ (Erlang's C formula).

    Computed through the Erlang B recursion B(k) = a·B(k−1) / (k + a·B(k−1)), stable for
    large c; then C = c·B / (c − a·(1 − B)).
    """
    if a <= 0:
        return 0.0
    if a >= c:
        return 1.0
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return c * b / (c - a * (1 - b))


def mmc_wq(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue of M/M/c: Wq = C(c, a) / (cμ − λ)."""
    if lam >= c * mu:
        return math.inf
    return erlang_c(c, lam / mu) / (c * mu - lam)


def mmc_w(lam: float, mu: float, c: int) -> float:
    """Mean time in system of M/M/c: W = Wq + 1/μ."""
    return mmc_wq(lam, mu, c) + 1.0 / mu


def mmc_lq(lam: float, mu: float, c: int) -> float:
    """Mean number waiting in M/M/c: Lq = λ Wq."""
    return little_l(lam, mmc_wq(lam, mu, c))


def mmc_l(lam: float, mu: float, c: int) -> float:
    """Mean number in system (waiting or in service) of M/M/c: L = λ W = Lq + a."""
    return little_l(lam, mmc_w(lam, mu, c))


def mmc_wait_exceeds(lam: float, mu: float, c: int, t: float) -> float:
    """P(wait > t) in M/M/c: C(c, a) · e^{−(cμ − λ) t}, for t ≥ 0."""
    if lam >= c * mu:
        return 1.0
    return erlang_c(c, lam / mu) * math.exp(-(c * mu - lam) * t)


def sla_met(lam: float, mu: float, c: int, t: float) -> float:
    """Share of arrivals whose wait is at most t: 1 − C · e^{−(cμ − λ) t}."""
    return 1.0 - mmc_wait_exceeds(lam, mu, c, t)


def mmc_wait_quantile(lam: float, mu: float, c: int, p: float) -> float:
    """The p-quantile of the wait: 0 when P(wait) ≤ 1 − p, else ln(C / (1 − p)) / (cμ − λ).

    (Solve C · e^{−(cμ − λ) t} = 1 − p for t; below that, the atom of arrivals served at
    once covers the quantile.)
    """
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1) (got {p:g})")
    if lam >= c * mu:
        return math.inf
    wait = erlang_c(c, lam / mu)
    if wait <= 1 - p:
        return 0.0
    return math.log(wait / (1 - p)) / (c * mu - lam)


def mm1_wq(lam: float, mu: float) -> float:
    """Mean wait in queue of M/M/1: ρ / (μ − λ)."""
    return mmc_wq(lam, mu, 1)


def mm1_wait_exceeds(lam: float, mu: float, t: float) -> float:
    """P(wait > t) in M/M/1: ρ · e^{−(μ − λ) t}."""
    return mmc_wait_exceeds(lam, mu, 1, t)


def mm1_sla_met(lam: float, mu: float, t: float) -> float:
    """Share of arrivals an M/M/1 serves within t: 1 − ρ · e^{−(μ − λ) t}."""
    return sla_met(lam, mu, 1, t)


def mm1_wait_quantile(lam: float, mu: float, p: float) -> float:
    """The p-quantile of the M/M/1 wait: 0 when ρ ≤ 1 − p, else ln(ρ / (1 − p)) / (μ − λ)."""
    return mmc_wait_quantile(lam, mu, 1, p)


def pooling_gain(lam: float, mu: float, n: int) -> float:
    """How many times longer the mean wait of n separate M/M/1 queues, each fed λ/n, is than
    that of one M/M/n queue fed λ: Wq(M/M/1; λ/n, μ) ÷ Wq(M/M/n; λ, μ), at the same ρ."""
    return mm1_wq(lam / n, mu) / mmc_wq(lam, mu, n)


def allen_cunneen_wq(lam: float, mean_service: float, c: int, cs2: float, ca2: float = 1.0) -> float:
    """Allen–Cunneen approximation for G/G/c: Wq(M/M/c) × (ca² + cs²) / 2."""
    return mmc_wq(lam, 1.0 / mean_service, c) * (ca2 + cs2) / 2


def little_l(lam: float, w: float) -> float:
    """Little's law: mean number in system L = λ W."""
    return lam * w


def little_w(lam: float, mean_number: float) -> float:
    """Little's law read the other way: mean time in system W = L / λ."""
    return mean_number / lam if lam > 0 else math.nan


def min_servers_for_sla(lam: float, mu: float, t: float, target: float) -> int:
    """The fewest servers for which at least `target` of arrivals wait no longer than t.

    A target of 1 is met, in floating point, once C(c, a) falls below machine epsilon (C
    falls faster than geometrically in c), so the search always ends.
    """
    if not 0.0 <= target <= 1.0:
        raise ValueError(f"target must be in [0, 1] (got {target:g})")
    c = max(1, math.floor(lam / mu) + 1)
    while sla_met(lam, mu, c, t) < target:
        c += 1
    return c
