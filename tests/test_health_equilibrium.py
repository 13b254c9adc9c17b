"""Health with a restoring force: scores revert toward a level, so each segment settles to a
distribution whose level depends on the service it gets (issue 10, defect 2)."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from simulate.consistency import parse
from simulate.designs import compared, resolve
from simulate.model import simulate
from simulate.model.health import (
    GREEN,
    RED,
    YELLOW,
    YELLOW_GREEN,
    HealthRules,
    Trend,
    band_of,
    next_crossing,
    score_at,
)
from simulate.model.record import SAVE, WIN

from conftest import REPO, TINY

BOUNDS = (75.0, 60.0, 40.0)
HOURS_PER_MONTH = 8 * 250 / 12


def test_a_score_closes_the_stated_share_of_its_gap_each_month():
    rules = HealthRules.of(parse({**copy.deepcopy(TINY), "health": {"reversion_per_month": 0.3,
                                                                     "decay_per_month": 0}}))
    trend = Trend(0.0, rules.pull_per_hour, 60.0)
    after = score_at(90.0, 0.0, trend, HOURS_PER_MONTH)
    assert after == pytest.approx(60.0 + 30.0 * 0.7)


def test_a_score_rests_at_its_level_plus_drift_over_pull():
    trend = Trend(-0.01, 0.002, 60.0)
    assert trend.rest == pytest.approx(55.0)
    assert score_at(90.0, 0.0, trend, 1e6) == pytest.approx(55.0)
    assert score_at(10.0, 0.0, trend, 1e6) == pytest.approx(55.0)


@given(st.floats(0, 100), st.floats(-0.05, 0.05), st.floats(1e-4, 0.01), st.floats(0, 100))
def test_a_pulled_score_changes_band_just_after_its_crossing_and_not_before(score, drift, pull, level):
    trend = Trend(drift, pull, level)
    band = band_of(score, BOUNDS)
    hours = next_crossing(score, trend, band, BOUNDS)
    if math.isinf(hours):
        assert band_of(score_at(score, 0.0, trend, 1e7), BOUNDS) == band
        return
    eps = 1e-6 * (1 + hours)
    if hours > eps:
        assert band_of(score_at(score, 0.0, trend, hours - eps), BOUNDS) == band
    assert band_of(score_at(score, 0.0, trend, hours + eps), BOUNDS) != band


def test_a_score_never_crosses_a_bound_its_rest_does_not_pass():
    assert next_crossing(70.0, Trend(0.0, 0.01, 62.0), YELLOW_GREEN, BOUNDS) == math.inf
    assert next_crossing(50.0, Trend(0.0, 0.01, 74.0), YELLOW, BOUNDS) < math.inf
    assert next_crossing(70.0, Trend(0.0, 0.01, 74.9), YELLOW_GREEN, BOUNDS) == math.inf
    assert next_crossing(30.0, Trend(0.0, 0.01, 20.0), RED, BOUNDS) == math.inf
    assert next_crossing(90.0, Trend(0.0, 0.01, 99.0), GREEN, BOUNDS) == math.inf


def _rescues(hold_days: float) -> list:
    doc = copy.deepcopy(TINY)
    doc["compare"] = ["refined"]
    doc["health"].update(hold_days=hold_days)
    scenario = parse(doc)
    return simulate(scenario, resolve(scenario, "refined"), 5).rescues


def test_wins_and_saves_count_only_band_changes_that_hold():
    quick, held = _rescues(0), _rescues(30)
    assert {r.kind for r in quick} == {WIN, SAVE}
    assert 0 < len(held) < len(quick)


@pytest.mark.slow
def test_every_segments_health_settles_over_a_48_month_baseline():
    """Issue 10's acceptance test: over months 25–48, the slope of each segment's mean health is
    within ±0.25 points a month, and its mean is below 95, under every built-in design."""
    doc = yaml.safe_load((REPO / "scenarios" / "baseline.yaml").read_text())
    doc["horizon_months"] = 48
    scenario = parse(doc)
    for design in compared(scenario):
        if design.name not in ("full_stack", "active_passive", "refined", "integrated"):
            continue
        record = simulate(scenario, design, 8)
        for segment in scenario.segments:
            series = np.array([m[f"health_mean_{segment}"] for m in record.monthly[24:48]])
            slope = np.polyfit(np.arange(len(series)), series, 1)[0]
            assert abs(slope) <= 0.25, (design.name, segment, slope)
            assert series.mean() < 95, (design.name, segment, series.mean())
            shares = [m[f"green_share_{segment}"] for m in record.monthly[24:48]]
            assert 0 < np.mean(shares) < 1, (design.name, segment)  # a distribution, not a point
