"""`orgsim compare`: earlier runs' summaries side by side in the terminal, as CSV or Markdown."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from simulate.exits import BAD_INPUT, FAILED, fail


@click.command("compare", short_help="Put the summaries of run directories side by side.")
@click.argument("run_dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--segment", default="all", show_default=True,
              help="Whole book (all) or one segment's account-facing KPIs.")
@click.option("--window", default="all", show_default=True,
              help="The whole measured period (all) or one 12-month window (year1, year2, …).")
@click.option("--headline", is_flag=True, help="Only the headline KPIs.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the table as CSV (means and half-intervals as numbers).")
@click.option("--markdown", "markdown_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the table as Markdown.")
def command(run_dirs: tuple[Path, ...], segment: str, window: str, headline: bool,
            csv_path: Path | None, markdown_path: Path | None) -> None:
    """Put the summaries of RUN_DIRS (directories `orgsim run` wrote) side by side:
    rows KPI, columns run × design, mean ± half the 95% interval."""
    from simulate import compare
    from simulate.report.data import RunDirError, load_run

    runs, problems = [], []
    for path in run_dirs:
        try:
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
    table = compare.build(runs, segment, headline, window)
    try:
        if csv_path is not None:
            csv_path.write_text(compare.to_csv(table))
        if markdown_path is not None:
            markdown_path.write_text(compare.to_markdown(table))
    except OSError as err:
        fail([f"orgsim compare: cannot write: {err}"], FAILED)
    console = Console(width=None if sys.stdout.isatty() else 240)
    console.print(compare.to_rich(table))
