"""Conservation laws and invariants every replication must satisfy.

Each check is a row: a name and a function from (record, scenario) to a list of violations.
The runner checks every replication, so an engine bug stops a run instead of skewing it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from simulate.domain.bands import BAND_NAMES
from simulate.domain.roles import ROLES
from simulate.kpis.money import employed_hours
from simulate.model.health import band_of
from simulate.model.record import BookSnapshot, Record
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


def cost_is_headcount_hours_times_rate(record: Record, scenario: Scenario) -> list[str]:
    """The monthly series and the payroll agree: each month end's headcount by role is the staff
    hired before it; each month's cost is that headcount × annual cost ÷ 12; and the months'
    cost adds up to every person's employed hours × hourly rate (the payroll behind cs_cost),
    counted from the start of the month they were hired in, as a month-end headcount counts them."""
    if not record.monthly:
        return []
    hpm = scenario.hours_per_month
    problems = []
    for month in record.monthly:
        end = month["month"] * hpm
        cost = 0.0
        for role in ROLES:
            hired = sum(1 for p in record.staff if p.role == role and p.hired < end < p.left + 1e-9)
            if month[f"headcount_{role}"] != hired:
                problems.append(f"month {month['month']}: {month[f'headcount_{role}']} {role} in the "
                                f"series, {hired} hired before the month end and still there")
            cost += month[f"headcount_{role}"] * scenario.roles[role].annual_cost / 12
        if not _close(month["cost"], cost):
            problems.append(f"month {month['month']}: cost {month['cost']:.2f} but headcount × rate "
                            f"gives {cost:.2f}")
    last = record.monthly[-1]["month"] * hpm
    series = sum(m["cost"] for m in record.monthly)
    paid = sum(scenario.roles[p.role].annual_cost / scenario.hours_per_year
               * (employed_hours(p, 0.0, last) + _before_hire_in_month(p.hired, hpm, last)
                  - _after_last_month_end(p.left, hpm, last))
               for p in record.staff)
    if not _close(series, paid):
        problems.append(f"cost: the months add up to {series:.2f} but employed hours × rate "
                        f"give {paid:.2f}")
    return problems


def _after_last_month_end(left: float, hours_per_month: float, last: float) -> float:
    """Hours a leaver worked after the last month end that counted them (none if they stayed)."""
    if left >= last:
        return 0.0
    return left - math.floor(left / hours_per_month + 1e-12) * hours_per_month


def _before_hire_in_month(hired: float, hours_per_month: float, last: float) -> float:
    """Hours of the month a person was hired in before their start: the first month end after
    the hire counts them for its whole month (none if hired at or after the last month end)."""
    if hired >= last:
        return 0.0
    first = math.floor(hired / hours_per_month) + 1  # the first month end with month × hpm > hired
    while first * hours_per_month <= hired:
        first += 1
    while first > 1 and (first - 1) * hours_per_month > hired:
        first -= 1
    return hired - (first - 1) * hours_per_month


def health_mix_matches_the_book(record: Record, scenario: Scenario) -> list[str]:
    """Each month's health mix per segment is a mix of whole accounts that sums to 1, the
    segments' mixes add up to the whole book's, and the segments' accounts and ARR agree with
    the month-end book; at the horizon, the live accounts' health bands agree with the last
    month's mix."""
    segments = list(scenario.segments)
    books = {b.month: b for b in record.books}
    problems: list[str] = []
    for month in record.monthly:
        problems += _month_mix(month, segments, books.get(int(month["month"])))
    if record.monthly and abs(record.monthly[-1]["month"] * scenario.hours_per_month
                              - record.horizon) < 1e-6:
        bounds = scenario.health.bands.as_tuple()
        last = record.monthly[-1]
        for s, name in enumerate(segments):
            final = [band_of(r.health, bounds) for r in record.final if r.segment == s]
            for b, band in enumerate(BAND_NAMES):
                share = last[f"{band}_share_{name}"]
                counted = round(share * last[f"accounts_{name}"]) if final else 0
                if counted != final.count(b):
                    problems.append(f"{name}: {final.count(b)} live accounts {band} at the horizon, "
                                    f"the last month says {counted}")
    return problems


def _month_mix(month: dict[str, float], segments: list[str], book: BookSnapshot | None) -> list[str]:
    problems = []
    label = f"month {month['month']}"
    whole = [0.0] * len(BAND_NAMES)
    for name in segments:
        n = month[f"accounts_{name}"]
        shares = [month[f"{band}_share_{name}"] for band in BAND_NAMES]
        if n == 0:
            continue
        counts = [share * n for share in shares]
        if not math.isclose(sum(shares), 1.0, abs_tol=1e-9):
            problems.append(f"{label}: {name}'s health mix sums to {sum(shares)}")
        if any(abs(c - round(c)) > 1e-6 for c in counts):
            problems.append(f"{label}: {name}'s health mix is not of whole accounts ({n:g})")
        whole = [w + c for w, c in zip(whole, counts, strict=True)]
    accounts = month["accounts"]
    for b, band in enumerate(BAND_NAMES):
        if accounts and abs(month[f"{band}_share"] * accounts - whole[b]) > 1e-6:
            problems.append(f"{label}: {band} in the whole book is not the segments' sum")
    if book is not None:
        seg = np.frombuffer(book.segment, dtype=np.int32) if len(book.segment) else np.zeros(0, np.int32)
        acv = np.frombuffer(book.acv, dtype=float) if len(book.acv) else np.zeros(0)
        for s, name in enumerate(segments):
            mine = seg == s
            if int(mine.sum()) != month[f"accounts_{name}"]:
                problems.append(f"{label}: {month[f'accounts_{name}']:g} {name} accounts, the book "
                                f"holds {int(mine.sum())}")
            if not _close(float(acv[mine].sum()), month[f"arr_{name}"]):
                problems.append(f"{label}: {name} ARR {month[f'arr_{name}']:.2f}, the book holds "
                                f"{float(acv[mine].sum()):.2f}")
    return problems


CHECKS: tuple[tuple[str, Callable[[Record, Scenario], list[str]]], ...] = (
    ("accounts arrived = live + churned", accounts_conserved),
    ("ARR end = start + new + expansion − lost", arr_conserved),
    ("tickets created = resolved + open", tickets_conserved),
    ("busy hours ≤ productive hours", busy_within_productive),
    ("cost = headcount-hours × rate", cost_is_headcount_hours_times_rate),
    ("health mix = the live book's", health_mix_matches_the_book),
)


def violations(record: Record, scenario: Scenario) -> list[str]:
    """Every broken invariant of one replication, as readable lines."""
    return [f"{name}: {problem}" for name, check in CHECKS for problem in check(record, scenario)]


class InvariantBroken(RuntimeError):
    """The engine broke a conservation law: a bug, never a property of the input."""
