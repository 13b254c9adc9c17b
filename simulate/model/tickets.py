"""Tickets: raised by accounts, answered first-line, escalated to engineering or tech support.

First response is when someone starts on a ticket; resolution is when its last piece of work
ends, escalation included. Engineering, outside the CS org, is a delay: a cross-department
handoff, then its hours of effort.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulate.model.clock import call

if TYPE_CHECKING:
    from simulate.model.accounts import Account
    from simulate.model.record import TicketLog
    from simulate.model.staff import Person


class Ticket:
    """One ticket, and the first-line work of answering it."""

    __slots__ = (
        "account", "created", "engineering", "escalated", "escalates", "first_response",
        "handle", "handoff", "log", "row",
    )
    kind = "ticket"

    def __init__(self, account: Account, now: float, draw: list[float], log: TicketLog):
        self.account = account
        self.created = now
        _, kind, self.handle, escalates, self.handoff, self.engineering = draw
        self.escalates = escalates > 0.5
        self.first_response = -1.0
        self.escalated = -1.0
        self.log = log
        self.row = log.add(now, account.segment.index, int(kind), self.handle, self.escalates,
                           account.id)

    def begin(self, person: Person) -> float:
        self.first_response = self.log.first_response[self.row] = person.env.now
        return person.hours_for("ticket", self.handle)

    def end(self, person: Person) -> None:
        world = self.account.world
        if self.escalates:
            self.escalated = self.log.escalated[self.row] = world.env.now
            world.escalate(self)
        else:
            resolve(self)


class Escalation:
    """A technical escalation worked inside the CS org by tech support."""

    __slots__ = ("ticket",)
    kind = "escalation"

    def __init__(self, ticket: Ticket):
        self.ticket = ticket

    def begin(self, person: Person) -> float:
        return person.hours_for("escalation", self.ticket.engineering)

    def end(self, person: Person) -> None:
        resolve(self.ticket)


def resolve(ticket: Ticket) -> None:
    """Close a ticket; the account's health moves by the service it got."""
    account = ticket.account
    world = account.world
    now = world.env.now
    ticket.log.resolved[ticket.row] = now
    world.ledger.ticket_closed()
    if account.live:
        params = account.params
        late = params.late_penalty(ticket.first_response - ticket.created, now - ticket.created)
        account.move(params.health.ticket_resolved - late, cs_work=True)


def to_engineering(ticket: Ticket) -> None:
    """R&D: waits the handoff, then its hours of effort; costed, not queued."""
    world = ticket.account.world
    world.record.engineering(ticket.escalated, ticket.engineering)
    call(world.env, ticket.handoff + ticket.engineering, resolve, ticket)
