"""Runaway sizes are refused before anything is simulated, in one line naming the estimate and
the field to change (exit 2; --force goes on); every shipped scenario passes untouched."""

from __future__ import annotations

import copy
import math
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

import simulate.commands.optimize as optimize_command
import simulate.commands.run as run_command
import simulate.runner
from simulate.cli import main
from simulate.consistency import load, parse
from simulate.designs import compared
from simulate.scenario import Scenario, ScenarioError
from simulate.workload import limits
from simulate.workload.limits import LIMITS, Limits, memory_total, oversize
from simulate.workload.size import (
    PROCESS_BYTES,
    Repeats,
    run_size,
    task_size,
    usable_cpus,
    workers_here,
)

from conftest import REPO

SHIPPED = sorted((REPO / "scenarios").glob("*.yaml"))
BASELINE: dict[str, Any] = yaml.safe_load((REPO / "scenarios" / "baseline.yaml").read_text())
TARGETS = {"sla_met": ">= 0.9"}


class Simulated(Exception):
    """Raised where the simulation would begin: the command got past its checks."""


@pytest.fixture
def no_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    def simulated(*args: object, **kwargs: object) -> None:
        raise Simulated

    monkeypatch.setattr(simulate.runner, "run_one", simulated)
    monkeypatch.setattr(run_command, "run", simulated)
    monkeypatch.setattr(optimize_command.Search, "run", simulated)


def baseline(change: Any = None) -> dict[str, Any]:
    doc = copy.deepcopy(BASELINE)
    if change:
        change(doc)
    return doc


def long_horizon(doc: dict[str, Any]) -> None:
    doc["horizon_months"] = 1200  # the most validation takes (simulate.scenario.limits), far too long here


def one_csm_per_dollar(doc: dict[str, Any]) -> None:
    doc["staffing"]["full_stack"]["csm"] = {"per_arr": 1, "min": 2}


def flood_of_accounts(doc: dict[str, Any]) -> None:
    doc["segments"]["smb"]["new_per_month"] = 10_000  # within what validation takes


RUNAWAYS = [  # (scenario change, extra arguments, the field the refusal must name)
    pytest.param(long_horizon, [], "horizon_months: 1200", id="horizon_months 1200"),
    pytest.param(one_csm_per_dollar, [], "staffing.full_stack.csm.per_arr: 1", id="per_arr 1"),
    pytest.param(flood_of_accounts, [], "segments.smb.new_per_month: 10000", id="10000 new a month"),
    pytest.param(None, ["--replications", "100000000"], "--replications 100000000",
                 id="--replications 100000000"),
]


def invoke(*args: object) -> tuple[Result, float]:
    started = time.perf_counter()
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result, time.perf_counter() - started


# --- the estimate ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "optimize"])
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_scenario_passes_the_check_untouched_on_one_worker(path: Path, command: str,
                                                                         write_scenario: Any,
                                                                         tmp_path: Path,
                                                                         no_simulation: None):
    doc = yaml.safe_load(path.read_text())
    if command == "optimize":  # optimize needs targets; the baseline has its own
        doc.setdefault("targets", TARGETS)
    result, _ = invoke(command, write_scenario(doc, path.stem), "--jobs", "1", "--out", tmp_path)
    assert isinstance(result.exception, Simulated), result.output
    assert "too big" not in result.stderr and "warning: about" not in result.stderr


def test_the_baseline_estimate_is_of_the_order_measured():
    """One baseline replication of active_passive: 3.9 s simulated + 1.5 s measured, 166 MB peak
    (2 shared cores, 2026-12-01)."""
    scenario = load(str(REPO / "scenarios" / "baseline.yaml"))
    design = next(d for d in compared(scenario) if d.name == "active_passive")
    size = task_size(scenario, design)
    assert 5.4 / 2 < size.seconds < 5.4 * 2
    assert 166e6 / 1.5 < size.bytes + PROCESS_BYTES < 166e6 * 1.5


def test_more_replications_and_fewer_workers_take_longer():
    scenario = load(str(REPO / "scenarios" / "baseline.yaml"))
    designs = compared(scenario)

    def seconds(replications: int, workers: float) -> float:
        repeats = [Repeats("replications", replications, replications, replications)]
        return run_size(scenario, designs, repeats, workers).seconds

    assert seconds(40, 2) == pytest.approx(2 * seconds(20, 2), rel=0.01)
    assert seconds(20, 1) == pytest.approx(2 * seconds(20, 2), rel=0.01)


def test_a_remote_cluster_is_not_limited_by_this_machines_cpus():
    assert workers_here(64, remote=True) == math.inf
    assert workers_here(10_000) == usable_cpus()


def _smb(scenario: Scenario, **fields: Any) -> Scenario:
    segment = scenario.segments["smb"].model_copy(update=fields)
    return scenario.model_copy(update={"segments": {**scenario.segments, "smb": segment}})


def _full_stack_csm(scenario: Scenario, policy: Any) -> Scenario:
    plan = {**scenario.staffing.plans["full_stack"], "csm": policy}
    return scenario.model_copy(update={"staffing": scenario.staffing.model_copy(update={"full_stack": plan})})


# Inputs validation refuses (simulate.scenario.limits), built past it with model_copy, so that the
# size guard is seen to hold for whatever reaches it; and one validation still takes.
ABSURD = [
    pytest.param(lambda s: s.model_copy(update={"horizon_months": 1e300}), id="horizon 1e300"),
    pytest.param(lambda s: _smb(s, initial_accounts=10**400), id="10**400 accounts"),
    pytest.param(lambda s: _smb(s, new_per_month=1e308, tickets_per_month=1e308), id="1e308 new and tickets"),
    pytest.param(lambda s: _full_stack_csm(s, s.staffing.plans["full_stack"]["csm"].model_copy(
        update={"per_arr": 1e-300})), id="per_arr 1e-300"),
    pytest.param(lambda s: _full_stack_csm(s, 10**400), id="10**400 CSMs"),
]


