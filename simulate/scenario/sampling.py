"""Drawing a quantity: one numpy block sampler per distribution of `quantity.DISTRIBUTIONS`.

Kept apart from the schema so that reading and validating a scenario (`orgsim validate`,
`orgsim schema`) needs no numpy; only the model, which draws, imports this module.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from simulate.scenario.quantity import DISTRIBUTIONS, Quantity

Sampler = Callable[[Quantity, np.random.Generator, int], np.ndarray]


def _spread(q: Quantity) -> float:
    """Standard deviation from `sd`, or from `cv` × mean."""
    if q.sd is not None:
        return q.sd
    return (q.cv or 0.0) * (q.mean or 0.0)


def _fixed(q: Quantity, gen: np.random.Generator, n: int) -> np.ndarray:
    return np.full(n, q.mean, dtype=float)


def _exponential(q: Quantity, gen: np.random.Generator, n: int) -> np.ndarray:
    return gen.exponential(q.mean, n) if q.mean > 0 else np.zeros(n)


def _lognormal(q: Quantity, gen: np.random.Generator, n: int) -> np.ndarray:
    if q.mean <= 0:
        return np.zeros(n)
    cv = _spread(q) / q.mean
    sigma2 = math.log1p(cv * cv)
    return gen.lognormal(math.log(q.mean) - sigma2 / 2, math.sqrt(sigma2), n)


def _gamma(q: Quantity, gen: np.random.Generator, n: int) -> np.ndarray:
    sd = _spread(q)
    if q.mean <= 0 or sd <= 0:
        return np.full(n, max(q.mean, 0.0))
    shape = (q.mean / sd) ** 2
    return gen.gamma(shape, q.mean / shape, n)


def _normal(q: Quantity, gen: np.random.Generator, n: int) -> np.ndarray:
    """Normal truncated at 0: negative draws are redrawn (a bounded number of times)."""
    sd = _spread(q)
    out = gen.normal(q.mean, sd, n)
    for _ in range(64):
        bad = out < 0
        if not bad.any():
            return out
        out[bad] = gen.normal(q.mean, sd, int(bad.sum()))
    return np.maximum(out, 0.0)


def _uniform(q: Quantity, gen: np.random.Generator, n: int) -> np.ndarray:
    return gen.uniform(q.low, q.high, n)


SAMPLERS: dict[str, Sampler] = {
    "fixed": _fixed,
    "exponential": _exponential,
    "lognormal": _lognormal,
    "gamma": _gamma,
    "normal": _normal,
    "uniform": _uniform,
}
assert SAMPLERS.keys() == DISTRIBUTIONS.keys(), "every distribution needs a sampler"


def draw(q: Quantity, gen: np.random.Generator, n: int) -> np.ndarray:
    """A block of `n` draws of `q` from `gen`."""
    return SAMPLERS[q.dist](q, gen, n)
