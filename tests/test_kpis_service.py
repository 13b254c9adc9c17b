"""Service KPIs on hand-made records: touches within their grace, Kaplan–Meier time to live with
censoring, resolution with open tickets, against numbers worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest
from test_kpis_records import MID, SMB, record, scenario, window

from simulate.kpis import BY_NAME
from simulate.kpis.service import restricted_mean, time_to_live_days, touches_on_time
from simulate.model.record import CHURN_OPT_OUT

DAY = 8.0  # TINY's business hours a day


def test_a_touch_is_on_time_within_its_segments_grace_and_late_after_it():
    # smb touches every 30 days: grace 10% = 3 days = 24 h; mid's grace is set to 1 day = 8 h.
    sc = scenario(1, 6, mid={"touch_grace_days": 1})
    rec = record(sc)
    h = rec.horizon
    rec.touch(200.0, 224.0, SMB)  # done exactly at the end of its grace: on time
    rec.touch(200.0, 230.0, SMB)  # late
    rec.touch(300.0, 308.0, MID)  # on time
    rec.touch(300.0, 309.0, MID)  # late: mid's grace is its own
    rec.touch(h - 10.0, -1.0, SMB)  # not done, grace still running at the horizon: left out
    rec.touch(h - 100.0, -1.0, SMB)  # not done and its grace ran out: late
    rec.touch(100.0, 101.0, SMB)  # fell due in warm-up: another window's
    assert touches_on_time(window(rec, sc), None) == pytest.approx(2 / 5)
    assert touches_on_time(window(rec, sc), MID) == pytest.approx(1 / 2)


def test_touches_without_a_cadence_have_no_grace_to_fall_back_on():
    sc = scenario(1, 6, smb={"touch_every_days": None})
    rec = record(sc)
    rec.touch(200.0, 200.0, SMB)
    rec.touch(200.0, 201.0, SMB)
    assert touches_on_time(window(rec, sc), None) == pytest.approx(0.5)


def test_the_restricted_mean_of_kaplan_meier_matches_a_hand_computation():
    # Events at 1, 3, 3, 5; censored at 2, 4, 6. S = 6/7 from 1, × 3/5 from 3, × 1/2 from 5;
    # area to 6 = 1 + 6/7·2 + 18/35·2 + 9/35·1 = 4.
    done, censored = np.array([1.0, 3.0, 3.0, 5.0]), np.array([2.0, 4.0, 6.0])
    assert restricted_mean(done, censored) == pytest.approx(4.0)
    assert restricted_mean(done, np.zeros(0)) == pytest.approx(3.0)  # no censoring: the mean


def test_time_to_live_censors_accounts_still_onboarding_or_lost_before_go_live():
    sc = scenario(1, 6)
    rec = record(sc)
    h, w0 = rec.horizon, rec.window_start
    t0 = w0 + 10.0
    for k, days in enumerate((1.0, 3.0, 3.0, 5.0)):  # went live
        rec.arrival(t0, SMB, 100.0, 0, k)
        rec.go_live(t0, t0 + days * DAY, SMB, k)
    for k, days in ((10, 2.0), (11, 4.0)):  # lost before go-live
        rec.arrival(t0, SMB, 100.0, 0, k)
        rec.churn(t0 + days * DAY, SMB, 100.0, CHURN_OPT_OUT, k)
    rec.arrival(h - 6 * DAY, SMB, 100.0, 0, 12)  # still onboarding at the horizon: 6 days
    rec.arrival(w0 - 1.0, SMB, 100.0, 0, 13)  # arrived in warm-up: not this window's
    rec.go_live(w0 - 1.0, w0 + 500 * DAY, SMB, 13)
    assert time_to_live_days(window(rec, sc), None) == pytest.approx(4.0)
    assert time_to_live_days(window(rec, sc), SMB) == pytest.approx(4.0)
    assert time_to_live_days(window(rec, sc), MID) != time_to_live_days(window(rec, sc), MID)  # NaN


def test_time_to_live_is_the_plain_mean_when_everyone_went_live():
    sc = scenario(1, 6)
    rec = record(sc)
    for k, days in enumerate((2.0, 4.0, 9.0)):
        rec.arrival(rec.window_start + k, MID, 100.0, 0, k)
        rec.go_live(rec.window_start + k, rec.window_start + k + days * DAY, MID, k)
    assert time_to_live_days(window(rec, sc), MID) == pytest.approx(5.0)


def test_resolution_mean_counts_open_tickets_with_their_age_so_far():
    sc = scenario(1, 6)
    rec = record(sc)
    h, w0 = rec.horizon, rec.window_start
    done = rec.tickets.add(w0 + 10.0, SMB, 0, 1.0, False, 0)
    rec.tickets.first_response[done] = w0 + 11.0
    rec.tickets.resolved[done] = w0 + 14.0  # 4 h
    rec.tickets.add(h - 6.0, SMB, 0, 1.0, False, 0)  # open at the horizon: 6 h so far
    rec.tickets.add(w0 - 5.0, SMB, 0, 1.0, False, 0)  # raised in warm-up: not counted
    w = window(rec, sc)
    assert BY_NAME["resolution_mean_h"].compute(w, None) == pytest.approx(5.0)
    assert BY_NAME["frt_mean_h"].compute(w, None) == pytest.approx(3.5)  # 1 h and 6 h so far


def test_wins_and_saves_have_no_better_direction():
    assert BY_NAME["wins"].better == "" and BY_NAME["saves"].better == ""
    assert BY_NAME["resolution_mean_h"].better == "lower" and BY_NAME["resolution_mean_h"].per_segment
