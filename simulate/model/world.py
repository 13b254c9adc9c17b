"""One replication of one design: the simulated company, put together from plain parts.

`Params` (frozen, model units) is what everything reads; the `Ledger` holds the small mutable
state of the book; the `Team` is the CS org; the `Router` says where work goes; the `Record`
is what happened. The world builds them, runs arrivals and month-end reviews, and closes the
record at the horizon.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import simpy

from simulate.domain.designs import Design
from simulate.domain.roles import BOOK_OWNER, ROLE, ROLES
from simulate.model import onboarding
from simulate.model.accounts import Account
from simulate.model.clock import call
from simulate.model.garbage import collector_paused
from simulate.model.health import Trend, band_of
from simulate.model.ledger import Ledger
from simulate.model.onboarding import Cohorts
from simulate.model.params import Params
from simulate.model.record import FinalAccount, Record, ScheduledTouch
from simulate.model.routing import Router
from simulate.model.segments import SegmentModel
from simulate.model.snapshot import snapshot
from simulate.model.staff import Person, WorkQueue
from simulate.model.staffing import Drivers, Forecast, Plan
from simulate.model.streams import (
    ARRIVALS,
    AWAY,
    INITIAL,
    NEW_ACCOUNTS,
    ORIGIN_INITIAL,
    ORIGIN_NEW,
    ORIGIN_REFERRED,
    REFERRED,
    TIERS,
    Draws,
    Streams,
    exponentials,
)
from simulate.model.team import Team
from simulate.model.tickets import Ticket
from simulate.scenario.schema import Scenario


class World:
    """The simulated company under one design, for one replication seed."""

    def __init__(self, scenario: Scenario, design: Design, seed: int):
        self.params = params = Params.of(scenario, design)
        self.env = simpy.Environment()
        self.streams = Streams(seed)
        self.record = Record(window_start=params.window_start, horizon=params.horizon,
                             renewal_owner=design.renewal_owner)
        self.ledger = Ledger()
        self.segments = params.segments
        self._uid = itertools.count()
        self.accounts: list[Account] = []
        self.team = Team(self.env, params, itertools.count(), self.streams)
        self.route = Router(self.env, design, self.team, params.internal_handoff)
        leavers = ({r: params.roles[r].leave_rate * params.hiring_lag for r in params.policies}
                   if params.hire_ahead else None)
        self.plan = Plan(params.policies, self._hire, lambda d, f, a: call(self.env, d, f, a),
                         params.hiring_lag, leavers)
        self.forecast = Forecast()
        self.cohorts: dict[int, Cohorts] = {}
        self._new_draws = [Draws(self.streams, (NEW_ACCOUNTS, s.index, 0, 0, 0),
                                 _new_account_block(s), 16) for s in self.segments]
        self._referred_draws = [Draws(self.streams, (REFERRED, s.index, 0, 0, 0),
                                      _new_account_block(s), 4) for s in self.segments]
        self._origin_counts: dict[tuple[int, int], int] = {}
        self._tier_draws = {(s.index, origin): Draws(self.streams, (TIERS, s.index, origin, 0, 0),
                                                      _uniforms, 16)
                            for s in self.segments for origin in (ORIGIN_NEW, ORIGIN_REFERRED)}
        self._last_review: int | None = None

    # --- Building -----------------------------------------------------------------------

    def build(self) -> World:
        """The initial book, its staff and books, arrivals, reviews."""
        for segment in self.segments:
            self._initial_book(segment)
        self.record.arr_initial, self.record.accounts_initial = self.ledger.arr, self.ledger.live
        self.plan.open(self._expected_drivers())
        self._assign_initial_books()
        self._update_coverage()
        for account in self.accounts:
            account.start_clocks()
            account.watch_drift()
        for segment in self.segments:
            if segment.cohort:
                self.cohorts[segment.index] = Cohorts(self, segment, self.route.cohort_pool)
            if segment.new_per_hour > 0:
                self._arrivals(segment)
        hpm, horizon = self.params.hours_per_month, self.params.horizon
        for month in range(1, self.params.months + 1):
            if month * hpm < horizon - 1e-6:
                call(self.env, month * hpm, self._review, month)
            else:  # SimPy stops before events at `until`: finish() closes this month
                self._last_review = month
        return self

    def _initial_book(self, segment: SegmentModel) -> None:
        n = segment.initial_accounts
        if n == 0:
            return
        gen = self.streams.generator(INITIAL, segment.index)
        acv = segment.acv.sample(gen, n)
        score = np.clip(self.params.initial_health.sample(gen, n), 0.0, 100.0)
        u = gen.random((n, 3))
        z = gen.standard_normal(n)
        bounds = self.params.health.bounds
        tier_u = (self.streams.generator(TIERS, segment.index, ORIGIN_INITIAL).random(n)
                  if self.params.tiers is not None else None)
        for k in range(n):
            account = Account(self, segment, (segment.index, ORIGIN_INITIAL, k), float(acv[k]),
                              float(u[k, 0]), float(z[k]))
            if tier_u is not None:
                self._tier(account, float(tier_u[k]))
            account.live_at = 0.0
            account.load = segment.weight
            account.score = float(score[k])
            account.trend = self.trend_for(account)
            account.band = band_of(account.score, bounds)
            account.schedule_renewal(float(u[k, 1]) * segment.contract_hours)
            if account.touch_every is not None:
                account.touch_due = float(u[k, 2]) * account.touch_every
            self._join(account)

    def _expected_drivers(self) -> Drivers:
        """Volumes the initial book is expected to bring, for staffing at time 0."""
        return Drivers(arr=self.ledger.arr, accounts=self.ledger.live,
                       **self.params.expected_volumes())

    def _assign_initial_books(self) -> None:
        """Balanced books: heaviest accounts first, each to the lightest book (LPT)."""
        owners = [(0.0, p.index, p) for p in self.team.people[BOOK_OWNER]]
        heapq.heapify(owners)
        for account in sorted(self.accounts, key=lambda a: (-a.load, a.uid)):
            _, index, owner = heapq.heappop(owners)
            self._give(account, owner)
            heapq.heappush(owners, (owner.book.weight, index, owner))

    def _give(self, account: Account, owner: Person) -> None:
        account.csm = owner
        owner.book.add(account)
        if account.touch_due < float("inf"):
            owner.book.schedule_touch(account)

    def _join(self, account: Account) -> None:
        self.accounts.append(account)
        self.ledger.join(account.acv)

    # --- Staff --------------------------------------------------------------------------

    def _hire(self, role: str) -> None:
        person = self.team.hire(role)
        if ROLE[role].covers:
            self._update_coverage()
        if person.book is not None and self.env.now > 0:
            self._rebalance(person)
        rate = self.params.roles[role].leave_rate
        if rate > 0:
            tenure = Draws(self.streams, (AWAY, ROLES.index(role), 0, person.index, 1), exponentials, 4)
            call(self.env, tenure.next() / rate, self._leave, (person, tenure))

    def _leave(self, job: tuple[Person, Draws]) -> None:
        """Attrition: the person leaves; the plan may replace them at its next review. A CSM's
        accounts go to the lightest books (each paying the handoff cost), with the work waiting
        on their list. The last CSM stays until another is there (they leave later)."""
        person, tenure = job
        owners = self.team.people[BOOK_OWNER]
        if person.book is not None and len(owners) == 1:
            call(self.env, tenure.next() / self.params.roles[person.role].leave_rate, self._leave, job)
            return
        self.team.leave(person)
        self.plan.left(person.role)
        if ROLE[person.role].covers:
            self._update_coverage()
        if person.book is None:
            return
        cost = self.params.health.handoff_points
        for account in sorted(person.book.accounts, key=lambda a: a.uid):
            person.book.remove(account)
            self._give(account, self.team.lightest_book())
            if account.live_at is not None and cost > 0:
                account.move(-cost, cs_work=False)
        waiting = [item for _, _, item in sorted(person.own.heap)]
        person.own.heap.clear()
        for item in waiting:
            owner = item.account.csm
            (owner.inbound if item.kind == "ticket" else owner.own).push(item)

    def _rebalance(self, newcomer: Person) -> None:
        """A new book owner takes accounts from the heaviest books until their book weighs the
        average; each account moved loses health.handoff_points. Which account moves is a
        scrambled order of account numbers: taking the newest would hand the new CSM a year's
        renewals falling due together."""
        owners = self.team.people[BOOK_OWNER]
        target = sum(p.book.weight for p in owners) / len(owners)
        cost = self.params.health.handoff_points
        queues: dict[int, list[Account]] = {}  # each donor's accounts, in the order they would go
        while newcomer.book.weight < target:
            donor = max(owners, key=lambda p: (p.book.weight, -p.index))
            if donor is newcomer or donor.book.weight <= target or not donor.book.accounts:
                return
            if donor.index not in queues:
                queues[donor.index] = sorted(donor.book.accounts, key=_scrambled)
            account = queues[donor.index].pop()
            if newcomer.book.weight + account.load > target + (target - newcomer.book.weight):
                return  # this move would unbalance more than it balances
            donor.book.remove(account)
            self._give(account, newcomer)
            if account.live_at is not None and cost > 0:
                account.move(-cost, cs_work=False)

    def _update_coverage(self) -> None:
        """Coverage changed: live accounts of digital-touch segments drift at the new rate."""
        if not self.team.update_coverage(self.ledger.live):
            return
        for segment in self.segments:
            if segment.digital:
                for account in self.accounts:
                    if account.segment is segment and account.live and account.live_at is not None:
                        account.set_trend(self.trend_for(account))

    def trend_for(self, account: Account) -> Trend:
        """How a live account's health moves between events: decay, less digital touches where
        coverage reaches, pulled toward the account's own level."""
        rules = self.params.health
        digital = rules.digital_per_hour * self.team.coverage if account.segment.digital else 0.0
        return Trend(digital - rules.decay_per_hour, rules.pull_per_hour, account.level)

    # --- Accounts -----------------------------------------------------------------------

    def next_uid(self) -> int:
        return next(self._uid)

    def _arrivals(self, segment: SegmentModel) -> None:
        gaps = Draws(self.streams, (ARRIVALS, segment.index, 0, 0, 0), exponentials, 64)
        mean_gap = 1.0 / segment.new_per_hour

        def arrive(_: Any) -> None:
            self.new_account(segment, ORIGIN_NEW)
            call(self.env, gaps.next() * mean_gap, arrive)

        call(self.env, gaps.next() * mean_gap, arrive)

    def new_account(self, segment: SegmentModel, origin: int) -> Account:
        """A signed account: it joins the lightest CSM book and starts onboarding."""
        draws = self._new_draws if origin == ORIGIN_NEW else self._referred_draws
        k = self._origin_counts.get((segment.index, origin), 0)
        self._origin_counts[(segment.index, origin)] = k + 1
        acv, opt_out_u, level_z = draws[segment.index].next()
        account = Account(self, segment, (segment.index, origin, k), acv, opt_out_u, level_z)
        if self.params.tiers is not None:
            self._tier(account, self._tier_draws[(segment.index, origin)].next())
        now = self.env.now
        account.schedule_renewal(now + segment.contract_hours)
        self._join(account)
        self.ledger.count("new")
        self.record.arrival(now, segment.index, acv, origin, account.id)
        self._give(account, self.team.lightest_book())
        account.start_clocks()
        onboarding.start(account)
        return account

    def _tier(self, account: Account, u: float) -> None:
        """The account's tier by its segment's rule (a uniform of its own, or its ACV)."""
        tiers = self.params.tiers
        rank = tiers.by_segment[account.segment.index].rank(account.acv, u)
        account.set_tier(rank, tiers.touch_factor[rank])
        self.record.tier(account.id, rank)

    def refer(self, segment: SegmentModel) -> None:
        self.new_account(segment, ORIGIN_REFERRED)

    def onboarding_queue(self, account: Account) -> WorkQueue:
        return self.route.onboarding(account)

    def lose(self, account: Account, cause: int) -> None:
        self.ledger.lose(account.acv)
        self.record.churn(self.env.now, account.segment.index, account.acv, cause, account.id)

    def expand(self, account: Account, amount: float) -> None:
        account.acv += amount
        self.ledger.grow(amount)
        self.record.expansion(self.env.now, account.segment.index, amount, account.id)

    def rescue(self, account: Account, kind: int) -> None:
        account.rescued = True
        self.record.rescue(self.env.now, account.segment.index, kind)

    # --- Tickets ------------------------------------------------------------------------

    def raise_ticket(self, account: Account, draw: list[float]) -> None:
        ticket = Ticket(account, self.env.now, draw, self.record.tickets)
        self.ledger.ticket_opened()
        self.route.inbound(account).push(ticket)

    def escalate(self, ticket: Ticket) -> None:
        self.ledger.count("escalations")
        self.route.escalate(ticket)

    # --- Reviews and the record ---------------------------------------------------------

    def _review(self, month: int) -> None:
        """Month end: snapshot the series, review staffing, update coverage."""
        flows = self.ledger.month_flows()
        self.record.month(snapshot(self, month, flows))
        self.forecast.observe(Drivers(arr=self.ledger.arr, accounts=self.ledger.live,
                                      tickets_per_month=flows["tickets"],
                                      new_accounts_per_month=flows["new"],
                                      escalations_per_month=flows["escalations"]))
        lag_months = self.params.hiring_lag / self.params.hours_per_month
        self.plan.review(self.forecast.ahead(lag_months if self.params.hire_ahead else 0.0))
        self._update_coverage()
        if month % 6 == 0:
            self.accounts = [a for a in self.accounts if a.live]

    def finish(self) -> Record:
        """Run to the horizon; close the record with the state at the end."""
        self.env.run(until=self.params.horizon)
        if self._last_review is not None:
            self._review(self._last_review)
        record = self.record
        horizon = self.params.horizon
        pending = []
        for account in self.accounts:
            if not account.live:
                continue
            record.final.append(FinalAccount(account.segment.index, account.health(), account.acv))
            if account.live_at is not None and account.touch_due <= horizon:
                pending.append(ScheduledTouch(account.touch_due, -1.0, account.segment.index,
                                              account.tier))
        record.touches.extend(pending)
        record.staff = self.team.staff_rows()
        record.arr_end = self.ledger.arr
        record.accounts_end = self.ledger.live
        self._release()
        return record

    def _release(self) -> None:
        """Let go of what the finished run no longer needs, so reference counting frees it:
        the events still on the calendar past the horizon, and the world's link to its record."""
        # SimPy offers no public way to drop a finished calendar; it is a plain heap no one else reads.
        self.env._queue.clear()
        self.record = None  # type: ignore[assignment]


def _scrambled(account: Account) -> int:
    """A fixed, well-mixed order of accounts (Knuth's multiplicative hash of their number)."""
    return (account.uid * 2654435761) % 4294967296


def _uniforms(gen: np.random.Generator, n: int) -> np.ndarray:
    return gen.random(n)


def _new_account_block(segment: SegmentModel) -> Callable[[np.random.Generator, int], np.ndarray]:
    def block(gen: np.random.Generator, n: int) -> np.ndarray:
        """Rows of (ACV, opt-out uniform, standard normal of the account's health level)."""
        acv = segment.acv.sample(gen, n)
        return np.column_stack((acv, gen.random(n), gen.standard_normal(n)))

    return block


def simulate(scenario: Scenario, design: Design, seed: int) -> Record:
    """One replication of one design (the cyclic garbage collector paused while it runs)."""
    with collector_paused():
        return World(scenario, design, seed).build().finish()
