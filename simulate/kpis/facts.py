"""One replication's record as numpy columns, and the windows its KPIs are measured over.

`Facts` turns the record into columns once; `Facts.window(start, end)` is the view of one
window [start, end) of the measured period that every KPI function reads. `windows` names
the windows a replication reports: "all", then "year1", "year2", … (docs/kpis.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from simulate.model.record import (
    Arrival,
    Churn,
    Expansion,
    GoLive,
    Record,
    Renewal,
    Rescue,
    ScheduledTouch,
)
from simulate.scenario.schema import Scenario

NAN = float("nan")
EPS = 1e-6  # hours: two times closer than this are the same instant (month ends, horizon)
YEAR_MONTHS = 12
SHORTEST_LAST_WINDOW_MONTHS = 6  # a last, partial year shorter than this is not reported
GRACE_SHARE_OF_CADENCE = 0.1  # touch_grace_days when the scenario leaves it out


def windows(record: Record, scenario: Scenario | None = None) -> list[tuple[str, float, float]]:
    """("all", end of warm-up, horizon), then ("year<k>", start, end) for each 12 months after
    warm-up that end by the horizon, and a last partial year if it is at least 6 months long.
    Without the scenario, a month is the horizon ÷ the last month-end book's month."""
    hpm = scenario.hours_per_month if scenario is not None else _hours_per_month(record)
    w0, horizon = record.window_start, record.horizon
    found = [("all", w0, horizon)]
    year = YEAR_MONTHS * hpm
    k = 0
    while True:
        start = w0 + k * year
        if start + year <= horizon + EPS:
            found.append((f"year{k + 1}", start, start + year))
        elif horizon - start >= SHORTEST_LAST_WINDOW_MONTHS * hpm - EPS:
            found.append((f"year{k + 1}", start, horizon))
            break
        else:
            break
        k += 1
    return found


def _hours_per_month(record: Record) -> float:
    if not record.books or record.books[-1].month <= 0:
        raise ValueError("windows: the record has no month-end book; pass the scenario")
    return record.horizon / record.books[-1].month


class Columns:
    """Rows of one kind (named tuples of numbers) as numpy columns, read by field name."""

    def __init__(self, rows: Sequence[tuple[Any, ...]], fields: tuple[str, ...]):
        data = np.array(rows, dtype=float).reshape(len(rows), len(fields))
        self.columns = {name: data[:, i] for i, name in enumerate(fields)}
        self.size = len(rows)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]


def _buffer(values: Any, dtype: Any, n: int) -> np.ndarray:
    return np.frombuffer(values, dtype=dtype) if n else np.zeros(0, dtype)


