"""Self-check: the engine against queueing theory, where theory knows the answer.

Each experiment is a scenario in which orgsim *is* a textbook queue: one segment of identical
accounts raising Poisson tickets, and nothing else going on — no new accounts, onboarding,
touches, renewal work, churn, shocks or health effects, no time away from the queue
(`productive_share: 1`), handle times at their specialist's `handle_hours` (no `time_factor`),
fixed staffing. Under active_passive the support pool is then an M/M/c queue (M/G/c with
lognormal handle times); under full_stack, with books of equal size, each CSM is an M/M/1 queue
fed by their own accounts. Every experiment runs through the engine (`simulate.runner.run`,
invariants checked) for a number of replications, and each check compares one KPI with its
closed form in `simulate.theory`:

- exact results pass when the theory value lies inside the replications' 95% t-interval;
- an approximation (Allen–Cunneen for M/G/c) passes when that interval meets the band of
  ±15% around it.

Time is business hours; with `handle_hours` 1 the service rate is μ = 1 an hour.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from rich.table import Table

from simulate import theory
from simulate.consistency import parse
from simulate.designs import compared
from simulate.runner import Outcome, run
from simulate.scenario.schema import Scenario
from simulate.stats import LEVEL, t_interval

SEED = 20240601
SERVERS = 5  # support agents in the pool; CSMs under full_stack
HANDLE_HOURS = 1.0  # mean handle time: μ = 1 an hour
SLA_HOURS = 0.5  # sla.first_response_hours: the t of P(wait ≤ t)
QUANTILE = 0.9  # frt_p90_h
ACCOUNTS_PER_SERVER = 20  # full_stack books of exactly this many accounts each
LOADS = (0.5, 0.8, 0.95)  # utilization ρ of the Erlang C experiments
POOLING_LOAD = 0.8  # the load at which full_stack (N × M/M/1) is compared with the pool
AC_BAND = 0.15  # Allen–Cunneen's stated accuracy for M/G/c, relative
AC_CVS = (0.5, 1.5)  # coefficients of variation of the lognormal handle times


@dataclass(frozen=True)
class Size:
    """How much simulation a self-check does: replications of a horizon, in business months."""

    replications: int
    horizon_months: float
    warmup_months: float


SIZES = {
    "quick": Size(replications=20, horizon_months=50, warmup_months=2),
    "full": Size(replications=40, horizon_months=242, warmup_months=2),
}


@dataclass(frozen=True)
class CheckResult:
    """One comparison of the engine with theory."""

    case: str
    simulated: float  # mean over replications
    theory: float
    error: float  # (simulated − theory) ÷ theory
    passed: bool
    note: str  # what passing meant: the interval, or the band
    low: float = math.nan  # the replications' 95% interval
    high: float = math.nan


# --- the degenerate scenario -------------------------------------------------------------------

def queue_document(arrivals_per_hour: float, servers: int, *,
                   handle: dict[str, Any] | None = None,
                   designs: tuple[str, ...] = ("active_passive",),
                   sla_hours: float = SLA_HOURS,
                   horizon_months: float = 26, warmup_months: float = 2,
                   replications: int = 10, seed: int = SEED,
                   accounts: int | None = None) -> dict[str, Any]:
    """A scenario mapping that is a queue: `arrivals_per_hour` Poisson tickets in all, from
    `accounts` identical accounts (default 20 per server, so full_stack books are equal),
    handle times `handle` (a quantity; default exponential with mean 1 h), `servers` support
    agents under active_passive (plus the one CSM every design needs) and `servers` CSMs
    under full_stack."""
    accounts = accounts if accounts is not None else ACCOUNTS_PER_SERVER * servers
    hours_per_month = 8.0 * 250.0 / 12
    ones = dict.fromkeys(("green", "yellow_green", "yellow", "red"), 1.0)
    zeros = dict.fromkeys(ones, 0.0)
    staffing = {"active_passive": {"csm": 1, "support_agent": servers},
                "full_stack": {"csm": servers}}
    return {
        "name": "selfcheck_queue",
        "description": "Degenerate scenario: one segment, tickets only; a textbook queue.",
        "horizon_months": horizon_months,
        "warmup_months": warmup_months,
        "replications": replications,
        "seed": seed,
        "compare": list(designs),
        "calendar": {"hours_per_day": 8.0, "days_per_year": 250.0},
        "sla": {"first_response_hours": sla_hours},
        "segments": {
            "only": {
                "initial_accounts": accounts,
                "new_per_month": 0,
                "acv": {"dist": "fixed", "mean": 10000},
                "contract_months": math.ceil(horizon_months) + 12,  # no renewal falls due twice
                "renewal_risk": 0.0,  # and each one renews: nobody churns
                "onboarding_hours": 0,
                "tickets_per_month": arrivals_per_hour * hours_per_month / accounts,
                "touch_every_days": None,
                "renewal_hours": 0,
            }
        },
        "tickets": {
            "onboarding_factor": 1.0,
            "band_factor": ones,
            "types": {"only": {"share": 1.0, "escalation_rate": 0.0,
                               "handle_hours": handle or {"dist": "exponential", "mean": HANDLE_HOURS}}},
        },
        "roles": {
            "csm": {"annual_cost": 130000, "productive_share": 1.0, "attrition_per_year": 0},
            "support_agent": {"annual_cost": 60000, "productive_share": 1.0, "attrition_per_year": 0},
        },
        "health": {"decay_per_month": 0.0, "touch": 0.0, "ticket_resolved": 0.0, "late_per_sla": 0.0,
                   "shock": {"per_year": 0.0, "points": 0.0}},
        "renewal": {"probability": ones, "unworked_factor": 1.0, "expansion_probability": zeros,
                    "expansion_size": 0.0},
        "opt_out": {"share": 0.0, "per_month_red": 0.0},
        "expansion": {"csql_per_touch": 0.0, "win_rate": 0.0, "size": 0.0},
        "referrals": {"per_green_account_year": 0.0},
        "staffing": {name: staffing[name] for name in designs},
    }


def queue_scenario(arrivals_per_hour: float, servers: int, **options: Any) -> Scenario:
    """`queue_document(...)`, validated."""
    return parse(queue_document(arrivals_per_hour, servers, **options), "<selfcheck>")


# --- per-replication values ---------------------------------------------------------------------

def kpi_values(outcomes: list[Outcome], kpi: str) -> np.ndarray:
    """One whole-book KPI over the whole measured period, a value per replication."""
    return np.array([o.kpi(kpi) for o in outcomes])


def backlog_means(outcomes: list[Outcome], scenario: Scenario) -> np.ndarray:
    """Per replication, the mean of the month-end open-ticket counts after warm-up."""
    start = scenario.warmup_months
    return np.array([np.mean([m["backlog"] for m in o.monthly if m["month"] > start])
                     for o in outcomes])


# --- checks ------------------------------------------------------------------------------------

def within_interval(case: str, values: np.ndarray, exact: float) -> CheckResult:
    """Passes when the exact value lies inside the replications' 95% t-interval."""
    mean, low, high, _ = t_interval(values)
    return CheckResult(case, mean, exact, _relative(mean, exact), bool(low <= exact <= high),
                       f"{LEVEL:.0%} CI [{_num(low)}, {_num(high)}]", low, high)


