"""The month-end snapshot of one world: the series monthly.csv is made of."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulate.model.health import BAND_NAMES, band_of
from simulate.scenario.schema import ROLES

if TYPE_CHECKING:
    from simulate.model.world import World


def snapshot(world: World, month: int, flows: dict[str, int]) -> dict[str, float]:
    """ARR and accounts (total and per segment), headcount and cost, health mix, queues."""
    now = world.env.now
    mix = [0, 0, 0, 0]
    bounds = world.rules.bounds
    seg_accounts = [0] * len(world.segments)
    seg_arr = [0.0] * len(world.segments)
    for account in world.accounts:
        if account.live:
            mix[band_of(account.health(), bounds)] += 1
            seg_accounts[account.segment.index] += 1
            seg_arr[account.segment.index] += account.acv
    live = max(world.live, 1)
    row: dict[str, float] = {"month": month, "arr": world.arr, "accounts": world.live}
    for segment in world.segments:
        row[f"arr_{segment.name}"] = seg_arr[segment.index]
        row[f"accounts_{segment.name}"] = seg_accounts[segment.index]
    cost = 0.0
    for role in ROLES:
        count = sum(1 for p in world.people[role] if p.hired <= now)
        row[f"headcount_{role}"] = count
        cost += count * world.scenario.roles[role].annual_cost / 12
    row["cost"] = cost
    for band, count in zip(BAND_NAMES, mix, strict=True):
        row[f"{band}_share"] = count / live
    row["backlog"] = world.open_tickets
    row["tickets"] = flows["tickets"]
    for role in ROLES:
        queues = {id(q): q for p in world.people[role] for q in p.queues}
        row[f"queue_{role}"] = sum(len(q.heap) for q in queues.values())
    return row