class Facts:
    """The record as numpy arrays, built once per replication; windows are views of it."""

    def __init__(self, record: Record, scenario: Scenario):
        self.record = record
        self.scenario = scenario
        self.segments = list(scenario.segments)
        self.hours_per_month = scenario.hours_per_month
        self.hours_per_year = scenario.hours_per_year
        self.hours_per_day = scenario.calendar.hours_per_day
        self.w0, self.horizon = record.window_start, record.horizon
        self.years = (self.horizon - self.w0) / self.hours_per_year
        log = record.tickets
        n = len(log)
        self.created = _buffer(log.created, float, n)
        self.t_seg = _buffer(log.segment, np.int32, n)
        first = _buffer(log.first_response, float, n)
        resolved = _buffer(log.resolved, float, n)
        self.escalated = _buffer(log.escalated, float, n)  # -1 where never escalated
        # Unanswered or unresolved at the horizon: their age so far (a lower bound).
        self.frt = np.where(first >= 0, first, self.horizon) - self.created
        self.resolution = np.where(resolved >= 0, resolved, self.horizon) - self.created
        self.escalation = np.where(resolved >= 0, resolved, self.horizon) - self.escalated
        self.arrivals = Columns(record.arrivals, Arrival._fields)
        self.go_lives = Columns(record.go_lives, GoLive._fields)
        self.churns = Columns(record.churns, Churn._fields)
        self.renewals = Columns(record.renewals, Renewal._fields)
        self.expansions = Columns(record.expansions, Expansion._fields)
        self.rescues = Columns(record.rescues, Rescue._fields)
        self.touches = Columns(record.touches, ScheduledTouch._fields)
        self.month_ends = np.array([m["month"] for m in record.monthly], float) * self.hours_per_month
        self.grace = np.array([_grace_hours(scenario, name) for name in self.segments])
        self._series: dict[str, np.ndarray] = {}
        self._windows: dict[tuple[float, float], Window] = {}
        self.cache: dict[Any, Any] = {}  # per replication, for the KPI modules

    def series(self, name: str) -> np.ndarray:
        """One column of the monthly rows (NaN where a row lacks it)."""
        if name not in self._series:
            self._series[name] = np.array([m.get(name, NAN) for m in self.record.monthly], float)
        return self._series[name]

    def window(self, start: float, end: float) -> Window:
        key = (start, end)
        if key not in self._windows:
            self._windows[key] = Window(self, start, end)
        return self._windows[key]

    @property
    def all(self) -> Window:
        """The whole measured period: warm-up end to horizon."""
        return self.window(self.w0, self.horizon)


def _grace_hours(scenario: Scenario, name: str) -> float:
    """How late a touch of this segment may be done and still count as on time."""
    segment = scenario.segments[name]
    if segment.touch_grace_days is not None:
        return scenario.days(segment.touch_grace_days)
    if segment.touch_every_days is None:
        return 0.0  # no touches fall due
    return scenario.days(GRACE_SHARE_OF_CADENCE * segment.touch_every_days)


class Window:
    """One window [start, end) of the measured period: which rows its KPIs count."""

    def __init__(self, facts: Facts, start: float, end: float):
        self.facts = facts
        self.start, self.end = start, end
        self.years = (end - start) / facts.hours_per_year
        self.at_horizon = end >= facts.horizon - EPS
        self.is_all = abs(start - facts.w0) < EPS and self.at_horizon
        self.cache: dict[Any, Any] = {}  # per window, for the KPI modules

    def during(self, times: np.ndarray) -> np.ndarray:
        return (times >= self.start) & (times < self.end)

    def rows(self, table: Columns, seg: int | None, time: str = "at") -> np.ndarray:
        """Mask of the table's rows whose `time` falls in the window, of one segment or all."""
        key = (id(table), seg, time)
        if key not in self.cache:
            mask = self.during(table[time])
            if seg is not None:
                mask &= table["segment"] == seg
            self.cache[key] = mask
        return self.cache[key]

    def tickets(self, seg: int | None) -> np.ndarray:
        """Mask of the tickets created in the window, of one segment or all."""
        key = ("tickets", seg)
        if key not in self.cache:
            mask = self.during(self.facts.created)
            if seg is not None:
                mask &= self.facts.t_seg == seg
            self.cache[key] = mask
        return self.cache[key]

    def months(self) -> np.ndarray:
        """Mask of the month-end rows in (start, end]; the last one before `end` if none is."""
        ends = self.facts.month_ends
        mask = (ends > self.start + EPS) & (ends <= self.end + EPS)
        if not mask.any():
            mask = ends <= self.end + EPS
            mask[: max(int(mask.sum()) - 1, 0)] = False
        return mask

    def end_month(self) -> int:
        """The month whose month end closes the window."""
        return round(self.end / self.facts.hours_per_month)

    def mean_series(self, name: str, seg: int | None = None) -> float:
        key = name if seg is None else f"{name}_{self.facts.segments[seg]}"
        values = self.facts.series(key)[self.months()]
        return float(values.mean()) if len(values) else NAN

    def per_year(self, amount: float) -> float:
        return amount / self.years if self.years > 0 else NAN