def within_band(case: str, values: np.ndarray, approx: float, band: float = AC_BAND) -> CheckResult:
    """Passes when the replications' 95% t-interval meets approx × (1 ± band)."""
    mean, low, high, _ = t_interval(values)
    below, above = approx * (1 - band), approx * (1 + band)
    return CheckResult(case, mean, approx, _relative(mean, approx), bool(low <= above and high >= below),
                       f"±{band:.0%} band; CI [{_num(low)}, {_num(high)}]", low, high)


def _relative(simulated: float, exact: float) -> float:
    return (simulated - exact) / exact if exact else math.nan


def _num(value: float) -> str:
    return f"{value:.3g}" if math.isfinite(value) else "–"


def erlang_c_checks(label: str, lam: float, mu: float, c: int, outcomes: list[Outcome],
                    scenario: Scenario) -> list[CheckResult]:
    """Mean wait, share answered within the SLA and p90 wait of an M/M/c pool."""
    t = scenario.sla.first_response_hours
    return [
        within_interval(f"{label}: frt_mean_h = Wq", kpi_values(outcomes, "frt_mean_h"),
                        theory.mmc_wq(lam, mu, c)),
        within_interval(f"{label}: sla_met = P(wait ≤ {t:g} h)", kpi_values(outcomes, "sla_met"),
                        theory.sla_met(lam, mu, c, t)),
        within_interval(f"{label}: frt_p90_h = p90 of wait", kpi_values(outcomes, "frt_p90_h"),
                        theory.mmc_wait_quantile(lam, mu, c, QUANTILE)),
    ]


def little_check(label: str, lam: float, mean_in_system: float, outcomes: list[Outcome],
                 scenario: Scenario) -> CheckResult:
    """Month-end open tickets against Little's law, L = λ W."""
    return within_interval(f"{label}: backlog = λW (Little)", backlog_means(outcomes, scenario),
                           theory.little_l(lam, mean_in_system))


# --- the experiments ---------------------------------------------------------------------------

