"""One replication of one design: builds the environment, staff and books; runs; returns the record.

Routing reads the design's routes through tables (`INBOUND`, `ONBOARDING`, `ESCALATION`);
nothing here asks which design it is simulating.
"""

from __future__ import annotations

import gc
import heapq
import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import simpy

from simulate.designs import ROUTE_ROLE, Design
from simulate.model import onboarding
from simulate.model.accounts import Account
from simulate.model.clock import call
from simulate.model.health import HealthRules, band_of
from simulate.model.onboarding import Cohorts
from simulate.model.record import Record
from simulate.model.segments import SegmentModel, TicketMix, segment_models
from simulate.model.snapshot import snapshot
from simulate.model.staff import TICKET, Book, Person, WorkQueue
from simulate.model.staffing import Drivers, Plan
from simulate.model.streams import (
    ARRIVALS,
    INITIAL,
    NEW_ACCOUNTS,
    ORIGIN_INITIAL,
    ORIGIN_NEW,
    ORIGIN_REFERRED,
    REFERRED,
    Draws,
    Streams,
    exponentials,
)
from simulate.model.tickets import Escalation, Ticket, to_engineering
from simulate.scenario.schema import ROLES, Scenario

Route = Callable[["World", Account], WorkQueue]

# Where each route value sends an account's work.
INBOUND: dict[str, Route] = {
    "owner_csm": lambda w, a: a.csm.inbound,
    "support_agent": lambda w, a: w.pools["support_agent"],
}
ONBOARDING: dict[str, Route] = {
    "owner_csm": lambda w, a: a.csm.own,
    "implementation": lambda w, a: w.pools["implementation"],
}
ESCALATION: dict[str, Callable[[World, Ticket], None]] = {
    "engineering": lambda w, t: to_engineering(t),
    "tech_support": lambda w, t: w.to_tech_support(t),
}


