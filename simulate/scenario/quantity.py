"""Quantities: a number (its mean) or a distribution `{dist, mean, cv|sd}` / `{dist: uniform, low, high}`.

Each distribution is a row of `DISTRIBUTIONS`: the parameters it needs. How to draw a numpy
block of it is the matching row of `simulate.scenario.sampling.SAMPLERS`, kept apart so that
reading and validating a scenario needs no numpy; the model never branches on a distribution's
name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

if TYPE_CHECKING:  # numpy only for the type hints: drawing lives in simulate.scenario.sampling
    import numpy as np

# Where a quantity's own fields name their unit; each quantity field puts its unit there in the
# JSON schema (`quantity(..., unit=...)`).
UNIT = "in the field's unit"

DistName = Literal["fixed", "exponential", "lognormal", "gamma", "normal", "uniform"]


@dataclass(frozen=True)
class Distribution:
    """One distribution family: the fields it requires (its sampler is in sampling.SAMPLERS)."""

    requires: tuple[str, ...]
    spread: bool  # needs cv or sd


DISTRIBUTIONS: dict[str, Distribution] = {
    "fixed": Distribution(("mean",), False),
    "exponential": Distribution(("mean",), False),
    "lognormal": Distribution(("mean",), True),
    "gamma": Distribution(("mean",), True),
    "normal": Distribution(("mean",), True),
    "uniform": Distribution(("low", "high"), False),
}


class Quantity(BaseModel):
    """A random quantity; `mean` is what an analytic estimate uses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dist: DistName = Field(description="the distribution: fixed, exponential, lognormal, gamma, "
                                       "normal (truncated at 0) or uniform (docs/calibration.md §1 "
                                       "Quantities)")
    mean: float | None = Field(None, description=f"the mean, {UNIT}")
    cv: float | None = Field(None, description="coefficient of variation, sd ÷ mean (a ratio, "
                                               "no unit)")
    sd: float | None = Field(None, description=f"standard deviation, {UNIT}")
    low: float | None = Field(None, description=f"uniform: the lowest value, {UNIT}")
    high: float | None = Field(None, description=f"uniform: the highest value, {UNIT}")

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
        """A block of `n` draws (numpy is imported here, on the first draw, not to read a file)."""
        from simulate.scenario.sampling import draw

        return draw(self, gen, n)


def quantity(default_dist: DistName, unit: str, **default_spread: float) -> Any:
    """A Quantity field type whose bare-number form means `{dist: default_dist, mean: x, ...}`;
    `unit` (e.g. "business hours") names the unit of its mean, sd, low and high in the schema."""

    def coerce(value: Any) -> Any:
        if isinstance(value, bool):
            return value  # rejected by the model: a flag is not a number
        if isinstance(value, int | float):
            return {"dist": default_dist, "mean": value, **default_spread}
        return value

    spread = ", ".join(f"{k} {v:g}" for k, v in default_spread.items())
    mapping = Quantity.model_json_schema()
    for prop in mapping["properties"].values():
        prop["description"] = prop["description"].replace(UNIT, unit)
    schema = {
        "anyOf": [
            {"type": "number",
             "description": f"the mean, {unit}; drawn {default_dist}{', ' + spread if spread else ''}"},
            mapping,
        ]
    }
    return Annotated[Quantity, BeforeValidator(coerce), WithJsonSchema(schema)]
