"""`orgsim run`: simulate a scenario under each design and write the comparison."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from simulate.basis import BASES, SEARCH_REPLICATIONS, default_basis, on_basis
from simulate.commands import cap_jobs, catch_signals
from simulate.consistency import targets as parse_targets
from simulate.decision.record import document, margins_of, verdict_of
from simulate.decision.sequential import undecided, until_decided
from simulate.designs import compared
from simulate.exits import BAD_INPUT, FAILED, INTERRUPTED, fail, load_or_exit
from simulate.first_screen import grids as first_screen
from simulate.first_screen import transition_lines, verdict_lines
from simulate.formats import HELP, NAMES, Document, emit
from simulate.optimize import TYPICAL_EVALUATIONS, searched_roles
from simulate.plan import plan_frame, replications_behind, transitions
from simulate.report import write_report
from simulate.results import tables, write_run
from simulate.runner import EXECUTORS, TaskFailed, run
from simulate.scenario import locate
from simulate.scenario.advice import warnings
from simulate.table import run_document, unstable_lines
from simulate.workload.limits import oversize
from simulate.workload.size import Repeats, optimizer_people, workers_here
from simulate.writable import probe

STOP = {"verdict": lambda v, names: v.settled(names), "every_call": lambda v, names: not undecided(v)}


class Replications(click.ParamType):
    """A count of replications, or `auto`."""

    name = "N|auto"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int | str:
        if value == "auto" or (isinstance(value, int) and value >= 1):
            return value
        if isinstance(value, str) and value.isdigit() and int(value) >= 1:
            return int(value)
        self.fail(f"expected a whole number ≥ 1 or 'auto' (got {value!r})", param, ctx)


@click.command("run", short_help="Simulate SCENARIO under each design and compare.")
@click.argument("scenario")
@click.option("--replications", "-r", type=Replications(),
              help="Override the scenario's; 'auto' runs until every headline call is decided.")
@click.option("--max-replications", type=click.IntRange(min=2),
              help="With auto: the most replications per design (default: the scenario's, 200).")
@click.option("--basis", type=click.Choice(list(BASES)),
              help="Compare the designs at the scenario's staffing (given), at the cheapest "
                   "staffing meeting its targets (equal_service) or at one CS cost-to-ARR "
                   "(equal_budget). Default: the scenario's basis:, else equal_service when it "
                   "sets targets, else given.")
@click.option("--seed", type=click.IntRange(min=0), help="Override the scenario's.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes.")
@click.option("--force", is_flag=True, help="Run even if it looks too big: over two hours here, half "
              "the RAM, or 100,000 people in a design (checked before it starts).")
@click.option("--designs", help="Comma-separated designs to compare (default: the scenario's).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True, help="Directory to put results/<scenario>/<run_id> in.")
@click.option("--executor", type=click.Choice(sorted(EXECUTORS)), default="local",
              show_default=True, help="Process pool here, or a Dask cluster.")
@click.option("--address", help="Dask scheduler address (tcp://host:port); default a LocalCluster.")
@click.option("--replication", "only", type=click.IntRange(min=0),
              help="Run only this replication (0-based; same seed as in the full run).")
@click.option("--format", "fmt", type=click.Choice(NAMES), default="table", show_default=True, help=HELP)
def command(scenario: str, replications: int | str | None, max_replications: int | None,
            basis: str | None, seed: int | None, jobs: int, force: bool,
            designs: str | None, out: Path, executor: str, address: str | None,
            only: int | None, fmt: str) -> None:
    """Simulate SCENARIO (a file, or a name in scenarios/) under each design and compare them
    on a basis, calling each headline difference against its practical margin."""
    compare = [d.strip() for d in designs.split(",") if d.strip()] if designs else None
    sc = load_or_exit(scenario, replications=replications, seed=seed, compare=compare,
                      max_replications=max_replications, basis=basis)
    chosen = compared(sc)
    auto = sc.replications == "auto"
    if auto and only is not None:
        raise click.BadParameter("needs a fixed count of replications, not auto", param_hint="--replication")
    count = sc.max_replications if auto else sc.replications
    if only is not None and only >= count:
        raise click.BadParameter(f"must be below the {count} replications (got {only})",
                                 param_hint="--replication")
    field = ("--max-replications" if max_replications else "max_replications") if auto else \
        ("--replications" if replications else "replications")
    repeats = [Repeats(field, count, count if only is None else 1, count)]
    basis_name = default_basis(sc)
    people = None
    if basis_name == "equal_service":  # the optimizer's search runs first
        repeats.append(Repeats("basis", SEARCH_REPLICATIONS, SEARCH_REPLICATIONS * TYPICAL_EVALUATIONS,
                               SEARCH_REPLICATIONS))
        people = {d.name: optimizer_people(sc, d, searched_roles(sc, d)) for d in chosen}
    too_big = oversize(sc, chosen, repeats, workers_here(jobs, executor == "dask" and bool(address)), people)
    if too_big and not force:
        fail([f"{scenario}: {too_big.message()}"], BAD_INPUT)
    if too_big:
        click.echo(f"orgsim: {scenario}: {too_big.warning()}", err=True)
    unwritable = probe(out / sc.name)
    if unwritable:
        fail([f"orgsim: cannot write results to {out / sc.name}: {unwritable}"], FAILED)
    for line in warnings(sc, chosen, str(locate(scenario))):
        click.echo(line, err=True)
    jobs = cap_jobs(jobs, remote=executor == "dask" and bool(address))
    catch_signals()
    console = Console(stderr=True)
    started = time.perf_counter()
    try:
        based = on_basis(sc, basis_name, jobs, progress=lambda m: console.print(f"  {m}", markup=False,
                                                                                  highlight=False))
        # The staffing simulated is written to the run's scenario.yaml: rerunning it reruns this.
        sc = based.scenario.model_copy(update={"basis": "given"})
        chosen = compared(sc)
        names = [d.name for d in chosen]
        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                      transient=True) as bar:
            task = bar.add_task(f"{sc.name}: {len(chosen)} designs × {count}",
                                total=len(chosen) * (count if only is None else 1))

            def batch(start: int, stop: int) -> list:
                return run(sc, chosen, replications=stop, seed=sc.seed, jobs=jobs, executor=executor,
                           address=address, only=only, start=start, progress=lambda: bar.advance(task))

            stopped = False
            if auto:
                def heard(n: int, still: list[str]) -> None:
                    console.print(f"  {n} replications: " + (f"{len(still)} headline calls undecided "
                                  f"({', '.join(still[:3])}{', …' if len(still) > 3 else ''})"
                                  if still else "every headline call decided"),
                                  markup=False, highlight=False)

                rule = STOP[sc.decision.until]
                grown = until_decided(batch, lambda o: verdict_of(o, names, margins_of(sc), basis_name),
                                      cap=count, heard=heard, done_when=lambda v: rule(v, names))
                outcomes, stopped = grown.outcomes, grown.stopped_at_cap
                sc = sc.model_copy(update={"replications": grown.replications})
            else:
                outcomes = batch(0, count)
        result = tables(outcomes, names)
        verdict = document(sc, outcomes, names, based.basis, parse_targets(sc), stopped, auto)
        wall = time.perf_counter() - started
        path = write_run(out, sc, result, {"jobs": jobs, "executor": executor, "basis": basis_name,
                                           "replications_auto": auto, "stopped_at_cap": stopped,
                                           "wall_seconds": round(wall, 3)},
                         files={"verdict.json": json.dumps(verdict, indent=2) + "\n"},
                         finish=write_report)
    except KeyboardInterrupt:
        fail(["orgsim: interrupted; no results were written"], INTERRUPTED)
    except TaskFailed as err:
        rerun = (f"orgsim run {scenario} --designs {err.task.design.name} "
                 f"--replications {sc.replications} --seed {sc.seed} --replication {err.task.replication}")
        fail([f"orgsim: {err}", f"orgsim: no results were written; rerun it alone: {rerun}"], FAILED)
    except OSError as err:
        fail([f"orgsim: cannot write results: {err}"], FAILED)
    table = run_document(result.summary, names, f"{sc.name}: {sc.replications} replications, mean ± 95% CI",
                         unstable_lines(result.unstable, len(outcomes) // len(chosen)))
    moves = transitions(sc, plan_frame(result.monthly), replications_behind(result.monthly))
    emit(Document((*table.grids, *first_screen(verdict)), table.columns, table.rows,
                  (*verdict_lines(verdict), *transition_lines(moves), *table.lines)), fmt, last=str(path))