class World:
    """The simulated company under one design, for one replication seed."""

    def __init__(self, scenario: Scenario, design: Design, seed: int):
        sc = scenario
        self.scenario = sc
        self.design = design
        self.env = simpy.Environment()
        self.streams = Streams(seed)
        hpm = sc.hours_per_month
        self.hours_per_day = sc.calendar.hours_per_day
        self.horizon = sc.horizon_months * hpm
        self.record = Record(window_start=sc.warmup_months * hpm, horizon=self.horizon)
        self.rules = HealthRules.of(sc)
        self.segments = segment_models(sc, design)
        self.ticket_mix = TicketMix(sc)
        self._cache_parameters(sc)
        self._seq = itertools.count()
        self._uid = itertools.count()
        self.arr = 0.0
        self.live = 0
        self.open_tickets = 0
        self.counts = {"tickets": 0, "new": 0, "escalations": 0}
        self._counted = dict(self.counts)
        self.accounts: list[Account] = []
        self.pools = {role: WorkQueue(role, self._seq) for role in ROLES}
        self.people: dict[str, list[Person]] = {role: [] for role in ROLES}
        self._unpaired: Person | None = None
        self.coverage = 0.0
        self.speed = 1.0
        policies = sc.staffing.plans[design.name]
        self.has_ops = "cs_ops" in policies
        self.plan = Plan(policies, self._hire, lambda d, f, a: call(self.env, d, f, a),
                         sc.days(sc.staffing.hiring_lag_days))
        self._inbound = INBOUND[design.inbound]
        self._onboarding = ONBOARDING[design.onboarding]
        self._escalation = ESCALATION[design.escalation]
        self.cohorts: dict[int, Cohorts] = {}
        self._new_draws = [Draws(self.streams, (NEW_ACCOUNTS, s.index, 0, 0, 0),
                                 _new_account_block(s), 16) for s in self.segments]
        self._referred_draws = [Draws(self.streams, (REFERRED, s.index, 0, 0, 0),
                                      _new_account_block(s), 4) for s in self.segments]
        self._origin_counts: dict[tuple[int, int], int] = {}
        self._last_review: int | None = None

    def _cache_parameters(self, sc: Scenario) -> None:
        """Scenario values read on hot paths, in model units."""
        hpm, hpy = sc.hours_per_month, sc.hours_per_year
        self.session_hours = sc.onboarding.session_hours
        self.between_sessions = sc.days(sc.onboarding.days_between_sessions)
        self.renewal_lead = sc.days(sc.renewal.lead_days)
        self.band_factor = sc.tickets.band_factor.as_tuple()
        self.onboarding_factor = sc.tickets.onboarding_factor
        self.opt_out_rate = sc.opt_out.per_month_red / hpm
        self.referral_rate = sc.referrals.per_green_account_year / hpy
        per_year = sc.health.shock.per_year
        self.shock_mean_gap = hpy / per_year if per_year > 0 else 0.0
        self.renew_probability = sc.renewal.probability.as_tuple()
        self.unworked_factor = sc.renewal.unworked_factor
        self.expansion_probability = sc.renewal.expansion_probability.as_tuple()
        self.expansion_size = sc.renewal.expansion_size
        self.csql_per_touch = sc.expansion.csql_per_touch
        self.csql_win_rate = sc.expansion.win_rate
        self.csql_size = sc.expansion.size
        self.sla_first = sc.sla.first_response_hours
        self.sla_resolution = sc.sla.resolution_hours
        self.late_per_sla = sc.health.late_per_sla
        self.internal_handoff = sc.internal_handoff_hours

    # --- Building -----------------------------------------------------------------------

    def build(self) -> World:
        """The initial book, its staff and books, arrivals, reviews."""
        for segment in self.segments:
            self._initial_book(segment)
        self.record.arr_initial, self.record.accounts_initial = self.arr, self.live
        self.plan.open(self._expected_drivers())
        self._assign_initial_books()
        self._update_coverage()
        for account in self.accounts:
            account.start_clocks()
            account._watch_drift()
        route_pool = self.pools[ROUTE_ROLE[self.design.onboarding]]
        for segment in self.segments:
            if segment.cohort:
                self.cohorts[segment.index] = Cohorts(self, segment, route_pool)
            if segment.new_per_hour > 0:
                self._arrivals(segment)
        hpm = self.scenario.hours_per_month
        months = int(self.scenario.horizon_months + 1e-9)
        for month in range(1, months + 1):
            if month * hpm < self.horizon - 1e-6:
                call(self.env, month * hpm, self._review, month)
            else:  # SimPy stops before events at `until`: finish() closes this month
                self._last_review = month
        call(self.env, self.record.window_start, self._open_window)
        return self

    def _initial_book(self, segment: SegmentModel) -> None:
        n = segment.initial_accounts
        if n == 0:
            return
        gen = self.streams.generator(INITIAL, segment.index)
        acv = segment.acv.sample(gen, n)
        score = np.clip(self.scenario.health.initial.sample(gen, n), 0.0, 100.0)
        u = gen.random((n, 3))
        drift = self.drift_for(segment)
        for k in range(n):
            account = Account(self, segment, (segment.index, ORIGIN_INITIAL, k), float(acv[k]),
                              float(u[k, 0]))
            account.live_at = 0.0
            account.load = segment.weight
            account.score = float(score[k])
            account.drift = drift
            account.band = band_of(account.score, self.rules.bounds)
            account.schedule_renewal(float(u[k, 1]) * segment.contract_hours)
            if segment.touch_every is not None:
                account.touch_due = float(u[k, 2]) * segment.touch_every
            self._join(account)

    def _expected_drivers(self) -> Drivers:
        """Volumes the initial book is expected to bring, for staffing at time 0."""
        tickets = sum(s.initial_accounts * s.spec.tickets_per_month for s in self.segments)
        escalating = sum(t.share * t.escalation_rate for t in self.scenario.tickets.types.values())
        return Drivers(
            arr=self.arr,
            accounts=self.live,
            tickets_per_month=tickets,
            new_accounts_per_month=sum(s.spec.new_per_month for s in self.segments),
            escalations_per_month=tickets * escalating,
        )

    def _assign_initial_books(self) -> None:
        """Balanced books: heaviest accounts first, each to the lightest book (LPT)."""
        csms = [(0.0, p.index, p) for p in self.people["csm"]]
        heapq.heapify(csms)
        for account in sorted(self.accounts, key=lambda a: (-a.load, a.uid)):
            _, index, csm = heapq.heappop(csms)
            self._give(account, csm)
            heapq.heappush(csms, (csm.book.weight, index, csm))

    def _give(self, account: Account, csm: Person) -> None:
        account.csm = csm
        csm.book.add(account)
        if account.touch_due < float("inf"):
            csm.book.schedule_touch(account)

    def _join(self, account: Account) -> None:
        self.accounts.append(account)
        self.arr += account.acv
        self.live += 1

    # --- Staff --------------------------------------------------------------------------

    def _hire(self, role: str) -> None:
        index = len(self.people[role])
        if role == "csm":
            person = self._hire_csm(index)
        else:
            queues = [self.pools[role]] if role != "cs_ops" else []
            person = Person(self, role, index, queues)
        self.people[role].append(person)
        self.record.people.append(person)
        if role == "cs_ops":
            self._update_coverage()

    def _hire_csm(self, index: int) -> Person:
        own = WorkQueue(f"csm{index}", self._seq)
        person = Person(self, "csm", index, [own, self.pools["csm"]], Book())
        person.own = own
        person.inbound = own
        if self.design.buddy:
            partner = self._unpaired
            if partner is None:
                self._unpaired = person
            else:
                self._unpaired = None
                pair = WorkQueue(f"pair{partner.index}", self._seq)
                for member in (partner, person):
                    member.queues.append(pair)
                    member.inbound = pair
                    if member.waiting:
                        pair.idle.append(member)
        return person

    def _update_coverage(self) -> None:
        """cs_ops coverage: faster work and digital touches, in proportion."""
        if not self.has_ops:
            return
        ops = len(self.people["cs_ops"])
        coverage = min(1.0, ops * self.scenario.cs_ops.accounts_per_ops / max(self.live, 1))
        if coverage == self.coverage:
            return
        self.coverage = coverage
        self.speed = 1.0 - self.scenario.cs_ops.efficiency_gain * coverage
        for segment in self.segments:
            if segment.digital:
                drift = self.drift_for(segment)
                for account in self.accounts:
                    if account.segment is segment and account.live and account.live_at is not None:
                        account.set_drift(drift)

    def drift_for(self, segment: SegmentModel) -> float:
        """Health points per hour: decay, less digital touches where cs_ops covers."""
        digital = self.rules.digital_per_hour * self.coverage if segment.digital else 0.0
        return digital - self.rules.decay_per_hour

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
        acv, opt_out_u = draws[segment.index].next()
        account = Account(self, segment, (segment.index, origin, k), acv, opt_out_u)
        now = self.env.now
        account.schedule_renewal(now + segment.contract_hours)
        self._join(account)
        self.counts["new"] += 1
        self.record.arrivals.append((now, segment.index, acv, origin))
        csm = min(self.people["csm"], key=lambda p: (p.book.weight, p.index))
        self._give(account, csm)
        account.start_clocks()
        onboarding.start(account)
        return account

    def refer(self, segment: SegmentModel) -> None:
        self.new_account(segment, ORIGIN_REFERRED)

    def onboarding_queue(self, account: Account) -> WorkQueue:
        return self._onboarding(self, account)

    def lose(self, account: Account, cause: int) -> None:
        self.arr -= account.acv
        self.live -= 1
        self.record.churns.append((self.env.now, account.segment.index, account.acv, cause))

    def expand(self, account: Account, amount: float) -> None:
        account.acv += amount
        self.arr += amount
        self.record.csql.append((self.env.now, account.segment.index, amount))

    def rescue(self, account: Account, kind: int) -> None:
        account.rescued = True
        self.record.rescues.append((self.env.now, account.segment.index, kind))

    # --- Tickets ------------------------------------------------------------------------

    def raise_ticket(self, account: Account, draw: list[float]) -> None:
        ticket = Ticket(account, self.env.now, draw, self.record.tickets)
        self.counts["tickets"] += 1
        self.open_tickets += 1
        self._inbound(self, account).push(TICKET, ticket)

    def escalate(self, ticket: Ticket) -> None:
        self.counts["escalations"] += 1
        self._escalation(self, ticket)

    def to_tech_support(self, ticket: Ticket) -> None:
        call(self.env, self.internal_handoff, self._queue_escalation, ticket)

    def _queue_escalation(self, ticket: Ticket) -> None:
        self.pools["tech_support"].push(TICKET, Escalation(ticket))

    def late_penalty(self, first_response: float, resolution: float) -> float:
        """Health points lost for each SLA-multiple of lateness."""
        late = max(0.0, first_response - self.sla_first) / self.sla_first
        late += max(0.0, resolution - self.sla_resolution) / self.sla_resolution
        return self.late_per_sla * late

    # --- Reviews and the record ---------------------------------------------------------

    def _open_window(self, _: Any = None) -> None:
        self.record.arr_start = self.arr
        self.record.accounts_start = self.live

    def _review(self, month: int) -> None:
        """Month end: snapshot the series, review staffing, update cs_ops coverage."""
        flows = {k: v - self._counted[k] for k, v in self.counts.items()}
        self._counted = dict(self.counts)
        self.record.monthly.append(snapshot(self, month, flows))
        self.plan.review(Drivers(self.arr, self.live, flows["tickets"], flows["new"],
                                 flows["escalations"]))
        self._update_coverage()
        if month % 6 == 0:
            self.accounts = [a for a in self.accounts if a.live]

    def finish(self) -> Record:
        """Run to the horizon; close the record with the state at the end."""
        self.env.run(until=self.horizon)
        if self._last_review is not None:
            self._review(self._last_review)
        record = self.record
        horizon = self.horizon
        for account in self.accounts:
            if not account.live:
                continue
            record.final_health.append((account.segment.index, account.health(), account.acv))
            if account.live_at is not None and account.touch_due <= horizon:
                record.touches_pending.append((account.touch_due, account.segment.index))
        record.arr_end = self.arr
        record.accounts_end = self.live
        self._release()
        return record

    def _release(self) -> None:
        """Let go of what the finished run no longer needs, so reference counting frees it:
        the events still on the calendar (past the horizon) and the world's link to its
        record (the record then leaves no cycle behind it for the garbage collector)."""
        self.env._queue.clear()  # SimPy keeps the calendar as a plain heap; nothing else reads it
        self.record = None  # type: ignore[assignment]

def _new_account_block(segment: SegmentModel) -> Callable[[np.random.Generator, int], list[Any]]:
    def block(gen: np.random.Generator, n: int) -> np.ndarray:
        """Rows of (ACV, opt-out uniform)."""
        acv = segment.acv.sample(gen, n)
        return np.column_stack((acv, gen.random(n)))

    return block


def simulate(scenario: Scenario, design: Design, seed: int) -> Record:
    """One replication of one design.

    The cyclic garbage collector is paused while it runs: the model makes millions of
    short-lived objects but no garbage cycles, and generation scans over the growing
    record would otherwise cost a fifth of the run.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return World(scenario, design, seed).build().finish()
    finally:
        if paused:
            gc.enable()
