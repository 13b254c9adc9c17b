"""What a sweep writes: `sweep.csv` (tidy, one row per point × design × KPI), `points.csv` (one
row per point: its verdict) and `manifest.json`, each written beside its place and renamed into
it, so a reader never sees half a file and an interrupted sweep leaves the last whole one.

Numbers are written as Python writes a float (the shortest text that reads back the same), rows
in point, design and KPI order: the files are byte-identical whatever order the tasks finished
in, whichever executor ran them, and however often the sweep was interrupted and resumed.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from simulate.sweep.aggregate import Summary
from simulate.sweep.points import Axis, Value
from simulate.writable import write_atomically

SWEEP = "sweep.csv"
POINTS = "points.csv"
MANIFEST = "manifest.json"
ROW_COLUMNS = ["design", "kpi", "mean", "ci_low", "ci_high", "n", "choice", "versus", "call"]
POINT_COLUMNS = ["replications", "choice", "leader", "runner_up", "reason", "unstable"]


def cell(value: Value | float | None) -> str:
    """A value as the CSV writes it: a float as repr (exact), NaN and None empty."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def sweep_rows(summaries: Iterable[Summary], axes: Sequence[Axis]) -> list[list[str]]:
    rows = [["point", *(a.path for a in axes), *ROW_COLUMNS]]
    for s in sorted(summaries, key=lambda s: s.point.index):
        where = [cell(v) for v in s.point.values]
        for r in s.rows:
            rows.append([str(s.point.index), *where, r.design, r.kpi, cell(r.mean), cell(r.low),
                         cell(r.high), str(r.n), s.chosen, r.versus, r.call])
    return rows


def _unstable(s: Summary) -> str:
    return "; ".join(f"{design} {role} ({k}/{s.replications})"
                     for design, roles in sorted(s.unstable.items()) for role, k in sorted(roles.items()))


def point_rows(summaries: Iterable[Summary], axes: Sequence[Axis]) -> list[list[str]]:
    """One row per point; the leader and runner-up only where the leader is placed strictly ahead
    (fewer worse, then undecided calls): with every call undecided no design leads."""
    rows = [["point", *(a.path for a in axes), *POINT_COLUMNS]]
    for s in sorted(summaries, key=lambda s: s.point.index):
        rows.append([str(s.point.index), *(cell(v) for v in s.point.values), str(s.replications),
                     s.chosen, s.leader if s.ahead else "", (s.runner_up or "") if s.ahead else "",
                     s.reason, _unstable(s)])
    return rows


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_tables(folder: Path, summaries: Sequence[Summary], axes: Sequence[Axis],
                 manifest: dict[str, Any]) -> None:
    """sweep.csv, points.csv and manifest.json into `folder`."""
    write_atomically(folder / SWEEP, csv_text(sweep_rows(summaries, axes)))
    write_atomically(folder / POINTS, csv_text(point_rows(summaries, axes)))
    write_atomically(folder / MANIFEST, json.dumps(manifest, indent=2, default=str) + "\n")
