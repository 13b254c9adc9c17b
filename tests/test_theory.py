"""Queueing formulas against published values and their defining properties (no simulation)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulate import theory

# The worked Erlang C example of callcentrehelper.com: 100 calls in 30 minutes, 180 s handle
# time (a = 10 Erlangs), service level within 20 s. Rates per second.
CALLS, AHT, ANSWER_WITHIN = 100 / 1800, 180.0, 20.0


def direct_erlang_c(c: int, a: float) -> float:
    """Erlang C from its textbook sum, independent of the recursion under test."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def test_erlang_c_two_servers_unit_load_waits_one_third_of_the_time():
    assert theory.erlang_c(2, 1.0) == pytest.approx(1 / 3)


def test_erlang_c_three_servers_load_two_is_four_ninths():
    assert theory.erlang_c(3, 2.0) == pytest.approx(4 / 9)


def test_erlang_c_of_one_server_is_its_utilization():
    assert theory.erlang_c(1, 0.7) == pytest.approx(0.7)


def test_call_centre_example_matches_published_figures():
    # 11 agents: P(wait) 68.21%, 39.0% answered within 20 s, average speed of answer 122.8 s
    mu = 1 / AHT
    assert theory.erlang_c(11, CALLS / mu) == pytest.approx(0.6821, abs=5e-5)
    assert theory.sla_met(CALLS, mu, 11, ANSWER_WITHIN) == pytest.approx(0.390, abs=5e-4)
    assert theory.mmc_wq(CALLS, mu, 11) == pytest.approx(122.8, abs=0.05)
    # 14 agents: 88.8% within 20 s, answered in 7.8 s on average; the fewest for 80%
    assert theory.sla_met(CALLS, mu, 14, ANSWER_WITHIN) == pytest.approx(0.888, abs=5e-4)
    assert theory.mmc_wq(CALLS, mu, 14) == pytest.approx(7.84, abs=0.005)
    assert theory.min_servers_for_sla(CALLS, mu, ANSWER_WITHIN, 0.80) == 14


def test_mm1_mean_wait_is_rho_over_mu_minus_lambda():
    assert theory.mm1_wq(0.8, 1.0) == pytest.approx(0.8 / (1.0 - 0.8))
    assert theory.mm1_wq(3.0, 4.0) == pytest.approx(0.75 / 1.0)


def test_mm1_wait_tail_and_quantile_are_rho_times_exponential():
    lam, mu = 0.8, 1.0
    assert theory.mm1_wait_exceeds(lam, mu, 2.0) == pytest.approx(0.8 * math.exp(-0.2 * 2.0))
    assert theory.mm1_sla_met(lam, mu, 0.0) == pytest.approx(0.2)  # P(served at once) = 1 − ρ
    assert theory.mm1_wait_quantile(lam, mu, 0.9) == pytest.approx(math.log(8) / 0.2)
    assert theory.mm1_wait_quantile(0.05, 1.0, 0.9) == 0.0  # 95% never wait: p90 is zero


def test_mmc_means_obey_littles_law_and_the_textbook_lq():
    lam, mu, c = 4.0, 1.0, 5
    a = lam / mu
    p0 = 1 / (sum(a**k / math.factorial(k) for k in range(c)) + a**c / math.factorial(c) / (1 - a / c))
    lq = p0 * a**c * (a / c) / (math.factorial(c) * (1 - a / c) ** 2)
    assert theory.mmc_lq(lam, mu, c) == pytest.approx(lq)
    assert theory.mmc_l(lam, mu, c) == pytest.approx(lq + a)
    assert theory.mmc_w(lam, mu, c) == pytest.approx(theory.mmc_wq(lam, mu, c) + 1 / mu)
    assert theory.little_w(lam, theory.mmc_l(lam, mu, c)) == pytest.approx(theory.mmc_w(lam, mu, c))


def test_pooling_five_queues_at_eighty_percent_cuts_waits_about_sevenfold():
    separate = theory.mm1_wq(0.8, 1.0)  # 4 h
    pooled = theory.mmc_wq(4.0, 1.0, 5)  # C(5, 4) = 0.5541 → 0.5541 h
    assert pooled == pytest.approx(0.5541, abs=5e-5)
    assert theory.pooling_gain(4.0, 1.0, 5) == pytest.approx(separate / pooled)


def test_allen_cunneen_is_exact_for_exponential_and_halves_for_deterministic_service():
    assert theory.allen_cunneen_wq(4.0, 1.0, 5, cs2=1.0) == pytest.approx(theory.mmc_wq(4.0, 1.0, 5))
    assert theory.allen_cunneen_wq(4.0, 1.0, 5, cs2=0.0) == pytest.approx(theory.mmc_wq(4.0, 1.0, 5) / 2)


