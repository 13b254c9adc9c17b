"""orgsim benchmarks: engine cost per ticket, full-baseline wall time, peak memory at scale.

    .venv/bin/python benchmarks/bench.py [--quick] [--skip-baseline] [--skip-memory] ...
    make bench ARGS="--quick"

Four measures, each against a target (see benchmarks/README.md):

1. Engine cost per ticket on a degenerate scenario that is an M/M/c queue (λ = 9/h, μ = 1/h,
   c = 10 support agents, ρ = 0.9), best of N wall-clock runs of `simulate()`, next to a
   minimal hand-written SimPy M/M/c with the same λ, μ, c and ticket count, in this process.
   Both models' mean wait is checked against Erlang C.
2. Wall time of `orgsim run baseline --basis given` (4 designs × 20 replications) with --jobs 2 and
   --jobs 1, and the speed-up.
3. Peak RSS and wall time of a 50,000-account scenario (baseline scaled), one replication.
4. Wall time of a decided baseline: `orgsim run baseline --replications auto --jobs 2` on the
   `given` basis (≤ 20 s) and on `equal_service`, the optimizer included (≤ 2 min).
5. Wall time of the baseline's optimum: `orgsim optimize baseline --jobs 2`, all four designs'
   policies screened, confirmed on 10 replications and checked on fresh seeds (≤ 90 s).

Prints a table of measure, value, target, pass/fail, and writes the figures to
benchmarks/last_run.json. Exits 0 when targets are missed (this is a report), 1 when something
crashed (an exception here or a failing `orgsim` subprocess).

This file is the entry point; each measure is its own module (mmc.py, baseline.py, memory.py),
targets.py holds the targets and report.py prints the table.
"""

from __future__ import annotations

import argparse
import os
import platform
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

from benchmarks.baseline import bench_baseline  # noqa: E402
from benchmarks.decided import bench_decided  # noqa: E402
from benchmarks.memory import bench_memory  # noqa: E402
from benchmarks.mmc import bench_engine  # noqa: E402
from benchmarks.optimum import bench_optimum  # noqa: E402
from benchmarks.orgsim_process import SubprocessFailed  # noqa: E402
from benchmarks.report import print_table, table_rows, write_json  # noqa: E402
from benchmarks.sweep import bench_sweep  # noqa: E402
from benchmarks.targets import (  # noqa: E402
    MEMORY_ACCOUNTS,
    MEMORY_HORIZON_MONTHS,
    QUICK_MEMORY_MONTHS,
    TARGET_BASELINE_S,
    TARGET_DECIDED_S,
    TARGET_OPTIMUM_S,
    TARGET_RATIO,
    TARGET_RSS_KIB,
    TARGET_SPEEDUP,
    TARGET_WAIT_REL,
)

JSON_PATH = ROOT / "benchmarks" / "last_run.json"


def main(argv: list[str] | None = None) -> int:
    """Run the sections not skipped, print the table, write the JSON; 1 if any section crashed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="fast check: baseline --replications 4, engine 50,000 tickets, "
                             f"memory run {QUICK_MEMORY_MONTHS} months (baseline-wall and RSS targets n/a)")
    parser.add_argument("--skip-engine", action="store_true", help="skip the engine/M/M/c measure")
    parser.add_argument("--skip-baseline", action="store_true", help="skip the full-baseline runs")
    parser.add_argument("--skip-memory", action="store_true", help="skip the 50,000-account run")
    parser.add_argument("--skip-decided", action="store_true",
                        help="skip the decided baseline (replications auto, given and equal_service)")
    parser.add_argument("--skip-optimum", action="store_true", help="skip the baseline's optimum")
    parser.add_argument("--skip-sweep", action="store_true", help="skip the 5 × 5 baseline sweep")
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
            "decided_wall_s_max": TARGET_DECIDED_S,
            "optimum_wall_s_max": TARGET_OPTIMUM_S,
        },
        "errors": [],
    }
    started = time.perf_counter()
    sections: list[tuple[str, bool, Callable[[Path], dict[str, Any]]]] = [
        ("engine", args.skip_engine, lambda tmp: bench_engine(tickets, max(args.repeat, 1))),
        ("baseline", args.skip_baseline, lambda tmp: bench_baseline(args.quick, tmp)),
        ("memory", args.skip_memory, lambda tmp: bench_memory(tmp, months)),
        ("decided", args.skip_decided, lambda tmp: bench_decided(args.quick, tmp)),
        ("optimum", args.skip_optimum, lambda tmp: bench_optimum(args.quick, tmp)),
        ("sweep", args.skip_sweep, lambda tmp: bench_sweep(args.quick, tmp)),
    ]
    titles = {
        "engine": "1. Engine cost per ticket: orgsim vs a bare SimPy M/M/c",
        "baseline": "2. Full baseline wall time, --jobs 2 and --jobs 1",
        "memory": f"3. Peak memory, {MEMORY_ACCOUNTS:,} accounts",
        "decided": "4. A decided baseline: --replications auto, given and equal_service bases",
        "optimum": "5. The baseline's optimum: four designs' staffing policies, confirmed",
        "sweep": "6. A 5 × 5 sweep of the baseline (4 designs × 5 replications) on 1 and 2 Dask workers",
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
