"""A run directory's files checked as they are read: a folder cut short by a full disk, a killed
copy or a hand edit is refused in one line naming the file and what is wrong, never drawn from
what is left of it, nor allowed to end in a traceback.

Every CSV is read as text first. Name columns (design, segment, window, KPI, metric, role) stay text
as written — a design or segment named `NA`, `null` or `nan` is a name, not a missing value —
and every other column must be a number (empty or `nan` where a value was not measured; whole
and present where it counts something: n, replication, percentile, month, seed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from simulate.scenario.yaml12 import CoreLoader

NAME_COLUMNS = frozenset({"design", "segment", "window", "kpi", "metric", "role"})
COUNT_COLUMNS = frozenset({"n", "replication", "percentile", "month", "seed"})
UNMEASURED = frozenset({"", "nan", "NaN"})  # how pandas writes a missing number, and its text
MAY_BE_EMPTY = frozenset({"distributions.csv"})  # a run whose customers raised no tickets


class RunDirError(ValueError):
    """The directory is not a readable run directory; the message names it (one line)."""


def one_line(err: BaseException) -> str:
    """An exception's message on one line (a YAML or CSV parser's message spans several)."""
    return " ".join(str(err).split()) or type(err).__name__


def read_csv(path: Path) -> pd.DataFrame:
    """The CSV at `path` with name columns as text and every other column as numbers; RunDirError
    naming the file, row and column of the first thing that is not what the run wrote."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise RunDirError(f"{path}: cannot read: {err.strerror or one_line(err)}") from None
    if not raw.strip():
        if path.name in MAY_BE_EMPTY:
            return pd.DataFrame()
        raise RunDirError(f"{path}: the file is empty")
    if not raw.endswith(b"\n"):
        raise RunDirError(f"{path}: the last line is cut off (the file was truncated)")
    try:
        text = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except (OSError, ValueError) as err:  # UnicodeDecodeError and pandas' ParserError among them
        raise RunDirError(f"{path}: cannot read: {one_line(err)}") from None
    return pd.DataFrame({column: (_names(path, text, column) if column in NAME_COLUMNS
                                  else _numbers(path, text, column)) for column in text.columns},
                        index=text.index)  # at once: a column at a time fragments wide files


def _where(text: pd.DataFrame, column: str, bad: pd.Series) -> str:
    row = int(bad.to_numpy().argmax())
    return f"line {row + 2}, column {column}: {text[column].iloc[row]!r}"


def _names(path: Path, text: pd.DataFrame, column: str) -> pd.Series:
    names = text[column].astype(str)
    empty = names.str.strip() == ""
    if empty.any():
        raise RunDirError(f"{path}: {_where(text, column, empty)} is empty (a name is needed)")
    return names


def _numbers(path: Path, text: pd.DataFrame, column: str) -> pd.Series:
    strings = text[column].astype(str).str.strip()
    numbers = pd.to_numeric(strings, errors="coerce").astype(float)
    unmeasured = strings.isin(UNMEASURED)
    bad = numbers.isna() & ~unmeasured
    if bad.any():
        raise RunDirError(f"{path}: {_where(text, column, bad)} is not a number")
    if column in COUNT_COLUMNS:
        uncounted = unmeasured | (numbers % 1 != 0)
        if uncounted.any():
            raise RunDirError(f"{path}: {_where(text, column, uncounted)} is not a whole number")
        return numbers.astype("int64") if column != "seed" else pd.to_numeric(strings).astype("int64")
    return numbers


def require(path: Path, frame: pd.DataFrame, columns: list[str] | tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise RunDirError(f"{path}: missing columns {', '.join(missing)}")


def summary_rows(path: Path, summary: pd.DataFrame, manifest: dict[str, Any],
                 replications: pd.DataFrame | None) -> None:
    """Every design has a row for every (segment, window, KPI) any design has, once; the designs
    are the manifest's; every KPI replications.csv measured, in each segment and window, has rows."""
    keys = list(zip(summary["segment"], summary["window"], summary["kpi"], strict=True))
    seen: dict[str, set[tuple[str, str, str]]] = {}
    for design, key in zip(summary["design"], keys, strict=True):
        if key in seen.setdefault(design, set()):
            raise RunDirError(f"{path}: two rows for design {design}, {'/'.join(key)}")
        seen[design].add(key)
    listed = manifest.get("designs")
    if isinstance(listed, list) and listed:
        absent = [str(d) for d in listed if str(d) not in seen]
        extra = [d for d in seen if d not in [str(x) for x in listed]]
        if absent:
            raise RunDirError(f"{path}: no rows for design {', '.join(absent)} (manifest.json lists it; "
                              "the file is cut short)")
        if extra:
            raise RunDirError(f"{path}: design {', '.join(extra)} is not among manifest.json's designs")
    every = set(keys)
    for design, found in seen.items():
        lost = [k for k in dict.fromkeys(keys) if k not in found]
        if lost:
            raise RunDirError(f"{path}: {len(lost)} rows missing for design {design} (first: segment "
                              f"{lost[0][0]}, window {lost[0][1]}, KPI {lost[0][2]}); the file is cut short")
    if replications is not None and "window" in replications.columns:
        lost_kpis = [f"{kpi} ({segment}, {window})" for segment, window, kpi in _measured(replications)
                     if (segment, window, kpi) not in every]
        if lost_kpis:
            raise RunDirError(f"{path}: no rows for KPI {', '.join(lost_kpis[:3])}, which replications.csv "
                              "measured; the file is cut short")
    count = manifest.get("replications")
    if isinstance(count, int) and len(summary) and int(summary["n"].max()) > count:
        raise RunDirError(f"{path}: n is above the run's {count} replications (manifest.json)")


def _measured(replications: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(segment, window, KPI) of every column of replications.csv with a value in some row of that
    window: `kpi` is the whole book's, `kpi.segment` a segment's."""
    values = replications.drop(columns=[c for c in ("design", "replication", "seed", "window")
                                        if c in replications.columns])
    found = []
    for window, rows in values.groupby(replications["window"], sort=False):
        for column in rows.columns[rows.notna().any().to_numpy()]:
            kpi, _, segment = str(column).partition(".")
            found.append((segment or "all", str(window), kpi))
    return found


def mapping(path: Path, kind: str) -> dict[str, Any]:
    """scenario.yaml or manifest.json read as a mapping; RunDirError in one line if it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
        loaded = json.loads(text) if kind == "JSON" else yaml.load(text, Loader=CoreLoader)
    except (OSError, ValueError, yaml.YAMLError) as err:
        raise RunDirError(f"{path}: cannot read it as {kind}: {one_line(err)}") from None
    if not isinstance(loaded, dict):
        raise RunDirError(f"{path}: not a {kind} mapping (it holds {type(loaded).__name__})")
    return loaded


def listed_files(path: Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest says the run wrote is there (a half-copied folder is not a run)."""
    files = manifest.get("files")
    if not isinstance(files, list):
        return  # a run written before the manifest listed its files
    for name in files:
        if isinstance(name, str) and not (path / name).is_file():
            raise RunDirError(f"{path / name}: missing (the run wrote it; the folder is incomplete)")
