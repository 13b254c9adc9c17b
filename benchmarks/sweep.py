"""A sweep of the baseline (issue 15): `orgsim sweep baseline` over a 5 × 5 grid of two
assumption-graded parameters, its four designs at 5 replications on the given basis, on a Dask
LocalCluster of 2 workers and of 1; the wall times (target ≤ 10 minutes on 2 workers), the
speed-up from 1 to 2 workers (target ≥ 1.8×) and whether the two sweep.csv files are
byte-identical. `--quick` measures a 2 × 2 grid at 2 replications.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.orgsim_process import run_orgsim

TARGET_SWEEP_S = 600.0
TARGET_SWEEP_SPEEDUP = 1.8
AXES = {"health.decay_per_month": (0.5, 1.0, 1.25, 2.0, 3.0),
        "cs_ops.efficiency_gain": (0.0, 0.075, 0.15, 0.225, 0.3)}


def bench_sweep(quick: bool, tmp: Path, size: int | None = None,
                replications: int | None = None) -> dict[str, Any]:
    """Both sweeps into `tmp`; `size` values per axis and `replications` override the full sizes."""
    size = size or (2 if quick else 5)
    replications = replications or (2 if quick else 5)
    vary = [arg for path, values in AXES.items()
            for arg in ("--vary", f"{path}={','.join(str(v) for v in _spread(values, size))}")]
    common = ["sweep", "baseline", "--basis", "given", "--replications", str(replications), *vary,
              "--executor", "dask"]
    two = run_orgsim([*common, "--jobs", "2", "--out", str(tmp / "sweep2")], "sweep, 2 Dask workers")
    one = run_orgsim([*common, "--jobs", "1", "--out", str(tmp / "sweep1")], "sweep, 1 Dask worker")
    identical = (tmp / "sweep2" / "sweep.csv").read_bytes() == (tmp / "sweep1" / "sweep.csv").read_bytes()
    speedup = one["wall_s"] / two["wall_s"]
    full = size == 5 and replications == 5
    print(f"    {size}×{size} points × 4 designs × {replications} replications: "
          f"{two['wall_s']:.0f} s on 2 workers (target ≤ {TARGET_SWEEP_S:.0f} s"
          f"{'' if full else ' at 5×5×5: n/a here'}), {one['wall_s']:.0f} s on 1; speed-up "
          f"{speedup:.2f}× (target ≥ {TARGET_SWEEP_SPEEDUP}×); sweep.csv identical: {identical}", flush=True)
    return {"points": size * size, "replications": replications, "designs": 4, "full_size": full,
            "workers2": two, "workers1": one, "speedup": speedup, "sweep_csv_identical": identical,
            "target_wall_s": TARGET_SWEEP_S, "target_speedup": TARGET_SWEEP_SPEEDUP,
            "wall_met": (two["wall_s"] <= TARGET_SWEEP_S) if full else None,
            "speedup_met": speedup >= TARGET_SWEEP_SPEEDUP}


def _spread(values: tuple[float, ...], size: int) -> list[float]:
    """`size` of the values, first and last kept."""
    if size >= len(values):
        return list(values)
    step = (len(values) - 1) / max(size - 1, 1)
    return [values[round(i * step)] for i in range(size)]