def test_allen_cunneen_with_one_server_is_pollaczek_khinchine():
    lam, mean, cs2 = 0.6, 1.0, 2.25
    rho = lam * mean
    pk = rho * mean * (1 + cs2) / (2 * (1 - rho))
    assert theory.allen_cunneen_wq(lam, mean, 1, cs2) == pytest.approx(pk)


def test_an_unstable_queue_waits_forever():
    assert theory.erlang_c(3, 3.0) == 1.0
    assert theory.mmc_wq(3.0, 1.0, 3) == math.inf
    assert theory.sla_met(5.0, 1.0, 3, 10.0) == 0.0
    assert theory.mmc_wait_quantile(5.0, 1.0, 3, 0.9) == math.inf


def test_a_quantile_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError):
        theory.mmc_wait_quantile(1.0, 1.0, 2, 1.0)


# --- properties --------------------------------------------------------------------------------

servers = st.integers(min_value=1, max_value=60)
utilization = st.floats(min_value=0.01, max_value=0.99)


@given(c=servers, rho=utilization)
def test_erlang_c_agrees_with_the_textbook_sum_and_is_a_probability(c, rho):
    a = rho * c
    value = theory.erlang_c(c, a)
    assert 0.0 <= value <= 1.0
    if c <= 30:  # the direct sum overflows no sooner, but loses precision beyond
        assert value == pytest.approx(direct_erlang_c(c, a), rel=1e-9, abs=1e-12)


@given(c=servers, a=st.floats(min_value=0.0, max_value=50.0))
def test_another_server_never_raises_the_chance_of_waiting(c, a):
    assert theory.erlang_c(c + 1, a) <= theory.erlang_c(c, a) + 1e-12


@given(c=servers, rho=utilization, more=st.floats(min_value=0.0, max_value=0.5))
def test_more_load_never_shortens_the_mean_wait(c, rho, more):
    lam = rho * c
    assert theory.mmc_wq(lam * (1 + more), 1.0, c) >= theory.mmc_wq(lam, 1.0, c) - 1e-12


@given(c=servers, rho=utilization)
def test_more_servers_never_lengthen_the_mean_wait(c, rho):
    lam = rho * c
    assert theory.mmc_wq(lam, 1.0, c + 1) <= theory.mmc_wq(lam, 1.0, c) + 1e-12


@given(c=servers, rho=utilization, t=st.floats(0.0, 20.0), dt=st.floats(0.0, 5.0))
def test_a_longer_sla_is_met_at_least_as_often(c, rho, t, dt):
    lam = rho * c
    assert theory.sla_met(lam, 1.0, c, t + dt) >= theory.sla_met(lam, 1.0, c, t) - 1e-12


@given(c=servers, rho=utilization, p=st.floats(0.01, 0.999))
def test_the_wait_quantile_inverts_the_tail(c, rho, p):
    lam = rho * c
    q = theory.mmc_wait_quantile(lam, 1.0, c, p)
    assert q >= 0.0
    if q > 0:
        assert theory.mmc_wait_exceeds(lam, 1.0, c, q) == pytest.approx(1 - p, rel=1e-9)
    else:
        assert theory.erlang_c(c, lam) <= 1 - p + 1e-12


@given(c=servers, rho=utilization)
def test_mean_wait_is_the_integral_of_the_tail(c, rho):
    lam = rho * c
    rate = c - lam  # cμ − λ with μ = 1
    assert theory.mmc_wq(lam, 1.0, c) == pytest.approx(theory.mmc_wait_exceeds(lam, 1.0, c, 0.0) / rate)


@given(n=st.integers(2, 40), rho=utilization)
def test_pooling_never_loses(n, rho):
    assert theory.pooling_gain(rho * n, 1.0, n) >= 1.0 - 1e-9


@given(c=servers, rho=utilization, cs2=st.floats(0.0, 4.0), more=st.floats(0.0, 2.0))
def test_more_variable_handle_times_never_shorten_the_allen_cunneen_wait(c, rho, cs2, more):
    lam = rho * c
    assert (theory.allen_cunneen_wq(lam, 1.0, c, cs2 + more)
            >= theory.allen_cunneen_wq(lam, 1.0, c, cs2) - 1e-12)


@given(lam=st.floats(0.1, 50.0), t=st.floats(0.05, 8.0), target=st.floats(0.5, 0.99))
def test_min_servers_for_sla_is_the_fewest_that_meet_it(lam, t, target):
    c = theory.min_servers_for_sla(lam, 1.0, t, target)
    assert c > lam  # stable
    assert theory.sla_met(lam, 1.0, c, t) >= target
    if c - 1 > lam:
        assert theory.sla_met(lam, 1.0, c - 1, t) < target
