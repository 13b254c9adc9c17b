"""Overload: a role's queue that keeps growing is flagged, from whenever in the run it starts,
and a stable queue, however busy, is not (issue 13).

Theory says what to expect. A pool of c servers at rate μ fed at λ > cμ is an M/M/c queue
that never settles: its backlog grows at λ − cμ. Fed at λ < cμ (ρ = λ/cμ < 1) it fluctuates
about Erlang C's mean and does not grow, even at ρ = 0.95. When the book grows and staffing
stays fixed, λ(t) = λ₀ + g·t crosses cμ at t* = (cμ − λ₀)/g, and from then on the backlog
grows at λ(t) − cμ = g·(t − t*): its least-squares slope over a window of months is that
rate at the window's middle month.

The engine tests use `simulate.selfcheck.queue_document`'s scenarios (one segment of identical
accounts raising Poisson tickets, exponential handle times of 1 h, nothing else going on,
fixed staffing); the false-alarm rates use a birth–death simulation of M/M/c month ends,
exact by uniformization, to afford hundreds of seeds.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import numpy as np
import pytest

from simulate.consistency import parse
from simulate.designs import compared
from simulate.kpis.overload import FIT_MONTHS, Growth, growth
from simulate.report import write_report
from simulate.results import tables, write_run
from simulate.runner import Outcome, run
from simulate.selfcheck import queue_document
from simulate.table import unstable_lines

C, MU = 5, 1.0  # support agents; handle time 1 h
HOURS_PER_MONTH = 8.0 * 250.0 / 12
CAPACITY = C * MU * HOURS_PER_MONTH  # tickets the pool can answer a month: cμ ≈ 833


def runs(doc: dict[str, Any], replications: int) -> list[Outcome]:
    sc = parse(doc, "<overload>")
    return run(sc, compared(sc), replications=replications, seed=sc.seed, jobs=1)


def support_queue(outcome: Outcome) -> tuple[np.ndarray, np.ndarray]:
    months = np.array([m["month"] for m in outcome.monthly], float)
    return months, np.array([m["queue_support_agent"] for m in outcome.monthly], float)


# --- The case: the book grows, support staffing is fixed -------------------------------

START_LOAD = 0.6  # ρ at month 0
NEW_PER_MONTH = 5  # accounts; each raises the same tickets as the first 100
ACCOUNTS = 100
HORIZON, WARMUP = 26, 2


def growing_book(seed: int = 3) -> tuple[dict[str, Any], float, float]:
    """(scenario, ticket growth g a month per month, the month t* at which λ reaches cμ)."""
    doc = queue_document(START_LOAD * CAPACITY / HOURS_PER_MONTH, C, horizon_months=HORIZON,
                         warmup_months=WARMUP, replications=4, seed=seed, accounts=ACCOUNTS)
    doc["segments"]["only"]["new_per_month"] = NEW_PER_MONTH
    per_account = doc["segments"]["only"]["tickets_per_month"]
    g = NEW_PER_MONTH * per_account
    return doc, g, (CAPACITY - START_LOAD * CAPACITY) / g


@pytest.fixture(scope="module")
def tipped() -> tuple[list[Outcome], float, float]:
    doc, g, crossing = growing_book()
    return runs(doc, 4), g, crossing


def test_a_support_queue_that_tips_over_half_way_is_flagged(tipped):
    """The issue: utilization averages ~90% over the run, so a whole-run saturation rule missed
    a queue that went from 0 to thousands of tickets in its second half."""
    outcomes, _, _ = tipped
    assert all(o.kpi("utilization_support_agent") < 0.95 for o in outcomes)
    assert [o.overloaded for o in outcomes] == [["support_agent"]] * len(outcomes)


def test_the_growth_is_dated_from_about_when_arrivals_pass_capacity(tipped):
    outcomes, _, crossing = tipped
    for o in outcomes:
        found = growth(*support_queue(o), WARMUP)
        assert found is not None
        assert crossing - 1 <= found.since <= crossing + 5, (found, crossing)


def test_the_backlog_grows_at_arrivals_minus_capacity_at_the_fit_windows_middle(tipped):
    outcomes, g, crossing = tipped
    middle = HORIZON - (FIT_MONTHS - 1) / 2
    expected = g * (middle - crossing)
    rates = [growth(*support_queue(o), WARMUP).per_month for o in outcomes]
    assert np.mean(rates) == pytest.approx(expected, rel=0.15), (rates, expected)


# --- Overloaded from the start ------------------------------------------------------------------

def test_an_mmc_queue_fed_above_capacity_grows_at_lambda_minus_c_mu():
    rho = 1.2
    doc = queue_document(rho * C * MU, C, horizon_months=14, warmup_months=1, replications=3, seed=11)
    outcomes = runs(doc, 3)
    assert all(o.overloaded == ["support_agent"] for o in outcomes)
    rates = [growth(*support_queue(o), 1).per_month for o in outcomes]
    assert np.mean(rates) == pytest.approx((rho - 1) * CAPACITY, rel=0.05)
    assert all(growth(*support_queue(o), 1).since <= 1 for o in outcomes)


# --- Stable queues, however busy, are not flagged -----------------------------------------------

def test_a_stable_support_queue_at_95_percent_utilization_is_not_flagged_in_any_replication():
    doc = queue_document(0.95 * C * MU, C, horizon_months=HORIZON, warmup_months=WARMUP,
                         replications=6, seed=2024)
    outcomes = runs(doc, 6)
    assert all(o.kpi("utilization_support_agent") > 0.93 for o in outcomes)
    assert [o.overloaded for o in outcomes] == [[]] * 6


def mmc_month_ends(lam: float, mu: float, c: int, months: int, seeds: int,
                   rng: np.random.Generator) -> np.ndarray:
    """Tickets waiting (not in service) at each month end of an M/M/c queue started empty,
    for `seeds` independent runs at once: uniformized at rate R = λ + cμ, each month is a
    Poisson(R) number of steps, each an arrival (λ/R), a service completion (min(n, c)μ/R) or
    nothing. Rates are per month. Returns an array (seeds, months)."""
    rate = lam + c * mu
    n = np.zeros(seeds, int)
    out = np.zeros((seeds, months))
    for m in range(months):
        steps = rng.poisson(rate, seeds)
        u = rng.random((int(steps.max()), seeds))
        for k in range(u.shape[0]):
            active = k < steps
            arrive = u[k] < lam / rate
            leave = ~arrive & (u[k] < (lam + np.minimum(n, c) * mu) / rate)
            n += active & arrive
            n -= active & leave
        out[:, m] = np.maximum(n - c, 0)
    return out


def flagged_share(lam: float, mu: float, c: int, seeds: int = 200, months: int = 26,
                  warmup: int = 2, seed: int = 1) -> float:
    queues = mmc_month_ends(lam, mu, c, months, seeds, np.random.default_rng(seed))
    month = np.arange(1, months + 1, dtype=float)
    return float(np.mean([growth(month, q, warmup) is not None for q in queues]))


@pytest.mark.parametrize(("c", "lam"), [(5, 0.95 * CAPACITY), (1, 0.95 * 40.0), (1, 0.95 * 10.0)],
                         ids=["c=5 busy pool", "c=1 40 a month", "c=1 10 a month"])
def test_false_alarms_on_stable_queues_at_rho_095_are_rare(c, lam):
    """ρ = 0.95 over 200 runs of 24 measured months: a pool of five answering ~800 tickets a
    month, and single servers with 40 or 10 items a month, whose queues wander for years."""
    mu = lam / (0.95 * c)
    assert flagged_share(lam, mu, c) <= 0.01


@pytest.mark.parametrize(("c", "lam", "rho"), [(5, 1.1 * CAPACITY, 1.1), (1, 1.5 * 40.0, 1.5)],
                         ids=["c=5 at 110%", "c=1 at 150%"])
def test_queues_fed_above_capacity_are_caught(c, lam, rho):
    mu = lam / (rho * c)
    assert flagged_share(lam, mu, c, seeds=100) >= 0.99


def test_a_queue_that_never_rises_above_a_handful_is_not_flagged():
    month = np.arange(1.0, 27.0)
    assert growth(month, np.r_[np.zeros(14), np.arange(12) * 1.5], 2) is None  # 0 → 16.5
    assert growth(month, np.zeros(26), 2) is None


def test_growth_says_from_when_how_fast_and_how_long_the_queue_is_at_the_end():
    month = np.arange(1.0, 25.0)
    queue = np.where(month > 10, (month - 10) * 300.0, 3.0)
    found = growth(month, queue, 2)
    assert isinstance(found, Growth)
    assert found.since == 10 and found.per_month == pytest.approx(300) and found.end == 4200


# --- What the user sees: manifest, terminal and report -----------------------------------------

def test_the_flag_reaches_manifest_terminal_and_report_with_when_and_how_fast(tipped, tmp_path):
    """The run's files from the simulated replications: manifest.json's `unstable` keeps its
    structure, the terminal line is unchanged, and the report dates the growth and sizes it."""
    outcomes = tipped[0]
    doc, _, _ = growing_book()
    sc = parse(doc, "<overload>")
    t = tables(outcomes, ["active_passive"])
    path = write_run(tmp_path, sc, t, {}, finish=write_report)
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["unstable"] == {"active_passive": {"support_agent": 4}}
    assert unstable_lines(manifest["unstable"], 4) == [
        "⚠ active_passive unstable: support_agent queue grows without bound (4/4 replications); "
        "its KPIs understate the wait"]
    page = (path / "report.html").read_text()
    alert = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page[page.index("class='alert'"):])))
    since = sorted(growth(*support_queue(o), WARMUP).since for o in outcomes)
    match = re.search(r"its backlog has grown since month (\d+) \(median of 4 replications; (\d+)–(\d+)\) "
                      r"by about ([\d,]+) a month over the last 12 months, to ([\d,]+) waiting at month 26",
                      alert)
    assert match, alert[:600]
    assert int(match[1]) == since[1]  # the lower median
    assert (int(match[2]), int(match[3])) == (since[0], since[-1])
