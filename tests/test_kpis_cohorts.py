"""Cohort retention (logo churn, GRR, NRR) on hand-made month-end books, against numbers worked
out by hand: SaaS Capital's definitions (CALIBRATION.md, "Retention by ACV")."""

from __future__ import annotations

import pytest
from test_kpis_records import MID, SMB, book, record, scenario, window

from simulate.kpis.cohorts import cohort_months, grr, logo_churn, nrr


def test_a_closed_book_that_renews_at_80_percent_loses_20_percent_of_logos_and_arr():
    sc = scenario(1, 13)
    rec = record(sc)
    accounts = {k: (SMB, 1000.0) for k in range(100)}
    for month in range(1, 14):
        if month == 13:  # renewal at month 12.5: 20 accounts do not renew
            accounts = {k: v for k, v in accounts.items() if k >= 20}
        book(rec, month, accounts)
    w = window(rec, sc)
    assert logo_churn(w, None) == pytest.approx(0.20, abs=1e-12)
    assert grr(w, None) == pytest.approx(0.80, abs=1e-12)
    assert nrr(w, None) == pytest.approx(0.80, abs=1e-12)


def test_rolling_cohorts_pool_lost_over_cohort_sizes_and_cap_grr_at_the_starting_arr():
    """Two cohorts (months 1 → 13 and 2 → 14). A is lost in month 2, B in month 14; C arrives in
    month 5 and is in neither; D expands 100 → 150 and E contracts 100 → 60 by month 13."""
    sc = scenario(1, 14)
    rec = record(sc)
    a, b, c, d, e = 1, 2, 3, 4, 5
    others = {k: (SMB, 100.0) for k in range(10, 16)}
    for month in range(1, 15):
        live = dict(others)
        live[b] = (SMB, 100.0)
        live[d] = (SMB, 150.0 if month >= 13 else 100.0)
        live[e] = (SMB, 60.0 if month >= 13 else 100.0)
        if month == 1:
            live[a] = (SMB, 100.0)
        if month >= 5:
            live[c] = (SMB, 500.0)
        if month == 14:
            del live[b]
        book(rec, month, live)
    w = window(rec, sc)
    # Cohort 1: A B D E + 6 others = 10 accounts, 1000 ARR; 13 months on A is lost.
    # Cohort 2: B D E + 6 others = 9 accounts, 900 ARR; 12 months on B is lost.
    assert logo_churn(w, None) == pytest.approx(2 / 19)
    # Capped: cohort 1 keeps B 100, D 100 (of 150), E 60, others 600 = 860; cohort 2: 760.
    assert grr(w, None) == pytest.approx((860 + 760) / 1900)
    # Uncapped: cohort 1 910, cohort 2 810 — D's expansion counts, C (new) does not.
    assert nrr(w, None) == pytest.approx((910 + 810) / 1900)


def test_a_window_shorter_than_a_year_annualises_its_one_partial_cohort():
    sc = scenario(1, 7)  # six measured months
    rec = record(sc)
    accounts = {k: (SMB, 100.0) for k in range(50)}
    for month in range(1, 8):
        if month == 4:
            accounts = {k: v for k, v in accounts.items() if k >= 5}  # 10% lost in 6 months
        book(rec, month, accounts)
    w = window(rec, sc)
    assert logo_churn(w, None) == pytest.approx(1 - 0.9 ** 2)  # compounded over 12 ÷ 6 periods
    assert grr(w, None) == pytest.approx(0.9 ** 2)
    assert nrr(w, None) == pytest.approx(0.9 ** 2)


def test_each_segment_is_its_own_cohort():
    sc = scenario(1, 13)
    rec = record(sc)
    accounts = {**{k: (SMB, 100.0) for k in range(10)}, **{k: (MID, 1000.0) for k in range(10, 20)}}
    for month in range(1, 14):
        if month == 13:
            accounts = {k: v for k, v in accounts.items() if k not in (0, 1, 10)}
        book(rec, month, accounts)
    w = window(rec, sc)
    assert logo_churn(w, SMB) == pytest.approx(0.2)
    assert logo_churn(w, MID) == pytest.approx(0.1)
    assert logo_churn(w, None) == pytest.approx(3 / 20)
    assert grr(w, None) == pytest.approx((800 + 9000) / 11000)


def test_cohorts_start_at_month_ends_in_the_window_and_end_by_its_end():
    months = list(range(1, 37))
    hpm = 100.0
    whole, exponent = cohort_months(months, hpm, 3 * hpm, 36 * hpm)
    assert whole == [(m, m + 12) for m in range(3, 25)] and exponent == 1.0
    assert cohort_months(months, hpm, 3 * hpm, 15 * hpm) == ([(3, 15)], 1.0)  # a year: one cohort
    assert cohort_months(months, hpm, 27 * hpm, 36 * hpm) == ([(27, 36)], 12 / 9)  # partial year
    assert cohort_months(months, hpm, 35.5 * hpm, 36 * hpm) == ([], 1.0)  # one month end: none


def test_no_book_means_no_cohort_and_nan_not_zero():
    sc = scenario(1, 13)
    w = window(record(sc), sc)
    for kpi in (logo_churn, grr, nrr):
        value = kpi(w, None)
        assert value != value
