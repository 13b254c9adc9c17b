"""Quantities: a number (its mean) or a distribution `{dist, mean, cv|sd}` / `{dist: uniform, low, high}`.

Each distribution is a row of `DISTRIBUTIONS`: the parameters it needs and how to draw a numpy
block of it, so the model never branches on a distribution's name.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    WithJsonSchema,
    field_validator,
    model_validator,
)

DistName = Literal["fixed", "exponential", "lognormal", "gamma", "normal", "uniform"]


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


@dataclass(frozen=True)
class Distribution:
    """One distribution family: the fields it requires and its block sampler."""

    requires: tuple[str, ...]
    spread: bool  # needs cv or sd
    sample: Callable[[Quantity, np.random.Generator, int], np.ndarray]


DISTRIBUTIONS: dict[str, Distribution] = {
    "fixed": Distribution(("mean",), False, _fixed),
    "exponential": Distribution(("mean",), False, _exponential),
    "lognormal": Distribution(("mean",), True, _lognormal),
    "gamma": Distribution(("mean",), True, _gamma),
    "normal": Distribution(("mean",), True, _normal),
    "uniform": Distribution(("low", "high"), False, _uniform),
}


class Quantity(BaseModel):
    """A random quantity; `mean` is what an analytic estimate uses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dist: DistName
    mean: float | None = None
    cv: float | None = None
    sd: float | None = None
    low: float | None = None
    high: float | None = None

    @field_validator("mean", "cv", "sd", "low", "high", mode="before")
    @classmethod
    def _not_a_flag(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError(f"expected a number (got {value!r})")
        return value

    @model_validator(mode="after")
    def _complete(self) -> Quantity:
        spec = DISTRIBUTIONS[self.dist]
        missing = [f for f in spec.requires if getattr(self, f) is None]
        if missing:
            raise ValueError(f"{self.dist} needs {' and '.join(missing)}")
        if spec.spread and self.cv is None and self.sd is None:
            raise ValueError(f"{self.dist} needs cv or sd")
        for name in ("mean", "cv", "sd", "low", "high"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number (got {value:g})")
            if value is not None and value < 0:
                raise ValueError(f"{name} must be ≥ 0 (got {value:g})")
        if self.dist == "uniform" and self.high < self.low:
            raise ValueError(f"high must be ≥ low (got low={self.low:g}, high={self.high:g})")
        return self

    @property
    def expected(self) -> float:
        """The mean of the distribution (for a truncated normal, its untruncated mean)."""
        if self.dist == "uniform":
            return (self.low + self.high) / 2
        return float(self.mean)

    def sample(self, gen: np.random.Generator, n: int) -> np.ndarray:
        """A block of `n` draws."""
        return DISTRIBUTIONS[self.dist].sample(self, gen, n)


def quantity(default_dist: DistName, **default_spread: float) -> Any:
    """A Quantity field type whose bare-number form means `{dist: default_dist, mean: x, ...}`."""

    def coerce(value: Any) -> Any:
        if isinstance(value, bool):
            return value  # rejected by the model: a flag is not a number
        if isinstance(value, int | float):
            return {"dist": default_dist, "mean": value, **default_spread}
        return value

    schema = {
        "anyOf": [
            {"type": "number", "description": f"mean; {default_dist} {default_spread or ''}".strip()},
            Quantity.model_json_schema(),
        ]
    }
    return Annotated[Quantity, BeforeValidator(coerce), WithJsonSchema(schema)]
