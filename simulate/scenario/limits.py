"""Bounds on a scenario's numbers beyond the schema's ranges: what no real company has, and what
the engine cannot hold. Refused at validation, each with its bound and why, before a number
overflows a sum (an ACV of 1e308), makes a distribution degenerate (a gamma with cv 1e-300) or
runs one of the engine's random streams out of keys ("stream key out of range" after 34 s).

Two tables: `BOUNDS`, a bound per field read from the file as written (the first row whose
pattern matches a field decides), and `STREAMS`, the engine's stream capacities, which depend
on several fields together and are checked on the validated scenario.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from simulate.scenario.messages import show
from simulate.scenario.schema import Scenario

# The engine's random streams (simulate/model/streams.py and the Draws of simulate/model): a
# stream has 2**16 blocks; an account draws its tickets at most 64 a block, a segment its new
# accounts 16 a block. tests/test_scenario_bounds.py checks these against the engine.
STREAM_BLOCKS = 1 << 16
TICKET_BLOCK = 64
NEW_ACCOUNT_BLOCK = 16
CHANCE = 0.5  # the share of a stream a scenario may expect to use; the rest is for chance


@dataclass(frozen=True)
class Bound:
    """Numbers at fields matching `pattern` (dotted; `*` one name, `**` any, `{a,b}` either)
    must lie in [low, high], or be 0 where `zero` allows it; `why` says what the bound means."""

    pattern: str
    low: float | None
    high: float | None
    why: str
    zero: bool = False

    def refusal(self, value: float) -> str | None:
        """Why `value` is out of bounds, or None."""
        if self.zero and value == 0:
            return None
        if self.low is not None and value < self.low:
            either = "0 or " if self.zero else ""
            return f"must be {either}≥ {number(self.low)}: {self.why} (got {show(value)})"
        if self.high is not None and value > self.high:
            return f"must be ≤ {number(self.high)}: {self.why} (got {show(value)})"
        return None


_SPREAD = "a spread below a millionth is none (write 0 for an exact value)"

BOUNDS: tuple[Bound, ...] = (
    Bound("seed", None, 2**64 - 1, "the random streams take a 64-bit seed"),
    Bound("horizon_months", None, 1200, "a century of business months"),
    Bound("calendar.hours_per_day", None, 24, "hours in a day"),
    Bound("calendar.days_per_year", None, 366, "days in a year"),
    Bound("segments.*.initial_accounts", None, 1e7, "accounts in one segment's book, more than "
          "any CS organisation serves"),
    Bound("segments.*.new_per_month", None, 1e6, "new accounts a month in one segment"),
    Bound("segments.*.tickets_per_month", None, 10_000, "tickets a month from one account, "
          "hundreds a business day"),
    Bound("segments.*.touch_every_days", 0.1, None, "a touch cadence of ten touches a business "
          "day is no cadence"),
    Bound("**.cv", 1e-6, 100, _SPREAD + "; above 100 times the mean is no distribution", zero=True),
    Bound("**.sd", 1e-6, 1e12, _SPREAD, zero=True),
    Bound("segments.*.acv", None, 1e9, "USD a year for one contract, more than any on record"),
    Bound("segments.*.acv.{mean,low,high}", None, 1e9, "USD a year for one contract, more "
          "than any on record"),
    Bound("tickets.band_factor.*", None, 100, "a hundred times an account's tickets in one band"),
    Bound("tickets.onboarding_factor", None, 100, "a hundred times an account's tickets while "
          "it onboards"),
    Bound("roles.*.annual_cost", None, 1e8, "USD a year for one person"),
    Bound("roles.*.away_blocks_per_day", None, 100, "breaks in one business day"),
    Bound("**", None, 1e12, "no number in a scenario needs more; larger ones overflow the "
          "engine's sums"),
)


def number(x: float) -> str:
    """A bound as people read it: 1,000,000,000 or 1e-06."""
    return f"{x:,.0f}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:g}"


def _regex(pattern: str) -> re.Pattern[str]:
    parts = []
    for token in re.split(r"(\*\*|\*|\{[^}]*\})", pattern):
        if token == "**":
            parts.append(r".+")
        elif token == "*":
            parts.append(r"[^.]+")
        elif token.startswith("{"):
            parts.append("(?:" + "|".join(map(re.escape, token[1:-1].split(","))) + ")")
        else:
            parts.append(re.escape(token))
    return re.compile("".join(parts) + r"\Z")


_MATCHERS = tuple((_regex(b.pattern), b) for b in BOUNDS)


def bound_for(field: str) -> Bound | None:
    """The first bound whose pattern matches the dotted `field`."""
    return next((b for regex, b in _MATCHERS if regex.match(field)), None)


def out_of_bounds(document: dict[str, Any]) -> Iterator[tuple[list[Any], str]]:
    """(path, message) for each number of the document, as written, outside its field's bound."""
    stack: list[tuple[list[Any], Any]] = [([], document)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            stack.extend(([*path, key], value) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend(([*path, i], value) for i, value in enumerate(node))
        elif isinstance(node, int | float) and not isinstance(node, bool):
            bound = bound_for(".".join(map(str, path)))
            message = bound.refusal(node) if bound is not None else None
            if message is not None:
                yield path, message


# --- The engine's random streams -------------------------------------------------------------


def _peak_ticket_factor(s: Scenario) -> float:
    """The most an account's ticket rate is multiplied by: its busiest band, while onboarding."""
    return max(s.tickets.band_factor.as_tuple()) * max(1.0, s.tickets.onboarding_factor)


@dataclass(frozen=True)
class Stream:
    """A random stream holding `block` × STREAM_BLOCKS draws of what `field` (a segment's rate
    a month) asks for; `demand` is the multiplier of the rate over a run, `reads` in words."""

    field: str
    block: int
    owner: str  # whose stream it is: "one account"
    noun: str  # what it holds: "tickets"
    demand: Callable[[Scenario], float]
    reads: Callable[[Scenario], str]
    keys: frozenset[str]  # top-level keys the check reads

    @property
    def capacity(self) -> int:
        return self.block * STREAM_BLOCKS


STREAMS: tuple[Stream, ...] = (
    Stream("tickets_per_month", TICKET_BLOCK, "one account", "tickets",
           lambda s: s.horizon_months * _peak_ticket_factor(s),
           lambda s: f"horizon_months {s.horizon_months:g} × {_peak_ticket_factor(s):g} (the "
                     "busiest band and onboarding factors)",
           frozenset({"segments", "horizon_months", "tickets"})),
    Stream("new_per_month", NEW_ACCOUNT_BLOCK, "one segment", "new accounts",
           lambda s: s.horizon_months, lambda s: f"horizon_months {s.horizon_months:g}",
           frozenset({"segments", "horizon_months"})),
)


def streams_hold(s: Scenario) -> Iterator[tuple[frozenset[str], str, str]]:
    """Segments whose rates would draw more from one stream than it holds (with room for chance)."""
    for name, segment in s.segments.items():
        for stream in STREAMS:
            rate = getattr(segment, stream.field)
            allowed = CHANCE * stream.capacity / max(stream.demand(s), 1e-300)
            if rate > allowed:
                yield (stream.keys, f"segments.{name}.{stream.field}",
                       f"must be ≤ {int(allowed):,} here: {stream.owner}'s random stream holds "
                       f"{stream.capacity:,} {stream.noun} ({STREAM_BLOCKS:,} blocks of {stream.block}) "
                       f"and this × {stream.reads(s)} may use {CHANCE:.0%} of it, the rest being "
                       f"for chance (got {rate:g})")
