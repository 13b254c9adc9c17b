"""Reading the accounts and tickets exports, and refusing bad data with one line per problem.

Each file is read by pandas' C reader as text, then each column converted once, vectorised, by its
kind (simulate.calibrate.columns): a million tickets load in seconds. Every kind of problem is one
line with its count and the first three row numbers as a spreadsheet shows them (the header is
row 1): missing columns, empty required values, values that are not dates, numbers or flags,
values below their bound, negative durations, duplicate ids and tickets for unknown accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulate.calibrate.columns import (
    AT_LEAST,
    EXPORTS,
    FLAGS,
    ORDERED,
    Export,
    Renames,
    parse_segments,
)

SHOWN_ROWS = 3
HEADER_ROWS = 2  # a data row's index 0 is the spreadsheet's row 2


class ExportError(Exception):
    """Exports that cannot be used; `problems` holds one line per kind of problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def problem(path: Path, what: str, mask: np.ndarray) -> str | None:
    """`file: what: N rows (rows a, b, c …)` for the rows `mask` marks, or None if none."""
    rows = np.flatnonzero(mask)
    if not rows.size:
        return None
    shown = ", ".join(str(r + HEADER_ROWS) for r in rows[:SHOWN_ROWS])
    more = ", …" if rows.size > SHOWN_ROWS else ""
    noun = "row" if rows.size == 1 else "rows"
    return f"{path}: {what}: {rows.size:,} {noun} ({noun} {shown}{more})"


@dataclass(frozen=True)
class Exports:
    """Both exports, typed: ids and text as str, dates as datetime64, numbers as float, flags as
    bool (missing: NaT / NaN / <NA>); `as_of` the date the data is read at (rows after it are
    left out); `segmented_by` says where segments came from."""

    accounts: pd.DataFrame
    tickets: pd.DataFrame
    as_of: pd.Timestamp
    segmented_by: str


def _read(path: Path, export: Export, renames: dict[str, str]) -> pd.DataFrame:
    """The export's known columns, as text (empty cells ''), under our names."""
    ours = {c.name for c in export.columns}
    wanted = lambda header: renames.get(header.strip(), header.strip()) in ours  # noqa: E731
    try:
        frame = pd.read_csv(path, dtype=object, keep_default_na=False, na_filter=False,
                            usecols=wanted, encoding="utf-8-sig", skipinitialspace=True)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise ExportError([f"{path}: cannot read as CSV: {' '.join(str(err).split())}"]) from None
    frame.columns = [renames.get(c.strip(), c.strip()) for c in frame.columns]
    return frame.loc[:, ~frame.columns.duplicated()]


def _missing(path: Path, export: Export, frame: pd.DataFrame) -> list[str]:
    absent = [c for c in export.required if c not in frame.columns]
    if not absent:
        return []
    return [f"{path}: missing required column{'s' if len(absent) > 1 else ''} {', '.join(absent)} "
            f"(the header has {', '.join(frame.columns) or 'nothing'}; --map renames columns)"]