@pytest.mark.parametrize("change", ABSURD)
def test_absurd_inputs_are_refused_quickly_without_overflow(change: Any):
    scenario = change(parse(baseline(), "absurd"))
    repeats = [Repeats("replications", 1e300, 1e300, 1e300)]
    started = time.perf_counter()
    found = oversize(scenario, compared(scenario), repeats, workers_here(2))
    assert time.perf_counter() - started < 0.5
    assert found is not None
    assert "nan" not in found.message() and "inf" not in found.message()


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d.update(horizon_months=1e300), "horizon_months"),
    (lambda d: d["segments"]["smb"].update(initial_accounts=10**400), "segments.smb.initial_accounts"),
    (lambda d: d["segments"]["smb"].update(new_per_month=1e308), "segments.smb.new_per_month"),
    (lambda d: d["staffing"]["full_stack"].update(csm=10**400), "staffing.full_stack.csm"),
])
def test_absurd_inputs_are_refused_at_validation_before_the_guard(change: Any, field: str):
    with pytest.raises(ScenarioError) as err:
        parse(baseline(change), "absurd")
    assert [line.split(": ")[1] for line in err.value.problems] == [field]


def test_a_refusal_names_each_limit_it_goes_past():
    scenario = parse(baseline(one_csm_per_dollar), "typo")
    repeats = [Repeats("replications", 20, 20, 20)]
    found = oversize(scenario, compared(scenario), repeats, workers_here(2))
    assert found is not None
    text = found.message()
    assert "of simulation on this machine (limit 2 h)" in text
    assert "people in full_stack (limit 100,000)" in text
    assert "half the RAM" in text
    assert oversize(scenario, compared(scenario), repeats, workers_here(2),
                    limits=Limits(seconds=math.inf, bytes=math.inf, people=math.inf)) is None


# --- the commands ---------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "extra", "field"), RUNAWAYS)
def test_run_refuses_a_runaway_size_in_one_line_before_simulating(change: Any, extra: list[str],
                                                                  field: str, write_scenario: Any,
                                                                  tmp_path: Path, no_simulation: None):
    path = write_scenario(baseline(change), "runaway")
    # On the given basis: the staffing as written is what is simulated (equal_service replaces it).
    result, seconds = invoke("run", path, "--out", tmp_path, "--basis", "given", *extra)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}: too big to run here: about ")
    assert field in lines[0] and "--force" in lines[0]
    assert seconds < 1.0
    assert list(tmp_path.iterdir()) == [path]  # not even the results folder


@pytest.mark.parametrize(("change", "extra", "field"), RUNAWAYS[:1] + RUNAWAYS[2:])
def test_optimize_refuses_a_runaway_size_before_searching(change: Any, extra: list[str], field: str,
                                                          write_scenario: Any, tmp_path: Path,
                                                          no_simulation: None):
    path = write_scenario({**baseline(change), "targets": TARGETS}, "runaway")
    result, seconds = invoke("optimize", path, "--out", tmp_path, *extra)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert field in lines[0] and "--force" in lines[0]
    assert seconds < 1.0


def test_optimize_ignores_a_staffing_typo_it_replaces_anyway(write_scenario: Any, tmp_path: Path,
                                                              no_simulation: None):
    path = write_scenario({**baseline(one_csm_per_dollar), "targets": TARGETS}, "typo")
    result, _ = invoke("optimize", path, "--out", tmp_path)
    assert isinstance(result.exception, Simulated), result.output


@pytest.mark.parametrize("command", ["run", "optimize"])
def test_force_goes_on_with_a_warning(command: str, write_scenario: Any, tmp_path: Path,
                                      no_simulation: None):
    path = write_scenario({**baseline(long_horizon), "targets": TARGETS}, "runaway")
    result, _ = invoke(command, path, "--out", tmp_path, "--force")
    assert isinstance(result.exception, Simulated), result.output
    assert "warning: about " in result.stderr and "running anyway (--force)" in result.stderr


@pytest.mark.parametrize("command", ["run", "optimize"])
def test_the_baseline_by_bare_name_passes_the_check(command: str, tmp_path: Path, no_simulation: None):
    result, _ = invoke(command, "baseline", "--out", tmp_path)
    assert isinstance(result.exception, Simulated), result.output


def test_one_replication_of_many_still_counts_the_seeds_it_spawns(tmp_path: Path, no_simulation: None):
    result, _ = invoke("run", REPO / "scenarios" / "baseline.yaml", "--out", tmp_path,
                       "--replications", "1000000000", "--replication", "3")
    assert result.exit_code == 2, result.output
    assert "--replications 1000000000" in result.stderr


def test_memory_is_what_a_container_allows_if_less_than_the_machine(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch):
    machine = memory_total()
    unset, limited = tmp_path / "unset", tmp_path / "limited"
    unset.write_text("max\n")
    limited.write_text("1000000000\n")
    monkeypatch.setattr(limits, "CGROUP_LIMITS", (str(unset), str(tmp_path / "absent")))
    assert memory_total() == machine
    monkeypatch.setattr(limits, "CGROUP_LIMITS", (str(limited),))
    assert memory_total() == min(machine, 1e9)
    assert LIMITS.memory() == min(machine, 1e9) / 2


def test_the_limits_are_two_hours_half_the_ram_and_100000_people():
    assert LIMITS.seconds == 2 * 3600
    assert LIMITS.people == 100_000
