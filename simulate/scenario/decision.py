"""How a scenario asks for its designs to be compared (issue 11): on which basis, and which
difference in a KPI is big enough to matter (`decision.margins`).

A margin is written as a share of the comparison design's mean (`"2%"`) or as a number in the
KPI's own unit (`0.005` is half a point of churn; `2` is two days to live). Which KPIs may carry
a margin is checked where KPIs are known (simulate.consistency).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator

from simulate.scenario.fields import Section

BASES = ("given", "equal_service", "equal_budget")
Basis = Literal[BASES]  # type: ignore[valid-type]
_SHARE = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*%\s*$")


def margin_size(spec: str | float) -> tuple[float, bool]:
    """(size, relative) of a margin as written: "2%" → (0.02, True); 0.005 → (0.005, False)."""
    if isinstance(spec, str):
        match = _SHARE.match(spec)
        if match is None:
            raise ValueError(f"expected a number in the KPI's unit or a share such as '2%' (got {spec!r})")
        return float(match.group(1)) / 100, True
    return float(spec), False


class Decision(Section):
    """What difference matters when designs are compared."""

    margins: dict[str, Annotated[str | float, Field(description=(
        "a share of the other design's mean ('2%') or a number in the KPI's unit"))]] = Field(
        default_factory=dict,
        description="smallest difference that matters, per KPI: a share of the other design's "
                    "mean ('2%') or a number in the KPI's unit (0.005 = half a point of churn); "
                    "KPIs not named keep the defaults of docs/decision.md")

    until: Literal["verdict", "every_call"] = Field(
        "verdict", description="with replications: auto, when to stop: once the verdict is settled "
                               "(a design is chosen, or every design is worse than another somewhere, "
                               "so that no undecided call can change it) or once every headline "
                               "call is decided")

    @field_validator("margins")
    @classmethod
    def _sizes(cls, margins: dict[str, str | float]) -> dict[str, str | float]:
        for kpi, spec in margins.items():
            if isinstance(spec, bool):
                raise ValueError(f"{kpi}: expected a number or a share such as '2%', not true/false")
            try:
                size, _ = margin_size(spec)
            except ValueError as err:
                raise ValueError(f"{kpi}: {err}") from None
            if not 0 < size < float("inf"):
                raise ValueError(f"{kpi}: a margin must be above zero (got {spec!r})")
        return margins
