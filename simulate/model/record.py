"""What happened in one replication of one design, in plain lists; KPIs are computed after."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any, NamedTuple

CHURN_RENEWAL, CHURN_OPT_OUT = 0, 1
WIN, SAVE = 0, 1


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

    COLUMNS = ("created", "first_response", "escalated", "resolved", "handle")

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

    def __iter__(self) -> Any:
        for i in range(len(self.created)):
            key = self.account[i]
            yield TicketRow(self.created[i], self.first_response[i], self.escalated[i],
                            self.resolved[i], self.segment[i], self.type[i], self.handle[i],
                            bool(self.escalates[i]), (key >> 40, (key >> 32) & 0xFF, key & 0xFFFFFFFF))


@dataclass
class Record:
    """Append-only lists of events, each a tuple; times are business hours."""

    window_start: float  # the end of warm-up: statistics count from here
    horizon: float
    tickets: TicketLog = field(default_factory=TicketLog)
    arrivals: list[tuple[float, int, float, int]] = field(default_factory=list)  # t, seg, acv, origin
    go_lives: list[tuple[float, float, int]] = field(default_factory=list)  # arrived, live, seg
    churns: list[tuple[float, int, float, int]] = field(default_factory=list)  # t, seg, acv, cause
    # t, seg, acv due, renewed, expansion at renewal, rescued (saved or won this term)
    renewals: list[tuple[float, int, float, bool, float, bool]] = field(default_factory=list)
    csql: list[tuple[float, int, float]] = field(default_factory=list)  # t, seg, added ARR
    rescues: list[tuple[float, int, int]] = field(default_factory=list)  # t, seg, WIN|SAVE
    touches: list[tuple[float, float, int]] = field(default_factory=list)  # due, done, seg
    touches_pending: list[tuple[float, int]] = field(default_factory=list)  # due, seg (at horizon)
    interventions: int = 0
    engineering_hours: float = 0.0  # in the window
    people: list[Any] = field(default_factory=list)  # Person objects
    monthly: list[dict[str, float]] = field(default_factory=list)
    accounts: list[Any] = field(default_factory=list)  # every account that ever existed
    arr_initial: float = 0.0  # ARR of the initial book at time 0
    accounts_initial: int = 0
    arr_start: float = 0.0  # ARR at the start of the window
    accounts_start: int = 0
    arr_end: float = 0.0
    accounts_end: int = 0
    final_health: list[tuple[int, float, float]] = field(default_factory=list)  # seg, score, acv
