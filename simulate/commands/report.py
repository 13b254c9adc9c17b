"""`orgsim report`: (re)build report.html in a run directory from the files the run wrote."""

from __future__ import annotations

from pathlib import Path

import click

from simulate.exits import BAD_INPUT, FAILED, fail


@click.command("report", short_help="Write RUN_DIR/report.html for leaders.")
@click.argument("run_dir", type=click.Path(path_type=Path))
def command(run_dir: Path) -> None:
    """Write RUN_DIR/report.html: charts, findings and KPI tables for leaders (self-contained)."""
    from simulate.report import RunDirError, write_report
    from simulate.report.data import refuse_unfinished

    try:
        refuse_unfinished(run_dir)
        path = write_report(run_dir)
    except RunDirError as err:
        fail([f"orgsim report: {err}"], BAD_INPUT)
    except OSError as err:
        fail([f"orgsim report: cannot write the report in {run_dir}: {err}"], FAILED)
    click.echo(str(path))
