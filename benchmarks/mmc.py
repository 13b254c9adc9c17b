"""Engine cost per ticket: orgsim on a scenario that is an M/M/c queue, next to a bare SimPy M/M/c.

λ = 9/h, μ = 1/h, c = 10 support agents (ρ = 0.9); best of N wall-clock runs of `simulate()` and of
a minimal hand-written SimPy model with the same λ, μ, c and ticket count, in this process. Both
models' mean wait is checked against Erlang C, so a fast but wrong engine cannot pass.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Generator
from typing import Any

import simpy

from benchmarks.targets import TARGET_WAIT_REL, WAIT_REL_AT
from simulate.designs import resolve
from simulate.model import simulate
from simulate.scenario import parse

LAMBDA = 9.0  # tickets per business hour, all accounts together
MU = 1.0  # services per business hour per agent
SERVERS = 10  # support agents
ACCOUNTS = 1000
HOURS_PER_DAY = 8.0
DAYS_PER_YEAR = 250.0
HOURS_PER_MONTH = HOURS_PER_DAY * DAYS_PER_YEAR / 12
WARMUP_MONTHS = 1.0
SEED = 20261122


# --- queueing theory ---------------------------------------------------------------------------
def erlang_c(servers: int, offered: float) -> float:
    """Probability that an arrival waits in an M/M/c queue with offered load a = λ/μ < c."""
    if offered >= servers:
        return 1.0
    term, below = 1.0, 1.0  # a^k / k!, and its sum over k < c
    for k in range(1, servers):
        term *= offered / k
        below += term
    top = term * offered / servers * servers / (servers - offered)  # a^c/c! · c/(c − a)
    return top / (below + top)


def wait_tolerance(tickets: int) -> float:
    """Allowed relative error of a mean wait over `tickets` tickets."""
    return TARGET_WAIT_REL * math.sqrt(max(1.0, WAIT_REL_AT / max(tickets, 1)))


def erlang_c_wq(lam: float, mu: float, servers: int) -> float:
    """Mean wait in queue (before service starts) of an M/M/c queue."""
    return erlang_c(servers, lam / mu) / (servers * mu - lam)


# --- the two models, timed ---------------------------------------------------------------------
def mmc_document(tickets: int) -> dict[str, Any]:
    """A scenario mapping equivalent to an M/M/c queue with about `tickets` tickets in all."""
    horizon_months = tickets / (LAMBDA * HOURS_PER_MONTH)
    horizon_months = max(horizon_months, WARMUP_MONTHS + 1.0)
    ones = {"green": 1.0, "yellow_green": 1.0, "yellow": 1.0, "red": 1.0}
    zeros = {"green": 0.0, "yellow_green": 0.0, "yellow": 0.0, "red": 0.0}
    return {
        "name": "bench_mmc",
        "description": "Degenerate scenario: one segment, tickets only, an M/M/c queue.",
        "horizon_months": horizon_months,
        "warmup_months": WARMUP_MONTHS,
        "replications": 1,
        "seed": SEED,
        "compare": ["active_passive"],
        "calendar": {"hours_per_day": HOURS_PER_DAY, "days_per_year": DAYS_PER_YEAR},
        "segments": {
            "only": {
                "initial_accounts": ACCOUNTS,
                "new_per_month": 0,
                "acv": {"dist": "fixed", "mean": 10000},
                # longer than the horizon, and renewals certain: nobody churns
                "contract_months": math.ceil(horizon_months) + 12,
                "renewal_risk": 0.0,
                "onboarding_hours": 0,
                "cohort_onboarding": False,
                "tickets_per_month": LAMBDA * HOURS_PER_MONTH / ACCOUNTS,
                "touch_every_days": None,
                "renewal_hours": 0,
                "digital_touch": False,
            }
        },
        "tickets": {
            "onboarding_factor": 1.0,
            "band_factor": dict(ones),
            "types": {
                "only": {
                    "share": 1.0,
                    "handle_hours": {"dist": "exponential", "mean": 1.0 / MU},
                    "escalation_rate": 0.0,
                }
            },
        },
        "roles": {
            "csm": {"annual_cost": 130000, "productive_share": 1.0, "attrition_per_year": 0},
            "support_agent": {"annual_cost": 60000, "productive_share": 1.0, "attrition_per_year": 0},
        },
        # health inert, as in an M/M/c: no shocks, no mean reversion
        "health": {"shock": {"per_year": 0.0, "points": 0.0}, "reversion_per_month": 0.0},
        "renewal": {
            "probability": dict(ones),
            "unworked_factor": 1.0,
            "expansion_probability": dict(zeros),
            "expansion_size": 0.0,
        },
        "opt_out": {"share": 0.0, "per_month_red": 0.0},
        "expansion": {"csql_per_touch": 0.0, "win_rate": 0.0, "size": 0.0},
        "referrals": {"per_green_account_year": 0.0},
        "staffing": {"active_passive": {"csm": 1, "support_agent": SERVERS}},
    }


def mean_wait_engine(record: Any) -> tuple[float, int]:
    """Mean first-response wait of tickets created after warm-up and answered; and their count."""
    w0 = record.window_start
    waits = [t.first_response - t.created for t in record.tickets
             if t.created >= w0 and t.first_response >= 0]
    return (sum(waits) / len(waits) if waits else float("nan")), len(waits)


def bare_simpy_mmc(lam: float, mu: float, servers: int, n: int, warmup: float,
                   seed: int) -> tuple[float, int]:
    """A minimal SimPy M/M/c: `n` arrivals; returns (mean wait after `warmup`, waits counted)."""
    rng = random.Random(seed)
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=servers)
    waits: list[float] = []

    def customer(service: float) -> Generator[simpy.Event, Any, None]:
        arrived = env.now
        with desk.request() as req:
            yield req
            if arrived >= warmup:
                waits.append(env.now - arrived)
            yield env.timeout(service)

    def source() -> Generator[simpy.Event, Any, None]:
        expo = rng.expovariate
        for _ in range(n):
            yield env.timeout(expo(lam))
            env.process(customer(expo(mu)))

    env.process(source())
    env.run()
    return (sum(waits) / len(waits) if waits else float("nan")), len(waits)


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, list[float], Any]:
    """Best wall time of `repeat` calls, all the times, and the last call's result."""
    times: list[float] = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), times, result


