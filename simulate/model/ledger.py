"""The book of business as it stands: ARR, live accounts, open tickets, and the flows counted
since the last month-end review (what flow-driven staffing policies read)."""

from __future__ import annotations

FLOWS = ("tickets", "new", "escalations")


class Ledger:
    """Small mutable state of the whole book; accounts keep their own."""

    __slots__ = ("_counted", "arr", "counts", "live", "open_tickets")

    def __init__(self) -> None:
        self.arr = 0.0
        self.live = 0
        self.open_tickets = 0
        self.counts = dict.fromkeys(FLOWS, 0)
        self._counted = dict(self.counts)

    def join(self, acv: float) -> None:
        self.arr += acv
        self.live += 1

    def lose(self, acv: float) -> None:
        self.arr -= acv
        self.live -= 1

    def grow(self, amount: float) -> None:
        """An account expanded by `amount` of ARR."""
        self.arr += amount

    def count(self, flow: str) -> None:
        self.counts[flow] += 1

    def ticket_opened(self) -> None:
        self.counts["tickets"] += 1
        self.open_tickets += 1

    def ticket_closed(self) -> None:
        self.open_tickets -= 1

    def month_flows(self) -> dict[str, int]:
        """Flows since the last call (each month-end review)."""
        flows = {k: v - self._counted[k] for k, v in self.counts.items()}
        self._counted = dict(self.counts)
        return flows
