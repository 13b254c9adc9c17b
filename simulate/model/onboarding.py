"""Onboarding: one-to-one in sessions, or one-to-many in cohorts.

One-to-one: `onboarding_hours` of effort in sessions of at most the segment's `session_hours`,
at least its `days_between_sessions` apart (the customer's homework); a segment that sets
neither takes `onboarding.*`. Cohorts: every `cohort_every_days` a specialist runs
`cohort_sessions` sessions of `onboarding.session_hours` for everyone who arrived since (up to
`cohort_size`), `onboarding.days_between_sessions` apart; the cohort goes live when its last
session is done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulate.model.clock import call

if TYPE_CHECKING:
    from simulate.model.accounts import Account
    from simulate.model.segments import SegmentModel
    from simulate.model.staff import Person, WorkQueue
    from simulate.model.world import World


class Session:
    """One onboarding session for one account."""

    __slots__ = ("account", "queue")
    kind = "onboarding"

    def __init__(self, account: Account, queue: WorkQueue):
        self.account = account
        self.queue = queue

    def begin(self, person: Person) -> float | None:
        account = self.account
        if not account.live:
            return None
        session = min(account.segment.session_hours, account.remaining_onboarding)
        return person.hours_for("onboarding", session)

    def end(self, person: Person) -> None:
        account = self.account
        segment = account.segment
        account.remaining_onboarding -= min(segment.session_hours, account.remaining_onboarding)
        if account.remaining_onboarding <= 1e-9:
            account.go_live()
        else:
            call(account.world.env, segment.between_sessions, self._next, None)

    def _next(self, _: object) -> None:
        """The next session, where the design routes it now (the owner CSM may have changed)."""
        self.queue = self.account.world.onboarding_queue(self.account)
        self.queue.push(self)


class CohortSession:
    """A one-to-many session (webinar, boot camp) for a cohort of accounts."""

    __slots__ = ("accounts", "left", "queue", "world")
    kind = "onboarding"

    def __init__(self, world: World, accounts: list[Account], queue: WorkQueue):
        self.world = world
        self.accounts = accounts
        self.queue = queue
        self.left = world.params.cohort_sessions

    def begin(self, person: Person) -> float:
        return person.hours_for("onboarding", self.world.params.session_hours)

    def end(self, person: Person) -> None:
        self.left -= 1
        if self.left == 0:
            for account in self.accounts:
                account.go_live()
        else:
            call(self.world.env, self.world.params.between_sessions, self._next, None)

    def _next(self, _: object) -> None:
        self.queue.push(self)


class Cohorts:
    """The accounts of one segment waiting for the next cohort, and its schedule."""

    def __init__(self, world: World, segment: SegmentModel, queue: WorkQueue):
        self.world = world
        self.segment = segment
        self.queue = queue
        self.waiting: list[Account] = []
        self.every = world.params.cohort_every
        self.size = world.params.cohort_size
        call(world.env, self.every, self._start, None)

    def join(self, account: Account) -> None:
        self.waiting.append(account)

    def _start(self, _: object) -> None:
        live = [a for a in self.waiting if a.live]
        cohort, self.waiting = live[: self.size], live[self.size :]
        if cohort:
            self.queue.push(CohortSession(self.world, cohort, self.queue))
        call(self.world.env, self.every, self._start, None)


def start(account: Account) -> None:
    """Begin onboarding a newly arrived account the way its design routes it."""
    world = account.world
    segment = account.segment
    if segment.onboarding_hours <= 0:
        account.go_live()
        return
    cohorts = world.cohorts.get(segment.index)
    if cohorts is not None:
        cohorts.join(account)
        return
    queue = world.onboarding_queue(account)
    queue.push(Session(account, queue))
