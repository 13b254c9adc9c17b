"""`orgsim run`: simulate a scenario under each design and write the comparison."""

from __future__ import annotations

import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from simulate.commands import cap_jobs, catch_signals
from simulate.designs import compared
from simulate.exits import BAD_INPUT, FAILED, INTERRUPTED, fail, load_or_exit
from simulate.formats import HELP, NAMES, emit
from simulate.report import write_report
from simulate.results import tables, write_run
from simulate.runner import EXECUTORS, TaskFailed, run
from simulate.scenario import locate
from simulate.scenario.advice import warnings
from simulate.table import run_document, unstable_lines
from simulate.workload.limits import oversize
from simulate.workload.size import Repeats, workers_here
from simulate.writable import probe


@click.command("run", short_help="Simulate SCENARIO under each design and compare.")
@click.argument("scenario")
@click.option("--replications", "-r", type=click.IntRange(min=1), help="Override the scenario's.")
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
def command(scenario: str, replications: int | None, seed: int | None, jobs: int, force: bool,
            designs: str | None, out: Path, executor: str, address: str | None,
            only: int | None, fmt: str) -> None:
    """Simulate SCENARIO (a file, or a name in scenarios/) under each design and compare."""
    compare = [d.strip() for d in designs.split(",") if d.strip()] if designs else None
    sc = load_or_exit(scenario, replications=replications, seed=seed, compare=compare)
    chosen = compared(sc)
    if only is not None and only >= sc.replications:
        raise click.BadParameter(f"must be below the {sc.replications} replications (got {only})",
                                 param_hint="--replication")
    repeats = Repeats("--replications" if replications else "replications", sc.replications,
                      sc.replications if only is None else 1, sc.replications)
    too_big = oversize(sc, chosen, [repeats], workers_here(jobs, executor == "dask" and bool(address)))
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
    total = len(chosen) * (sc.replications if only is None else 1)
    try:
        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                      transient=True) as bar:
            task = bar.add_task(f"{sc.name}: {len(chosen)} designs × {sc.replications}", total=total)
            outcomes = run(sc, chosen, replications=sc.replications, seed=sc.seed, jobs=jobs,
                           executor=executor, address=address, only=only,
                           progress=lambda: bar.advance(task))
        names = [d.name for d in chosen]
        result = tables(outcomes, names)
        wall = time.perf_counter() - started
        path = write_run(out, sc, result, {"jobs": jobs, "executor": executor,
                                           "wall_seconds": round(wall, 3)}, finish=write_report)
    except KeyboardInterrupt:
        fail(["orgsim: interrupted; no results were written"], INTERRUPTED)
    except TaskFailed as err:
        rerun = (f"orgsim run {scenario} --designs {err.task.design.name} "
                 f"--replications {sc.replications} --seed {sc.seed} --replication {err.task.replication}")
        fail([f"orgsim: {err}", f"orgsim: no results were written; rerun it alone: {rerun}"], FAILED)
    except OSError as err:
        fail([f"orgsim: cannot write results: {err}"], FAILED)
    emit(run_document(result.summary, names, f"{sc.name}: {sc.replications} replications, mean ± 95% CI",
                      unstable_lines(result.unstable, len(outcomes) // len(chosen))), fmt, last=str(path))


