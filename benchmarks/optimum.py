"""The baseline's optimum (issue 12): `orgsim optimize baseline --jobs 2`, all four designs'
staffing policies screened, confirmed on 10 replications and checked on fresh seeds, with the
simulations it took and whether every design's targets held on their bounds and on fresh seeds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.orgsim_process import run_orgsim


def bench_optimum(quick: bool, tmp: Path) -> dict[str, Any]:
    """One `orgsim optimize baseline` into `tmp`; `quick` searches two designs only."""
    designs = ["--designs", "full_stack,active_passive"] if quick else []
    measured = run_orgsim(["optimize", "baseline", "--jobs", "2", *designs, "--out", str(tmp / "optimum")],
                          "baseline optimum")
    optimum = json.loads((Path(measured["run_dir"]) / "optimum.json").read_text())
    found = {**measured, "quick": quick,
             "simulations": sum(o["simulations"] for o in optimum.values()),
             "met_on_bounds": all(o["targets_met"] for o in optimum.values()),
             "met_on_fresh_seeds": all(o.get("fresh_seeds", {}).get("met", False) for o in optimum.values()),
             "designs": {d: {"reads": o["reads"], "cost": o["cost"], "replications": o["replications"]}
                         for d, o in optimum.items()}}
    print(f"    {found['simulations']} search simulations; targets met on bounds: {found['met_on_bounds']}, "
          f"on fresh seeds: {found['met_on_fresh_seeds']}", flush=True)
    return found
