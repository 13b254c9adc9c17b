"""The month-end snapshot of one world: the series monthly.csv is made of."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulate.domain.bands import BAND_NAMES
from simulate.domain.roles import ROLES
from simulate.model.health import band_of

if TYPE_CHECKING:
    from simulate.model.world import World


def snapshot(world: World, month: int, flows: dict[str, int]) -> dict[str, float]:
    """ARR and accounts (total and per segment), headcount and cost, health mix, queues."""
    now = world.env.now
    params = world.params
    ledger = world.ledger
    mix = [0] * len(BAND_NAMES)
    bounds = params.health.bounds
    seg_accounts = [0] * len(world.segments)
    seg_arr = [0.0] * len(world.segments)
    for account in world.accounts:
        if account.live:
            mix[band_of(account.health(), bounds)] += 1
            seg_accounts[account.segment.index] += 1
            seg_arr[account.segment.index] += account.acv
    live = max(ledger.live, 1)
    row: dict[str, float] = {"month": month, "arr": ledger.arr, "accounts": ledger.live}
    for segment in world.segments:
        row[f"arr_{segment.name}"] = seg_arr[segment.index]
        row[f"accounts_{segment.name}"] = seg_accounts[segment.index]
    cost = 0.0
    for role in ROLES:
        count = world.team.headcount(role, now)
        row[f"headcount_{role}"] = count
        cost += count * params.roles[role].annual_cost / 12
    row["cost"] = cost
    for band, count in zip(BAND_NAMES, mix, strict=True):
        row[f"{band}_share"] = count / live
    row["backlog"] = ledger.open_tickets
    row["tickets"] = flows["tickets"]
    for role in ROLES:
        row[f"queue_{role}"] = world.team.queued(role)
    return row
