"""The decision report: `report.html` in a run directory, built from the files `orgsim run` wrote.

`write_report(run_dir)` needs only the directory's CSVs (summary.csv at least; the scenario and
manifest add the assumptions and provenance). It writes a temporary file beside the report and
renames it into place, so a reader never sees half a page. Matplotlib is imported only here,
on first use, to keep the command line quick to start.
"""

from __future__ import annotations

from pathlib import Path

from simulate.report.data import RunDirError, load_run
from simulate.writable import write_atomically

REPORT = "report.html"

__all__ = ["REPORT", "RunDirError", "render_report", "write_report"]


def render_report(run_dir: Path | str) -> str:
    """The report page for `run_dir`, as a string; RunDirError if it is not a run directory."""
    from simulate.report.html import render

    return render(load_run(run_dir))


def write_report(run_dir: Path | str) -> Path:
    """Write `run_dir/report.html` atomically and return its path."""
    run_dir = Path(run_dir)
    page = render_report(run_dir)
    return write_atomically(run_dir / REPORT, page, prefix=".report.")
