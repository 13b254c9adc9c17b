"""`orgsim optimize`: each design at its cheapest fixed staffing that meets the targets."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
import yaml
from rich.console import Console

from simulate import consistency
from simulate.basis import service_basis
from simulate.commands import cap_jobs, catch_signals
from simulate.decision.record import document
from simulate.designs import compared
from simulate.exits import BAD_INPUT, FAILED, INTERRUPTED, fail, load_or_exit
from simulate.formats import HELP, NAMES, emit
from simulate.optimize import TYPICAL_EVALUATIONS, Optimum, Search, optimized_scenario, searched_roles
from simulate.report import write_report
from simulate.results import tables, write_run
from simulate.runner import TaskFailed, run
from simulate.table import optimize_document
from simulate.workload.limits import oversize
from simulate.workload.size import Repeats, optimizer_people, workers_here
from simulate.writable import probe


def fragment(optima: list[Optimum]) -> str:
    """The optimal staffing as YAML to paste under `staffing:`."""
    return yaml.safe_dump({o.design: o.best.counts for o in optima}, sort_keys=False)


AUTO_FINAL = 20  # replications of the final comparison when the scenario says auto


@click.command("optimize", short_help="Each design's cheapest staffing that meets the targets.")
@click.argument("scenario")
@click.option("--replications", "-r", type=click.IntRange(min=2),
              help="Replications per candidate while searching (default: min(6, the scenario's)).")
@click.option("--confidence", is_flag=True,
              help="Judge targets on the 95% interval's bound, not the mean.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--force", is_flag=True, help="Search even if it looks too big: over two hours here, "
              "half the RAM, or 100,000 people in a design (checked before it starts).")
@click.option("--designs", help="Comma-separated designs (default: the scenario's).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True)
@click.option("--format", "fmt", type=click.Choice(NAMES), default="table", show_default=True, help=HELP)
def command(scenario: str, replications: int | None, confidence: bool, jobs: int, force: bool,
            designs: str | None, out: Path, fmt: str) -> None:
    """Find each design's cheapest fixed headcount per role meeting SCENARIO's `targets:`."""
    compare = [d.strip() for d in designs.split(",") if d.strip()] if designs else None
    sc = load_or_exit(scenario, compare=compare)
    targets = consistency.targets(sc)
    if not targets:
        fail([f"{scenario}: targets: missing: optimize needs at least one target, "
              "e.g. targets: {sla_met: '>= 0.9'}"], BAD_INPUT)
    if sc.replications == "auto":  # the search's final comparison is a fixed count here
        sc = sc.model_copy(update={"replications": min(AUTO_FINAL, sc.max_replications)})
    search_reps = replications or min(6, sc.replications)
    chosen = compared(sc)
    people = {d.name: optimizer_people(sc, d, searched_roles(sc, d)) for d in chosen}
    repeats = [Repeats("--replications", search_reps, search_reps * TYPICAL_EVALUATIONS, search_reps),
               Repeats("replications", sc.replications, sc.replications, sc.replications)]
    too_big = oversize(sc, chosen, repeats, workers_here(jobs), people)
    if too_big and not force:
        fail([f"{scenario}: {too_big.message()}"], BAD_INPUT)
    if too_big:
        click.echo(f"orgsim: {scenario}: {too_big.warning()}", err=True)
    folder = out / sc.name
    unwritable = probe(folder)
    if unwritable:
        fail([f"orgsim: cannot write results to {folder}: {unwritable}"], FAILED)
    jobs = cap_jobs(jobs)
    catch_signals()
    err = Console(stderr=True)
    started = time.perf_counter()
    try:
        optima = []
        for design in compared(sc):
            search = Search(sc, design, targets, replications=search_reps, jobs=jobs,
                            confidence=confidence, progress=lambda m: err.print(f"  {m}"))
            optima.append(search.run())
        final = optimized_scenario(sc, optima)
        names = [o.design for o in optima]
        err.print(f"  confirming: {sc.replications} replications of each design at its optimum "
                  f"({len(names) * sc.replications} simulations)", markup=False, highlight=False)
        outcomes = run(final, compared(final), replications=sc.replications, seed=sc.seed,
                       jobs=jobs)
        result = tables(outcomes, names)
        verdict = document(final, outcomes, names, service_basis(targets, optima, search_reps), targets)
        summary = {
            o.design: {"staffing": o.best.counts, "annual_cost": o.best.cost,
                       "targets_met": o.feasible, "binding": [str(t) for t in o.binding],
                       "simulations": o.simulations, "staffings_evaluated": o.evaluations,
                       "path": o.path, "kept_for_identity": o.kept_for_identity}
            for o in optima
        }
        wall = time.perf_counter() - started
        extra = {"command_kind": "optimize", "targets": [str(t) for t in targets],
                 "confidence": confidence, "search_replications": search_reps,
                 "optimum": summary, "wall_seconds": round(wall, 3), "jobs": jobs}
        try:  # atomic (simulate.results); if it fails, the search is still printed below
            path: Path | None = write_run(out, final, result, extra,
                                          files={"staffing.yaml": fragment(optima),
                                                 "optimum.json": json.dumps(summary, indent=2) + "\n",
                                                 "verdict.json": json.dumps(verdict, indent=2) + "\n"},
                                          finish=write_report)
            unwritten = None
        except OSError as problem:
            path, unwritten = None, problem.strerror or str(problem)
    except KeyboardInterrupt:
        fail(["orgsim: interrupted; no results were written"], INTERRUPTED)
    except TaskFailed as failure:
        fail([f"orgsim: {failure}"], FAILED)
    emit(optimize_document(optima, result.summary,
                           f"{sc.name} at optimal staffing: {sc.replications} replications",
                           sum(o.simulations for o in optima) + len(outcomes), wall, fragment(optima)),
         fmt, last=None if path is None else str(path))
    if unwritten is not None:
        fail([f"orgsim: cannot write results to {folder}: {unwritten}; "
              "the search's result is printed above, not saved"], FAILED)
