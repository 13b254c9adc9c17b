"""`orgsim compare`: earlier runs' summaries side by side, and each later run's difference to the
first (paired by replication where the runs share their seeds), as a table, CSV, JSON or Markdown."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import click

from simulate import interrupts
from simulate.exits import BAD_INPUT, FAILED, fail
from simulate.formats import FORMATS, HELP, NAMES, emit


def _problem_with(given: tuple[str, ...], runs: int) -> str | None:
    """What is wrong with the --label values given for `runs` run directories, if anything."""
    if not given:
        return None
    if len(given) != runs:
        return f"give one per run directory, in order ({runs} run directories, {len(given)} labels)"
    if any(not label.strip() for label in given):
        return "a label cannot be empty"
    twice = [label for label in dict.fromkeys(given) if given.count(label) > 1]
    return f"labels must differ ({', '.join(twice)} given twice)" if twice else None


def _write_whole(path: Path, write: Callable[[TextIO], object]) -> None:
    """Write `path` whole or not at all: into a temporary file beside it, renamed into place, which
    an interrupt or a failure removes (an earlier file of that name stays as it was)."""
    if path.exists() and not path.is_file():  # a device or a pipe: nothing to leave half-written
        with path.open("w", newline="") as out:
            write(out)
        return
    begun: list[str] = []
    try:
        with interrupts.writing(lambda: [os.unlink(p) for p in begun]):
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
            begun.append(tmp)
            with os.fdopen(fd, "w", newline="") as out:
                write(out)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
    except BaseException:
        for tmp in begun:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise


@click.command("compare", short_help="Put the summaries of run directories side by side.")
@click.argument("run_dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--label", "given", multiple=True,
              help="A heading for each RUN_DIR, in order (repeat it; default: the shortest part "
                   "of the scenario name or path that tells the runs apart).")
@click.option("--segment", default="all", show_default=True,
              help="Whole book (all) or one segment's account-facing KPIs.")
@click.option("--window", default="all", show_default=True,
              help="The whole measured period (all) or one 12-month window (year1, year2, …).")
@click.option("--headline", is_flag=True, help="Only the headline KPIs.")
@click.option("--format", "fmt", type=click.Choice(NAMES), default="table", show_default=True, help=HELP)
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the rows as tidy CSV (what --format csv prints).")
@click.option("--markdown", "markdown_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the rows as a Markdown table (what --format markdown prints).")
def command(run_dirs: tuple[Path, ...], given: tuple[str, ...], segment: str, window: str,
            headline: bool, fmt: str, csv_path: Path | None, markdown_path: Path | None) -> None:
    """Put the summaries of RUN_DIRS (directories `orgsim run` wrote) side by side — rows KPI,
    columns run × design, mean ± half the 95% interval — and show each later run's difference
    to the first, design by design (B − A): paired by replication when the runs share their
    seed and replication count, else unpaired (Welch), said in one line on stderr."""
    from simulate import compare
    from simulate.report.data import RunDirError, load_run, refuse_unfinished

    problem = _problem_with(given, len(run_dirs))
    if problem:
        fail([f"orgsim compare: --label: {problem}"], BAD_INPUT)
    runs, problems = [], []
    for path in run_dirs:
        try:
            refuse_unfinished(path)
            runs.append(load_run(path))
        except RunDirError as err:
            problems.append(f"orgsim compare: {err}")
    if problems:
        fail(problems, BAD_INPUT)
    known = compare.segments(runs)
    if segment != "all" and segment not in known:
        fail([f"orgsim compare: --segment {segment}: no such segment in these runs "
              f"(segments: all, {', '.join(known)})"], BAD_INPUT)
    years = compare.windows(runs)
    if window != "all" and window not in years:
        fail([f"orgsim compare: --window {window}: no such window in these runs "
              f"(windows: {', '.join(['all', *years])})"], BAD_INPUT)
    table = compare.build(runs, given, segment, headline, window)
    doc = compare.document(table)
    try:
        for path, kind in ((csv_path, "csv"), (markdown_path, "markdown")):
            if path is not None:
                _write_whole(path, lambda out, kind=kind: FORMATS[kind].write(doc, out, 0))
    except OSError as err:
        fail([f"orgsim compare: cannot write: {err}"], FAILED)
    for p in table.pairings:
        if p.warning:
            click.echo(p.warning, err=True)
    emit(doc, fmt)
