"""What a calibration produces: fitted values with their sources, values kept from the base
scenario with the reason, and warnings; and the words each comment in FITTED.yaml uses."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from simulate.calibrate.estimates import Estimate

MONTH_DAYS = 365.25 / 12  # a calendar month; the model's business month is one twelfth of a year too
WINDOW_MONTHS = 12
FEW_ACCOUNTS = 30  # a segment with fewer accounts is warned about
FEW_TICKETS = 30  # a ticket type with fewer tickets (or handle times) is warned about


@dataclass(frozen=True)
class Fitted:
    """One value written into FITTED.yaml at `path`, and where it came from."""

    path: tuple[str, ...]
    value: Any
    source: str  # the comment: "fitted: 2,413 tickets, 95% CI 0.48–0.53"
    estimate: Estimate | None = None


@dataclass
class Calibration:
    """Everything the fits found: values, what was kept from the base, warnings, report data."""

    base_name: str
    segments: list[str]
    template: dict[str, str]  # segment → the base segment its unfitted values come from
    values: list[Fitted] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # "segments.smb.onboarding_hours: reason"
    warnings: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)  # what the report draws
    facts: list[tuple[str, str]] = field(default_factory=list)  # (what, value) for the report

    def add(self, path: tuple[str, ...], value: Any, source: str, estimate: Estimate | None = None) -> None:
        self.values.append(Fitted(path, plain(value), source, estimate))

    def keep(self, path: str, reason: str) -> None:
        self.kept.append(f"{path}: {reason}")

    def value(self, *path: str) -> Any:
        return next(f.value for f in self.values if f.path == path)

    def estimate(self, *path: str) -> Estimate | None:
        return next((f.estimate for f in self.values if f.path == path), None)


def plain(value: Any) -> Any:
    """`value` with numpy scalars made Python numbers, so the file writer can write it."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def number(x: float) -> str:
    """A value for a comment, to 3 significant digits, with thousands separators."""
    if not math.isfinite(x):
        return "n/a"
    if x == 0:
        return "0"
    if abs(x) < 0.001:
        return f"{x:.2g}"
    digits = max(0, 2 - math.floor(math.log10(abs(x))))
    return f"{x:,.{digits}f}"


def fitted_source(estimate: Estimate, unit: str = "") -> str:
    """"fitted: 2,413 tickets, 95% CI 0.48–0.53 per month"."""
    tail = f" {unit}" if unit else ""
    return (f"fitted: {estimate.basis}, 95% CI {number(estimate.low)}–{number(estimate.high)}{tail}")


def sig(x: float, digits: int = 4) -> float:
    """`x` rounded to `digits` significant digits, for the file."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def window_start(as_of: pd.Timestamp, earliest: pd.Timestamp) -> pd.Timestamp:
    """The start of the last 12 months before `as_of`, or of the data if it starts later."""
    return max(as_of - pd.DateOffset(months=WINDOW_MONTHS), earliest)


def months_between(start: Any, end: Any) -> Any:
    """Calendar months between two timestamps (or arrays of them)."""
    return (end - start) / pd.Timedelta(days=MONTH_DAYS)
