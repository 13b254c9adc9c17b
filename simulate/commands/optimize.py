"""`orgsim optimize`: each design's cheapest staffing policy that meets the targets with
confidence (simulate.optimize), checked on fresh seeds, with the policies to paste, the plan they
produce and the comparison at them."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click
import yaml
from rich.console import Console

from simulate import consistency
from simulate.basis import service_basis
from simulate.commands import cap_jobs, catch_signals
from simulate.decision.record import document
from simulate.designs import compared
from simulate.exits import BAD_INPUT, FAILED, INTERRUPTED, fail, load_or_exit
from simulate.first_screen import transition_lines
from simulate.formats import HELP, NAMES, emit
from simulate.optimize import (
    CONFIRM,
    TYPICAL_EVALUATIONS,
    Optimum,
    Search,
    optimized_scenario,
    searched_roles,
)
from simulate.optimum import FRESH, fresh_check, fresh_seed, optimum_document
from simulate.plan import plan_frame, replications_behind, transitions
from simulate.report import write_report
from simulate.results import tables, write_run
from simulate.runner import Outcome, TaskFailed, run
from simulate.scenario.schema import Scenario
from simulate.scenario.targets import Target
from simulate.table import optimize_document
from simulate.workload.limits import oversize
from simulate.workload.size import Repeats, optimizer_people, workers_here
from simulate.writable import probe


def fragment(optima: list[Optimum]) -> str:
    """The policies found, as YAML to paste under `staffing:`."""
    return yaml.safe_dump({o.design: o.policy for o in optima}, sort_keys=False)


AUTO_FINAL = 20  # replications of the final comparison when the scenario says auto


@click.command("optimize", short_help="Each design's cheapest staffing that meets the targets.")
@click.argument("scenario")
@click.option("--replications", "-r", type=click.IntRange(min=2),
              help="Replications per candidate while screening, judged on the mean (default 3).")
@click.option("--confirm", type=click.IntRange(min=2), default=CONFIRM, show_default=True,
              help="Replications the optimum is confirmed on, judged on each target's 95% bound.")
@click.option("--fresh", type=click.IntRange(min=0), default=FRESH, show_default=True,
              help="Replications on fresh seeds that check each policy found (0: no check).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--force", is_flag=True, help="Search even if it looks too big: over two hours here, "
              "half the RAM, or 100,000 people in a design (checked before it starts).")
@click.option("--designs", help="Comma-separated designs (default: the scenario's).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True)
@click.option("--format", "fmt", type=click.Choice(NAMES), default="table", show_default=True, help=HELP)
def command(scenario: str, replications: int | None, confirm: int, fresh: int, jobs: int,
            force: bool, designs: str | None, out: Path, fmt: str) -> None:
    """Find each design's cheapest staffing policy (a ratio per role) meeting SCENARIO's
    `targets:` on their 95% confidence bounds."""
    compare = [d.strip() for d in designs.split(",") if d.strip()] if designs else None
    sc = load_or_exit(scenario, compare=compare)
    targets = consistency.targets(sc)
    if not targets:
        fail([f"{scenario}: targets: missing: optimize needs at least one target, "
              "e.g. targets: {sla_met: '>= 0.9'}"], BAD_INPUT)
    if sc.replications == "auto":  # the search's final comparison is a fixed count here
        sc = sc.model_copy(update={"replications": min(AUTO_FINAL, sc.max_replications)})
    search_reps = replications or 3
    chosen = compared(sc)
    people = {d.name: optimizer_people(sc, d, searched_roles(sc, d)) for d in chosen}
    repeats = [Repeats("--replications", search_reps, search_reps * TYPICAL_EVALUATIONS, search_reps),
               Repeats("--confirm", confirm, confirm * 3, confirm),
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
            search = Search(sc, design, targets, replications=search_reps, confirm=confirm,
                            settle=int(sc.replications), jobs=jobs,  # type: ignore[call-overload]
                            progress=lambda m: err.print(f"  {m}", markup=False, highlight=False))
            optima.append(search.run())
        final = optimized_scenario(sc, optima)
        final = final.model_copy(update={"replications": max(int(sc.replications),  # type: ignore[call-overload]
                                                             min(o.best.n for o in optima))})
        names = [o.design for o in optima]
        outcomes = _compared(final, optima, jobs, err)
        checks = _fresh(final, optima, targets, fresh, jobs, err)
        result = tables(outcomes, names)
        verdict = document(final, outcomes, names, service_basis(targets, optima, search_reps), targets)
        moves = transitions(final, plan_frame(result.monthly), replications_behind(result.monthly))
        summary = {o.design: optimum_document(o, checks.get(o.design), moves.get(o.design)) for o in optima}
        wall = time.perf_counter() - started
        extra = {"command_kind": "optimize", "targets": [str(t) for t in targets],
                 "screen_replications": search_reps, "confirm_replications": confirm,
                 "fresh_replications": fresh,
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
                           f"{sc.name} at optimal staffing: {final.replications} replications",
                           sum(o.simulations for o in optima) + len(outcomes) - sum(o.best.n for o in optima)
                           + fresh * len(optima), wall, fragment(optima), transition_lines(moves)),
         fmt, last=None if path is None else str(path))
    if unwritten is not None:
        fail([f"orgsim: cannot write results to {folder}: {unwritten}; "
              "the search's result is printed above, not saved"], FAILED)


def _compared(final: Scenario, optima: list[Optimum], jobs: int, err: Console) -> list[Outcome]:
    """The designs compared at their optimum: the confirmation's replications, extended to the
    scenario's count where it asks for more (replication k has the same seed either way)."""
    have = min(o.best.n for o in optima)
    outcomes = [x for o in optima for x in o.best.outcomes[:have]]
    wanted = int(final.replications)  # type: ignore[call-overload]
    if wanted > have:
        err.print(f"  comparing: replications {have + 1}–{wanted} of each design at its optimum "
                  f"({len(optima) * (wanted - have)} simulations)", markup=False, highlight=False)
        outcomes += run(final, compared(final), replications=wanted, seed=final.seed, jobs=jobs, start=have)
    order = {o.design: i for i, o in enumerate(optima)}
    return sorted(outcomes, key=lambda x: (order[x.design], x.replication))


def _fresh(final: Scenario, optima: list[Optimum], targets: list[Target], replications: int,
           jobs: int, err: Console) -> dict[str, dict[str, Any]]:
    """Each policy on `replications` fresh seeds: do its targets still hold on their mean?"""
    if replications <= 0:
        return {}
    seed = fresh_seed(final.seed)
    err.print(f"  fresh seeds: {replications} replications of each design's policy on seed {seed} "
              f"({len(optima) * replications} simulations)", markup=False, highlight=False)
    outcomes = run(final, compared(final), replications=replications, seed=seed, jobs=jobs)
    found = {o.design: fresh_check(targets, [x for x in outcomes if x.design == o.design], seed)
             for o in optima}
    for design, check in found.items():
        missed = [k for k, v in check["targets"].items() if not v["met"]]
        err.print(f"    {design}: " + ("every target met on its mean" if not missed
                                       else "misses " + ", ".join(missed)), markup=False, highlight=False)
    return found
