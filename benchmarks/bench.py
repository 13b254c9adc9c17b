"""orgsim benchmarks: engine cost per ticket, full-baseline wall time, peak memory at scale.

    .venv/bin/python benchmarks/bench.py [--quick] [--skip-baseline] [--skip-memory] ...
    make bench ARGS="--quick"

Three measures, each against a target (see benchmarks/README.md):

1. Engine cost per ticket on a degenerate scenario that is an M/M/c queue (λ = 9/h, μ = 1/h,
   c = 10 support agents, ρ = 0.9), best of N wall-clock runs of `simulate()`, next to a
   minimal hand-written SimPy M/M/c with the same λ, μ, c and ticket count, in this process.
   Both models' mean wait is checked against Erlang C.
2. Wall time of `orgsim run baseline` (4 designs × 20 replications) with --jobs 2 and
   --jobs 1, and the speed-up.
3. Peak RSS and wall time of a 50,000-account scenario (baseline scaled), one replication.

Prints a table of measure, value, target, pass/fail, and writes the figures to
benchmarks/last_run.json. Exits 0 when targets are missed (this is a report), 1 when something
crashed (an exception here or a failing `orgsim` subprocess).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import json
import math
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere: import the project's own code
    sys.path.insert(0, str(ROOT))

import simpy  # noqa: E402
import yaml  # noqa: E402

from simulate.designs import resolve  # noqa: E402
from simulate.model import simulate  # noqa: E402
from simulate.scenario import load, parse  # noqa: E402

# --- the M/M/c degenerate scenario -------------------------------------------------------------
LAMBDA = 9.0  # tickets per business hour, all accounts together
MU = 1.0  # services per business hour per agent
SERVERS = 10  # support agents
ACCOUNTS = 1000
HOURS_PER_DAY = 8.0
DAYS_PER_YEAR = 250.0
HOURS_PER_MONTH = HOURS_PER_DAY * DAYS_PER_YEAR / 12
WARMUP_MONTHS = 1.0
SEED = 20261122

# --- targets -----------------------------------------------------------------------------------
TARGET_RATIO = 2.0  # engine µs/ticket ÷ bare SimPy µs/ticket, at most
TARGET_BASELINE_S = 60.0  # full baseline with --jobs 2, at most
TARGET_SPEEDUP = 1.8  # --jobs 1 wall ÷ --jobs 2 wall, at least
TARGET_RSS_KIB = 1024 * 1024  # 1 GiB
# |simulated mean wait − Erlang C Wq| ÷ Wq, at most, at 200,000 tickets (sanity check). At ρ = 0.9
# the run-to-run spread of the mean wait is large (relative sd ≈ 5.5% at 200,000 tickets over
# seeds of the bare model); the tolerance is ~3 sd and widens as 1/√tickets for shorter runs.
TARGET_WAIT_REL = 0.15
WAIT_REL_AT = 200_000
MEMORY_ACCOUNTS = 50_000
MEMORY_HORIZON_MONTHS = 12  # the target's horizon; --quick uses QUICK_MEMORY_MONTHS
QUICK_MEMORY_MONTHS = 6

JSON_PATH = ROOT / "benchmarks" / "last_run.json"
ORGSIM = ROOT / ".venv" / "bin" / "orgsim"


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


# --- 1. engine vs bare SimPy -------------------------------------------------------------------
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
            "csm": {"annual_cost": 130000, "productive_share": 1.0},
            "support_agent": {"annual_cost": 60000, "productive_share": 1.0},
        },
        "health": {"shock": {"per_year": 0.0, "points": 0.0}},
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

    def customer(service: float):
        arrived = env.now
        with desk.request() as req:
            yield req
            if arrived >= warmup:
                waits.append(env.now - arrived)
            yield env.timeout(service)

    def source():
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


# --- 2 and 3. orgsim as a subprocess -----------------------------------------------------------
class SubprocessFailed(RuntimeError):
    pass


def orgsim_command() -> list[str]:
    if ORGSIM.exists():
        return [str(ORGSIM)]
    return [sys.executable, "-m", "simulate"]


def run_orgsim(args: list[str], label: str) -> dict[str, Any]:
    """Run `orgsim ARGS` from the project root; wall time, peak RSS (KiB) and the run directory.

    The peak RSS is that child's own (and its reaped workers'): `os.wait4` gives the same
    rusage as getrusage(RUSAGE_CHILDREN) would, but for this child alone, so earlier runs
    cannot mask it.
    """
    cmd = orgsim_command() + args
    print(f"  $ {' '.join(cmd[1:] if cmd[0] == str(ORGSIM) else cmd)}", flush=True)
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, text=True)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted: do not leave the child running
            proc.kill()
            proc.wait()
            raise
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    lines = [line for line in output.splitlines() if line.strip()]
    if proc.returncode != 0:
        tail = "\n".join(lines[-15:])
        raise SubprocessFailed(f"{label}: orgsim exited {proc.returncode}:\n{tail}")
    run_dir = lines[-1].strip() if lines else ""
    print(f"    {wall:.1f} s, peak RSS {usage.ru_maxrss / 1024:.0f} MiB → {run_dir}", flush=True)
    return {"wall_s": wall, "max_rss_kib": usage.ru_maxrss, "run_dir": run_dir,
            "command": " ".join(["orgsim", *args])}


def bench_baseline(quick: bool, tmp: Path) -> dict[str, Any]:
    scenario = load(ROOT / "scenarios" / "baseline.yaml")
    replications = 4 if quick else scenario.replications
    extra = ["--replications", str(replications)] if quick else []
    common = ["run", "baseline", *extra]
    before = source_digest()
    two = run_orgsim([*common, "--jobs", "2", "--out", str(tmp / "jobs2")], "baseline --jobs 2")
    one = run_orgsim([*common, "--jobs", "1", "--out", str(tmp / "jobs1")], "baseline --jobs 1")
    code_changed = source_digest() != before
    identical = _same_csvs(Path(two["run_dir"]), Path(one["run_dir"]))
    if code_changed:  # someone edited the engine between the two runs: the check means nothing
        print("    the engine's source changed during the runs: CSV comparison skipped", flush=True)
        identical = None
    else:
        print(f"    --jobs 1 and --jobs 2 CSVs byte-identical: {identical}", flush=True)
    return {
        "designs": len(scenario.compare),
        "replications": replications,
        "quick": quick,
        "jobs2": two,
        "jobs1": one,
        "speedup": one["wall_s"] / two["wall_s"],
        "csvs_identical": identical,
        "source_changed_during_runs": code_changed,
    }


def source_digest() -> str:
    """A hash of the engine's source files, to notice edits made while the bench runs."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "simulate").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        with contextlib.suppress(OSError):  # a file removed mid-scan
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _same_csvs(a: Path, b: Path) -> bool | None:
    """Whether two run directories' CSVs are byte-identical (DESIGN.md §7); None if unreadable."""
    try:
        names = sorted(p.name for p in a.glob("*.csv"))
        if not names or names != sorted(p.name for p in b.glob("*.csv")):
            return None
        return all((a / n).read_bytes() == (b / n).read_bytes() for n in names)
    except OSError:
        return None


