"""Money and the book: staff cost (fixed pay, plus variable pay from simulate.kpis.pay),
per-renewal rates, flows per year, and the book at a window's end. docs/kpis.md gives each
formula and its source."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simulate.kpis.facts import NAN, Window
from simulate.kpis.pay import (
    employed_hours,
    sales_commission,
    sales_renewal_cost,
    variable_pay,
)
from simulate.kpis.service import ratio
from simulate.model.health import band_of
from simulate.model.record import CHURN_OPT_OUT, FinalAccount, Record
from simulate.model.streams import ORIGIN_REFERRED
from simulate.scenario.schema import Scenario


def payroll(record: Record, scenario: Scenario, start: float, end: float) -> float:
    """Staff cost of [start, end): each person's employed hours × their hourly rate."""
    hpy = scenario.hours_per_year
    return sum(scenario.roles[p.role].annual_cost / hpy * employed_hours(p, start, end)
               for p in record.staff)


def cs_cost(w: Window, seg: int | None = None) -> float:
    """CS staff cost per year of the window: fixed pay, and variable pay where compensation is set."""
    return w.per_year(payroll(w.facts.record, w.facts.scenario, w.start, w.end)) + variable_pay(w)


def engineering_hours(w: Window) -> float:
    """R&D hours on escalations handed over in the window. The record keeps the measured
    period's total only, so a shorter window gets its share by count of escalations."""
    facts = w.facts
    total = facts.record.engineering_hours
    if w.is_all or total == 0.0:
        return total
    escalated = facts.escalated[facts.escalated >= facts.w0]
    return total * ratio(float(w.during(escalated).sum()), float(len(escalated)))


def total_cost(w: Window, seg: int | None = None) -> float:
    """CS staff cost + engineering hours on CS escalations at their hourly cost, + sales' renewal
    hours and commissions where compensation is set, per year."""
    engineering = engineering_hours(w) * w.facts.scenario.engineering.hourly_cost
    return cs_cost(w) + w.per_year(engineering) + sales_commission(w) + sales_renewal_cost(w)


def cost_to_arr(w: Window, seg: int | None = None) -> float:
    return ratio(cs_cost(w), w.mean_series("arr"))


# --- Per-renewal rates (seed 002's CSM KPIs) -----------------------------------------------------

def _renewals(w: Window, seg: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The window's renewals (ACV due, renewed, expansion at renewal) and its opt-outs' ACV."""
    facts = w.facts
    rows = w.rows(facts.renewals, seg)
    churns = w.rows(facts.churns, seg) & (facts.churns["cause"] == CHURN_OPT_OUT)
    return (facts.renewals["acv_due"][rows], facts.renewals["renewed"][rows] > 0,
            facts.renewals["expansion"][rows], facts.churns["acv"][churns])


def logo_renewal_rate(w: Window, seg: int | None) -> float:
    """Renewals that renewed ÷ renewals due; an opt-out is due and not renewed."""
    _, renewed, _, opt_outs = _renewals(w, seg)
    return ratio(float(renewed.sum()), float(len(renewed) + len(opt_outs)))


def dollar_renewal_rate(w: Window, seg: int | None) -> float:
    """(ARR renewed + expansion ARR at renewal) ÷ ARR due; a lost account stays in the denominator."""
    due, renewed, expansion, opt_outs = _renewals(w, seg)
    return ratio(float(due[renewed].sum() + expansion.sum()), float(due.sum() + opt_outs.sum()))


# --- Flows per year ------------------------------------------------------------------------------

def expansion_arr(w: Window, seg: int | None = None) -> float:
    """ARR added per year: at renewal and by CS-qualified leads that converted."""
    facts = w.facts
    changes = facts.renewals["expansion"][w.rows(facts.renewals, seg)]
    at_renewal = changes.clip(min=0).sum()  # down-sells are not expansion
    by_leads = facts.expansions["amount"][w.rows(facts.expansions, seg)].sum()
    return w.per_year(float(at_renewal + by_leads))


def rescues(kind: int) -> Callable[[Window, int | None], float]:
    def compute(w: Window, seg: int | None = None) -> float:
        """Wins or saves per year (band changes that held)."""
        rows = w.rows(w.facts.rescues, seg) & (w.facts.rescues["kind"] == kind)
        return w.per_year(float(rows.sum()))

    return compute


def saved_arr_renewed(w: Window, seg: int | None = None) -> float:
    """ACV renewed per year by accounts saved or won during the term that renewed."""
    renewals = w.facts.renewals
    rows = w.rows(renewals, seg) & (renewals["renewed"] > 0) & (renewals["rescued"] > 0)
    return w.per_year(float(renewals["acv_due"][rows].sum()))


def referral_accounts(w: Window, seg: int | None = None) -> float:
    arrivals = w.facts.arrivals
    rows = w.rows(arrivals, seg) & (arrivals["origin"] == ORIGIN_REFERRED)
    return w.per_year(float(rows.sum()))


# --- The book at the window's end ----------------------------------------------------------------

def _final(w: Window, seg: int | None) -> list[FinalAccount]:
    return [r for r in w.facts.record.final if seg is None or r.segment == seg]


def _book_at_end(w: Window, seg: int | None) -> np.ndarray | None:
    """ACVs of the live book at the month end closing the window (None if not recorded)."""
    month = w.end_month()
    book = next((b for b in w.facts.record.books if b.month == month), None)
    if book is None:
        return None
    acv = np.frombuffer(book.acv, dtype=float) if len(book.acv) else np.zeros(0)
    if seg is None:
        return acv
    return acv[np.frombuffer(book.segment, dtype=np.int32) == seg] if len(acv) else acv


def arr_end(w: Window, seg: int | None) -> float:
    if w.at_horizon:
        return w.facts.record.arr_end if seg is None else sum(r.acv for r in _final(w, seg))
    acv = _book_at_end(w, seg)
    return float(acv.sum()) if acv is not None else NAN


def accounts_end(w: Window, seg: int | None) -> float:
    if w.at_horizon:
        return w.facts.record.accounts_end if seg is None else len(_final(w, seg))
    acv = _book_at_end(w, seg)
    return float(len(acv)) if acv is not None else NAN


def band_share(band: int, name: str) -> Callable[[Window, int | None], float]:
    def compute(w: Window, seg: int | None) -> float:
        """Share of the live accounts in the band at the window's end."""
        if w.at_horizon:
            scores = [r.health for r in _final(w, seg)]
            bounds = w.facts.scenario.health.bands.as_tuple()
            return ratio(sum(1 for s in scores if band_of(s, bounds) == band), len(scores))
        key = f"{name}_share" if seg is None else f"{name}_share_{w.facts.segments[seg]}"
        month = w.end_month()
        row = next((m for m in w.facts.record.monthly if m["month"] == month), None)
        return float(row.get(key, NAN)) if row is not None else NAN

    return compute
