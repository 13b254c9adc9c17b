"""Health: a 0–100 score read in four bands, drifting lazily between events.

The score is stored with the time it was last evaluated and its drift per hour (decay, less
cs_ops digital touches); its value at any later time is computed on demand, so no clock ticks.
The time drift carries it across the next band boundary is known in closed form, which is
how band changes by drift alone are put on the event calendar.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulate.domain.bands import BAND_NAMES, GREEN, RED, YELLOW, YELLOW_GREEN
from simulate.scenario.schema import Scenario

__all__ = ["BAND_NAMES", "GREEN", "RED", "YELLOW", "YELLOW_GREEN", "HealthRules", "band_of"]
INF = float("inf")


@dataclass(frozen=True)
class HealthRules:
    """The scenario's health parameters in model units (points, points per hour)."""

    bounds: tuple[float, float, float]  # lower bounds of green, yellow_green, yellow
    decay_per_hour: float
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


def score_at(score: float, since: float, drift: float, now: float) -> float:
    """The score `now`, from `score` at `since` drifting by `drift` per hour, within 0–100."""
    value = score + drift * (now - since)
    return 0.0 if value < 0.0 else 100.0 if value > 100.0 else value


def next_crossing(score: float, drift: float, band: int, bounds: tuple[float, float, float]) -> float:
    """Hours until drift carries `score` out of `band` (INF if it never does)."""
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
