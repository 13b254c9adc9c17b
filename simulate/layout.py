"""Tables laid out for the width they are printed at, so that no name or number is ever cut.

A `Grid` is what a command wants to show: named records (designs, segments, runs), each with one
cell per field (a KPI, a bound). It reads naturally one way round — designs as columns and KPIs as
rows in a comparison, segments as rows in `orgsim capacity` — and it is printed that way when it
fits. When it does not, the records become columns and are split into as few blocks as fit side
by side, down to one record per block (one block per design); only if a single record is still too
wide are its cells wrapped (at spaces, never with an ellipsis).

The width is the terminal's; when the output is piped, $COLUMNS, else 80.

It imports nothing from simulate: callers hand it text already worded by `simulate.units`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

PIPED_WIDTH = 80  # what a pipe with no $COLUMNS gets: a terminal's default, readable anywhere
MAX_LINES = 2  # lines a wrapped cell may take in a table of records as rows
_MEASURE = Console(width=100_000)  # wide enough to measure a table's natural width


def width(stream: TextIO | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Columns to lay out for: the terminal's when `stream` (stdout) is one, else $COLUMNS, else 80."""
    stream = sys.stdout if stream is None else stream
    environ = os.environ if environ is None else environ
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        pass  # not a real file: a pipe, a test's buffer
    columns = environ.get("COLUMNS", "").strip()
    return int(columns) if columns.isdigit() and int(columns) > 0 else PIPED_WIDTH


@dataclass(frozen=True)
class Field:
    """One thing each record has a cell for: a KPI, a bound; `numeric` cells align right."""

    label: str
    numeric: bool = True


@dataclass(frozen=True)
class Record:
    """A design (segment, run × design) and its cells, one per field; `group` is a heading above
    its name (the run it comes from, in `orgsim compare`)."""

    name: str
    cells: tuple[str, ...]
    group: str = ""

    @property
    def heading(self) -> str:
        return f"{self.group}\n{self.name}" if self.group else self.name


@dataclass(frozen=True)
class Grid:
    """A table to show. `record_kind` heads the names where records are rows ("design"),
    `field_kind` the labels where fields are rows ("KPI"); `records_across` says which way round
    it reads best: records as columns (True) or as rows."""

    title: str
    fields: tuple[Field, ...]
    records: tuple[Record, ...]
    record_kind: str
    field_kind: str = ""
    records_across: bool = True
    caption: str = ""


def _natural(table: Table) -> int:
    """The table's width with nothing wrapped."""
    return Measurement.get(_MEASURE, _MEASURE.options, table).maximum


def _fits(table: Table, columns: int) -> bool:
    return _natural(table) <= columns


def _plain(text: str) -> Text:
    """A cell as written: a design named `[/x]` is a name, not rich markup."""
    return Text(text)


def _records_down(grid: Grid, widths: Mapping[int, int] | None = None) -> Table:
    """One row per record, one column per field; a field given a width in `widths` (by index)
    wraps its cells at spaces within it."""
    widths = widths or {}
    table = Table()
    table.add_column(_plain(grid.record_kind), no_wrap=True, overflow="fold")
    for i, f in enumerate(grid.fields):
        table.add_column(_plain(f.label), justify="right" if f.numeric else "left", no_wrap=i not in widths,
                         width=widths.get(i), overflow="fold")
    for record in grid.records:
        table.add_row(_plain(record.name), *map(_plain, record.cells))
    return table


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def _lines(text: str, columns: int) -> int:
    """Lines `text` takes wrapped at spaces into `columns` (no word longer than that)."""
    lines, used = 1, -1
    for word in text.split():
        if used >= 0 and used + 1 + cell_len(word) > columns:
            lines, used = lines + 1, -1
        used += 1 + cell_len(word)
    return lines


def _wrapped_down(grid: Grid, columns: int, natural: int) -> Table | None:
    """Records as rows with the text fields (a headcount, a list of targets) narrowed, widest
    first, wrapping at spaces, just enough to fit `columns`; None if even their longest words do
    not fit, or a cell would take more than MAX_LINES lines (a block per record reads better)."""
    texts = [i for i, f in enumerate(grid.fields) if not f.numeric]
    whole = {i: max(cell_len(t) for t in (grid.fields[i].label, *(r.cells[i] for r in grid.records)))
             for i in texts}
    least = {i: max(_longest_word(t) for t in (grid.fields[i].label, *(r.cells[i] for r in grid.records)))
             for i in texts}
    excess = natural - columns
    if not texts or sum(whole[i] - least[i] for i in texts) < excess:
        return None
    widths = dict(whole)
    for _ in range(excess):  # narrow the widest column that can still give, one cell at a time
        widest = max((i for i in texts if widths[i] > least[i]), key=lambda i: widths[i])
        widths[widest] -= 1
    if any(_lines(r.cells[i], widths[i]) > MAX_LINES for r in grid.records for i in texts):
        return None
    return _records_down(grid, widths)


def _records_across(grid: Grid, records: Sequence[Record], wrap: bool = False) -> Table:
    """One column per record, one row per field; `wrap`: cells wrap at spaces, and the record's
    name is left to a line of its own above the table (a name is never folded)."""
    table = Table(show_header=not wrap)
    table.add_column(_plain(grid.field_kind), style="bold", no_wrap=not wrap, overflow="fold")
    numeric = all(f.numeric for f in grid.fields)
    for record in records:
        table.add_column(_plain(record.heading), justify="right" if numeric else "left", no_wrap=not wrap,
                         overflow="fold")
    for i, f in enumerate(grid.fields):
        table.add_row(_plain(f.label), *(_plain(r.cells[i]) for r in records))
    return table


def _split(records: Sequence[Record], parts: int) -> list[Sequence[Record]]:
    """`records` in `parts` consecutive blocks, as even as can be (the first ones one longer)."""
    size, extra = divmod(len(records), parts)
    blocks, start = [], 0
    for i in range(parts):
        end = start + size + (i < extra)
        blocks.append(records[start:end])
        start = end
    return blocks


def tables(grid: Grid, columns: int) -> list[RenderableType]:
    """The grid as tables that fit `columns`: the way it reads best if that fits (records as rows:
    with their text wrapped at spaces if need be), else its records as columns in as few blocks
    as fit, else one record a block, under its name, cells wrapped."""
    if not grid.records_across:
        table = _records_down(grid)
        natural = _natural(table)
        if natural <= columns:
            return [table]
        wrapped = _wrapped_down(grid, columns, natural)
        if wrapped is not None:
            return [wrapped]
    n = max(1, len(grid.records))
    for parts in range(1, n + 1):
        laid = [_records_across(grid, block) for block in _split(grid.records, parts)]
        if all(_fits(t, columns) for t in laid):
            return laid
    return [part for r in grid.records
            for part in (Text(r.heading.replace("\n", " "), style="bold"), _records_across(grid, [r], True))]


def show(grids: Sequence[Grid], columns: int, file: TextIO | None = None,
         lines: Sequence[tuple[str, str]] = ()) -> None:
    """Print `grids` laid out for `columns`, each under its title and over its caption (wrapped to
    the width, not to the table's), then `lines` ((text, style) pairs), wrapped to fit."""
    console = Console(width=columns, file=file)
    for grid in grids:
        console.print(grid.title, style="italic", markup=False, highlight=False)
        for part in tables(grid, columns):
            console.print(part)
        if grid.caption:
            console.print(grid.caption, style="italic", markup=False, highlight=False)
    for text, style in lines:
        console.print(text, style=style or None, markup=False, highlight=False)
