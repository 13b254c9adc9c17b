"""People and their work: non-preemptive priority queues, time away, CSM books.

A person's loop: take the most urgent item from the queues they serve (FCFS within a
priority), spend its time, finish it. CSMs fall back on their book's most overdue touch.
Time away from the queue (meetings, training, admin) is a block within each business day.
"""

from __future__ import annotations

import heapq
import itertools
from typing import TYPE_CHECKING, Any, Protocol

import simpy

from simulate.domain.work import KIND_NAMES, WORK
from simulate.model.away import AwayBlocks, NoTimeAway
from simulate.model.clock import INF, Call, call

if TYPE_CHECKING:
    from simulate.model.accounts import Account
    from simulate.model.params import Params

RAMP = (0.7, 0.85, 1.0)  # productivity in each third of a new hire's ramp
PRIORITY = {name: kind.priority for name, kind in WORK.items()}  # lower is more urgent
SPED_UP = frozenset(name for name, kind in WORK.items() if kind.sped_up)  # cs_ops makes faster


class Work(Protocol):
    """What a person can take: touches, sessions, tickets, escalations, renewal preparation and
    interventions alike. `begin` says how many hours it takes this person, or None when it is no
    longer needed (the account left, a newer renewal replaced it); `end` finishes it."""

    kind: str

    def begin(self, person: Person) -> float | None: ...

    def end(self, person: Person) -> None: ...


class Pace(Protocol):
    """How fast queued work goes for everyone: cs_ops coverage cuts sped-up work by `speed`."""

    speed: float


class WorkQueue:
    """Work waiting for any of the people who serve this queue."""

    __slots__ = ("heap", "idle", "name", "seq")

    def __init__(self, name: str, seq: itertools.count):
        self.name = name
        self.seq = seq  # shared by every queue of a world: FCFS across queues
        self.heap: list[tuple[int, int, Any]] = []
        self.idle: list[Person] = []

    def push(self, item: Work) -> None:
        heapq.heappush(self.heap, (PRIORITY[item.kind], next(self.seq), item))
        idle = self.idle
        while idle:
            person = idle.pop()
            if person.waiting:
                person.wake()
                return

    def __len__(self) -> int:
        return len(self.heap)


class Book:
    """A CSM's accounts, their work weight, and their touches: those not yet due by due time,
    and those due by tier and then deadline (due + the segment's grace), so that of a tier the
    touch whose grace runs out first is done first (earliest deadline first); without tiers
    every account is of rank 0."""

    __slots__ = ("accounts", "due", "owner", "ready", "weight")

    def __init__(self) -> None:
        self.accounts: set[Account] = set()
        self.weight = 0.0
        self.due: list[tuple[float, int, Account, int]] = []  # due, account id, account, version
        # tier rank, deadline, id, account, version: a higher tier's due touches first (issue 16)
        self.ready: list[tuple[int, float, int, Account, int]] = []
        self.owner: Person | None = None  # who works this book; told when a touch falls due

    def add(self, account: Account) -> None:
        self.accounts.add(account)
        self.weight += account.load

    def remove(self, account: Account) -> None:
        if account in self.accounts:
            self.accounts.discard(account)
            self.weight -= account.load

    def reweigh(self, account: Account, load: float) -> None:
        """The account's expected work changed (onboarding done)."""
        if account in self.accounts:
            self.weight += load - account.load
        account.load = load

    def schedule_touch(self, account: Account) -> None:
        heapq.heappush(self.due, (account.touch_due, account.uid, account, account.touch_version))
        if self.owner is not None:
            self.owner.touch_falls_due(account.touch_due)

    def _clean(self, heap: list[Any]) -> None:
        while heap:
            account, version = heap[0][-2:]
            if version == account.touch_version and account.live and account in self.accounts:
                return
            heapq.heappop(heap)

    def overdue(self, now: float) -> Account | None:
        """The due touch whose grace runs out first, taken off the heap."""
        due, ready = self.due, self.ready
        self._clean(due)
        while due and due[0][0] <= now:
            at, uid, account, version = heapq.heappop(due)
            heapq.heappush(ready, (account.tier, at + account.segment.touch_grace, uid, account,
                                   version))
            self._clean(due)
        self._clean(ready)
        return heapq.heappop(ready)[3] if ready else None


    def next_due(self) -> float:
        self._clean(self.ready)
        if self.ready:
            return self.ready[0][1] - self.ready[0][3].segment.touch_grace  # due already
        self._clean(self.due)
        return self.due[0][0] if self.due else INF


