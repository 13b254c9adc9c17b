"""`orgsim sweep`: which design wins where — a scenario's designs compared at every point of a grid
(or a Latin hypercube) of varied parameters, written as sweep.csv, points.csv, manifest.json and
report.html (the decision map) into --out, resumable from the finished tasks kept there."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from simulate.basis import default_basis
from simulate.commands.studies import execute, execution_options, overrides
from simulate.exits import BAD_INPUT, fail, load_or_exit
from simulate.report.sweep_page import write_sweep_report
from simulate.results import scenario_hash
from simulate.scenario import locate
from simulate.sweep.aggregate import Summary
from simulate.sweep.files import write_tables
from simulate.sweep.points import Axis, SweepError, axes_of, parse_sample, points
from simulate.sweep.store import version
from simulate.sweep.study import Ran, Study

SHOWN = 30  # points listed in the terminal; the rest are in points.csv


def manifest(study: Study, ran: Ran, wall: float, extra: dict[str, Any]) -> dict[str, Any]:
    """What the study was and how it ran (its numbers are in sweep.csv, which does not depend on
    how it ran)."""
    return {
        "kind": "sweep",
        "scenario": study.base.name,
        "source": study.source,
        "scenario_sha256": scenario_hash(study.base),
        "seed": study.base.seed,
        "designs": list(study.base.compare),
        "axes": [_axis(a) for a in study.axes],
        "points": len(study.points),
        "replications": study.replications,
        "max_replications": study.cap if study.replications == "auto" else None,
        "replications_per_point": sorted({s.replications for s in ran.summaries}),
        "basis": study.basis,
        "tasks_run": ran.ran,
        "tasks_reused": ran.reused,
        "wall_seconds": round(wall, 3),
        "orgsim": version(),
        "command": " ".join(["orgsim", *sys.argv[1:]]),
        "notes": study.notes,
        **extra,
    }


def _axis(a: Axis) -> dict[str, Any]:
    return {"path": a.path, "low": a.low, "high": a.high} if a.ranged else {"path": a.path,
                                                                          "values": list(a.values)}


def lines(summaries: list[Summary], axes: tuple[Axis, ...]) -> list[str]:
    """One line per point (the first SHOWN): where it is, and what the verdict chooses."""
    out = []
    for s in summaries[:SHOWN]:
        where = ", ".join(f"{a.path}={v}" for a, v in zip(axes, s.point.values, strict=True))
        out.append(f"  {s.point.index:>3}  {where}: {s.chosen} ({s.replications} replications)")
    if len(summaries) > SHOWN:
        out.append(f"  … and {len(summaries) - SHOWN} more points (points.csv)")
    return out


@click.command("sweep", short_help="Which design wins where: a grid or hypercube of scenarios.")
@click.argument("scenario")
@click.option("--vary", "vary", multiple=True, metavar="PATH=V1,V2,…|PATH=LOW:HIGH",
              help="A scenario path and its values (repeat for more axes; a full factorial), or a "
                   "range with --sample. A path to a distribution sets its mean.")
@click.option("--sample", metavar="lhs:N", help="A Latin hypercube of N points over the ranges.")
@execution_options
def command(scenario: str, vary: tuple[str, ...], sample: str | None, replications: int | str | None,
            max_replications: int | None, basis: str | None, seed: int | None, designs: str | None,
            jobs: int, executor: str, address: str | None, out: Path) -> None:
    """Compare SCENARIO's designs at every point of the varied parameters, with common random
    numbers across points, and map which design the verdict chooses where."""
    sc = load_or_exit(scenario, **overrides(replications, max_replications, basis, seed, designs))
    try:
        n = parse_sample(sample)
        axes = axes_of(list(vary), n)
        grid = points(axes, n, sc.seed)
    except SweepError as err:
        fail(err.problems, BAD_INPUT)
    study = Study(sc, str(locate(scenario)), axes, grid, sc.replications, sc.max_replications,
                  default_basis(sc), out, sc.decision.until)
    console = Console(stderr=True)
    ran, wall = execute(study, scenario, jobs, executor, address, console)
    write_tables(out, ran.summaries, axes, manifest(study, ran, wall, {
        "sample": sample, "jobs": jobs, "executor": executor}))
    write_sweep_report(out)
    for line in lines(ran.summaries, axes):
        click.echo(line, err=True)
    click.echo(f"  {ran.ran} tasks run, {ran.reused} found in the store, {wall:.1f} s", err=True)
    click.echo(str(out))
