"""How a command's table is printed: `--format table|csv|json|markdown`, a table of writers.

A command builds one `Document`: the grids people read (laid out by `simulate.layout`) and the
same numbers as tidy rows for programs (one row per design × KPI, × run in `orgsim compare`),
plus lines for people (warnings, hints). `table` prints the grids and the lines; the other
formats print the rows alone on stdout, so that `orgsim run … --format csv > kpis.csv` is a CSV
file, and send the lines — and the run directory a command names last — to stderr.
"""

from __future__ import annotations

import csv
import json
import math
import numbers
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple, TextIO

from simulate.layout import Grid, show, width


@dataclass(frozen=True)
class Document:
    """What a command prints. `lines` are (text, style) for people: after the tables, or on
    stderr when the output is data."""

    grids: tuple[Grid, ...]
    columns: tuple[str, ...]
    rows: tuple[Mapping[str, object], ...]
    lines: tuple[tuple[str, str], ...] = ()


def plain(value: object) -> object:
    """A cell as JSON holds it: int, float, bool or text; None for no value (NaN included)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value) if math.isfinite(value) else None
    return str(value)


def text(value: object) -> str:
    """A cell as CSV and Markdown hold it: numbers in full precision, "" for no value."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _records(doc: Document) -> list[dict[str, object]]:
    return [{c: plain(row.get(c)) for c in doc.columns} for row in doc.rows]


def write_table(doc: Document, out: TextIO, columns: int) -> None:
    show(doc.grids, columns, out, doc.lines)


def write_csv(doc: Document, out: TextIO, columns: int) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(doc.columns)
    writer.writerows([text(row.get(c)) for c in doc.columns] for row in doc.rows)


def write_json(doc: Document, out: TextIO, columns: int) -> None:
    out.write(json.dumps(_records(doc), indent=2, ensure_ascii=False) + "\n")


def write_markdown(doc: Document, out: TextIO, columns: int) -> None:
    def cell(value: object) -> str:
        return text(value).replace("|", "\\|")

    out.write("| " + " | ".join(doc.columns) + " |\n")
    out.write("|" + "|".join("---" for _ in doc.columns) + "|\n")
    for row in doc.rows:
        out.write("| " + " | ".join(cell(row.get(c)) for c in doc.columns) + " |\n")


class Format(NamedTuple):
    """One value of `--format`: its writer, and whether its output is for people (the lines
    and the run directory follow it on stdout) or for programs (they go to stderr)."""

    name: str
    write: Callable[[Document, TextIO, int], None]
    for_people: bool
    help: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("table", write_table, True, "tables laid out for the terminal's width"),
    Format("csv", write_csv, False, "tidy CSV: one row per design × KPI"),
    Format("json", write_json, False, "a JSON list of the same rows"),
    Format("markdown", write_markdown, False, "a Markdown table of the same rows"),
)}
NAMES = tuple(FORMATS)
HELP = "How to print the table: " + "; ".join(f"{f.name}: {f.help}" for f in FORMATS.values()) + "."


def emit(doc: Document, name: str = "table", *, last: str | None = None) -> None:
    """Print `doc` on stdout in the format `name`; `last` (a run directory) is printed last."""
    chosen = FORMATS[name]
    chosen.write(doc, sys.stdout, width())
    aside = sys.stdout if chosen.for_people else sys.stderr
    if not chosen.for_people:
        for line, _ in doc.lines:
            print(line, file=aside)
    if last is not None:
        print(last, file=aside)
