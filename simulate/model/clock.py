"""Scheduling helpers on SimPy's event calendar.

`call(env, delay, fn, arg)` runs `fn(arg)` after `delay` without a process per call.
`Clock` is a Poisson process whose rate changes with an account's state (health band,
onboarding, red or green): it fires when its cumulative intensity reaches the next
unit-exponential target, so the n-th event of an account uses the same random target in
every design (common random numbers) and no candidate is wasted, as thinning would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import simpy
from simpy.events import NORMAL, Event

INF = float("inf")


class Call(Event):
    """An event that runs `fn(arg)` when it fires."""

    __slots__ = ("arg", "fn")

    def __init__(self, env: simpy.Environment, delay: float, fn: Callable[[Any], None], arg: Any):
        self.env = env
        self.fn = fn
        self.arg = arg
        self.callbacks = [_run]
        # Triggered at creation, as simpy.Timeout is, without its negative-delay check: a clock's
        # next firing, computed in floating point, may fall a hair before now.
        self._ok = True
        self._value = None
        env.schedule(self, NORMAL, delay)


def _run(event: Call) -> None:
    event.fn(event.arg)


def call(env: simpy.Environment, delay: float, fn: Callable[[Any], None], arg: Any = None) -> None:
    """Run `fn(arg)` `delay` hours from now."""
    Call(env, delay if delay > 0 else 0.0, fn, arg)


class Clock:
    """A state-dependent Poisson process, by time transformation of unit-rate targets.

    At most one firing is pending. A rate change that makes the next firing later keeps the
    pending one, which then looks again; only a change that makes it sooner adds an event.
    """

    __slots__ = ("cum", "env", "on_fire", "pending", "rate", "since", "target", "targets")

    def __init__(
        self,
        env: simpy.Environment,
        targets: Callable[[], float],
        on_fire: Callable[[], None],
    ):
        self.env = env
        self.targets = targets  # the next unit-mean exponential gap
        self.on_fire = on_fire
        self.cum = 0.0  # cumulative intensity up to `since`
        self.since = env.now
        self.rate = 0.0
        self.target = -1.0  # drawn when the clock first runs
        self.pending = INF  # when the pending firing is scheduled

    def set_rate(self, rate: float) -> None:
        """Change the rate from now on (per hour); 0 stops the clock."""
        now = self.env.now
        self.cum += self.rate * (now - self.since)
        self.since = now
        self.rate = rate
        if rate > 0:
            if self.target < 0:
                self.target = self.targets()
            self._schedule(now + (self.target - self.cum) / rate)

    def _schedule(self, at: float) -> None:
        if self.env.now <= self.pending <= at:
            return  # the pending firing comes first and will look again
        self.pending = at
        Call(self.env, at - self.env.now, self._fire, at)

    def _fire(self, at: float) -> None:
        if at != self.pending:
            return  # superseded by a sooner firing
        self.pending = INF
        now = self.env.now
        if self.rate <= 0:
            return
        self.cum += self.rate * (now - self.since)
        self.since = now
        if self.target - self.cum > 1e-9 * (1.0 + self.target):
            self._schedule(now + (self.target - self.cum) / self.rate)
            return
        self.cum = self.target
        self.target += self.targets()
        self.on_fire()
        if self.rate > 0 and self.pending == INF:
            self._schedule(now + (self.target - self.cum) / self.rate)
