"""Conservation laws and invariants every replication must satisfy.

Each check is a row: a name and a function from (record, scenario) to a list of violations.
The runner checks every replication, so an engine bug stops a run instead of skewing it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from simulate.domain.bands import BAND_NAMES
from simulate.model.record import Record
from simulate.scenario.schema import Scenario

TOLERANCE = 1e-6  # relative, for sums of money


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=1e-6)


def accounts_conserved(record: Record, scenario: Scenario) -> list[str]:
    """Accounts that ever existed = live at the horizon + churned."""
    existed = record.accounts_initial + len(record.arrivals)
    gone = len(record.churns)
    if existed != record.accounts_end + gone:
        return [f"accounts: {existed} arrived but {record.accounts_end} live + {gone} churned"]
    return []


def arr_conserved(record: Record, scenario: Scenario) -> list[str]:
    """ARR at the end = initial + new + expansion − lost."""
    new = sum(r.acv for r in record.arrivals)
    expansion = sum(r.expansion for r in record.renewals) + sum(r.amount for r in record.expansions)
    lost = sum(r.acv for r in record.churns)
    expected = record.arr_initial + new + expansion - lost
    held = sum(r.acv for r in record.final)
    problems = []
    if not _close(record.arr_end, expected):
        problems.append(f"ARR: {record.arr_end:.2f} at the end but flows give {expected:.2f}")
    if not _close(record.arr_end, held):
        problems.append(f"ARR: {record.arr_end:.2f} at the end but live accounts hold {held:.2f}")
    return problems


def tickets_conserved(record: Record, scenario: Scenario) -> list[str]:
    """Tickets created = resolved + open, and the open count agrees with the backlog."""
    log = record.tickets
    resolved = np.frombuffer(log.resolved, dtype=float) if len(log) else np.zeros(0)
    open_at_end = int((resolved < 0).sum())
    backlog = record.monthly[-1]["backlog"] if record.monthly else open_at_end
    problems = []
    if open_at_end != backlog:
        problems.append(f"tickets: {open_at_end} open in the log, backlog says {backlog}")
    created = np.frombuffer(log.created, dtype=float) if len(log) else np.zeros(0)
    first = np.frombuffer(log.first_response, dtype=float) if len(log) else np.zeros(0)
    answered = first >= 0
    if (first[answered] < created[answered]).any() or ((resolved >= 0) & ~answered).any():
        problems.append("tickets: a response before creation, or a resolution before a response")
    return problems


def busy_within_productive(record: Record, scenario: Scenario) -> list[str]:
    """Nobody is busy for longer than they were at work and not away (one job's slack)."""
    problems = []
    for person in record.staff:
        if not person.queued:
            continue
        busy = sum(person.busy.values())
        productive = person.productive_hours
        if busy > productive + 2 * scenario.calendar.hours_per_day:
            problems.append(f"{person.role} {person.index}: busy {busy:.1f} h > productive "
                            f"{productive:.1f} h")
    return problems


def health_in_range(record: Record, scenario: Scenario) -> list[str]:
    """Health scores stay within 0–100; the health mix of each month sums to 1."""
    problems = [f"health {r.health} out of 0–100" for r in record.final if not 0.0 <= r.health <= 100.0]
    for month in record.monthly:
        total = sum(month[f"{b}_share"] for b in BAND_NAMES)
        if month["accounts"] and not math.isclose(total, 1.0, abs_tol=1e-9):
            problems.append(f"month {month['month']}: health mix sums to {total}")
    return problems


CHECKS: tuple[tuple[str, Callable[[Record, Scenario], list[str]]], ...] = (
    ("accounts arrived = live + churned", accounts_conserved),
    ("ARR end = start + new + expansion − lost", arr_conserved),
    ("tickets created = resolved + open", tickets_conserved),
    ("busy hours ≤ productive hours", busy_within_productive),
    ("health within 0–100", health_in_range),
)


def violations(record: Record, scenario: Scenario) -> list[str]:
    """Every broken invariant of one replication, as readable lines."""
    return [f"{name}: {problem}" for name, check in CHECKS for problem in check(record, scenario)]


class InvariantBroken(RuntimeError):
    """The engine broke a conservation law: a bug, never a property of the input."""
