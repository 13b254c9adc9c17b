"""Overload: a role whose queue keeps growing, found from the month-end backlog series, from
whenever in the run the growth starts.

A queue fed faster than its people can serve (λ > cμ) never settles: its backlog grows at
λ − cμ a month. One fed more slowly fluctuates about a level and does not grow, however busy
its people are (ρ = 0.95 included). So the test is on the backlog's trend, not on utilization
averaged over the run, which stays under any threshold when a growing book tips the queue
over half-way.

Over the last `FIT_MONTHS` measured months (all of them when fewer), a role is overloaded when

- the least-squares slope of its month-end backlog is positive and significant against the
  backlog's own month-to-month noise: under "no drift" the backlog is at worst a random walk
  whose steps have the spread of its observed monthly changes (a stable queue, which reverts
  to its level, is less variable than that, so the test errs on the side of not flagging); the
  slope must exceed the one-sided (1 − ALPHA) Student t quantile times its standard error; and
- it has grown by at least `MIN_ITEMS` items over those months and has at least that many
  waiting at the end (a queue moving between 0 and a handful is not a finding).

Poisson flows make the monthly changes' spread about √(2λ), so the growth that is caught
depends on the volume: with five agents answering ~800 tickets a month, growth of 5% of a
month's arrivals a month (ρ = 1.05) is caught about half the time and 10% (ρ = 1.1) always;
a single server with 40 items a month needs ρ ≈ 1.5. Of 1,000 simulated stable queues at
ρ = 0.95 none was flagged with five agents or one server at 40 a month, three with one server
at 10 a month (tests/test_overload.py checks these rates).

`growth` works on plain arrays, so the report can date the growth from monthly.csv as the
runner does from the record; the detector runs once per replication, after the run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulate.domain.roles import QUEUED_ROLES
from simulate.kpis.facts import EPS, Facts
from simulate.model.record import Record
from simulate.scenario.schema import Scenario

FIT_MONTHS = 12  # the trend is fitted over the last year of the measured period
MIN_POINTS = 4  # month ends needed to fit a trend at all
MIN_ITEMS = 20  # growth over the fit window, and backlog at the end, below which nothing is said
ALPHA = 0.01  # one-sided level of the slope test against a random walk (stable queues: far less)
ONSET_SHARE = 0.05  # the growth is dated from the last month the backlog was this share of its end


@dataclass(frozen=True)
class Growth:
    """A backlog that keeps growing: since which month end, how fast, and how long it ends."""

    since: int  # the last month end at which the backlog was still small (0: from the start)
    per_month: float  # least-squares slope over the fit window, items a month
    end: float  # items waiting at the last month end
    months: int  # month ends the slope was fitted on


def growth(months: np.ndarray, queue: np.ndarray, measured_after: float) -> Growth | None:
    """The sustained growth of a month-end backlog series, or None when it does not grow.

    `months` are month numbers (1, 2, …) in order, `queue` the items waiting at each month
    end, `measured_after` the warm-up in months: the trend is fitted on later months only, and
    the growth is dated over the whole series."""
    months = np.asarray(months, dtype=float)
    queue = np.asarray(queue, dtype=float)
    keep = (months > measured_after + EPS) & np.isfinite(queue)
    t, q = months[keep][-FIT_MONTHS:], queue[keep][-FIT_MONTHS:]
    if len(t) < MIN_POINTS:
        return None
    weights = (t - t.mean()) / np.sum((t - t.mean()) ** 2)
    slope = float(weights @ q)
    if slope <= 0 or slope * (t[-1] - t[0]) < MIN_ITEMS or q[-1] < MIN_ITEMS:
        return None
    if slope < _critical(len(t) - 2) * _random_walk_se(weights, np.diff(q)):
        return None
    return Growth(_since(months, queue, q[-1]), slope, float(q[-1]), len(t))


def _random_walk_se(weights: np.ndarray, steps: np.ndarray) -> float:
    """Standard error of the slope Σ wⱼqⱼ if the backlog were a random walk with steps of the
    observed spread: with Σ wⱼ = 0 the slope is Σᵢ stepᵢ·Wᵢ, Wᵢ = Σ_{j≥i} wⱼ."""
    tail = np.cumsum(weights[::-1])[::-1][1:]
    spread = float(np.std(steps, ddof=1)) if len(steps) > 1 else 0.0
    return spread * math.sqrt(float(tail @ tail))


def _critical(df: int) -> float:
    """The one-sided (1 − ALPHA) quantile of Student's t with `df` degrees of freedom."""
    from scipy import stats  # slow to import: only a queue that grew by MIN_ITEMS gets here

    return float(stats.t.ppf(1 - ALPHA, max(df, 1)))


def _since(months: np.ndarray, queue: np.ndarray, end: float) -> int:
    """The last month end at which the backlog was at most ONSET_SHARE of its end (or
    MIN_ITEMS, if more): where the growth took off from; 0 when it was never that small."""
    small = np.flatnonzero(queue <= max(MIN_ITEMS, ONSET_SHARE * end))
    return int(months[small[-1]]) if len(small) else 0


def overload(record: Record, scenario: Scenario, facts: Facts | None = None) -> dict[str, Growth]:
    """Each queued role whose backlog keeps growing in this replication, with its growth."""
    facts = facts or Facts(record, scenario)
    months = facts.series("month")
    measured_after = record.window_start / scenario.hours_per_month
    found = {}
    for role in QUEUED_ROLES:
        g = growth(months, facts.series(f"queue_{role}"), measured_after)
        if g is not None:
            found[role] = g
    return found


def overloaded(record: Record, scenario: Scenario, facts: Facts | None = None) -> list[str]:
    """The queued roles whose backlog keeps growing (what manifest.json's `unstable` counts)."""
    return list(overload(record, scenario, facts))
