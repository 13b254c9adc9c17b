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


def account_id(key: tuple[int, int, int]) -> int:
    """An account's key (segment, origin, number) packed into one integer."""
    segment, origin, number = key
    return segment << 40 | origin << 32 | number


def account_key(packed: int) -> tuple[int, int, int]:
    return packed >> 40, (packed >> 32) & 0xFF, packed & 0xFFFFFFFF


class Arrival(NamedTuple):
    at: float
    segment: int
    acv: float
    origin: int  # simulate.model.streams ORIGIN_*
    account: int


class GoLive(NamedTuple):
    arrived: float
    live: float
    segment: int
    account: int


class Churn(NamedTuple):
    at: float
    segment: int
    acv: float
    cause: int  # CHURN_RENEWAL or CHURN_OPT_OUT
    account: int


class Renewal(NamedTuple):
    at: float
    segment: int
    acv_due: float
    renewed: bool
    expansion: float  # ARR added at renewal (negative: a down-sell)
    rescued: bool  # saved or won during this term
    account: int


class Expansion(NamedTuple):
    """A CS-qualified lead that converted."""

    at: float
    segment: int
    amount: float
    account: int


class BookSnapshot(NamedTuple):
    """The live accounts at a month end, as columns: what cohort KPIs follow for 12 months."""

    month: int
    account: array  # account ids (array of "q")
    segment: array  # ("i")
    acv: array  # ("d")


class Rescue(NamedTuple):
    at: float
    segment: int
    kind: int  # WIN or SAVE


class ScheduledTouch(NamedTuple):
    """A touch that fell due, and when it was done."""

    due: float
    done: float  # -1 if not done by the horizon
    segment: int
    tier: int = 0  # the account's tier rank (0 where the scenario sets no tiers)


class SalesWork(NamedTuple):
    """Renewal preparation sales did (outside CS) where it owns renewals."""

    at: float
    hours: float


class Staff(NamedTuple):
    """One person, as the run left them."""

    role: str
    index: int
    hired: float
    left: float  # when they left (attrition); the horizon if they stayed
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
            account: int) -> int:
        """A new ticket's row number."""
        self.created.append(created)
        self.first_response.append(-1.0)
        self.escalated.append(-1.0)
        self.resolved.append(-1.0)
        self.handle.append(handle)
        self.segment.append(segment)
        self.type.append(kind)
        self.escalates.append(escalates)
        self.account.append(account)
        return len(self.created) - 1

    def __len__(self) -> int:
        return len(self.created)

    def __iter__(self) -> Iterator[TicketRow]:
        for i in range(len(self.created)):
            yield TicketRow(self.created[i], self.first_response[i], self.escalated[i],
                            self.resolved[i], self.segment[i], self.type[i], self.handle[i],
                            bool(self.escalates[i]), account_key(self.account[i]))


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
    sales_work: list[SalesWork] = field(default_factory=list)  # renewal work by sales, outside CS
    renewal_owner: str = "csm"  # the design's renewal owner: who is paid commission on what
    tiers: dict[int, int] = field(default_factory=dict)  # account id → tier rank, where tiers are set
    staff: list[Staff] = field(default_factory=list)
    monthly: list[dict[str, float]] = field(default_factory=list)
    books: list[BookSnapshot] = field(default_factory=list)  # one per month end
    final: list[FinalAccount] = field(default_factory=list)
    arr_initial: float = 0.0  # ARR of the initial book at time 0
    accounts_initial: int = 0
    arr_end: float = 0.0
    accounts_end: int = 0

    def arrival(self, at: float, segment: int, acv: float, origin: int, account: int) -> None:
        self.arrivals.append(Arrival(at, segment, acv, origin, account))

    def go_live(self, arrived: float, live: float, segment: int, account: int) -> None:
        self.go_lives.append(GoLive(arrived, live, segment, account))

    def churn(self, at: float, segment: int, acv: float, cause: int, account: int) -> None:
        self.churns.append(Churn(at, segment, acv, cause, account))

    def renewal(self, at: float, segment: int, acv_due: float, renewed: bool, expansion: float,
                rescued: bool, account: int) -> None:
        self.renewals.append(Renewal(at, segment, acv_due, renewed, expansion, rescued, account))

    def expansion(self, at: float, segment: int, amount: float, account: int) -> None:
        self.expansions.append(Expansion(at, segment, amount, account))

    def book(self, month: int, accounts: array, segments: array, acv: array) -> None:
        self.books.append(BookSnapshot(month, accounts, segments, acv))

    def rescue(self, at: float, segment: int, kind: int) -> None:
        self.rescues.append(Rescue(at, segment, kind))

    def touch(self, due: float, done: float, segment: int, tier: int = 0) -> None:
        self.touches.append(ScheduledTouch(due, done, segment, tier))

    def tier(self, account: int, rank: int) -> None:
        self.tiers[account] = rank

    def sales(self, at: float, hours: float) -> None:
        """Sales hours of renewal work falling due at `at`."""
        self.sales_work.append(SalesWork(at, hours))

    def engineering(self, at: float, hours: float) -> None:
        """R&D hours spent on an escalation handed over at `at` (counted in the window)."""
        if at >= self.window_start:
            self.engineering_hours += hours

    def month(self, row: dict[str, float]) -> None:
        self.monthly.append(row)
