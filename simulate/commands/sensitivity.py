"""`orgsim sensitivity`: which assumptions move the verdict, and which flip it — each
assumption-graded parameter one at a time at its low and high (the tornado), and optionally all at
once over a Latin hypercube (`--global N`), written as tornado.csv, global.csv, sweep.csv,
points.csv, manifest.json and report.html into --out, resumable like a sweep."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from simulate.basis import default_basis
from simulate.commands.studies import execute, execution_options, overrides
from simulate.commands.sweep import manifest
from simulate.exits import BAD_INPUT, fail, load_or_exit
from simulate.report.sweep_page import GLOBAL, TORNADO, write_sweep_report
from simulate.scenario import locate
from simulate.sweep.files import csv_text, write_tables
from simulate.sweep.points import SweepError
from simulate.sweep.sensitivity import axes, global_points, global_rows, one_at_a_time, swings, tornado
from simulate.sweep.study import Study
from simulate.writable import write_atomically


@click.command("sensitivity", short_help="Which assumptions move or flip the verdict: the tornado.")
@click.argument("scenario")
@click.option("--range", "spread", type=click.FloatRange(min=0, max=0.99, min_open=True),
              help="Swing each parameter to its value × (1 ± RANGE) instead of its documented "
                   "low and high (parameters with no documented range: ±0.5).")
@click.option("--params", help="Comma-separated scenario paths (default: every assumption-graded "
                               "parameter a compared design rests on).")
@click.option("--global", "global_n", type=click.IntRange(min=1, max=10_000), metavar="N",
              help="Also N Latin-hypercube points over all the parameters at once: the share "
                   "of points where the choice differs.")
@execution_options
def command(scenario: str, spread: float | None, params: str | None, global_n: int | None,
            replications: int | str | None, max_replications: int | None, basis: str | None,
            seed: int | None, designs: str | None, jobs: int, executor: str, address: str | None,
            out: Path) -> None:
    """Swing SCENARIO's assumption-graded parameters and show how far each moves the gap between
    the chosen design and the runner-up, and which ones change the choice."""
    sc = load_or_exit(scenario, **overrides(replications, max_replications, basis, seed, designs))
    source = str(locate(scenario))
    wanted = [p.strip() for p in params.split(",") if p.strip()] if params else None
    try:
        found = swings(sc, source, wanted, spread)
    except SweepError as err:
        fail(err.problems, BAD_INPUT)
    if not found:
        fail([f"{source}: no assumption-graded parameter bears on the designs compared; "
              "name some with --params"], BAD_INPUT)
    local = one_at_a_time(found)
    extra = global_points(found, global_n, sc.seed, len(local)) if global_n else []
    study = Study(sc, source, axes(found), [*local, *extra], sc.replications, sc.max_replications,
                  default_basis(sc), out, sc.decision.until)
    console = Console(stderr=True)
    ran, wall = execute(study, scenario, jobs, executor, address, console)
    base = ran.summaries[0]
    if base.choice is None:
        study.notes.append(f"At the scenario's own values there is no clear choice: the gaps are "
                           f"between the leading design ({base.leader}) and the runner-up "
                           f"({base.runner_up}).")
    table = tornado(found, ran.summaries[:len(local)], study.basis)
    write_atomically(out / TORNADO, csv_text(table))
    if extra:
        write_atomically(out / GLOBAL, csv_text(global_rows(found, ran.summaries[len(local):], base)))
    write_tables(out, ran.summaries, study.axes, manifest(study, ran, wall, {
        "kind": "sensitivity", "gap": {"design": base.leader, "versus": base.runner_up},
        "range": spread, "global": global_n, "jobs": jobs, "executor": executor,
        "parameters": [{"path": s.path, "base": s.base, "low": s.low, "high": s.high, "range": s.whence}
                       for s in found]}))
    write_sweep_report(out)
    flips = sorted({row[0] for row in table[1:] if row[-1] == "true"})
    click.echo(f"  at the scenario's values: {base.chosen} ({base.replications} replications)", err=True)
    click.echo(f"  flip the choice: {', '.join(flips) if flips else 'none, at this precision'}", err=True)
    click.echo(f"  {ran.ran} tasks run, {ran.reused} found in the store, {wall:.1f} s", err=True)
    click.echo(str(out))
