"""Quantities (simulate/scenario/quantity.py): parsing, defaults and what the samplers draw."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from scipy import stats

from simulate.scenario.quantity import DISTRIBUTIONS, Quantity
from simulate.scenario.schema import Engineering, Health, Segment, TicketType

N = 200_000
SAMPLING = settings(max_examples=25, deadline=None)


def draws(q: Quantity, n: int = N, seed: int = 1) -> np.ndarray:
    return q.sample(np.random.default_rng(seed), n)


def sample_cv(x: np.ndarray) -> float:
    return float(x.std() / x.mean())


# --- Bare numbers take the field's default distribution -------------------------------------


def test_bare_number_becomes_lognormal_with_default_cv():
    assert Segment(acv=6000).acv == Quantity(dist="lognormal", mean=6000, cv=0.5)


def test_bare_float_becomes_lognormal_with_default_cv():
    assert Segment(acv=6000.5).acv == Quantity(dist="lognormal", mean=6000.5, cv=0.5)


def test_bare_handle_hours_becomes_lognormal_with_cv_0_8():
    ticket = TicketType(share=1.0, handle_hours=0.5)
    assert ticket.handle_hours == Quantity(dist="lognormal", mean=0.5, cv=0.8)


def test_bare_engineering_hours_become_lognormal_with_cv_1():
    eng = Engineering(handoff_days=2, hours=3)
    assert eng.handoff_days == Quantity(dist="lognormal", mean=2, cv=1.0)
    assert eng.hours == Quantity(dist="lognormal", mean=3, cv=1.0)


def test_bare_initial_health_becomes_truncated_normal_with_sd_12():
    assert Health(initial=70).initial == Quantity(dist="normal", mean=70, sd=12)


def test_mapping_overrides_the_field_default_distribution():
    assert Segment(acv={"dist": "fixed", "mean": 5000}).acv == Quantity(dist="fixed", mean=5000)


def test_quantity_instance_is_accepted_unchanged():
    q = Quantity(dist="gamma", mean=4, sd=2)
    assert Segment(acv=q).acv == q


@pytest.mark.parametrize("flag", [True, False])
def test_boolean_is_not_taken_for_a_number(flag):
    with pytest.raises(ValidationError):
        Segment(acv=flag)


def test_numeric_string_is_rejected():
    with pytest.raises(ValidationError):
        Segment(acv="6000")


@given(mean=st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_any_non_negative_bare_number_is_the_mean_of_the_default(mean):
    acv = Segment(acv=mean).acv
    assert acv.dist == "lognormal"
    assert acv.mean == mean
    assert acv.cv == 0.5
    assert acv.expected == mean


@given(mean=st.floats(max_value=-1e-9, min_value=-1e9))
def test_negative_bare_number_is_rejected(mean):
    with pytest.raises(ValidationError, match="must be ≥ 0"):
        Segment(acv=mean)


# --- Required parameters, unknown distributions ----------------------------------------------


@pytest.mark.parametrize(
    ("spec", "needs"),
    [
        ({"dist": "fixed"}, "mean"),
        ({"dist": "exponential"}, "mean"),
        ({"dist": "lognormal", "cv": 0.5}, "mean"),
        ({"dist": "lognormal", "mean": 1}, "cv or sd"),
        ({"dist": "gamma", "sd": 1}, "mean"),
        ({"dist": "gamma", "mean": 1}, "cv or sd"),
        ({"dist": "normal", "sd": 1}, "mean"),
        ({"dist": "normal", "mean": 1}, "cv or sd"),
        ({"dist": "uniform", "high": 2}, "low"),
        ({"dist": "uniform", "low": 1}, "high"),
        ({"dist": "uniform"}, "low and high"),
        ({"dist": "uniform", "mean": 1}, "low and high"),
    ],
)
def test_missing_required_parameter_is_rejected_naming_it(spec, needs):
    with pytest.raises(ValidationError, match=f"{spec['dist']} needs {needs}"):
        Quantity(**spec)


@pytest.mark.parametrize(
    "spec",
    [
        {"dist": "lognormal", "mean": 1, "cv": 0.5},
        {"dist": "lognormal", "mean": 1, "sd": 0.5},
        {"dist": "gamma", "mean": 1, "cv": 0.5},
        {"dist": "normal", "mean": 1, "sd": 0.5},
        {"dist": "exponential", "mean": 1},
        {"dist": "fixed", "mean": 1},
        {"dist": "uniform", "low": 1, "high": 2},
    ],
)
def test_complete_specification_is_accepted(spec):
    assert Quantity(**spec).dist == spec["dist"]


def test_every_documented_distribution_has_a_sampler():
    assert set(DISTRIBUTIONS) == {"fixed", "exponential", "lognormal", "gamma", "normal", "uniform"}


@pytest.mark.parametrize("dist", ["weibull", "Lognormal", "poisson", ""])
def test_unknown_distribution_is_rejected(dist):
    with pytest.raises(ValidationError, match="dist"):
        Quantity(dist=dist, mean=1, cv=0.5)


def test_missing_dist_is_rejected():
    with pytest.raises(ValidationError, match="dist"):
        Quantity(mean=1, cv=0.5)


def test_unknown_parameter_is_rejected():
    with pytest.raises(ValidationError, match="shape"):
        Quantity(dist="gamma", mean=1, cv=0.5, shape=2)


@pytest.mark.parametrize("field", ["mean", "cv", "sd"])
def test_negative_parameter_is_rejected(field):
    spec = {"dist": "lognormal", "mean": 1.0, "cv": 0.5} | {field: -0.1}
    with pytest.raises(ValidationError, match=f"{field} must be ≥ 0"):
        Quantity(**spec)


def test_negative_uniform_low_is_rejected():
    with pytest.raises(ValidationError, match="low must be ≥ 0"):
        Quantity(dist="uniform", low=-1, high=2)


def test_uniform_high_below_low_is_rejected():
    with pytest.raises(ValidationError, match="high must be ≥ low"):
        Quantity(dist="uniform", low=3, high=2)


def test_quantity_is_immutable():
    q = Quantity(dist="fixed", mean=1)
    with pytest.raises(ValidationError):
        q.mean = 2


@pytest.mark.parametrize(
    "spec",
    [
        {"dist": "lognormal", "mean": math.nan, "cv": 0.5},
        {"dist": "lognormal", "mean": 1.0, "cv": math.nan},
        {"dist": "uniform", "low": 0.0, "high": math.nan},
    ],
)
def test_nan_parameter_is_rejected(spec):
    with pytest.raises(ValidationError):
        Quantity(**spec)


# --- Expected value -------------------------------------------------------------------------


def test_expected_of_uniform_is_the_midpoint():
    assert Quantity(dist="uniform", low=2, high=6).expected == 4.0


@pytest.mark.parametrize("dist", ["fixed", "exponential", "lognormal", "gamma", "normal"])
def test_expected_is_the_mean(dist):
    assert Quantity(dist=dist, mean=3.5, cv=0.4).expected == 3.5


# --- What the samplers draw -------------------------------------------------------------------


def test_lognormal_sample_matches_mean_and_cv():
    x = draws(Quantity(dist="lognormal", mean=6000, cv=0.5))
    assert x.min() > 0
    assert x.mean() == pytest.approx(6000, rel=0.01)
    assert sample_cv(x) == pytest.approx(0.5, rel=0.03)


def test_lognormal_with_sd_matches_mean_and_sd():
    x = draws(Quantity(dist="lognormal", mean=10, sd=3))
    assert x.mean() == pytest.approx(10, rel=0.01)
    assert x.std() == pytest.approx(3, rel=0.03)


def test_gamma_sample_matches_mean_and_cv():
    x = draws(Quantity(dist="gamma", mean=2.0, cv=0.7))
    assert x.min() >= 0
    assert x.mean() == pytest.approx(2.0, rel=0.01)
    assert sample_cv(x) == pytest.approx(0.7, rel=0.03)


def test_exponential_sample_has_mean_and_cv_one():
    x = draws(Quantity(dist="exponential", mean=3.0))
    assert x.min() >= 0
    assert x.mean() == pytest.approx(3.0, rel=0.01)
    assert sample_cv(x) == pytest.approx(1.0, rel=0.03)


def test_uniform_sample_stays_in_range_with_midpoint_mean():
    x = draws(Quantity(dist="uniform", low=2.0, high=6.0))
    assert x.min() >= 2.0
    assert x.max() <= 6.0
    assert x.mean() == pytest.approx(4.0, rel=0.01)
    assert x.std() == pytest.approx(4.0 / math.sqrt(12), rel=0.02)


def test_fixed_sample_is_the_mean_every_time():
    x = draws(Quantity(dist="fixed", mean=2.5), n=1000)
    assert x.shape == (1000,)
    assert np.all(x == 2.5)


def test_normal_far_from_zero_matches_mean_and_sd():
    x = draws(Quantity(dist="normal", mean=70, sd=12))
    assert x.min() >= 0
    assert x.mean() == pytest.approx(70, rel=0.01)
    assert x.std() == pytest.approx(12, rel=0.02)


def test_normal_with_cv_uses_cv_times_mean_as_sd():
    x = draws(Quantity(dist="normal", mean=50, cv=0.1))
    assert x.std() == pytest.approx(5, rel=0.02)


def test_normal_near_zero_is_truncated_never_negative():
    mean, sd = 1.0, 2.0
    x = draws(Quantity(dist="normal", mean=mean, sd=sd))
    assert x.min() >= 0
    truncated = stats.truncnorm((0 - mean) / sd, math.inf, loc=mean, scale=sd)
    assert x.mean() == pytest.approx(truncated.mean(), rel=0.01)


def test_normal_at_zero_mean_is_half_normal():
    x = draws(Quantity(dist="normal", mean=0.0, sd=1.0))
    assert x.min() >= 0
    assert x.mean() == pytest.approx(math.sqrt(2 / math.pi), rel=0.01)


@pytest.mark.parametrize(
    "q",
    [
        Quantity(dist="lognormal", mean=0, cv=0.5),
        Quantity(dist="gamma", mean=0, cv=0.5),
        Quantity(dist="exponential", mean=0),
        Quantity(dist="fixed", mean=0),
        Quantity(dist="normal", mean=0, sd=0),
    ],
    ids=lambda q: q.dist,
)
def test_zero_mean_draws_zeros(q):
    assert np.all(draws(q, n=100) == 0.0)


@pytest.mark.parametrize("dist", ["lognormal", "gamma", "normal"])
def test_zero_spread_draws_the_mean(dist):
    x = draws(Quantity(dist=dist, mean=4.0, cv=0.0), n=100)
    assert x == pytest.approx(np.full(100, 4.0))


@pytest.mark.parametrize(
    "q",
    [
        Quantity(dist="lognormal", mean=1, cv=0.5),
        Quantity(dist="gamma", mean=1, cv=0.5),
        Quantity(dist="exponential", mean=1),
        Quantity(dist="fixed", mean=1),
        Quantity(dist="normal", mean=1, sd=0.5),
        Quantity(dist="uniform", low=0, high=1),
    ],
    ids=lambda q: q.dist,
)
def test_sample_returns_a_float_block_of_n(q):
    x = draws(q, n=17)
    assert x.shape == (17,)
    assert x.dtype == np.float64


# --- Properties over the parameter space ----------------------------------------------------

means = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)
cvs = st.floats(min_value=0.01, max_value=2.0, allow_nan=False)


@SAMPLING
@given(mean=means, cv=cvs)
def test_lognormal_is_positive_with_the_specified_mean(mean, cv):
    x = draws(Quantity(dist="lognormal", mean=mean, cv=cv))
    assert x.min() > 0
    assert x.mean() == pytest.approx(mean, rel=0.03)


@SAMPLING
@given(mean=means, cv=cvs)
def test_gamma_is_non_negative_with_the_specified_mean(mean, cv):
    x = draws(Quantity(dist="gamma", mean=mean, cv=cv))
    assert x.min() >= 0
    assert x.mean() == pytest.approx(mean, rel=0.03)


@SAMPLING
@given(mean=means)
def test_exponential_has_the_specified_mean(mean):
    x = draws(Quantity(dist="exponential", mean=mean))
    assert x.min() >= 0
    assert x.mean() == pytest.approx(mean, rel=0.03)


@SAMPLING
@given(
    mean=st.floats(min_value=0, max_value=1e3, allow_nan=False),
    sd=st.floats(min_value=0.01, max_value=1e3, allow_nan=False),
)
def test_truncated_normal_is_never_negative(mean, sd):
    x = draws(Quantity(dist="normal", mean=mean, sd=sd), n=20_000)
    assert x.min() >= 0


@SAMPLING
@given(
    low=st.floats(min_value=0, max_value=1e6, allow_nan=False),
    width=st.floats(min_value=0, max_value=1e6, allow_nan=False),
)
def test_uniform_stays_within_low_and_high(low, width):
    high = low + width
    x = draws(Quantity(dist="uniform", low=low, high=high), n=10_000)
    assert x.min() >= low
    assert x.max() <= high


@pytest.mark.parametrize(
    "q",
    [
        Quantity(dist="lognormal", mean=5, cv=0.8),
        Quantity(dist="gamma", mean=5, cv=0.8),
        Quantity(dist="exponential", mean=5),
        Quantity(dist="normal", mean=1, sd=2),
        Quantity(dist="uniform", low=1, high=9),
    ],
    ids=lambda q: q.dist,
)
def test_same_seed_draws_the_same_block(q):
    first = q.sample(np.random.default_rng(42), 1000)
    again = q.sample(np.random.default_rng(42), 1000)
    other = q.sample(np.random.default_rng(43), 1000)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**63 - 1), mean=means, cv=cvs)
def test_any_seed_reproduces_its_draws(seed, mean, cv):
    q = Quantity(dist="lognormal", mean=mean, cv=cv)
    assert np.array_equal(draws(q, n=64, seed=seed), draws(q, n=64, seed=seed))