class Person:
    """One member of staff, working the queues they serve.

    The work loop runs as callbacks on the event calendar: when one item ends, the next is
    taken. Time away comes in blocks within each business day (simulate.model.away); it is settled
    lazily: a busy person goes away when the current item ends, an idle one was away during
    the block, and only a block that delays work costs an event.
    """

    __slots__ = (
        "alarm", "away", "away_hours", "book", "busy", "env", "factors", "hired", "horizon",
        "inbound", "index", "left", "next_away", "own", "pace", "queues", "ramp", "ramp_end",
        "ramping", "role",
        "waiting", "window_start",
    )

    def __init__(self, env: simpy.Environment, params: Params, pace: Pace, role: str, index: int,
                 queues: list[WorkQueue], away: AwayBlocks | NoTimeAway, book: Book | None = None):
        self.env = env
        self.pace = pace
        self.role = role
        self.index = index
        self.queues = queues
        self.book = book
        if book is not None:
            book.owner = self
        self.own: WorkQueue | None = None  # a CSM's own list
        self.inbound: WorkQueue | None = None  # where a CSM's accounts' tickets go
        self.hired = env.now
        self.left = INF
        self.ramp = params.roles[role].ramp
        self.ramp_end = env.now + self.ramp if env.now > 0 else env.now  # the first team is up to speed
        self.ramping = self.ramp_end > env.now
        if self.ramping:
            call(env, self.ramp, self._up_to_speed)
        self.window_start = params.window_start
        self.horizon = params.horizon
        spec = params.roles[role]
        self.factors = spec.factors
        self.busy: dict[str, float] = dict.fromkeys(KIND_NAMES, 0.0)  # in the window
        self.away_hours = 0.0  # in the window, settled so far
        self.waiting = False
        self.alarm = INF  # when a waiting CSM is next woken for a touch falling due
        self.away = away
        self.next_away = away.next_start()
        if queues:  # a role without queues (cs_ops) works through coverage
            call(env, 0.0, self._next)

    def hours_for(self, kind: str, base_hours: float) -> float:
        """How long this person takes for work a specialist does in `base_hours`
        (cs_ops cuts handle and onboarding times)."""
        hours = base_hours * self.factors[kind]
        if self.ramping:
            hours /= self.productivity(self.env.now)
        return hours * self.pace.speed if kind in SPED_UP else hours

    def _up_to_speed(self, _: Any = None) -> None:
        self.ramping = False

    def productivity(self, at: float) -> float:
        """A new hire's share of full speed at `at`: 70% in the first third of the ramp, 85% in
        the second, then full (practitioner ramp plans, CALIBRATION.md, C)."""
        into = at - self.hired
        return 1.0 if into >= self.ramp else RAMP[int(3 * into / self.ramp)]

    def _next(self, _: Any = None) -> None:
        """Take the most urgent item and spend its time; or take time away; or wait."""
        env = self.env
        now = env.now
        if now >= self.left:
            return  # gone: the item in hand was their last
        if now >= self.next_away:
            Call(env, self._settle_away(now, idle=False) - now, self._next, None)
            return
        item, hours = self._take()
        if item is None:
            self._wait()
            return
        Call(env, hours, self._done, (item, hours, now))

    def _done(self, job: tuple[Any, float, float]) -> None:
        item, hours, start = job
        if start >= self.window_start:
            self.busy[item.kind] += hours
        item.end(self)
        self._next()

    def _take(self) -> tuple[Work | None, float]:
        """The most urgent valid item and its hours, or (None, 0)."""
        while True:
            best = None
            for queue in self.queues:
                if queue.heap and (best is None or queue.heap[0] < best.heap[0]):
                    best = queue
            if best is None:
                break
            item = heapq.heappop(best.heap)[2]
            hours = item.begin(self)
            if hours is not None:
                return item, hours
        if self.book is not None:
            account = self.book.overdue(self.env.now)
            if account is not None:
                touch = account.touch_work()
                return touch, touch.begin(self)
        return None, 0.0

    def _wait(self) -> None:
        self.waiting = True
        for queue in self.queues:
            queue.idle.append(self)
        if self.book is not None:
            due = self.book.next_due()
            if due < self.alarm:  # an alarm already set for sooner will look again
                self.alarm = due
                call(self.env, due - self.env.now, self._alarm, due)

    def leave(self) -> None:
        """They leave the company now: they finish the item in hand and take no more."""
        self.left = self.env.now
        self.waiting = False

    def touch_falls_due(self, due: float) -> None:
        """A touch of this person's book falls due at `due`: a waiting person sets an alarm
        for it, unless one is already set for sooner."""
        if self.waiting and due < self.alarm:
            self.alarm = due
            call(self.env, due - self.env.now, self._alarm, due)

    def _alarm(self, due: float) -> None:
        if due != self.alarm:
            return  # superseded by a sooner alarm
        self.alarm = INF
        if self.waiting:
            self.wake()

    def wake(self) -> None:
        """Work has come: start at once, or when the time-away block under way ends."""
        self.waiting = False
        now = self.env.now
        back = self._settle_away(now, idle=True) if now >= self.next_away else now
        if back > now:
            Call(self.env, back - now, self._next, None)
        else:
            self._next()

    # --- Time away ----------------------------------------------------------------------

    def _settle_away(self, now: float, idle: bool) -> float:
        """Account for the blocks due by `now`; when the person is back (≥ now)."""
        while self.next_away <= now:
            begin = self.next_away if idle else now  # busy: the block waits for the item
            end = begin + self.away.length
            self.next_away = max(self.away.next_start(), end)
            self._count_away(begin, end)
            if end > now:
                return end
        return now

    def _count_away(self, begin: float, end: float) -> None:
        overlap = min(end, self.horizon) - max(begin, self.window_start)
        if overlap > 0:
            self.away_hours += overlap

    def productive_hours(self, horizon: float) -> float:
        """Hours present and not away, within the window.

        Blocks not yet settled count only for a person waiting at the horizon: they fell in
        idle time. A busy person's due blocks wait for the item to end, so by the horizon
        they had not been taken.
        """
        away = self.away_hours
        end = min(horizon, self.left)
        t = self.next_away
        while self.waiting and t < end:
            away += max(0.0, min(t + self.away.length, end) - max(t, self.window_start))
            t = self.away.next_start()
        present = end - max(self.hired, self.window_start)
        return max(present, 0.0) - away
