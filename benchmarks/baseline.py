"""Full-baseline wall time: `orgsim run baseline` at --jobs 2 and --jobs 1, the speed-up, and
whether the two runs' CSVs are byte-identical (results must not depend on the worker count).
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import Any

from benchmarks import ROOT
from benchmarks.orgsim_process import run_orgsim
from simulate.scenario import load


def bench_baseline(quick: bool, tmp: Path) -> dict[str, Any]:
    """Both runs into `tmp`; `quick` runs 4 replications instead of the scenario's own."""
    scenario = load(ROOT / "scenarios" / "baseline.yaml")
    replications = 4 if quick else scenario.replications
    extra = ["--replications", str(replications)] if quick else []
    common = ["run", "baseline", "--basis", "given", *extra]  # a fixed count at the scenario's staffing
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
