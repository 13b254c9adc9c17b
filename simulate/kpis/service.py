"""Service KPIs: tickets, escalations, time to live, touches, and how people spend their time.

Tickets count in the window they were created in; one still open at the horizon counts with its
age so far. Accounts count in the window they arrived in (time to live), touches in the window
they fell due in. docs/kpis.md gives each formula.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simulate.domain.work import PROACTIVE
from simulate.kpis.facts import NAN, Columns, Window


def pct(values: np.ndarray, q: float) -> float:
    return float(np.percentile(values, q)) if len(values) else NAN


def mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else NAN


def ratio(num: float, den: float) -> float:
    return num / den if den > 0 else NAN


def frt(w: Window, seg: int | None) -> np.ndarray:
    """First response (created → someone starts on it) of the window's tickets, hours."""
    return w.facts.frt[w.tickets(seg)]


def resolution(w: Window, seg: int | None) -> np.ndarray:
    """Created → resolved of the window's tickets, hours."""
    return w.facts.resolution[w.tickets(seg)]


def sla_met(w: Window, seg: int | None) -> float:
    values = frt(w, seg)
    return float((values <= w.facts.scenario.sla.first_response_hours).mean()) if len(values) else NAN


def escalation_p90(w: Window, seg: int | None) -> float:
    """90th percentile of escalated → resolved, over the window's tickets that escalated."""
    mask = w.tickets(seg) & (w.facts.escalated >= 0)
    return pct(w.facts.escalation[mask], 90)


# --- Time to live ------------------------------------------------------------------------------

def time_to_live_days(w: Window, seg: int | None) -> float:
    """Mean arrival → go-live of the accounts that arrived in the window, business days.

    Accounts still onboarding at the horizon, or lost before go-live, are right-censored there;
    the mean is that of the Kaplan–Meier estimate, restricted to the longest time observed."""
    facts = w.facts
    arrivals = facts.arrivals
    rows = w.rows(arrivals, seg)
    if not rows.any():
        return NAN
    ids, arrived = arrivals["account"][rows], arrivals["at"][rows]
    live = _first_time(facts.go_lives, "live", ids)
    lost = _first_time(facts.churns, "at", ids)
    went_live = np.isfinite(live)
    if not went_live.any():
        return NAN  # nobody went live: no event to estimate from
    done = live[went_live] - arrived[went_live]
    censored = np.minimum(lost[~went_live], facts.horizon) - arrived[~went_live]
    return restricted_mean(done, censored) / facts.hours_per_day


def _first_time(table: Columns, time: str, ids: np.ndarray) -> np.ndarray:
    """The table's `time` for each account id (inf where the account has no row)."""
    if table.size == 0:
        return np.full(len(ids), np.inf)
    order = np.argsort(table["account"], kind="stable")
    keys, times = table["account"][order], table[time][order]
    at = np.minimum(np.searchsorted(keys, ids), len(keys) - 1)
    return np.where(keys[at] == ids, times[at], np.inf)


def restricted_mean(done: np.ndarray, censored: np.ndarray) -> float:
    """The mean of the Kaplan–Meier estimate from event times `done` and right-censored times
    `censored`, restricted to the longest time observed (the plain mean when none is censored)."""
    if len(censored) == 0:
        return float(done.mean())
    from scipy import stats  # slow to import; most runs reach here once per process

    sf = stats.ecdf(stats.CensoredData(uncensored=done, right=censored)).sf
    times, survival = sf.quantiles, sf.probabilities
    # S(t) = 1 before the first time and survival[i] on [times[i], times[i + 1]); the last time
    # is the longest observed, so the area stops there.
    return float(times[0] + np.sum(survival[:-1] * np.diff(times)))


# --- Touches --------------------------------------------------------------------------------

def touches_on_time(w: Window, seg: int | None = None) -> float:
    """Share of the touches that fell due in the window done within their segment's grace.

    A touch not done by the horizon counts as late once its grace has run out there, and is
    left out while it has not."""
    facts = w.facts
    touches = facts.touches
    rows = w.rows(touches, seg, "due")
    due, done = touches["due"][rows], touches["done"][rows]
    grace = facts.grace[touches["segment"][rows].astype(int)]
    finished = done >= 0
    on_time = finished & (done - due <= grace)
    late = (finished & ~on_time) | (~finished & (facts.horizon - due > grace))
    return ratio(float(on_time.sum()), float(on_time.sum() + late.sum()))


# --- People's time ------------------------------------------------------------------------------

def _busy(w: Window, role: str, kinds: tuple[str, ...] | None = None) -> float:
    return sum(sum(v for k, v in p.busy.items() if kinds is None or k in kinds)
               for p in w.facts.record.staff if p.role == role)


def csm_proactive_share(w: Window, seg: int | None = None) -> float:
    """CSM hours on onboarding, touches, interventions and renewals ÷ all CSM working hours.
    The record keeps hours for the whole measured period only: other windows get NaN."""
    if not w.is_all:
        return NAN
    return ratio(_busy(w, "csm", PROACTIVE), _busy(w, "csm"))


def utilization(role: str) -> Callable[[Window, int | None], float]:
    def compute(w: Window, seg: int | None = None) -> float:
        """Busy ÷ productive hours of the role (whole measured period only, as hours are kept)."""
        if not w.is_all:
            return NAN
        productive = sum(p.productive_hours for p in w.facts.record.staff if p.role == role and p.queued)
        return ratio(_busy(w, role), productive)

    return compute
