"""`orgsim calibrate`: a company's accounts and tickets exports → FITTED.yaml (a complete, valid
scenario whose comments give every value's source) and FITTED.fit.html (data against fit);
`--check` back-tests the fitted scenario against the export's last 12 months."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
import pandas as pd
import yaml

from simulate.calibrate.backtest import backtest, lines
from simulate.calibrate.columns import DEFAULT_SEGMENTS, MappingError, parse_segments, read_mapping
from simulate.calibrate.exports import ExportError, read_exports
from simulate.calibrate.fit import calibrate
from simulate.calibrate.report import report_html
from simulate.calibrate.scenario_text import fitted_document, scenario_text
from simulate.commands import cap_jobs, catch_signals
from simulate.consistency import parse
from simulate.designs import resolve
from simulate.exits import BAD_INPUT, FAILED, INTERRUPTED, fail, load_or_exit
from simulate.scenario import ScenarioError, locate
from simulate.scenario.yaml12 import CoreLoader
from simulate.writable import probe

CSV = click.Path(exists=True, dir_okay=False, path_type=Path)


def report_path(out: Path) -> Path:
    """FITTED.yaml → FITTED.fit.html beside it."""
    return out.with_name(f"{out.stem}.fit.html")


def _write_together(files: dict[Path, str]) -> None:
    """Every file written to a temporary name first, then all renamed into place."""
    staged: list[tuple[str, Path]] = []
    umask = os.umask(0)
    os.umask(umask)
    try:
        for path, text in files.items():
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            staged.append((name, path))
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(name, 0o666 & ~umask)  # as an ordinary file would be, not mkstemp's 0600
        for name, path in staged:
            os.replace(name, path)
    finally:
        for name, _ in staged:
            if os.path.exists(name):
                os.unlink(name)


@click.command("calibrate", short_help="Fit a scenario to a company's accounts and tickets exports.")
@click.option("--accounts", "accounts_csv", type=CSV, required=True, help="Accounts export (CSV).")
@click.option("--tickets", "tickets_csv", type=CSV, required=True, help="Tickets export (CSV).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The fitted scenario to write (FITTED.yaml; the fit report goes beside it).")
@click.option("--as-of", "as_of",
              help="Read the data as of this date (YYYY-MM-DD; default: its latest date).")
@click.option("--map", "mapping", type=CSV, help="YAML naming the export's header for each of our columns.")
@click.option("--segments", default=DEFAULT_SEGMENTS, show_default=True,
              help="ACV bands, USD a year, for accounts exports without a segment column.")
@click.option("--base", default="baseline", show_default=True,
              help="Scenario whose values fill in what the exports cannot give.")
@click.option("--design", help="The company's current org design (default: the base's first compared).")
@click.option("--check", is_flag=True, help="Back-test: simulate the last 12 months and compare.")
@click.option("--replications", "-r", type=click.IntRange(min=2), default=10, show_default=True,
              help="Replications of the back-test.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes for the back-test.")
def command(accounts_csv: Path, tickets_csv: Path, out: Path, as_of: str | None, mapping: Path | None,
            segments: str, base: str, design: str | None, check: bool, replications: int, jobs: int) -> None:
    """Fit a scenario to a company's accounts and tickets exports: what the data allows is fitted
    (each value's source in a comment), everything else is the base scenario's (listed)."""
    base_scenario = load_or_exit(base)
    base_doc = yaml.load(locate(base).read_text(encoding="utf-8"), Loader=CoreLoader)
    name = design or base_scenario.compare[0]
    try:
        current = resolve(base_scenario, name)
    except ValueError:
        fail([f"--design: unknown design {name!r} in {base} (known: {', '.join(base_scenario.compare)})"],
             BAD_INPUT)
    if name not in base_scenario.staffing.plans:
        fail([f"--design: {name!r} has no staffing in {base} (staffed: "
              f"{', '.join(base_scenario.staffing.plans)})"], BAD_INPUT)
    problems = []
    try:
        parse_segments(segments)
    except ValueError as err:
        problems.append(f"--segments: {err}")
    if as_of is not None:
        try:
            pd.Timestamp(as_of)
        except ValueError:
            problems.append(f"--as-of: expected a date YYYY-MM-DD (got {as_of!r})")
    try:
        renames = read_mapping(mapping)
    except MappingError as err:
        problems.append(str(err))
    if out.is_dir():
        problems.append(f"--out: {out} is a folder; expected a file name such as FITTED.yaml")
    if problems:
        fail(problems, BAD_INPUT)
    catch_signals()
    try:
        exports = read_exports(accounts_csv, tickets_csv, renames, as_of, segments)
        cal = calibrate(exports, base_scenario, base_scenario.name, current)
        header = [f"Fitted by orgsim calibrate from {accounts_csv.name} ({len(exports.accounts):,} "
                  f"accounts) and {tickets_csv.name} ({len(exports.tickets):,} tickets), as of "
                  f"{exports.as_of:%Y-%m-%d};",
                  f"segments from {exports.segmented_by}; the current design: {current.name}. Values the",
                  f"exports cannot give come from base scenario {base_scenario.name} (listed at the end)."]
        doc = fitted_document(base_doc, cal, out.stem, f"Fitted to {accounts_csv.name} and "
                              f"{tickets_csv.name} as of {exports.as_of:%Y-%m-%d}.")
        doc["compare"] = [current.name, *(d for d in doc.get("compare", []) if d != current.name)]
        text = scenario_text(doc, cal, out, header)
        fitted = parse(yaml.load(text, Loader=CoreLoader), str(out))
        page = report_html(cal, exports.as_of, f"{out.name}: fit report", header)
    except ExportError as err:
        fail(err.problems, BAD_INPUT)
    except ScenarioError as err:
        fail([f"orgsim: the fitted scenario does not validate (nothing written): {p}" for p in err.problems],
             FAILED)
    except KeyboardInterrupt:
        fail(["orgsim: interrupted; nothing was written"], INTERRUPTED)
    unwritable = probe(out.parent if str(out.parent) else Path("."))
    if unwritable:
        fail([f"orgsim: cannot write {out}: {unwritable}"], FAILED)
    try:
        _write_together({out: text, report_path(out): page})
    except OSError as err:
        fail([f"orgsim: cannot write {out}: {err}"], FAILED)
    click.echo(f"{len(cal.values)} values fitted, {len(cal.kept)} kept from {base_scenario.name}, "
               f"{len(cal.warnings)} warnings; fit report: {report_path(out)}", err=True)
    for warning in cal.warnings:
        click.echo(f"warning: {warning}", err=True)
    if check:
        try:
            rows = backtest(fitted, exports, current, replications, fitted.seed, cap_jobs(jobs))
        except KeyboardInterrupt:
            fail(["orgsim: interrupted during the back-test; the fitted scenario was written"], INTERRUPTED)
        for line in lines(rows, current.name):
            click.echo(line)
    click.echo(str(out))
