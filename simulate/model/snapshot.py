"""The month-end snapshot of one world: the series monthly.csv is made of, and the live book
(account, segment, ACV) that cohort KPIs follow."""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

from simulate.domain.bands import BAND_NAMES
from simulate.domain.roles import ROLES
from simulate.model.health import band_of

if TYPE_CHECKING:
    from simulate.model.world import World


def snapshot(world: World, month: int, flows: dict[str, int]) -> dict[str, float]:
    """ARR and accounts (total and per segment), headcount and cost, health mix (whole book and
    per segment), queues; the live book goes to the record."""
    now = world.env.now
    params = world.params
    ledger = world.ledger
    segments = world.segments
    bounds = params.health.bounds
    mix = [[0] * len(BAND_NAMES) for _ in segments]
    seg_health = [0.0] * len(segments)
    seg_accounts = [0] * len(segments)
    seg_arr = [0.0] * len(segments)
    ids, segs, acvs = array("q"), array("i"), array("d")
    for account in world.accounts:
        if account.live:
            s = account.segment.index
            health = account.health()
            mix[s][band_of(health, bounds)] += 1
            seg_health[s] += health
            seg_accounts[s] += 1
            seg_arr[s] += account.acv
            ids.append(account.id)
            segs.append(s)
            acvs.append(account.acv)
    world.record.book(month, ids, segs, acvs)
    live = max(ledger.live, 1)
    row: dict[str, float] = {"month": month, "arr": ledger.arr, "accounts": ledger.live}
    for segment in segments:
        row[f"arr_{segment.name}"] = seg_arr[segment.index]
        row[f"accounts_{segment.name}"] = seg_accounts[segment.index]
    cost = 0.0
    for role in ROLES:
        count = world.team.headcount(role, now)
        row[f"headcount_{role}"] = count
        cost += count * params.roles[role].annual_cost / 12
    row["cost"] = cost
    for b, band in enumerate(BAND_NAMES):
        row[f"{band}_share"] = sum(m[b] for m in mix) / live
    for segment in segments:
        s, name = segment.index, segment.name
        n = seg_accounts[s]
        row[f"health_mean_{name}"] = seg_health[s] / n if n else float("nan")
        for b, band in enumerate(BAND_NAMES):
            row[f"{band}_share_{name}"] = mix[s][b] / n if n else float("nan")
    row["backlog"] = ledger.open_tickets
    row["tickets"] = flows["tickets"]
    for role in ROLES:
        row[f"queue_{role}"] = world.team.queued(role)
    return row
