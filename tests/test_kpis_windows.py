"""Windows ("all", "year1", …) and the KPIs that depend on them: boundaries, the book and costs at
a window's end and per year of it, per-renewal rates; on hand-made records."""

from __future__ import annotations

import copy

import pytest
from test_kpis_records import MID, SMB, book, record, scenario, window

from simulate.consistency import parse
from simulate.designs import compared
from simulate.kpis import BY_NAME, measure, measure_windows, windows
from simulate.model import simulate
from simulate.model.record import CHURN_OPT_OUT, CHURN_RENEWAL, Staff

from conftest import TINY


def _months(found: list[tuple[str, float, float]], hpm: float) -> list[tuple[str, float, float]]:
    return [(name, round(start / hpm, 6), round(end / hpm, 6)) for name, start, end in found]


@pytest.mark.parametrize(("horizon", "expected"), [
    (36, [("all", 3, 36), ("year1", 3, 15), ("year2", 15, 27), ("year3", 27, 36)]),  # 9 ≥ 6
    (33, [("all", 3, 33), ("year1", 3, 15), ("year2", 15, 27), ("year3", 27, 33)]),  # 6: kept
    (32, [("all", 3, 32), ("year1", 3, 15), ("year2", 15, 27)]),  # 5 months left: dropped
    (27, [("all", 3, 27), ("year1", 3, 15), ("year2", 15, 27)]),  # whole years only
    (8, [("all", 3, 8)]),  # five measured months: no year
    (9, [("all", 3, 9), ("year1", 3, 9)]),  # six: one partial year
])
def test_windows_are_the_whole_period_then_each_year_after_warm_up(horizon: int, expected: list):
    sc = scenario(3, horizon)
    rec = record(sc)
    assert _months(windows(rec, sc), sc.hours_per_month) == expected
    book(rec, horizon, {})  # without the scenario a month is read off the last month-end book
    assert _months(windows(rec), sc.hours_per_month) == expected


def test_measure_is_the_all_window_of_measure_windows():
    scenario_ = parse(copy.deepcopy(TINY), "tiny")
    design = next(d for d in compared(scenario_) if d.name == "refined")
    rec = simulate(scenario_, design, 2)
    whole = measure(rec, scenario_)
    every = measure_windows(rec, scenario_)
    assert {(s, k): v for (s, w, k), v in every.items() if w == "all"}.keys() == whole.keys()
    for (segment, kpi), value in whole.items():
        other = every[(segment, "all", kpi)]
        assert value == other or (value != value and other != other), (segment, kpi)


def test_the_book_is_read_at_the_end_of_each_window():
    sc = scenario(1, 25)
    rec = record(sc)
    for month in range(1, 26):
        accounts = {k: (SMB if k < 5 else MID, 100.0 + month) for k in range(month)}
        book(rec, month, accounts)
        rec.month({"month": month, "green_share": month / 100, "green_share_smb": 0.5})
    year1 = window(rec, sc, 1, 13)
    assert BY_NAME["accounts_end"].compute(year1, None) == 13  # the book at month 13
    assert BY_NAME["accounts_end"].compute(year1, MID) == 8
    assert BY_NAME["arr_end"].compute(year1, SMB) == pytest.approx(5 * 113.0)
    assert BY_NAME["green_share"].compute(year1, None) == pytest.approx(0.13)
    assert BY_NAME["green_share"].compute(year1, SMB) == pytest.approx(0.5)


def test_cost_is_per_year_of_the_window_and_counts_only_time_employed_in_it():
    sc = scenario(1, 25)
    rec = record(sc)
    hpm = sc.hours_per_month
    csm = sc.roles["csm"].annual_cost
    rec.staff = [Staff("csm", 0, 0.0, rec.horizon, True, {}, 0.0, 0),
                 Staff("csm", 1, 19 * hpm, rec.horizon, True, {}, 0.0, 0)]  # hired half-way through year 2
    assert BY_NAME["cs_cost"].compute(window(rec, sc, 1, 13), None) == pytest.approx(csm)
    assert BY_NAME["cs_cost"].compute(window(rec, sc, 13, 25), None) == pytest.approx(1.5 * csm)
    assert BY_NAME["cs_cost"].compute(window(rec, sc), None) == pytest.approx(1.25 * csm)


def test_engineering_hours_go_to_a_window_by_its_share_of_escalations():
    sc = scenario(1, 25)
    rec = record(sc)
    hpm = sc.hours_per_month
    for at in (2 * hpm, 14 * hpm, 15 * hpm, 16 * hpm):
        row = rec.tickets.add(at - 1.0, SMB, 2, 1.0, True, 0)
        rec.tickets.escalated[row] = at
    rec.engineering_hours = 100.0
    rate = sc.engineering.hourly_cost
    assert BY_NAME["total_cost"].compute(window(rec, sc), None) == pytest.approx(100 * rate / 2)
    assert BY_NAME["total_cost"].compute(window(rec, sc, 1, 13), None) == pytest.approx(25 * rate)
    assert BY_NAME["total_cost"].compute(window(rec, sc, 13, 25), None) == pytest.approx(75 * rate)


def test_renewal_rates_count_each_renewal_due_and_opt_outs_as_not_renewed():
    sc = scenario(1, 13)
    rec = record(sc)
    t = rec.window_start + 10.0
    rec.renewal(t, SMB, 100.0, True, 20.0, False, 1)  # renewed and expanded
    rec.renewal(t, SMB, 300.0, True, 0.0, False, 2)
    rec.renewal(t, SMB, 200.0, False, 0.0, False, 3)  # lost at renewal
    rec.churn(t, SMB, 200.0, CHURN_RENEWAL, 3)
    rec.churn(t, SMB, 400.0, CHURN_OPT_OUT, 4)  # opted out: due, not renewed
    rec.renewal(rec.window_start - 1.0, SMB, 999.0, False, 0.0, False, 5)  # in warm-up
    w = window(rec, sc)
    assert BY_NAME["logo_renewal_rate"].compute(w, None) == pytest.approx(2 / 4)
    assert BY_NAME["dollar_renewal_rate"].compute(w, None) == pytest.approx((400 + 20) / 1000)
    assert BY_NAME["dollar_renewal_rate"].compute(w, MID) != BY_NAME["dollar_renewal_rate"].compute(w, MID)


def test_per_year_flows_are_per_year_of_their_window():
    sc = scenario(1, 25)
    rec = record(sc)
    hpm = sc.hours_per_month
    for month in (2, 3, 14):
        rec.rescue(month * hpm, SMB, 0)  # wins
    rec.expansion(2 * hpm, SMB, 50.0, 1)
    assert BY_NAME["wins"].compute(window(rec, sc, 1, 13), None) == pytest.approx(2)
    assert BY_NAME["wins"].compute(window(rec, sc), None) == pytest.approx(1.5)
    assert BY_NAME["expansion_arr"].compute(window(rec, sc, 13, 25), None) == 0.0
