"""Time away from the queue (meetings, breaks, training, admin): several blocks within each
business day, at random times, drawn from the person's own stream.

Each day a person with `per_day` blocks of `length` hours has them at k sorted uniform offsets
in the day's free time, shifted so that they never overlap (the i-th block starts at
u₍ᵢ₎ + (i − 1)·length). Spreading time away over several shorter blocks matters for queues: one
long daily block makes a lone server's customers wait it out.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from simulate.model.streams import AWAY, Draws, Streams

INF = float("inf")


class AwayBlocks:
    """The start times of one person's blocks of time away, one day at a time."""

    __slots__ = ("day", "day_start", "draws", "free", "length", "per_day", "starts")

    def __init__(self, streams: Streams, role_index: int, person_index: int, day: float,
                 away_per_day: float, per_day: int, now: float):
        self.day = day
        self.per_day = per_day
        self.length = away_per_day / per_day
        self.free = max(day - away_per_day, 0.0)
        self.draws = Draws(streams, (AWAY, role_index, 0, person_index, 0), self._offsets, 32)
        self.day_start = (now // day) * day
        self.starts: deque[float] = deque()
        self._plan_day()
        while self.starts and self.starts[0] < now:
            self.starts.popleft()

    def _offsets(self, gen: np.random.Generator, n: int) -> np.ndarray:
        """`n` days of block offsets within a day, each row sorted and spaced to not overlap."""
        u = np.sort(gen.random((n, self.per_day)), axis=1) * self.free
        return u + np.arange(self.per_day) * self.length

    def _plan_day(self) -> None:
        row = self.draws.next()
        offsets = row if isinstance(row, list) else [row]
        self.starts.extend(self.day_start + x for x in offsets)

    def next_start(self) -> float:
        """When the next block begins (taken off the plan)."""
        if not self.starts:
            self.day_start += self.day
            self._plan_day()
        return self.starts.popleft()


class NoTimeAway:
    """A person who is never away from the queue."""

    __slots__ = ()
    length = 0.0

    def next_start(self) -> float:
        return INF
