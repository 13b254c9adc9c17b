"""The resumable store of a sweep: one small file per finished task (one replication of one design
at one point), named by a content key, written atomically into `DIR/tasks/`.

The key is a hash of what decides the task's result: the point's scenario as simulated (every
default filled in, its staffing on the basis), the replication's index and seed, the design and
the orgsim version. Fields that cannot change one replication's result — how many replications
the whole study runs, the margins, the description — are left out, so a sweep rerun with more
replications or other margins reuses what it has. A sweep rerun with the same command finds its
finished tasks and runs only the rest; a changed scenario or a new orgsim version finds none.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from simulate.scenario.schema import Scenario
from simulate.scenario.yaml12 import CoreDumper

TASKS = "tasks"
NOT_IN_KEY = ("replications", "max_replications", "decision", "description", "basis", "targets", "budget")


@cache
def version() -> str:
    """orgsim's version, part of every key: a new version recomputes rather than trusts."""
    try:
        return metadata.version("orgsim")
    except metadata.PackageNotFoundError:
        return "unknown"


def scenario_key(scenario: Scenario) -> str:
    """A hash of the scenario's content that bears on a replication's result."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    for field in NOT_IN_KEY:
        data.pop(field, None)
    text = yaml.dump(data, Dumper=CoreDumper, sort_keys=True, allow_unicode=True)
    return hashlib.sha256(text.encode()).hexdigest()


def task_key(scenario_digest: str, design: str, replication: int, seed: int) -> str:
    """The content key of one task."""
    text = json.dumps([scenario_digest, design, replication, seed, version()])
    return hashlib.sha256(text.encode()).hexdigest()


class Store:
    """Finished tasks' results in `folder/tasks/<key[:2]>/<key>.json`."""

    def __init__(self, folder: Path):
        self.root = Path(folder) / TASKS

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The result kept under `key`, or None (never finished, or unreadable: rerun it)."""
        try:
            text = self._path(key).read_text()
            found = json.loads(text)
        except (OSError, ValueError):
            return None
        return found if isinstance(found, dict) and found.get("key") == key else None

    def put(self, key: str, result: dict[str, Any]) -> None:
        """Keep `result` under `key`: written beside its place, synced, then renamed into it, so a
        reader (or a resumed sweep) sees the whole file or none."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"key": key, **result}, sort_keys=True, allow_nan=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".partial", dir=path.parent)
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def count(self) -> int:
        return sum(1 for _ in self.root.glob("*/*.json")) if self.root.exists() else 0


def exact(values: dict[str, float]) -> dict[str, float | None]:
    """KPI values as JSON keeps them exactly (repr round-trips a float); NaN as null."""
    return {k: (float(v) if math.isfinite(v) else None) for k, v in values.items()}


def restored(values: dict[str, float | None]) -> dict[str, float]:
    return {k: (math.nan if v is None else float(v)) for k, v in values.items()}
