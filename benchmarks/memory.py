"""Peak memory at scale: the baseline scenario scaled to 50,000 accounts, one replication of
`active_passive` at --jobs 1, with the child's peak RSS and wall time.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from benchmarks import ROOT
from benchmarks.orgsim_process import run_orgsim
from benchmarks.targets import MEMORY_ACCOUNTS, MEMORY_HORIZON_MONTHS
from simulate.scenario import parse


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
    """Write the scaled scenario into `tmp` and run it over `months` months."""
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
