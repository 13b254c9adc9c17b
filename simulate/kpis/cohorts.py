"""Cohort retention as SaaS Capital defines it: the accounts live at a month end, followed 12
months on through the month-end books (record.books).

logo churn = lost ÷ cohort; GRR = ARR 12 months later, each account capped at its starting ARR,
÷ starting ARR; NRR = the same uncapped (the cohort's own expansion, no new accounts). Over a
window, every cohort that starts at a month end in it and ends by its end is pooled (sums over
sums); a window shorter than 12 months has one partial cohort, annualised (docs/kpis.md).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from simulate.kpis.facts import EPS, NAN, YEAR_MONTHS, Facts, Window
from simulate.model.record import Record


class Books:
    """The month-end books, each sorted by account id, so an account can be found later."""

    def __init__(self, record: Record):
        self.by_month: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for book in record.books:
            n = len(book.account)
            ids = np.frombuffer(book.account, dtype=np.int64) if n else np.zeros(0, np.int64)
            seg = np.frombuffer(book.segment, dtype=np.int32) if n else np.zeros(0, np.int32)
            acv = np.frombuffer(book.acv, dtype=float) if n else np.zeros(0)
            order = np.argsort(ids, kind="stable")
            self.by_month[book.month] = (ids[order], seg[order], acv[order])

    def follow(self, m0: int, m1: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The book at month m0: (segment, ACV then, ACV at m1 or 0, still live at m1)."""
        ids0, seg0, acv0 = self.by_month[m0]
        ids1, _, acv1 = self.by_month[m1]
        at = np.minimum(np.searchsorted(ids1, ids0), max(len(ids1) - 1, 0))
        kept = ids1[at] == ids0 if len(ids1) else np.zeros(len(ids0), bool)
        later = np.where(kept, acv1[at] if len(ids1) else 0.0, 0.0)
        return seg0, acv0, later, kept


class Cohorts(NamedTuple):
    """Every cohort of one window, concatenated: one entry per account per cohort."""

    segment: np.ndarray
    start: np.ndarray  # ARR at the cohort's start
    later: np.ndarray  # ARR at its end (0 if lost)
    kept: np.ndarray  # still live at its end
    exponent: float  # 12 ÷ the cohort's months: 1 for full cohorts


def cohort_months(months: list[int], hours_per_month: float, start: float,
                  end: float) -> tuple[list[tuple[int, int]], float]:
    """(start month, end month) of each cohort of the window, and the annualising exponent.

    Full cohorts start at a month end in the window and end 12 months later by its end; with
    none, one partial cohort runs from the first to the last month end in the window."""
    inside = [m for m in months if start - EPS <= m * hours_per_month <= end + EPS]
    have = set(months)
    full = [(m, m + YEAR_MONTHS) for m in inside
            if m + YEAR_MONTHS in have and (m + YEAR_MONTHS) * hours_per_month <= end + EPS]
    if full:
        return full, 1.0
    if len(inside) >= 2:
        first, last = inside[0], inside[-1]
        return [(first, last)], YEAR_MONTHS / (last - first)
    return [], 1.0


def _books(facts: Facts) -> Books:
    """The replication's books, sorted once and shared by every window."""
    if "books" not in facts.cache:
        facts.cache["books"] = Books(facts.record)
    return facts.cache["books"]


def cohorts(w: Window) -> Cohorts | None:
    """The window's cohorts (cached), or None if it holds no two month-end books."""
    if "cohorts" not in w.cache:
        facts = w.facts
        books = _books(facts)
        pairs, exponent = cohort_months(sorted(books.by_month), facts.hours_per_month, w.start, w.end)
        parts = [books.follow(m0, m1) for m0, m1 in pairs]
        w.cache["cohorts"] = Cohorts(*(np.concatenate(c) for c in zip(*parts, strict=True)),
                                     exponent) if parts else None
    return w.cache["cohorts"]


def _of(w: Window, seg: int | None) -> tuple[Cohorts, np.ndarray] | None:
    found = cohorts(w)
    if found is None:
        return None
    mask = np.ones(len(found.segment), bool) if seg is None else found.segment == seg
    return (found, mask) if mask.any() else None


def _annual(retained: float, exponent: float) -> float:
    """A retention ratio over the cohort's months, as one over 12 months (compounded)."""
    return retained if exponent == 1.0 else retained ** exponent


def logo_churn(w: Window, seg: int | None) -> float:
    """Accounts of the cohorts lost within 12 months ÷ the cohorts' accounts."""
    found = _of(w, seg)
    if found is None:
        return NAN
    c, mask = found
    lost = float((~c.kept[mask]).sum()) / float(mask.sum())
    return lost if c.exponent == 1.0 else 1.0 - _annual(1.0 - lost, c.exponent)


def grr(w: Window, seg: int | None) -> float:
    """The cohorts' ARR 12 months on, each account capped at its start, ÷ their starting ARR."""
    found = _of(w, seg)
    if found is None:
        return NAN
    c, mask = found
    start = float(c.start[mask].sum())
    capped = float(np.minimum(c.later[mask], c.start[mask]).sum())
    return _annual(capped / start, c.exponent) if start > 0 else NAN


def nrr(w: Window, seg: int | None) -> float:
    """The cohorts' ARR 12 months on (their own expansion included) ÷ their starting ARR."""
    found = _of(w, seg)
    if found is None:
        return NAN
    c, mask = found
    start = float(c.start[mask].sum())
    return _annual(float(c.later[mask].sum()) / start, c.exponent) if start > 0 else NAN
