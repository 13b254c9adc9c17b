"""Calls on paired comparisons (issue 11), checked against hand-made replications, scipy's paired
t test and two one-sided tests, and the coverage a 95% ratio interval must have."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from simulate.decision.calls import (
    Interval,
    call,
    compare,
    family_level,
    paired_difference,
    paired_ratio,
)
from simulate.decision.margins import DEFAULTS, Margin

CHURN = DEFAULTS["logo_churn"]  # 0.5 points, absolute
COST = DEFAULTS["total_cost"]  # 2%, relative
LEVEL = 0.95


def pair(base: np.ndarray, shift: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return base + shift, base


BASE = np.array([0.160, 0.171, 0.155, 0.166, 0.158, 0.169, 0.162, 0.164, 0.157, 0.168])


@pytest.mark.parametrize(("shift", "expected"), [
    # The review's case: a 0.006-point gap, tightly paired, "significant" — and immaterial.
    (np.full(10, 0.00006) + np.linspace(-1e-5, 1e-5, 10), "equivalent"),
    (np.array([-0.02, -0.025, -0.018, -0.022, -0.03, -0.019, -0.021, -0.024, -0.02, -0.023]), "better"),
    (np.array([0.02, 0.025, 0.018, 0.022, 0.03, 0.019, 0.021, 0.024, 0.02, 0.023]), "worse"),
    (np.array([0.03, -0.03, 0.025, -0.02, 0.02, -0.025, 0.03, -0.03, 0.01, -0.01]), "undecided"),
])
def test_each_call_on_hand_made_replications(shift: np.ndarray, expected: str):
    a, b = pair(BASE, shift)
    got = compare("logo_churn", "refined", "full_stack", a, b, CHURN, "lower", LEVEL)
    assert got.call == expected, got
    assert got.margin == 0.005


def test_a_higher_is_better_kpi_turns_the_sign():
    a, b = pair(BASE + 0.8, np.full(10, 0.03) + np.linspace(-0.002, 0.002, 10))
    assert compare("nrr", "x", "y", a, b, DEFAULTS["nrr"], "higher", LEVEL).call == "better"
    assert compare("nrr", "y", "x", b, a, DEFAULTS["nrr"], "higher", LEVEL).call == "worse"


def test_a_relative_margin_is_judged_on_the_ratio():
    cost = np.array([4.40, 4.45, 4.38, 4.42, 4.41, 4.43]) * 1e6
    within = cost * (1 - 0.005)  # 0.5% cheaper, well inside 2%
    assert compare("total_cost", "a", "b", within, cost, COST, "lower", LEVEL).call == "equivalent"
    cheaper = cost * (1 - 0.09)
    got = compare("total_cost", "a", "b", cheaper, cost, COST, "lower", LEVEL)
    assert got.call == "better"
    assert got.relative.mean == pytest.approx(-0.09)
    assert got.margin == pytest.approx(0.02 * cost.mean())


def test_bonferroni_widens_each_interval_so_a_marginal_call_becomes_undecided():
    assert family_level(1) == pytest.approx(0.95)
    assert family_level(10) == pytest.approx(0.995)
    rng = np.random.default_rng(3)
    shift = -0.012 + 0.01 * rng.standard_normal(8)
    a, b = pair(BASE[:8], shift)
    alone = compare("logo_churn", "a", "b", a, b, CHURN, "lower", family_level(1))
    many = compare("logo_churn", "a", "b", a, b, CHURN, "lower", family_level(40))
    assert alone.diff.high - alone.diff.low < many.diff.high - many.diff.low
    assert (alone.call, many.call) == ("better", "undecided")


def test_the_paired_interval_is_scipys_paired_t_interval():
    rng = np.random.default_rng(11)
    b = rng.lognormal(0, 0.3, 12)
    a = b * 0.9 + rng.normal(0, 0.05, 12)
    ours = paired_difference(a, b, 0.99)
    theirs = stats.ttest_rel(a, b).confidence_interval(0.99)
    assert (ours.low, ours.high) == pytest.approx((theirs.low, theirs.high))


def test_one_replication_has_no_interval_and_is_undecided_unless_identical():
    got = compare("logo_churn", "a", "b", np.array([0.10]), np.array([0.2]), CHURN, "lower", LEVEL)
    assert not got.diff.known and got.call == "undecided"


def test_the_ratio_interval_covers_the_true_ratio_95_percent_of_the_time():
    """Coverage over 4,000 paired samples of 10 correlated lognormal costs whose true ratio of
    means is 0.9: a valid 95% interval misses about 5% of the time (binomial sd 0.34%)."""
    rng = np.random.default_rng(2026)
    n, trials, sigma, rho = 10, 4000, 0.25, 0.8
    z1 = rng.standard_normal((trials, n))
    z2 = rho * z1 + math.sqrt(1 - rho**2) * rng.standard_normal((trials, n))
    b = np.exp(sigma * z1 - sigma**2 / 2)  # mean 1
    a = 0.9 * np.exp(sigma * z2 - sigma**2 / 2)  # mean 0.9
    covered = 0
    for i in range(trials):
        r = paired_ratio(a[i], b[i], LEVEL)
        covered += r.low <= -0.1 <= r.high
    assert 0.935 <= covered / trials <= 0.965


finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(base=st.lists(st.floats(0.01, 1e3), min_size=2, max_size=12),
       noise=st.lists(finite, min_size=12, max_size=12), scale=st.floats(1e-6, 2.0),
       absolute=st.booleans(), size=st.floats(1e-4, 0.5), m=st.integers(1, 30))
def test_calls_agree_with_their_interval(base: list[float], noise: list[float], scale: float,
                                         absolute: bool, size: float, m: int):
    """Never better/worse while the interval holds zero; every interval inside the margin is
    equivalent; an equivalent call passes two one-sided t tests at α/m; ratios stay above −100%."""
    b = np.array(base)
    a = np.abs(b + scale * np.array(noise[: len(b)]) * b) + 1e-3
    margin = Margin("k", size, relative=not absolute)
    level = family_level(m)
    got = compare("k", "a", "b", a, b, margin, "lower", level)
    if got.call in ("better", "worse"):
        assert got.diff.known and not (got.diff.low <= 0 <= got.diff.high)
    judged = got.relative if margin.relative else got.diff
    if judged.known and -size < judged.low and judged.high < size:
        assert got.call == "equivalent"
    if got.call == "equivalent" and not margin.relative and np.std(a - b) > 0:
        d = a - b
        lower = stats.ttest_1samp(d, -size, alternative="greater").pvalue
        upper = stats.ttest_1samp(d, size, alternative="less").pvalue
        assert max(lower, upper) <= 0.05 / m / 2 + 1e-9
    if got.relative.known:
        assert got.relative.low >= -1  # −100% at most, reached only by underflow


def test_no_call_is_better_or_worse_while_the_ratio_interval_shown_beside_it_holds_zero():
    """A relative margin shows the ratio interval: if it holds zero the call is undecided even
    when the difference's interval (a different estimator) just excludes zero."""
    diff = Interval(-1.0, -2.0, -0.1)
    ratio = Interval(-0.2, -0.5, 0.1)
    assert call(diff, ratio, Margin("total_cost", 0.02, relative=True), 10.0, "lower") == "undecided"
    assert call(diff, Interval(-0.2, -0.5, -0.01), Margin("total_cost", 0.02, relative=True), 10.0,
                "lower") == "better"


def test_a_ratio_whose_bound_passes_what_a_float_holds_is_unbounded_not_a_crash():
    """Replications of a KPI that can be negative (mean 0.5 from −100 and 101) put the upper
    bound of the ratio past e^709 on two replications: it was an OverflowError after a run."""
    found = paired_ratio(np.array([-100.0, 101.0]), np.array([1.0, 1.0]), 0.95)
    assert found.mean == pytest.approx(-0.5)
    assert found.high == math.inf and found.low >= -1
