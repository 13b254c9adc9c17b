"""Health: a 0–100 score read in four bands, moving lazily between events.

Between events a score follows its `Trend`: a drift (decay, less cs_ops digital touches) and a
pull back toward its segment's level (mean reversion), so that ds/dt = drift + pull·(level − s).
It rests at level + drift/pull, approaching it exponentially; with no pull it drifts linearly.
The score is stored with the time it was last evaluated; its value at any later time, and the
time it crosses the next band boundary, are known in closed form, which is how band changes
between events are put on the event calendar without a ticking clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from math import exp

from simulate.domain.bands import BAND_NAMES, GREEN, RED, YELLOW, YELLOW_GREEN
from simulate.scenario.schema import Scenario

__all__ = ["BAND_NAMES", "GREEN", "RED", "YELLOW", "YELLOW_GREEN", "HealthRules", "Trend", "band_of"]
INF = float("inf")


@dataclass(frozen=True)
class HealthRules:
    """The scenario's health parameters in model units (points, points per hour)."""

    bounds: tuple[float, float, float]  # lower bounds of green, yellow_green, yellow
    decay_per_hour: float
    pull_per_hour: float  # mean reversion: the rate at which the gap to the level closes
    hold_hours: float  # a win or save counts once its band has held this long
    level_sd: float  # accounts' own levels spread this much around their segment's
    handoff_points: float  # lost when an account moves to a new CSM
    digital_per_hour: float  # at full cs_ops coverage, for digital-touch segments
    go_live: float
    late_go_live_per_day: float
    touch: float
    ticket_resolved: float
    late_per_sla: float
    shock_points: float

    @classmethod
    def of(cls, scenario: Scenario) -> HealthRules:
        h = scenario.health
        digital_every_hours = scenario.days(scenario.cs_ops.digital_touch_every_days)
        return cls(
            bounds=h.bands.as_tuple(),
            decay_per_hour=h.decay_per_month / scenario.hours_per_month,
            pull_per_hour=-math.log1p(-h.reversion_per_month) / scenario.hours_per_month,
            hold_hours=scenario.days(h.hold_days),
            level_sd=h.level_sd,
            handoff_points=h.handoff_points,
            digital_per_hour=h.digital_touch / digital_every_hours,
            go_live=h.go_live,
            late_go_live_per_day=h.late_go_live_per_day,
            touch=h.touch,
            ticket_resolved=h.ticket_resolved,
            late_per_sla=h.late_per_sla,
            shock_points=h.shock.points,
        )


def band_of(score: float, bounds: tuple[float, float, float]) -> int:
    """GREEN, YELLOW_GREEN, YELLOW or RED for a score."""
    if score >= bounds[0]:
        return GREEN
    if score >= bounds[1]:
        return YELLOW_GREEN
    if score >= bounds[2]:
        return YELLOW
    return RED


class Trend:
    """How a score moves between events: `drift` points an hour, and a `pull` (per hour) back
    toward `level`. It comes to rest at level + drift/pull (no rest without pull). Immutable;
    `rest` is computed once, since scores are read on every event."""

    __slots__ = ("drift", "level", "pull", "rest")

    def __init__(self, drift: float, pull: float, level: float):
        self.drift = drift
        self.pull = pull
        self.level = level
        self.rest = level + drift / pull if pull > 0 else math.copysign(INF, drift)


def score_at(score: float, since: float, trend: Trend, now: float) -> float:
    """The score `now`, from `score` at `since` following `trend`, within 0–100."""
    pull = trend.pull
    if pull > 0.0:
        rest = trend.rest
        value = rest + (score - rest) * exp(-pull * (now - since))
    else:
        value = score + trend.drift * (now - since)
    return 0.0 if value < 0.0 else 100.0 if value > 100.0 else value


def next_crossing(score: float, trend: Trend, band: int, bounds: tuple[float, ...]) -> float:
    """Hours until the trend carries `score` out of `band` (INF if it never does)."""
    if trend.pull > 0.0:
        rest = trend.rest
        if rest < score and band != RED and bounds[band] > 0.0 and rest < bounds[band]:
            return math.log((score - rest) / (bounds[band] - rest)) / trend.pull
        if rest > score and band != GREEN and rest > bounds[band - 1]:
            return math.log((rest - score) / (rest - bounds[band - 1])) / trend.pull
        return INF
    drift = trend.drift
    if drift < 0.0 and band != RED:
        if bounds[band] <= 0.0:
            return INF  # the score stops at 0, still inside this band
        return (score - bounds[band]) / -drift
    if drift > 0.0 and band != GREEN:
        return (bounds[band - 1] - score) / drift
    return INF


def is_win(old: int, new: int) -> bool:
    """A yellow or yellow-green account brought to green by CS work."""
    return new == GREEN and old in (YELLOW_GREEN, YELLOW)


def is_save(old: int, new: int) -> bool:
    """A red account brought to yellow or better by CS work."""
    return old == RED and new != RED


def is_warning(old: int, new: int) -> bool:
    """A downward crossing into yellow or red: what early warning reacts to."""
    return new > old and new >= YELLOW
