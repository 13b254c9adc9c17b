"""The building blocks of the scenario schema: number types that refuse true/false, and the
base of every section (unknown keys are errors, values immutable once read)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError


def _not_a_flag(value: Any) -> Any:
    """YAML reads `yes`/`true` as a boolean, which pydantic would quietly take for 1."""
    if isinstance(value, bool):
        raise PydanticCustomError("bool_not_number", "expected a number, not true/false")
    return value


Number = BeforeValidator(_not_a_flag)
NonNeg = Annotated[float, Field(ge=0), Number]
Positive = Annotated[float, Field(gt=0), Number]
Probability = Annotated[float, Field(ge=0, le=1), Number]
Count = Annotated[int, Field(ge=0), Number]
AtLeastOne = Annotated[int, Field(ge=1), Number]
Points = Annotated[float, Field(ge=0, le=100), Number]


class Section(BaseModel):
    """A scenario section: unknown keys are errors, values are immutable once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


