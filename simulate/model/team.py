"""The CS org of one design: its people by role, the pools they share, buddy pairs, and the
coverage of roles that work by covering others (cs_ops: faster work, digital touches)."""

from __future__ import annotations

import itertools

import simpy

from simulate.domain.roles import BOOK_OWNER, ROLE, ROLES
from simulate.model.away import AwayBlocks, NoTimeAway
from simulate.model.params import Params
from simulate.model.record import Staff
from simulate.model.staff import Book, Person, WorkQueue
from simulate.model.streams import Streams


class Team:
    """Everyone on the payroll, hired as the staffing plan asks."""

    def __init__(self, env: simpy.Environment, params: Params, seq: itertools.count, streams: Streams):
        self.env = env
        self.params = params
        self.streams = streams
        self.seq = seq  # shared with every queue of the world: FCFS across queues
        self.pools = {role: WorkQueue(role, seq) for role in ROLES}
        self.people: dict[str, list[Person]] = {role: [] for role in ROLES}
        self.everyone: list[Person] = []  # in hiring order, leavers included
        self.hired = dict.fromkeys(ROLES, 0)  # people ever hired, by role: the next one's index
        self._unpaired: Person | None = None
        self.has_coverage = any(ROLE[r].covers for r in params.policies)
        self.coverage = 0.0
        self.speed = 1.0  # the pace of sped-up work: 1 − efficiency gain × coverage

    def hire(self, role: str) -> Person:
        index = self.hired[role]
        self.hired[role] += 1
        if ROLE[role].owns_books:
            person = self._hire_owner(index)
        else:
            queues = [self.pools[role]] if ROLE[role].queued else []
            person = Person(self.env, self.params, self, role, index, queues, self._away(role, index))
        self.people[role].append(person)
        self.everyone.append(person)
        return person

    def _hire_owner(self, index: int) -> Person:
        """A CSM: their own list (onboarding, renewals, interventions, their accounts' tickets),
        the CSM pool, and with `buddy` a queue shared with a partner for inbound tickets."""
        own = WorkQueue(f"csm{index}", self.seq)
        person = Person(self.env, self.params, self, BOOK_OWNER, index, [own, self.pools[BOOK_OWNER]],
                        self._away(BOOK_OWNER, index), Book())
        person.own = own
        person.inbound = own
        if self.params.design.buddy:
            partner = self._unpaired
            if partner is None:
                self._unpaired = person
            else:
                self._unpaired = None
                pair = WorkQueue(f"pair{partner.index}", self.seq)
                for member in (partner, person):
                    member.queues.append(pair)
                    member.inbound = pair
                    if member.waiting:
                        pair.idle.append(member)
        return person

    def _away(self, role: str, index: int) -> AwayBlocks | NoTimeAway:
        spec = self.params.roles[role]
        if spec.away_per_day <= 0:
            return NoTimeAway()
        return AwayBlocks(self.streams, ROLES.index(role), index, self.params.hours_per_day,
                          spec.away_per_day, spec.away_blocks, self.env.now)

    def leave(self, person: Person) -> None:
        """`person` leaves: off the team (still in the record)."""
        person.leave()
        self.people[person.role].remove(person)
        if self._unpaired is person:
            self._unpaired = None

    def lightest_book(self) -> Person:
        """The book owner with the least work-weighted book (new accounts join them)."""
        return min(self.people[BOOK_OWNER], key=lambda p: (p.book.weight, p.index))

    def update_coverage(self, live_accounts: int) -> bool:
        """Coverage = min(1, covering headcount × accounts each covers ÷ live accounts);
        True when it changed (accounts' digital-touch drift then changes with it)."""
        if not self.has_coverage:
            return False
        covering = sum(len(self.people[r]) for r in ROLES if ROLE[r].covers)
        coverage = min(1.0, covering * self.params.accounts_per_ops / max(live_accounts, 1))
        if coverage == self.coverage:
            return False
        self.coverage = coverage
        self.speed = 1.0 - self.params.efficiency_gain * coverage
        return True

    def headcount(self, role: str, now: float) -> int:
        return sum(1 for p in self.people[role] if p.hired <= now)

    def queued(self, role: str) -> int:
        """Items waiting in the queues the people of `role` serve."""
        queues = {id(q): q for p in self.people[role] for q in p.queues}
        return sum(len(q.heap) for q in queues.values())

    def staff_rows(self) -> list[Staff]:
        """Everyone as the record keeps them, in hiring order."""
        horizon = self.params.horizon
        return [Staff(p.role, p.index, p.hired, min(p.left, horizon), bool(p.queues), dict(p.busy),
                      p.productive_hours(horizon), len(p.book.accounts) if p.book else 0)
                for p in self.everyone]
