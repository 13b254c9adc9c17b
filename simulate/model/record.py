"""What happened in one replication of one design, in plain lists; KPIs are computed after."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CHURN_RENEWAL, CHURN_OPT_OUT = 0, 1
WIN, SAVE = 0, 1


@dataclass
class Record:
    """Append-only lists of events, each a tuple; times are business hours."""

    window_start: float  # the end of warm-up: statistics count from here
    horizon: float
    tickets: list[Any] = field(default_factory=list)  # Ticket objects
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
    arr_start: float = 0.0  # ARR at the start of the window
    accounts_start: int = 0
    arr_end: float = 0.0
    accounts_end: int = 0
    final_health: list[tuple[int, float, float]] = field(default_factory=list)  # seg, score, acv
