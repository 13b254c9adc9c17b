"""Health (simulate/model/health.py): bands, lazy drift, crossings, wins, saves and warnings."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulate.model.health import (
    BAND_NAMES,
    GREEN,
    INF,
    RED,
    YELLOW,
    YELLOW_GREEN,
    HealthRules,
    Trend,
    band_of,
    is_save,
    is_warning,
    is_win,
    next_crossing,
    score_at,
)
from simulate.scenario.schema import Scenario

BOUNDS = (75.0, 60.0, 40.0)  # lower bounds of green, yellow_green, yellow
BANDS = (GREEN, YELLOW_GREEN, YELLOW, RED)
scores = st.floats(min_value=0, max_value=100, allow_nan=False)


def linear(drift: float) -> Trend:
    """A trend with no pull: the score drifts in a straight line."""
    return Trend(drift, 0.0, 0.0)


def scenario(**sections) -> Scenario:
    return Scenario.model_validate({"name": "t", "segments": {"smb": {}}, **sections})


# --- Bands ----------------------------------------------------------------------------------


def test_band_names_follow_band_order():
    assert [BAND_NAMES[b] for b in BANDS] == ["green", "yellow_green", "yellow", "red"]


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100.0, GREEN),
        (75.0, GREEN),
        (74.999, YELLOW_GREEN),
        (60.0, YELLOW_GREEN),
        (59.999, YELLOW),
        (40.0, YELLOW),
        (39.999, RED),
        (0.0, RED),
    ],
)
def test_lower_bound_belongs_to_its_band(score, band):
    assert band_of(score, BOUNDS) == band


@given(a=scores, b=scores)
def test_higher_score_is_never_in_a_worse_band(a, b):
    low, high = sorted((a, b))
    assert band_of(high, BOUNDS) <= band_of(low, BOUNDS)


def test_band_of_uses_the_bounds_given():
    assert band_of(50.0, (90.0, 80.0, 70.0)) == RED
    assert band_of(50.0, (50.0, 30.0, 10.0)) == GREEN


# --- Lazy drift -----------------------------------------------------------------------------


def test_score_drifts_linearly_with_time():
    assert score_at(70.0, since=10.0, trend=linear(-0.5), now=30.0) == pytest.approx(60.0)
    assert score_at(70.0, since=10.0, trend=linear(0.25), now=30.0) == pytest.approx(75.0)


def test_score_without_elapsed_time_is_unchanged():
    assert score_at(63.0, since=5.0, trend=linear(-1.0), now=5.0) == 63.0


def test_score_is_clipped_at_zero():
    assert score_at(10.0, since=0.0, trend=linear(-1.0), now=1000.0) == 0.0


def test_score_is_clipped_at_one_hundred():
    assert score_at(90.0, since=0.0, trend=linear(1.0), now=1000.0) == 100.0


@given(score=scores, drift=st.floats(-10, 10), hours=st.floats(0, 1e6))
def test_score_always_stays_within_0_and_100(score, drift, hours):
    assert 0.0 <= score_at(score, 0.0, linear(drift), hours) <= 100.0


# --- Next crossing by drift -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "band", "hours"),
    [
        (80.0, GREEN, 5.0),  # down to 75
        (70.0, YELLOW_GREEN, 10.0),  # down to 60
        (45.0, YELLOW, 5.0),  # down to 40
    ],
)
def test_downward_drift_reaches_the_bands_lower_bound(score, band, hours):
    assert next_crossing(score, linear(-1.0), band, BOUNDS) == pytest.approx(hours)


@pytest.mark.parametrize(
    ("score", "band", "hours"),
    [
        (70.0, YELLOW_GREEN, 2.5),  # up to 75
        (50.0, YELLOW, 5.0),  # up to 60
        (30.0, RED, 5.0),  # up to 40
    ],
)
def test_upward_drift_reaches_the_next_bands_lower_bound(score, band, hours):
    assert next_crossing(score, linear(2.0), band, BOUNDS) == pytest.approx(hours)


def test_red_going_down_never_crosses():
    assert next_crossing(30.0, linear(-1.0), RED, BOUNDS) == INF


def test_green_going_up_never_crosses():
    assert next_crossing(90.0, linear(1.0), GREEN, BOUNDS) == INF


@pytest.mark.parametrize("band", BANDS)
def test_no_drift_never_crosses(band):
    assert next_crossing(50.0, linear(0.0), band, BOUNDS) == INF


def test_score_on_the_lower_bound_drifting_down_crosses_at_once():
    assert next_crossing(60.0, linear(-1.0), YELLOW_GREEN, BOUNDS) == 0.0


@given(score=scores, drift=st.floats(0.001, 10).flatmap(lambda d: st.sampled_from([-d, d])))
def test_band_changes_just_after_the_crossing_and_not_before(score, drift):
    band = band_of(score, BOUNDS)
    hours = next_crossing(score, linear(drift), band, BOUNDS)
    if hours == INF:
        assert (drift < 0 and band == RED) or (drift > 0 and band == GREEN)
        return
    assert hours >= 0
    eps = 1e-6
    if hours > eps:
        assert band_of(score_at(score, 0.0, linear(drift), hours - eps), BOUNDS) == band
    after = band_of(score_at(score, 0.0, linear(drift), hours + eps), BOUNDS)
    assert after == band + (1 if drift < 0 else -1)


def test_yellow_with_zero_lower_bound_never_crosses_down():
    bounds = (75.0, 60.0, 0.0)
    assert next_crossing(10.0, linear(-1.0), YELLOW, bounds) == INF
    assert next_crossing(0.0, linear(-1.0), YELLOW, bounds) == INF


def test_green_at_one_hundred_is_reached_by_upward_drift():
    bounds = (100.0, 60.0, 40.0)
    hours = next_crossing(90.0, linear(1.0), YELLOW_GREEN, bounds)
    assert hours == pytest.approx(10.0)
    assert band_of(score_at(90.0, 0.0, linear(1.0), hours), bounds) == GREEN


# --- Wins, saves, warnings ------------------------------------------------------------------

WINS = {(YELLOW_GREEN, GREEN), (YELLOW, GREEN)}
SAVES = {(RED, GREEN), (RED, YELLOW_GREEN), (RED, YELLOW)}
WARNINGS = {(GREEN, YELLOW), (GREEN, RED), (YELLOW_GREEN, YELLOW), (YELLOW_GREEN, RED), (YELLOW, RED)}
MOVES = list(itertools.product(BANDS, BANDS))


def name(move: tuple[int, int]) -> str:
    return f"{BAND_NAMES[move[0]]}->{BAND_NAMES[move[1]]}"


@pytest.mark.parametrize("move", MOVES, ids=name)
def test_win_is_yellow_or_yellow_green_brought_to_green(move):
    assert is_win(*move) == (move in WINS)


@pytest.mark.parametrize("move", MOVES, ids=name)
def test_save_is_red_brought_to_yellow_or_better(move):
    assert is_save(*move) == (move in SAVES)


@pytest.mark.parametrize("move", MOVES, ids=name)
def test_warning_is_a_downward_crossing_into_yellow_or_red(move):
    assert is_warning(*move) == (move in WARNINGS)


def test_red_to_green_is_a_save_not_a_win():
    assert is_save(RED, GREEN)
    assert not is_win(RED, GREEN)


def test_green_to_yellow_green_is_no_warning():
    assert not is_warning(GREEN, YELLOW_GREEN)


# --- Rules from the scenario ----------------------------------------------------------------


def test_rules_convert_decay_per_month_to_per_hour_with_the_calendar():
    s = scenario(
        calendar={"hours_per_day": 10, "days_per_year": 240},  # 200 business hours a month
        health={"decay_per_month": 4},
    )
    assert s.hours_per_month == pytest.approx(200.0)
    assert HealthRules.of(s).decay_per_hour == pytest.approx(0.02)


def test_rules_use_the_default_calendar_month():
    rules = HealthRules.of(scenario(health={"decay_per_month": 3}))
    assert rules.decay_per_hour == pytest.approx(3 / (8 * 250 / 12))


def test_rules_spread_digital_touch_points_over_the_cadence_in_hours():
    s = scenario(
        calendar={"hours_per_day": 10, "days_per_year": 240},
        health={"digital_touch": 3},
        cs_ops={"digital_touch_every_days": 20},  # every 200 business hours
    )
    assert HealthRules.of(s).digital_per_hour == pytest.approx(3 / 200)


def test_rules_take_bounds_and_points_from_the_scenario():
    s = scenario(
        health={
            "bands": {"green": 80, "yellow_green": 65, "yellow": 30},
            "go_live": 85,
            "late_go_live_per_day": 0.7,
            "touch": 5,
            "ticket_resolved": 2,
            "late_per_sla": 3,
            "shock": {"per_year": 1, "points": 12},
        }
    )
    rules = HealthRules.of(s)
    assert rules.bounds == (80.0, 65.0, 30.0)
    assert (rules.go_live, rules.late_go_live_per_day) == (85.0, 0.7)
    assert (rules.touch, rules.ticket_resolved, rules.late_per_sla) == (5.0, 2.0, 3.0)
    assert rules.shock_points == 12.0


def test_no_decay_means_no_drift():
    assert HealthRules.of(scenario(health={"decay_per_month": 0})).decay_per_hour == 0.0
