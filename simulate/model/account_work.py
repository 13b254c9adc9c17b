"""The work a CSM does for an account in their book: routine touches pulled from the book,
early-warning interventions, and renewal preparation. Each is a `Work` item (simulate.model.staff)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulate.model.accounts import Account
    from simulate.model.staff import Person


class Intervention:
    """An early-warning touch: priority above routine touches."""

    __slots__ = ("account",)
    kind = "intervention"

    def __init__(self, account: Account):
        self.account = account

    def begin(self, person: Person) -> float | None:
        if not self.account.live:
            self.account.intervention_pending = False
            return None
        return person.hours_for("intervention", self.account.segment.touch_hours)

    def end(self, person: Person) -> None:
        self.account.intervention_pending = False
        if self.account.live:
            self.account.touched()


class Touch:
    """A routine touch the CSM pulled from their book."""

    __slots__ = ("account",)
    kind = "touch"

    def __init__(self, account: Account):
        self.account = account

    def begin(self, person: Person) -> float:
        return person.hours_for("touch", self.account.segment.touch_hours)

    def end(self, person: Person) -> None:
        if self.account.live:
            self.account.touched()


class RenewalWork:
    """The renewal owner's preparation, due `renewal.lead_days` before the date. It is worked in
    blocks of at most `renewal.work_block_hours`, back in the queue between blocks, so that the
    tickets that came in meanwhile are answered first."""

    __slots__ = ("account", "left", "piece", "version")
    kind = "renewal"

    def __init__(self, account: Account, version: int):
        self.account = account
        self.version = version
        self.left = account.segment.renewal_hours  # a specialist's hours still to do
        self.piece = 0.0

    def begin(self, person: Person) -> float | None:
        account = self.account
        if not account.live or account.renewal_version != self.version:
            return None
        self.piece = min(self.left, account.params.renewal_block)
        return person.hours_for("renewal", self.piece)

    def end(self, person: Person) -> None:
        account = self.account
        if account.renewal_version != self.version:
            return
        self.left -= self.piece
        if self.left > 1e-9 and account.live and account.csm is not None:
            account.world.route.renewal(self)  # the next block, wherever the design sends it
        else:
            account.renewal_worked = True