def bench_engine(tickets: int, repeat: int) -> dict[str, Any]:
    """Time both models on about `tickets` tickets, best of `repeat`; their waits vs Erlang C."""
    scenario = parse(mmc_document(tickets), "<bench_mmc>")
    design = resolve(scenario, "active_passive")
    print(f"  scenario: λ={LAMBDA:g}/h μ={MU:g}/h c={SERVERS} ρ={LAMBDA / (SERVERS * MU):.2f}, "
          f"{scenario.horizon_months:.1f} months, warm-up {scenario.warmup_months:g}", flush=True)

    engine_best, engine_times, record = best_of(repeat, lambda: simulate(scenario, design, SEED))
    n = len(record.tickets)
    engine_wait, engine_counted = mean_wait_engine(record)
    unanswered = sum(1 for t in record.tickets if t.first_response < 0)
    del record
    print(f"  engine:     {n:,} tickets, best {engine_best:.2f} s of "
          f"{', '.join(f'{t:.2f}' for t in engine_times)}", flush=True)

    warmup_hours = scenario.warmup_months * scenario.hours_per_month
    bare_best, bare_times, (bare_wait, bare_counted) = best_of(
        repeat, lambda: bare_simpy_mmc(LAMBDA, MU, SERVERS, n, warmup_hours, SEED))
    print(f"  bare SimPy: {n:,} tickets, best {bare_best:.2f} s of "
          f"{', '.join(f'{t:.2f}' for t in bare_times)}", flush=True)

    wq = erlang_c_wq(LAMBDA, MU, SERVERS)
    engine_us = engine_best / n * 1e6 if n else float("nan")
    bare_us = bare_best / n * 1e6 if n else float("nan")
    return {
        "tickets": n,
        "repeat": repeat,
        "engine_s": engine_best,
        "engine_times_s": engine_times,
        "bare_simpy_s": bare_best,
        "bare_simpy_times_s": bare_times,
        "engine_us_per_ticket": engine_us,
        "bare_simpy_us_per_ticket": bare_us,
        "ratio": engine_us / bare_us if bare_us else float("nan"),
        "erlang_c_wq_h": wq,
        "erlang_c_p_wait": erlang_c(SERVERS, LAMBDA / MU),
        "engine_mean_wait_h": engine_wait,
        "engine_waits_counted": engine_counted,
        "engine_unanswered_at_horizon": unanswered,
        "engine_wait_rel_err": abs(engine_wait - wq) / wq,
        "bare_simpy_mean_wait_h": bare_wait,
        "bare_simpy_waits_counted": bare_counted,
        "bare_simpy_wait_rel_err": abs(bare_wait - wq) / wq,
        "wait_rel_err_tolerance": wait_tolerance(n),
    }
