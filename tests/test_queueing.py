"""The engine against queueing theory: where orgsim is a textbook queue, it gives theory's answer.

The scenarios are `simulate.selfcheck.queue_document`'s: one segment of identical accounts
raising Poisson tickets and nothing else (no onboarding, touches, renewal work, churn, shocks
or time away), exponential handle times of mean 1 h (μ = 1/h) unless a test says otherwise,
c = 5 servers, fixed staffing. Exact results must lie inside the replications' 95% t-interval;
the Allen–Cunneen approximation within its ±15% band. Seeds are fixed, so every run is the same.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from simulate import theory
from simulate.designs import compared, resolve
from simulate.model.record import Record
from simulate.model.world import simulate
from simulate.runner import Outcome, run
from simulate.scenario.schema import Scenario
from simulate.selfcheck import (
    AC_BAND,
    POOLING_LOAD,
    QUANTILE,
    CheckResult,
    backlog_means,
    kpi_values,
    queue_scenario,
    within_band,
    within_interval,
)

SEED = 7  # not the self-check's: these runs are evidence of their own
C, MU = 5, 1.0
LOADS = (0.5, 0.8, 0.95)
REPLICATIONS = 20
HORIZON, WARMUP = 50, 2  # business months; 48 measured: 20,000–38,000 tickets a replication


def outcomes_of(rho: float, designs: tuple[str, ...] = ("active_passive",), handle: dict | None = None,
                horizon: float = HORIZON) -> tuple[dict[str, list[Outcome]], Scenario]:
    """The replications of each design, run through the engine (invariants checked)."""
    sc = queue_scenario(rho * C * MU, C, designs=designs, handle=handle, horizon_months=horizon,
                        warmup_months=WARMUP, replications=REPLICATIONS, seed=SEED)
    outcomes = run(sc, compared(sc), replications=REPLICATIONS, seed=SEED, jobs=2)
    return {d: [o for o in outcomes if o.design == d] for d in designs}, sc


@functools.cache
def queue_runs(rho: float) -> tuple[dict[str, list[Outcome]], Scenario]:
    """The support pool at load ρ; at ρ = 0.8, full_stack with the same headcount beside it."""
    return outcomes_of(rho, ("active_passive", "full_stack") if rho == POOLING_LOAD else ("active_passive",))


def assert_inside(check: CheckResult) -> None:
    assert check.passed, (f"{check.case}: simulated {check.simulated:.5g} (95% CI "
                          f"[{check.low:.5g}, {check.high:.5g}]) vs theory {check.theory:.5g}")


@pytest.fixture(params=LOADS, ids=lambda rho: f"rho={rho}")
def pooled(request) -> tuple[float, float, list[Outcome], Scenario]:
    """(ρ, λ, the support pool's replications, scenario)."""
    outcomes, sc = queue_runs(request.param)
    return request.param, request.param * C * MU, outcomes["active_passive"], sc


@pytest.fixture
def side_by_side() -> tuple[float, dict[str, list[Outcome]], Scenario]:
    """(λ, both designs' replications, scenario) at ρ = 0.8."""
    outcomes, sc = queue_runs(POOLING_LOAD)
    return POOLING_LOAD * C * MU, outcomes, sc


# --- Erlang C ------------------------------------------------------------------------------------

@pytest.mark.slow
def test_pooled_support_mean_first_response_is_erlang_c_wq(pooled):
    rho, lam, outcomes, _ = pooled
    assert_inside(within_interval(f"Wq ρ={rho}", kpi_values(outcomes, "frt_mean_h"),
                                  theory.mmc_wq(lam, MU, C)))


@pytest.mark.slow
def test_pooled_support_sla_met_is_one_minus_c_times_exponential_tail(pooled):
    rho, lam, outcomes, sc = pooled
    t = sc.sla.first_response_hours
    assert_inside(within_interval(f"sla_met ρ={rho}", kpi_values(outcomes, "sla_met"),
                                  theory.sla_met(lam, MU, C, t)))


@pytest.mark.slow
def test_pooled_support_frt_p90_is_the_erlang_c_wait_quantile(pooled):
    rho, lam, outcomes, _ = pooled
    assert_inside(within_interval(f"p90 ρ={rho}", kpi_values(outcomes, "frt_p90_h"),
                                  theory.mmc_wait_quantile(lam, MU, C, QUANTILE)))


# --- full_stack: N independent M/M/1 queues; pooling ----------------------------------------------

def test_full_stack_books_of_identical_accounts_are_equal():
    sc = queue_scenario(POOLING_LOAD * C * MU, C, designs=("full_stack",), horizon_months=3, warmup_months=1)
    record = simulate(sc, resolve(sc, "full_stack"), SEED)
    books = [p.book for p in record.staff if p.role == "csm"]
    assert books == [sc.segments["only"].initial_accounts // C] * C


@pytest.mark.slow
def test_full_stack_csms_are_independent_mm1_queues(side_by_side):
    lam, outcomes, sc = side_by_side
    separate = outcomes["full_stack"]
    t = sc.sla.first_response_hours
    assert_inside(within_interval("M/M/1 Wq", kpi_values(separate, "frt_mean_h"), theory.mm1_wq(lam / C, MU)))
    assert_inside(within_interval("M/M/1 sla_met", kpi_values(separate, "sla_met"),
                                  theory.mm1_sla_met(lam / C, MU, t)))
    assert_inside(within_interval("M/M/1 p90", kpi_values(separate, "frt_p90_h"),
                                  theory.mm1_wait_quantile(lam / C, MU, QUANTILE)))


@pytest.mark.slow
def test_pooling_the_same_headcount_cuts_the_mean_wait_by_theorys_factor(side_by_side):
    lam, outcomes, _ = side_by_side
    # paired by replication: both designs see the same tickets (common random numbers)
    gain = kpi_values(outcomes["full_stack"], "frt_mean_h") / kpi_values(outcomes["active_passive"],
                                                                         "frt_mean_h")
    assert_inside(within_interval("pooling gain", gain, theory.pooling_gain(lam, MU, C)))
    assert gain.min() > 1.0  # pooling wins in every replication, not just on average


# --- Little's law on the backlog -----------------------------------------------------------------

@pytest.fixture(scope="module")
def records() -> tuple[Scenario, list[Record]]:
    """Ten replications of the ρ = 0.8 support pool, kept whole: the ticket log is read."""
    sc = queue_scenario(POOLING_LOAD * C * MU, C, horizon_months=26, warmup_months=WARMUP, seed=SEED)
    design = resolve(sc, "active_passive")
    seeds = range(SEED, SEED + 10)
    return sc, [simulate(sc, design, s) for s in seeds]


def ticket_times(record: Record) -> tuple[np.ndarray, np.ndarray]:
    """Created and resolved times; an unresolved ticket counts as resolved at the horizon."""
    created = np.frombuffer(record.tickets.created, dtype=float)
    resolved = np.frombuffer(record.tickets.resolved, dtype=float)
    return created, np.where(resolved >= 0, resolved, record.horizon)


def test_month_end_backlog_is_the_count_of_open_tickets_in_the_log(records):
    sc, recs = records
    for record in recs:
        created = np.frombuffer(record.tickets.created, dtype=float)
        resolved = np.frombuffer(record.tickets.resolved, dtype=float)  # -1: still open
        for month in record.monthly:
            at = min(month["month"] * sc.hours_per_month, record.horizon)
            open_then = int(((created <= at) & ((resolved < 0) | (resolved > at))).sum())
            assert month["backlog"] == open_then, f"month {month['month']}"


def test_time_average_backlog_is_arrival_rate_times_time_in_system(records):
    """Little's law on each sample path: the time-average of the open-ticket count over the
    window equals (tickets created ÷ window) × their mean time in system, but for the few
    tickets straddling its ends."""
    _, recs = records
    for record in recs:
        created, resolved = ticket_times(record)
        w0, end = record.window_start, record.horizon
        area = np.clip(np.minimum(resolved, end) - np.maximum(created, w0), 0.0, None).sum()
        in_window = created >= w0
        lam_hat = in_window.sum() / (end - w0)
        w_hat = (resolved[in_window] - created[in_window]).mean()
        assert area / (end - w0) == pytest.approx(lam_hat * w_hat, rel=5e-3)


@pytest.mark.slow
def test_mean_backlog_is_littles_l_of_the_erlang_c_queue(records):
    sc, recs = records
    lam = POOLING_LOAD * C * MU
    exact = theory.mmc_l(lam, MU, C)  # λ (Wq + 1/μ)
    time_average = []
    for record in recs:
        created, resolved = ticket_times(record)
        w0, end = record.window_start, record.horizon
        area = np.clip(np.minimum(resolved, end) - np.maximum(created, w0), 0.0, None).sum()
        time_average.append(area / (end - w0))
    assert_inside(within_interval("time-average backlog", np.array(time_average), exact))
    month_ends = [np.mean([m["backlog"] for m in r.monthly if m["month"] > sc.warmup_months])
                  for r in recs]
    assert_inside(within_interval("month-end backlog", np.array(month_ends), exact))


@pytest.mark.slow
def test_month_end_backlog_of_full_stack_is_n_times_mm1_l(side_by_side):
    lam, outcomes, sc = side_by_side
    exact = theory.little_l(lam, theory.mm1_wq(lam / C, MU) + 1 / MU)
    assert_inside(within_interval("full_stack backlog", backlog_means(outcomes["full_stack"], sc),
                                  exact))


# --- general handle times: Allen–Cunneen ----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("dist", ["lognormal", "gamma"])
@pytest.mark.parametrize("cv", [0.5, 1.5])
def test_general_handle_times_mean_wait_within_allen_cunneen_band(dist, cv):
    rho = POOLING_LOAD
    outcomes, _ = outcomes_of(rho, handle={"dist": dist, "mean": 1 / MU, "cv": cv}, horizon=38)
    approx = theory.allen_cunneen_wq(rho * C * MU, 1 / MU, C, cv * cv)
    check = within_band(f"{dist} cv {cv}", kpi_values(outcomes["active_passive"], "frt_mean_h"), approx)
    assert check.passed, (f"{check.case}: simulated {check.simulated:.4g} (95% CI [{check.low:.4g}, "
                          f"{check.high:.4g}]) outside Allen–Cunneen {approx:.4g} ± {AC_BAND:.0%}")


# --- the command -------------------------------------------------------------------------------

def test_selfcheck_command_prints_the_table_and_exits_1_when_a_check_fails(monkeypatch):
    from click.testing import CliRunner

    from simulate.cli import main
    from simulate.commands import selfcheck as command

    results = [CheckResult("agrees", 1.0, 1.0, 0.0, True, "95% CI [0.9, 1.1]", 0.9, 1.1),
               CheckResult("disagrees", 2.0, 1.0, 1.0, False, "95% CI [1.9, 2.1]", 1.9, 2.1)]
    monkeypatch.setattr(command, "cases", lambda size, jobs, progress: results)
    failing = CliRunner().invoke(main, ["selfcheck", "--size", "quick"])
    assert failing.exit_code == 1
    assert "agrees" in failing.output and "disagrees" in failing.output
    assert "1 of 2 checks passed" in failing.output
    monkeypatch.setattr(command, "cases", lambda size, jobs, progress: results[:1])
    passing = CliRunner().invoke(main, ["selfcheck"])
    assert passing.exit_code == 0, passing.output
