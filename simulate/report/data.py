"""A run directory read back: the CSVs `orgsim run` wrote, as DataFrames, and the statistics
the report needs from them (one KPI's summary row; a paired difference between any two
designs, from the replications, which share their random numbers replication by replication).

Every KPI is read in a window: "all" (the whole measured period) unless another ("year1", …) is
asked for. A run written before windows existed has no `window` column: all its rows are "all".

Only summary.csv is required; every other file adds a part of the report when it is there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from simulate.report import checks
from simulate.report.checks import RunDirError
from simulate.stats import SUMMARY_COLUMNS, WHOLE, t_interval

OPTIONAL_CSVS = ("replications.csv", "monthly.csv", "distributions.csv", "plan.csv")


REQUIRED = {"replications.csv": ("design", "replication"),
            "monthly.csv": ("design", "replication", "month"),
            "distributions.csv": ("design", "replication", "metric", "percentile", "value"),
            "plan.csv": ("month", "design", "role", "headcount")}  # simulate/plan.py
PARTIAL = ".partial"  # a staging folder's suffix (simulate.results): never a finished run


@dataclass(frozen=True)
class Stat:
    """One KPI of one design (one segment): mean and 95% interval, paired difference to the
    reference design (the run's first) and the reference's mean, for relative changes."""

    design: str
    kpi: str
    mean: float
    low: float
    high: float
    n: int
    diff: float
    diff_low: float
    diff_high: float
    reference_mean: float


@dataclass(frozen=True)
class Diff:
    """mean(a − b) over paired replications, its 95% interval, and b's mean (the base)."""

    mean: float
    low: float
    high: float
    base: float
    n: int

    @property
    def known(self) -> bool:
        return math.isfinite(self.low) and math.isfinite(self.high)

    @property
    def significant(self) -> bool:
        return self.known and (self.low > 0 or self.high < 0)

    def relative(self) -> tuple[float, float, float]:
        """The difference and its interval as shares of the base (NaN if the base is 0)."""
        if not (math.isfinite(self.base) and self.base != 0):
            return math.nan, math.nan, math.nan
        b = abs(self.base)
        return self.mean / b, self.low / b, self.high / b


@dataclass
class RunData:
    path: Path
    summary: pd.DataFrame
    replications: pd.DataFrame | None = None
    monthly: pd.DataFrame | None = None
    distributions: pd.DataFrame | None = None
    plan: pd.DataFrame | None = None
    scenario: dict[str, Any] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def designs(self) -> list[str]:
        """In the run's order; the first is the reference of every `diff_*`."""
        return list(dict.fromkeys(self.summary["design"]))

    @property
    def reference(self) -> str:
        return self.designs[0]

    @cached_property
    def segments(self) -> list[str]:
        return [s for s in dict.fromkeys(self.summary["segment"]) if s != WHOLE]

    @cached_property
    def windows(self) -> list[str]:
        """The year windows ("year1", "year2", …) in order; not "all"."""
        return [w for w in dict.fromkeys(self.summary["window"]) if w != WHOLE]

    @property
    def name(self) -> str:
        return str(self.manifest.get("scenario") or self.scenario.get("name") or self.path.parent.name)

    @property
    def run_id(self) -> str:
        return str(self.manifest.get("run_id") or self.path.name)

    @property
    def replication_count(self) -> int:
        n = self.summary["n"]
        return int(n.max()) if len(n) else 0

    def kpis(self, segment: str = WHOLE, window: str = WHOLE) -> list[str]:
        """KPIs measured (n > 0) for some design in `segment` and `window`, in the file's order."""
        return self._measured.get((segment, window), [])

    @cached_property
    def _measured(self) -> dict[tuple[str, str], list[str]]:
        out: dict[tuple[str, str], list[str]] = {}
        for (_, segment, window, kpi), row in self._rows.items():
            if row["n"] > 0 and kpi not in out.setdefault((segment, window), []):
                out[(segment, window)].append(kpi)
        return out

    def stat(self, design: str, kpi: str, segment: str = WHOLE, window: str = WHOLE) -> Stat | None:
        """The summary row, or None where the KPI does not apply (n = 0) or is absent."""
        s = self._rows
        row = s.get((design, segment, window, kpi))
        if row is None or not row["n"] > 0 or not math.isfinite(row["mean"]):
            return None
        ref = s.get((self.reference, segment, window, kpi))
        ref_mean = ref["mean"] if ref is not None else math.nan
        return Stat(design, kpi, row["mean"], row["ci_low"], row["ci_high"], int(row["n"]),
                    row["diff_mean"], row["diff_low"], row["diff_high"], ref_mean)

    def values(self, design: str, kpi: str, segment: str = WHOLE,
               window: str = WHOLE) -> pd.Series | None:
        """One value per replication (indexed by replication) from replications.csv, or None
        when the file or the column is not there."""
        column = kpi if segment == WHOLE else f"{kpi}.{segment}"
        frame = self._by_design.get((window, design))
        if frame is None or column not in frame:
            return None
        return frame[column]

    def paired(self, a: str, b: str, kpi: str, segment: str = WHOLE, window: str = WHOLE) -> Diff:
        """a − b, paired by replication. From replications.csv when it has the column;
        otherwise from the summary's differences to the reference (when b or a is it)."""
        sb = self.stat(b, kpi, segment, window)
        base = sb.mean if sb else math.nan
        va, vb = self.values(a, kpi, segment, window), self.values(b, kpi, segment, window)
        if va is not None and vb is not None:
            mean, low, high, n = t_interval((va - vb).to_numpy(dtype=float))  # by replication
            return Diff(mean, low, high, base, n)
        sa = self.stat(a, kpi, segment, window)
        if sa is not None and b == self.reference:
            return Diff(sa.diff, sa.diff_low, sa.diff_high, base, sa.n)
        if sb is not None and a == self.reference:
            return Diff(-sb.diff, -sb.diff_high, -sb.diff_low, base, sb.n)
        return Diff(math.nan, math.nan, math.nan, base, 0)

    @cached_property
    def _by_design(self) -> dict[tuple[str, str], pd.DataFrame]:
        """replications.csv per window and design, indexed by replication: subtracting two
        designs' (or two windows') columns aligns them replication by replication, which is
        what pairs them."""
        reps = self.replications
        if reps is None or not {"design", "replication", "window"} <= set(reps.columns):
            return {}
        numbers = reps.set_index("replication").select_dtypes("number")
        keys = list(zip(reps["window"], reps["design"], strict=True))
        return {key: numbers[[k == key for k in keys]] for key in dict.fromkeys(keys)}

    @cached_property
    def _rows(self) -> dict[tuple[str, str, str, str], dict[str, Any]]:
        return {(r["design"], r["segment"], r["window"], r["kpi"]): r
                for r in self.summary.to_dict("records")}


def _with_window(frame: pd.DataFrame, after: str = "segment") -> pd.DataFrame:
    """The table with a `window` column: a run written before windows has none, and every one
    of its rows is the whole measured period ("all")."""
    if "window" in frame.columns:
        return frame.astype({"window": str})
    frame = frame.copy()
    at = frame.columns.get_loc(after) + 1 if after in frame.columns else len(frame.columns)
    frame.insert(at, "window", WHOLE)
    return frame


def _csv(path: Path) -> pd.DataFrame | None:
    return checks.read_csv(path) if path.is_file() else None


def refuse_unfinished(path: Path | str) -> None:
    """RunDirError if `path` is a run's staging folder (`.<run_id>.*.partial`): a run writes
    there and renames it into place when done, so one still there was stopped or is running."""
    if Path(path).name.endswith(PARTIAL):
        raise RunDirError(f"{path}: an unfinished run (the staging folder of a run that was stopped "
                          "or is still running), not a run directory")


def load_run(path: Path | str) -> RunData:
    """Read a run directory, checking each file as it is read; RunDirError (one line naming the
    file and what is wrong) if it is not a whole, readable run directory."""
    path = Path(path)
    if not path.is_dir():
        raise RunDirError(f"{path}: not a directory")
    manifest = checks.mapping(path / "manifest.json", "JSON") if (path / "manifest.json").is_file() else {}
    checks.listed_files(path, manifest)
    summary = _csv(path / "summary.csv")
    if summary is None:
        raise RunDirError(f"{path}: not an orgsim run directory (no summary.csv)")
    summary = _with_window(summary)
    checks.require(path / "summary.csv", summary, SUMMARY_COLUMNS)
    if summary.empty:
        raise RunDirError(f"{path / 'summary.csv'}: no rows")
    run = RunData(path, summary, manifest=manifest)
    for name in OPTIONAL_CSVS:
        frame = _csv(path / name)
        if name == "replications.csv" and frame is not None:
            frame = _with_window(frame, after="seed")
        if frame is not None and len(frame.columns):
            checks.require(path / name, frame, REQUIRED[name])
        setattr(run, name.removesuffix(".csv"), frame)
    checks.summary_rows(path / "summary.csv", summary, manifest, run.replications)
    if (path / "scenario.yaml").is_file():
        run.scenario = checks.mapping(path / "scenario.yaml", "YAML")
    return run
