"""Units as a table: how a value of each unit reads, how a difference reads, whether it is a share.

Every number orgsim prints (terminal table, report, `orgsim compare`) is worded here, so a unit is
defined once. The lowest layer: it imports nothing from simulate, and the KPI table names its rows.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

MISSING = "–"  # what a value that is not a finite number reads as


def finite(value: object) -> bool:
    """A number that can be printed as one: not None, NaN or infinite."""
    return isinstance(value, int | float) and math.isfinite(value)


def number(v: float) -> str:
    """A number as a scenario gives it, thousands separated: 1,024; 0.35; 120,000."""
    if isinstance(v, int):
        return f"{v:,}"
    if not math.isfinite(v):
        return str(v)
    return f"{v:,.0f}" if v.is_integer() else f"{v:,.6g}"


def dollars(v: float) -> str:
    """An exact amount of money as a scenario gives it: $120,000."""
    return f"${number(v)}"


def money(v: float, decimals: int = 2) -> str:
    """An amount in millions or thousands: $3.42M, $441k (chart ticks use one decimal)."""
    return f"${v / 1e6:,.{decimals}f}M" if abs(v) >= 1e6 else f"${v / 1e3:,.0f}k"


def percent(v: float, decimals: int = 1) -> str:
    """A share as a percentage: 0.147 → 14.7%."""
    return f"{100 * v:.{decimals}f}%"


def points(d: float) -> str:
    """A difference of shares in percentage points, unsigned: 4.2 pts."""
    return f"{abs(100 * d):.1f} pts"


def count(v: float) -> str:
    """A whole number of things: 1,024."""
    return f"{v:,.0f}"


def per_year(v: float) -> str:
    """A count per year: 832/yr, 64.0/yr (a decimal below a hundred)."""
    return f"{v:,.0f}/yr" if abs(v) >= 100 else f"{v:,.1f}/yr"


@dataclass(frozen=True)
class Unit:
    """One unit: how a value reads, and how changes in it read."""

    name: str
    reads: Callable[[float], str]  # one value: $3.42M, 14.7%, 0.50 h
    share: bool = False  # of the book, of hours, of tickets: values in percent, differences in points
    relative: bool = True  # designs contrast by relative change (−41%), not by points
    axis: str = "{}"  # a chart axis title around the KPI's label
    tick: Callable[[float], str] | None = None  # a chart tick, where it reads shorter than a value


UNITS: tuple[Unit, ...] = (
    Unit("USD/yr", money, axis="{} per year", tick=lambda v: money(v, 1)),
    Unit("USD", money, tick=lambda v: money(v, 1)),
    Unit("share", percent, share=True, relative=False),
    Unit("ratio", percent, share=True, relative=False),
    # A rate of the book: churn halving reads −50%, a difference still in points.
    Unit("share/yr", percent, share=True, axis="{} (share of accounts per year)"),
    Unit("per yr", per_year),
    Unit("h", lambda v: f"{v:.2f} h", axis="{} (business hours)"),
    Unit("days", lambda v: f"{v:.1f} d"),
    Unit("accounts", count),
    Unit("", lambda v: f"{v:,.3g}"),  # a KPI this version does not define: three significant digits
)
BY_NAME = {u.name: u for u in UNITS}


def value(v: float, unit: str) -> str:
    """One value in its unit: $3.42M, 14.7%, 0.50 h, 15.1 d, 1,024, 12.0/yr."""
    return BY_NAME[unit].reads(v) if finite(v) else MISSING


def spread(mean: float, low: float, high: float, unit: str) -> str:
    """mean ± half the interval (the mean alone when there is no interval)."""
    if not finite(mean):
        return MISSING
    if not (finite(low) and finite(high)):
        return value(mean, unit)
    return f"{value(mean, unit)} ± {value((high - low) / 2, unit)}"


def signed(d: float, unit: str) -> str:
    """An absolute difference with its sign: +4.2 pts, −$441k, +0.25 h."""
    if not finite(d):
        return MISSING
    if BY_NAME[unit].share:
        text = points(d)
        zero = text == points(0.0)
    else:
        text = value(abs(d), unit)
        zero = text == value(0.0, unit)  # a change that rounds to nothing has no sign: not −0.00 h
    return text if zero else f"{'+' if d > 0 else '−'}{text}"


def percent_change(x: float) -> str:
    """A relative change as a signed percentage: +12%, −41%, +8.0%, +0.4%, −0.05% (more digits when
    small, so that a bound near zero does not read as zero)."""
    if not finite(x):
        return MISSING
    magnitude = abs(100 * x)
    if magnitude == 0:
        return "0%"
    digits = next((i for i, floor in enumerate((10, 0.1, 0.01)) if magnitude >= floor), 3)
    text = f"{magnitude:.{digits}f}%"
    return text if float(text[:-1]) == 0 else f"{'+' if x > 0 else '−'}{text}"
