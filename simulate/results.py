"""Run directories, written whole or not at all: `results/<scenario>/<run_id>/`.

Files are written into a hidden temporary directory beside the final one, then renamed into
place, so an interrupted or failed run leaves earlier results untouched and nothing half-written.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from simulate import interrupts
from simulate.plan import plan_frame
from simulate.runner import Outcome, tidy
from simulate.scenario.schema import Scenario
from simulate.scenario.yaml12 import CoreDumper
from simulate.stats import summarize

DISTRIBUTION_COLUMNS = ["design", "replication", "metric", "percentile", "value"]
RUN_FILES = ["summary.csv", "replications.csv", "monthly.csv", "distributions.csv", "plan.csv",
             "scenario.yaml"]
PACKAGES = ("orgsim", "simpy", "numpy", "pandas", "scipy", "pydantic", "dask", "distributed")


def resolved_yaml(scenario: Scenario) -> str:
    """The scenario with every default filled in, as YAML 1.2 that reads back the same (a name such
    as `1e3` or `yes` is quoted)."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    return yaml.dump(data, Dumper=CoreDumper, sort_keys=False, allow_unicode=True)


def scenario_hash(scenario: Scenario) -> str:
    return hashlib.sha256(resolved_yaml(scenario).encode()).hexdigest()


def new_run_id(scenario: Scenario) -> str:
    """UTC time and a short hash; distinct for two runs started in the same second."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    salt = f"{scenario_hash(scenario)}{time.time_ns()}{os.getpid()}{os.urandom(4).hex()}"
    return f"{stamp}-{hashlib.sha1(salt.encode()).hexdigest()[:6]}"


@dataclass
class Tables:
    """The CSVs of a run, as DataFrames."""

    summary: pd.DataFrame
    replications: pd.DataFrame  # one row per design × replication × window
    monthly: pd.DataFrame
    distributions: pd.DataFrame
    unstable: dict[str, dict[str, int]]  # design → role → replications where it was overloaded


def tables(outcomes: list[Outcome], designs: list[str]) -> Tables:
    long = pd.DataFrame(tidy(outcomes))
    summary = summarize(long, designs)
    wide_rows = []
    for o in outcomes:
        by_window: dict[str, dict[str, Any]] = {}
        for (seg, window, kpi), value in o.kpis.items():
            row = by_window.setdefault(window, {"design": o.design, "replication": o.replication,
                                                "seed": o.seed, "window": window})
            row[kpi if seg == "all" else f"{kpi}.{seg}"] = value
        wide_rows.extend(by_window.values())  # "all", then "year1", … as measured
    monthly_rows = [
        {"design": o.design, "replication": o.replication, **m} for o in outcomes for m in o.monthly
    ]
    monthly = pd.DataFrame(monthly_rows)
    if "month" in monthly:
        monthly["month"] = monthly["month"].astype(int)
    quantile_rows = [
        {"design": o.design, "replication": o.replication, "metric": metric, "percentile": p,
         "value": value}
        for o in outcomes for metric, values in o.distributions.items()
        for p, value in enumerate(values)
    ]
    unstable: dict[str, dict[str, int]] = {}
    for o in outcomes:
        for role in o.overloaded:
            by_role = unstable.setdefault(o.design, {})
            by_role[role] = by_role.get(role, 0) + 1
    distributions = pd.DataFrame(quantile_rows, columns=DISTRIBUTION_COLUMNS)  # a header even
    return Tables(summary, pd.DataFrame(wide_rows), monthly, distributions, unstable)  # if no tickets


def manifest(scenario: Scenario, run_id: str, extra: dict[str, Any]) -> dict[str, Any]:
    versions = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "run_id": run_id,
        "scenario": scenario.name,
        "scenario_sha256": scenario_hash(scenario),
        "seed": scenario.seed,
        "replications": scenario.replications,
        "designs": scenario.compare,
        "command": " ".join(["orgsim", *sys.argv[1:]]),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": versions,
        **extra,
    }


Finisher = Callable[[Path], None]
STAGING = ".partial"  # `.<run_id>.<owner pid>.<random>.partial`: a run directory being written
STALE_SECONDS = 3600


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is someone else's
        return True
    return True


def clean_stale(parent: Path, now: float | None = None) -> list[Path]:
    """Remove staging folders in `parent` left by runs that died before renaming them into place
    (killed, or the machine stopped): older than an hour, and their owner is no longer running.
    A folder without an owner pid in its name (an older orgsim's) goes on age alone."""
    now = time.time() if now is None else now
    removed = []
    for folder in parent.glob(f".*{STAGING}"):
        parts = folder.name.split(".")
        owner = int(parts[2]) if len(parts) > 4 and parts[2].isdigit() else None
        try:
            old = now - folder.stat().st_mtime > STALE_SECONDS
        except OSError:
            continue
        if folder.is_dir() and old and (owner is None or not _alive(owner)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _write(staging: Path, scenario: Scenario, t: Tables, run_id: str, extra: dict[str, Any],
           files: dict[str, str] | None, finish: Finisher | None) -> None:
    t.summary.to_csv(staging / "summary.csv", index=False)
    t.replications.to_csv(staging / "replications.csv", index=False)
    t.monthly.to_csv(staging / "monthly.csv", index=False)
    t.distributions.to_csv(staging / "distributions.csv", index=False)
    plan_frame(t.monthly).to_csv(staging / "plan.csv", index=False)  # simulate/plan.py
    (staging / "scenario.yaml").write_text(resolved_yaml(scenario))
    written = [*RUN_FILES, *(files or {})]
    info = manifest(scenario, run_id, {**extra, "unstable": t.unstable, "files": written})
    (staging / "manifest.json").write_text(json.dumps(info, indent=2) + "\n")
    for name, text in (files or {}).items():
        (staging / name).write_text(text)
    if finish is not None:
        finish(staging)
    for path in staging.iterdir():
        with path.open("rb") as fh:
            os.fsync(fh.fileno())
    staging.chmod(0o755)


def write_run(out: Path, scenario: Scenario, t: Tables, extra: dict[str, Any],
              files: dict[str, str] | None = None, finish: Finisher | None = None) -> Path:
    """Write the run directory atomically; return its final path.

    `files` are further text files to include; `finish(staging)` may add more (the report)
    from the written CSVs before the directory is renamed into place.
    """
    parent = out / scenario.name
    parent.mkdir(parents=True, exist_ok=True)
    clean_stale(parent)
    run_id = new_run_id(scenario)
    final = parent / run_id
    begun: list[Path] = []  # the staging folder, once made: what an interrupt removes
    try:
        with interrupts.writing(lambda: [shutil.rmtree(p, ignore_errors=True) for p in begun]):
            begun.append(Path(tempfile.mkdtemp(prefix=f".{run_id}.{os.getpid()}.", suffix=STAGING,
                                               dir=parent)))
            _write(begun[0], scenario, t, run_id, extra, files, finish)
            os.rename(begun[0], final)
            interrupts.written(final)
    except BaseException:
        for staging in begun:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    return final
