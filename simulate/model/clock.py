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
        self.callbacks = [self._run]
        self._ok = True
        self._value = None
        env.schedule(self, NORMAL, delay)

    def _run(self, _event: Event) -> None:
        self.fn(self.arg)


def call(env: simpy.Environment, delay: float, fn: Callable[[Any], None], arg: Any = None) -> None:
    """Run `fn(arg)` `delay` hours from now."""
    Call(env, delay if delay > 0 else 0.0, fn, arg)


class Clock:
    """A state-dependent Poisson process, by time transformation of unit-rate targets."""

    __slots__ = ("cum", "env", "on_fire", "rate", "since", "target", "targets", "version")

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
        self.target = targets()
        self.version = 0

    def set_rate(self, rate: float) -> None:
        """Change the rate from now on (per hour); 0 stops the clock."""
        now = self.env.now
        self.cum += self.rate * (now - self.since)
        self.since = now
        self.rate = rate
        self.version += 1
        if rate > 0:
            Call(self.env, (self.target - self.cum) / rate, self._fire, self.version)

    def _fire(self, version: int) -> None:
        if version != self.version:
            return  # the rate changed since this firing was scheduled
        self.cum = self.target
        self.since = self.env.now
        self.target += self.targets()
        self.version += 1
        Call(self.env, (self.target - self.cum) / self.rate, self._fire, self.version)
        self.on_fire()