def _pooled(rho: float, outcomes: dict[str, list[Outcome]], sc: Scenario) -> list[CheckResult]:
    lam, mu, c = rho * SERVERS / HANDLE_HOURS, 1 / HANDLE_HOURS, SERVERS
    label = f"M/M/{c} pool ρ={rho:.2f}"
    pooled = outcomes["active_passive"]
    checks = erlang_c_checks(label, lam, mu, c, pooled, sc)
    if "full_stack" not in outcomes:
        return checks
    checks.append(little_check(label, lam, theory.mmc_w(lam, mu, c), pooled, sc))
    separate = outcomes["full_stack"]
    label = f"{c} × M/M/1 full_stack ρ={rho:.2f}"
    checks.append(within_interval(f"{label}: frt_mean_h = Wq", kpi_values(separate, "frt_mean_h"),
                                  theory.mm1_wq(lam / c, mu)))
    checks.append(little_check(label, lam, theory.mm1_wq(lam / c, mu) + 1 / mu, separate, sc))
    gain = kpi_values(separate, "frt_mean_h") / kpi_values(pooled, "frt_mean_h")  # paired (CRN)
    checks.append(within_interval(f"pooling gain ρ={rho:.2f}: full_stack ÷ pool frt_mean_h", gain,
                                  theory.pooling_gain(lam, mu, c)))
    return checks


def _allen_cunneen(cv: float) -> Callable[[dict[str, list[Outcome]], Scenario], list[CheckResult]]:
    def checks(outcomes: dict[str, list[Outcome]], sc: Scenario) -> list[CheckResult]:
        lam = POOLING_LOAD * SERVERS / HANDLE_HOURS
        approx = theory.allen_cunneen_wq(lam, HANDLE_HOURS, SERVERS, cv * cv)
        return [within_band(f"M/G/{SERVERS} lognormal cv {cv:g} ρ={POOLING_LOAD:.2f}: frt_mean_h ≈ A–C",
                            kpi_values(outcomes["active_passive"], "frt_mean_h"), approx)]

    return checks


@dataclass(frozen=True)
class Experiment:
    """One degenerate scenario, the designs it runs and the checks read from its outcomes."""

    rho: float
    designs: tuple[str, ...]
    checks: Callable[[dict[str, list[Outcome]], Scenario], list[CheckResult]]
    handle: dict[str, Any] | None = None


EXPERIMENTS: tuple[Experiment, ...] = (
    *(Experiment(rho, ("active_passive", "full_stack") if rho == POOLING_LOAD else ("active_passive",),
                 functools.partial(_pooled, rho)) for rho in LOADS),
    *(Experiment(POOLING_LOAD, ("active_passive",), _allen_cunneen(cv),
                 {"dist": "lognormal", "mean": HANDLE_HOURS, "cv": cv}) for cv in AC_CVS),
)


def task_count(size: str = "quick") -> int:
    """Replications the self-check simulates, all designs together (for a progress bar)."""
    return SIZES[size].replications * sum(len(e.designs) for e in EXPERIMENTS)


def cases(size: str = "quick", jobs: int | None = None,
          progress: Callable[[], None] | None = None) -> list[CheckResult]:
    """Run every experiment at `size` ("quick" or "full") and check it against theory."""
    chosen = SIZES[size]
    jobs = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    results: list[CheckResult] = []
    for index, experiment in enumerate(EXPERIMENTS):  # each its own seed: independent evidence
        sc = queue_scenario(experiment.rho * SERVERS / HANDLE_HOURS, SERVERS, handle=experiment.handle,
                            designs=experiment.designs, horizon_months=chosen.horizon_months,
                            warmup_months=chosen.warmup_months, replications=chosen.replications,
                            seed=SEED + index)
        outcomes = run(sc, compared(sc), replications=sc.replications, seed=sc.seed, jobs=jobs,
                       progress=progress)
        by_design = {name: [o for o in outcomes if o.design == name] for name in experiment.designs}
        results.extend(experiment.checks(by_design, sc))
    return results


def render(results: list[CheckResult], title: str = "orgsim self-check: the engine against "
           "queueing theory") -> Table:
    """The results as a table: case, simulated, theory, error, pass, and what passing meant."""
    table = Table(title=title, title_justify="left")
    table.add_column("case")
    for column in ("simulated", "theory", "error"):
        table.add_column(column, justify="right")
    table.add_column("pass", justify="center")
    table.add_column("note")
    for r in results:
        table.add_row(r.case, f"{r.simulated:.4g}", f"{r.theory:.4g}", f"{r.error:+.1%}",
                      "[green]✓[/green]" if r.passed else "[bold red]✗[/bold red]", r.note)
    return table
