"""A decided baseline (issue 11): `orgsim run baseline --replications auto --jobs 2` on the
`given` basis and on the `equal_service` basis (the optimizer included), with the replications it
took, whether the cap stopped it, and the verdict it reached.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.orgsim_process import run_orgsim

BASES = ("given", "equal_service")


def bench_decided(quick: bool, tmp: Path, bases: tuple[str, ...] = BASES) -> dict[str, Any]:
    """One auto run per basis into `tmp`; `quick` caps the replications at 8."""
    found: dict[str, Any] = {"quick": quick}
    cap = ["--max-replications", "8"] if quick else []
    for basis in bases:
        measured = run_orgsim(["run", "baseline", "--replications", "auto", *cap, "--basis", basis,
                               "--jobs", "2", "--out", str(tmp / f"decided-{basis}")],
                              f"decided baseline, {basis}")
        verdict = json.loads((Path(measured["run_dir"]) / "verdict.json").read_text())
        found[basis] = {**measured, "replications": verdict["replications"],
                        "stopped_at_cap": verdict["stopped_at_cap"], "choice": verdict["choice"],
                        "reason": verdict["reason"]}
        print(f"    {verdict['replications']} replications; {verdict['reason']}", flush=True)
    return found