def _typed(path: Path, export: Export, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Each column converted by its kind, and the problems found on the way."""
    lines: list[str | None] = []
    typed = pd.DataFrame(index=raw.index)
    for column in export.columns:
        if column.name not in raw.columns:
            continue
        text = raw[column.name]
        if column.kind in ("text", "flag"):  # few distinct values: clean each once
            codes, uniques = pd.factorize(text)
            cleaned = np.array([str(u).strip() for u in uniques] or [""], dtype=object)
            text = pd.Series(cleaned[codes], index=text.index, dtype=object)
        empty = (text == "").to_numpy()
        if column.filled:
            lines.append(problem(path, f"{column.name}: empty", empty))
        if column.kind == "date":
            value = pd.to_datetime(text.where(~empty), format="ISO8601", errors="coerce", utc=True)
            value = value.dt.tz_localize(None)
            lines.append(problem(path, f"{column.name}: not a date (expected ISO 8601, e.g. "
                                       "2024-03-31 or 2024-03-31T14:05)", value.isna().to_numpy() & ~empty))
        elif column.kind == "number":
            value = pd.to_numeric(text.where(~empty), errors="coerce")
            lines.append(problem(path, f"{column.name}: not a number", value.isna().to_numpy() & ~empty))
            bound = AT_LEAST.get(column.name)
            if bound is not None:
                what = "negative" if bound == 0 else f"below {bound:g}"
                lines.append(problem(path, f"{column.name}: {what}", (value < bound).to_numpy()))
        elif column.kind == "flag":
            value = text.str.lower().map(FLAGS).astype("boolean")
            lines.append(problem(path, f"{column.name}: not a flag (expected true/false/1/0)",
                                 value.isna().to_numpy() & ~empty))
        else:
            value = text
        typed[column.name] = value
    if export.key in typed:
        lines.append(problem(path, f"{export.key}: duplicate id",
                             (typed[export.key].duplicated() & (typed[export.key] != "")).to_numpy()))
    for name, start, end in ORDERED:
        if name == export.name and start in typed and end in typed:
            lines.append(problem(path, f"{end} before {start} (a negative duration)",
                                 (typed[end] < typed[start]).to_numpy()))
    return typed, [line for line in lines if line]


def _segments(path: Path, accounts: pd.DataFrame, bands: str) -> tuple[pd.Series, str, list[str]]:
    """Each account's segment: the export's own column, else its ACV band from `--segments`."""
    if "segment" in accounts:
        empty = (accounts["segment"] == "").to_numpy()
        line = problem(path, "segment: empty (fill it, or drop the column to segment by ACV)", empty)
        return accounts["segment"], "the export's segment column", [line] if line else []
    named = parse_segments(bands)
    segment = pd.Series("", index=accounts.index, dtype=object)
    for name, low, high in reversed(named):
        segment[(accounts["acv"] >= low) & (accounts["acv"] < high)] = name
    outside = ((segment == "") & accounts["acv"].notna()).to_numpy()
    line = problem(path, f"acv: in no --segments band ({bands})", outside)
    return segment, f"ACV bands {bands}", [line] if line else []


def read_exports(accounts_path: Path, tickets_path: Path, renames: Renames,
                 as_of: str | None, segments: str) -> Exports:
    """Both exports read, typed and checked; ExportError lists every problem, one line per kind."""
    raw = {name: _read(path, EXPORTS[name], renames[name])
           for name, path in (("accounts", accounts_path), ("tickets", tickets_path))}
    paths = {"accounts": accounts_path, "tickets": tickets_path}
    missing = [line for name, frame in raw.items() for line in _missing(paths[name], EXPORTS[name], frame)]
    if missing:
        raise ExportError(missing)
    accounts, lines = _typed(accounts_path, EXPORTS["accounts"], raw["accounts"])
    tickets, more = _typed(tickets_path, EXPORTS["tickets"], raw["tickets"])
    lines += more
    accounts["segment"], segmented_by, more = _segments(accounts_path, accounts, segments)
    lines += more
    known = set(accounts["account_id"])
    unknown = ~tickets["account_id"].isin(known).to_numpy() & (tickets["account_id"] != "").to_numpy()
    line = problem(tickets_path, f"account_id: no such account in {accounts_path.name}", unknown)
    lines += [line] if line else []
    if not len(accounts):
        lines.append(f"{accounts_path}: no accounts (only a header)")
    if lines:
        raise ExportError(lines)
    stamp = _as_of(accounts, tickets, as_of)
    accounts = accounts[accounts["signed_date"] <= stamp].reset_index(drop=True)
    tickets = tickets[tickets["created_at"] <= stamp].reset_index(drop=True)
    return Exports(accounts, tickets, stamp, segmented_by)


def _as_of(accounts: pd.DataFrame, tickets: pd.DataFrame, given: str | None) -> pd.Timestamp:
    """`--as-of` (its day's end), else the latest date anywhere in the exports."""
    if given is not None:
        return pd.Timestamp(given).normalize() + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    dates = [frame[c].max() for frame in (accounts, tickets) for c in frame
             if pd.api.types.is_datetime64_any_dtype(frame[c])]
    return max(d for d in dates if pd.notna(d))