def scaled_baseline(accounts: int, horizon_months: float) -> dict[str, Any]:
    """baseline.yaml with every segment's book and inflow scaled so the book totals `accounts`."""
    document = yaml.safe_load((ROOT / "scenarios" / "baseline.yaml").read_text(encoding="utf-8"))
    document = copy.deepcopy(document)
    segments = document["segments"]
    total = sum(s.get("initial_accounts", 0) for s in segments.values())
    factor = accounts / total
    names = list(segments)
    placed = 0
    for name in names:
        seg = segments[name]
        seg["new_per_month"] = seg.get("new_per_month", 0) * factor
        if name == names[-1]:
            seg["initial_accounts"] = accounts - placed
        else:
            seg["initial_accounts"] = round(seg.get("initial_accounts", 0) * factor)
            placed += seg["initial_accounts"]
    document["name"] = f"bench_scaled_{accounts}"
    document["horizon_months"] = horizon_months
    document["warmup_months"] = min(document.get("warmup_months", 0), horizon_months / 4)
    document["replications"] = 1
    return document


def bench_memory(tmp: Path, months: float) -> dict[str, Any]:
    document = scaled_baseline(MEMORY_ACCOUNTS, months)
    parse(copy.deepcopy(document), "<scaled>")  # fail here, with a clear message, if invalid
    path = tmp / f"{document['name']}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    books = {k: v["initial_accounts"] for k, v in document["segments"].items()}
    print(f"  scenario: {sum(books.values()):,} accounts ({books}), "
          f"{months:g} months", flush=True)
    run = run_orgsim(["run", str(path), "--replications", "1", "--designs", "active_passive",
                      "--jobs", "1", "--out", str(tmp / "memory")], "memory")
    return {"accounts": sum(books.values()), "horizon_months": months,
            "at_target_horizon": months >= MEMORY_HORIZON_MONTHS, **run}


