"""Queueing theory in closed form: what the engine must agree with where theory applies.

Notation: arrival rate λ, service rate μ per server, c servers, offered load a = λ/μ,
utilization ρ = a/c (< 1 for a stable queue). Waits are in queue (before service starts),
which is the engine's first response.
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


def mmc_wait_exceeds(lam: float, mu: float, c: int, t: float) -> float:
    """P(wait > t) in M/M/c: C(c, a) · e^{−(cμ − λ) t}."""
    if lam >= c * mu:
        return 1.0
    return erlang_c(c, lam / mu) * math.exp(-(c * mu - lam) * t)


def sla_met(lam: float, mu: float, c: int, t: float) -> float:
    """Share of arrivals whose wait is at most t: 1 − C · e^{−(cμ − λ) t}."""
    return 1.0 - mmc_wait_exceeds(lam, mu, c, t)


def mmc_wait_quantile(lam: float, mu: float, c: int, p: float) -> float:
    """The p-quantile of the wait: 0 when P(wait) ≤ 1 − p, else ln(C / (1 − p)) / (cμ − λ)."""
    if lam >= c * mu:
        return math.inf
    wait = erlang_c(c, lam / mu)
    if wait <= 1 - p:
        return 0.0
    return math.log(wait / (1 - p)) / (c * mu - lam)


def mm1_wq(lam: float, mu: float) -> float:
    """Mean wait in queue of M/M/1: ρ / (μ − λ)."""
    return mmc_wq(lam, mu, 1)


def allen_cunneen_wq(lam: float, mean_service: float, c: int, cs2: float, ca2: float = 1.0) -> float:
    """Allen–Cunneen approximation for G/G/c: Wq(M/M/c) × (ca² + cs²) / 2."""
    return mmc_wq(lam, 1.0 / mean_service, c) * (ca2 + cs2) / 2


def little_l(lam: float, w: float) -> float:
    """Little's law: mean number in system L = λ W."""
    return lam * w


def min_servers_for_sla(lam: float, mu: float, t: float, target: float) -> int:
    """The fewest servers for which at least `target` of arrivals wait no longer than t."""
    c = max(1, math.floor(lam / mu) + 1)
    while sla_met(lam, mu, c, t) < target:
        c += 1
    return c
