"""Service targets (`targets:`) and the budget ceiling (`budget:`) a scenario may set.

A target is written `kpi: ">= 0.9"` or `kpi.segment: "<= 0.2"`, for any KPI of DESIGN.md §6, or
as a bare number: at least that for a KPI where higher is better (`sla_met: 0.9`), at most that
where lower is better (`frt_p90_h: 4`), or as a mapping `{at: ">= 0.9", in_every_window: true}`:
met in each 12-month window after warm-up, not only over the whole measured period. The
optimizer looks for the cheapest staffing that meets them all. Which KPIs exist and which way
each is better is known above the file format (simulate.kpis.names); the caller passes it in.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from simulate.scenario.fields import Section

_FORM = re.compile(r"^\s*(>=|<=|≥|≤)\s*([-+0-9.eE]+)\s*$")
_OPS = {">=": ">=", "≥": ">=", "<=": "<=", "≤": "<="}
_BARE = {"higher": ">=", "lower": "<="}  # what a bare number means, by the KPI's better direction


@dataclass(frozen=True)
class Target:
    """`kpi` (for `segment`, or "all") must be ≥ or ≤ `value`."""

    kpi: str
    segment: str
    op: str  # ">=" or "<="
    value: float
    every_window: bool = False  # met in each 12-month window after warm-up, not only overall

    def met(self, observed: float) -> bool:
        return observed >= self.value if self.op == ">=" else observed <= self.value

    def shortfall(self, observed: float) -> float:
        """How far `observed` misses, relative to the target (0 when met)."""
        scale = max(abs(self.value), 1e-9)
        gap = self.value - observed if self.op == ">=" else observed - self.value
        return max(gap, 0.0) / scale

    def __str__(self) -> str:
        where = "" if self.segment == "all" else f".{self.segment}"
        every = " in every year" if self.every_window else ""
        return f"{self.kpi}{where} {'≥' if self.op == '>=' else '≤'} {self.value:g}{every}"


class WindowedTarget(Section):
    """A target with where it must hold: `{at: ">= 0.9", in_every_window: true}`."""

    at: str | float = Field(description='the bound: ">= x", "<= x" or a bare number, x in the '
                                         "KPI's unit (docs/kpis.md)")
    in_every_window: bool = Field(
        False, description="met in each 12-month window after warm-up (and a last partial year "
                           "of 6 months or more), not only over the whole measured period")


def parse_target(key: str, spec: str | float | WindowedTarget, better: Mapping[str, str],
                 segments: Set[str] | None = None) -> Target:
    """One `targets:` entry, given each KPI's better direction ("higher", "lower" or ""); its
    segment is checked when `segments` is given. Raises ValueError with a message for the user."""
    if isinstance(spec, WindowedTarget):
        plain = parse_target(key, spec.at, better, segments)
        return Target(plain.kpi, plain.segment, plain.op, plain.value, spec.in_every_window)
    kpi, _, segment = key.partition(".")
    if kpi not in better:
        close = difflib.get_close_matches(kpi, sorted(better), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown KPI {kpi!r}{hint}")
    segment = segment or "all"
    if segments is not None and segment != "all" and segment not in segments:
        raise ValueError(f"unknown segment {segment!r} (known: {', '.join(sorted(segments))})")
    if isinstance(spec, int | float) and not isinstance(spec, bool):
        op = _BARE.get(better[kpi])
        if op is None:
            raise ValueError(f"{kpi} is neither better higher nor lower: write '>= {spec:g}' or "
                             f"'<= {spec:g}'")
        return Target(kpi, segment, op, float(spec))
    match = _FORM.match(str(spec))
    if match is None:
        raise ValueError(f"expected '>= number', '<= number' or a number (got {spec!r})")
    return Target(kpi, segment, _OPS[match.group(1)], float(match.group(2)))


class Budget(BaseModel):
    """Finance's ceiling on CS spend."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cs_cost_to_arr: Annotated[float, Field(gt=0, le=1)] | None = Field(
        None, description="ceiling on CS cost ÷ ARR, a ratio 0–1 (docs/calibration.md §2 "
                          "Optimizer targets and budget; B)")