# --- report ------------------------------------------------------------------------------------
def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("pass" if ok else "FAIL")


def table_rows(figures: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    e = figures.get("engine")
    if e:
        tol = e["wait_rel_err_tolerance"]
        rows += [
            ("engine µs/ticket (M/M/c)", f"{e['engine_us_per_ticket']:.1f}", "", ""),
            ("bare SimPy µs/ticket", f"{e['bare_simpy_us_per_ticket']:.1f}", "", ""),
            ("engine ÷ bare SimPy", f"{e['ratio']:.2f}×", f"≤ {TARGET_RATIO:g}×",
             verdict(e["ratio"] <= TARGET_RATIO)),
            ("engine mean wait vs Erlang C",
             f"{e['engine_mean_wait_h']:.3f} h vs {e['erlang_c_wq_h']:.3f} h "
             f"({e['engine_wait_rel_err']:.1%})",
             f"≤ {tol:.0%} off", verdict(e["engine_wait_rel_err"] <= tol)),
            ("bare SimPy mean wait vs Erlang C",
             f"{e['bare_simpy_mean_wait_h']:.3f} h vs {e['erlang_c_wq_h']:.3f} h "
             f"({e['bare_simpy_wait_rel_err']:.1%})",
             f"≤ {tol:.0%} off", verdict(e["bare_simpy_wait_rel_err"] <= tol)),
        ]
    b = figures.get("baseline")
    if b:
        size = f"{b['designs']}×{b['replications']}"
        scaled = b["quick"]
        rows += [
            (f"baseline wall, --jobs 2 ({size})", f"{b['jobs2']['wall_s']:.1f} s",
             f"≤ {TARGET_BASELINE_S:g} s" + (" (4×20)" if scaled else ""),
             "n/a (quick)" if scaled else verdict(b["jobs2"]["wall_s"] <= TARGET_BASELINE_S)),
            (f"baseline wall, --jobs 1 ({size})", f"{b['jobs1']['wall_s']:.1f} s", "", ""),
            ("speed-up jobs 1 → 2", f"{b['speedup']:.2f}×", f"≥ {TARGET_SPEEDUP:g}×",
             verdict(b["speedup"] >= TARGET_SPEEDUP)),
            ("CSVs identical across --jobs", str(b["csvs_identical"]), "True",
             verdict(None if b["csvs_identical"] is None else b["csvs_identical"])),
        ]
    m = figures.get("memory")
    if m:
        full = m["at_target_horizon"]
        rows += [
            (f"peak RSS, {m['accounts']:,} accounts, {m['horizon_months']:g} months",
             f"{m['max_rss_kib'] / 1024:.0f} MiB",
             f"≤ {TARGET_RSS_KIB // 1024:g} MiB" + ("" if full else f" ({MEMORY_HORIZON_MONTHS} months)"),
             verdict(m["max_rss_kib"] <= TARGET_RSS_KIB) if full else "n/a (short)"),
            (f"wall, {m['accounts']:,} accounts, {m['horizon_months']:g} months",
             f"{m['wall_s']:.1f} s", "", ""),
        ]
    return rows


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    header = ("measure", "value", "target", "result")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    line = "  ".join("-" * w for w in widths)
    print("\n" + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def write_json(figures: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="fast check: baseline --replications 4, engine 50,000 tickets, "
                             f"memory run {QUICK_MEMORY_MONTHS} months (baseline-wall and RSS targets n/a)")
    parser.add_argument("--skip-engine", action="store_true", help="skip the engine/M/M/c measure")
    parser.add_argument("--skip-baseline", action="store_true", help="skip the full-baseline runs")
    parser.add_argument("--skip-memory", action="store_true", help="skip the 50,000-account run")
    parser.add_argument("--tickets", type=int, default=None,
                        help="tickets in the M/M/c scenario (default 200,000; 50,000 with --quick)")
    parser.add_argument("--memory-months", type=float, default=None,
                        help=f"horizon of the {MEMORY_ACCOUNTS:,}-account run (default "
                             f"{MEMORY_HORIZON_MONTHS}; {QUICK_MEMORY_MONTHS} with --quick)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per model; best kept")
    parser.add_argument("--json", type=Path, default=JSON_PATH, help=f"default {JSON_PATH}")
    args = parser.parse_args(argv)
    tickets = args.tickets if args.tickets is not None else (50_000 if args.quick else 200_000)
    months = args.memory_months if args.memory_months is not None else (
        QUICK_MEMORY_MONTHS if args.quick else MEMORY_HORIZON_MONTHS)

    figures: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "simpy": simpy.__version__,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "quick": args.quick,
        "targets": {
            "engine_over_bare_simpy_max": TARGET_RATIO,
            "baseline_jobs2_wall_s_max": TARGET_BASELINE_S,
            "speedup_min": TARGET_SPEEDUP,
            "peak_rss_kib_max": TARGET_RSS_KIB,
            "mean_wait_rel_err_max": TARGET_WAIT_REL,
        },
        "errors": [],
    }
    started = time.perf_counter()
    sections: list[tuple[str, bool, Callable[[Path], dict[str, Any]]]] = [
        ("engine", args.skip_engine, lambda tmp: bench_engine(tickets, max(args.repeat, 1))),
        ("baseline", args.skip_baseline, lambda tmp: bench_baseline(args.quick, tmp)),
        ("memory", args.skip_memory, lambda tmp: bench_memory(tmp, months)),
    ]
    titles = {
        "engine": "1. Engine cost per ticket: orgsim vs a bare SimPy M/M/c",
        "baseline": "2. Full baseline wall time, --jobs 2 and --jobs 1",
        "memory": f"3. Peak memory, {MEMORY_ACCOUNTS:,} accounts",
    }
    with tempfile.TemporaryDirectory(prefix="orgsim-bench-") as tmpdir:
        for name, skip, run in sections:
            if skip:
                continue
            print(f"\n{titles[name]}", flush=True)
            try:
                figures[name] = run(Path(tmpdir))
            except Exception as err:  # report and go on; the exit status says it crashed
                if not isinstance(err, SubprocessFailed):
                    traceback.print_exc()
                message = f"{name}: {type(err).__name__}: {err}"
                print(f"  CRASHED: {message}", file=sys.stderr, flush=True)
                figures["errors"].append(message)
    figures["bench_wall_s"] = time.perf_counter() - started

    rows = table_rows(figures)
    if rows:
        print_table(rows)
    for message in figures["errors"]:
        print(f"crashed: {message.splitlines()[0]}")
    write_json(figures, args.json)
    print(f"\nbench took {figures['bench_wall_s']:.0f} s; figures in {args.json}")
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
