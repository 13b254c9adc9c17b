"""What happened in one replication of one design: typed rows in plain lists, written through
named methods; KPIs and invariants read only this, after the run.

Every row is a named tuple, read by field; times are business hours.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

CHURN_RENEWAL, CHURN_OPT_OUT = 0, 1
WIN, SAVE = 0, 1


class Arrival(NamedTuple):
    at: float
    segment: int
    acv: float
    origin: int  # simulate.model.streams ORIGIN_*


class GoLive(NamedTuple):
    arrived: float
    live: float
    segment: int


class Churn(NamedTuple):
    at: float
    segment: int
    acv: float
    cause: int  # CHURN_RENEWAL or CHURN_OPT_OUT


class Renewal(NamedTuple):
    at: float
    segment: int
    acv_due: float
    renewed: bool
    expansion: float  # ARR added at renewal
    rescued: bool  # saved or won during this term


class Expansion(NamedTuple):
    """A CS-qualified lead that converted."""

    at: float
    segment: int
    amount: float


class Rescue(NamedTuple):
    at: float
    segment: int
    kind: int  # WIN or SAVE


class ScheduledTouch(NamedTuple):
    """A touch that fell due, and when it was done."""

    due: float
    done: float  # -1 if not done by the horizon
    segment: int


class Staff(NamedTuple):
    """One person, as the run left them."""

    role: str
    index: int
    hired: float
    queued: bool  # takes queued work (utilization applies)
    busy: dict[str, float]  # hours by kind of work, in the window
    productive_hours: float  # present and not away, in the window
    book: int  # accounts in their book at the horizon (0 if they keep none)


class FinalAccount(NamedTuple):
    """A live account at the horizon."""

    segment: int
    health: float
    acv: float


class TicketRow(NamedTuple):
    """One ticket as recorded; times are -1 where the step had not happened by the horizon."""

    created: float
    first_response: float
    escalated: float
    resolved: float
    segment: int
    type: int
    handle: float
    escalates: bool
    account_key: tuple[int, int, int]


class TicketLog:
    """Every ticket, as columns of plain arrays: no object per ticket outlives its work."""

    def __init__(self) -> None:
        self.created = array("d")
        self.first_response = array("d")
        self.escalated = array("d")
        self.resolved = array("d")
        self.handle = array("d")
        self.segment = array("i")
        self.type = array("i")
        self.escalates = array("b")
        self.account = array("q")  # the account's key, packed: segment, origin, number

    def add(self, created: float, segment: int, kind: int, handle: float, escalates: bool,
            account_key: tuple[int, int, int]) -> int:
        """A new ticket's row number."""
        self.created.append(created)
        self.first_response.append(-1.0)
        self.escalated.append(-1.0)
        self.resolved.append(-1.0)
        self.handle.append(handle)
        self.segment.append(segment)
        self.type.append(kind)
        self.escalates.append(escalates)
        seg, origin, number = account_key
        self.account.append(seg << 40 | origin << 32 | number)
        return len(self.created) - 1

    def __len__(self) -> int:
        return len(self.created)

    def __iter__(self) -> Iterator[TicketRow]:
        for i in range(len(self.created)):
            key = self.account[i]
            yield TicketRow(self.created[i], self.first_response[i], self.escalated[i],
                            self.resolved[i], self.segment[i], self.type[i], self.handle[i],
                            bool(self.escalates[i]), (key >> 40, (key >> 32) & 0xFF, key & 0xFFFFFFFF))


@dataclass
class Record:
    """Append-only lists of typed rows; the model writes them through the named methods."""

    window_start: float  # the end of warm-up: statistics count from here
    horizon: float
    tickets: TicketLog = field(default_factory=TicketLog)
    arrivals: list[Arrival] = field(default_factory=list)
    go_lives: list[GoLive] = field(default_factory=list)
    churns: list[Churn] = field(default_factory=list)
    renewals: list[Renewal] = field(default_factory=list)
    expansions: list[Expansion] = field(default_factory=list)
    rescues: list[Rescue] = field(default_factory=list)
    touches: list[ScheduledTouch] = field(default_factory=list)  # done, then those due but not done
    engineering_hours: float = 0.0  # in the window
    staff: list[Staff] = field(default_factory=list)
    monthly: list[dict[str, float]] = field(default_factory=list)
    final: list[FinalAccount] = field(default_factory=list)
    arr_initial: float = 0.0  # ARR of the initial book at time 0
    accounts_initial: int = 0
    arr_end: float = 0.0
    accounts_end: int = 0

    def arrival(self, at: float, segment: int, acv: float, origin: int) -> None:
        self.arrivals.append(Arrival(at, segment, acv, origin))

    def go_live(self, arrived: float, live: float, segment: int) -> None:
        self.go_lives.append(GoLive(arrived, live, segment))

    def churn(self, at: float, segment: int, acv: float, cause: int) -> None:
        self.churns.append(Churn(at, segment, acv, cause))

    def renewal(self, at: float, segment: int, acv_due: float, renewed: bool, expansion: float,
                rescued: bool) -> None:
        self.renewals.append(Renewal(at, segment, acv_due, renewed, expansion, rescued))

    def expansion(self, at: float, segment: int, amount: float) -> None:
        self.expansions.append(Expansion(at, segment, amount))

    def rescue(self, at: float, segment: int, kind: int) -> None:
        self.rescues.append(Rescue(at, segment, kind))

    def touch(self, due: float, done: float, segment: int) -> None:
        self.touches.append(ScheduledTouch(due, done, segment))

    def engineering(self, at: float, hours: float) -> None:
        """R&D hours spent on an escalation handed over at `at` (counted in the window)."""
        if at >= self.window_start:
            self.engineering_hours += hours

    def month(self, row: dict[str, float]) -> None:
        self.monthly.append(row)
