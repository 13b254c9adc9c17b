"""Fuzzing the scenario loader (issue 4): valid scenarios with fields dropped, retyped, renamed and
rescaled either load — and then simulate — or fail with a clean ScenarioError whose every line
names the file; never another exception, never a hang.

The loader is called in this process (thousands of examples a minute); a few of the failures are
then fed to the real program to show they end in exit status 2 without a traceback.
"""

from __future__ import annotations

import copy
import math
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from simulate.consistency import parse
from simulate.designs import compared
from simulate.model.streams import _LIMITS
from simulate.runner import Task, run_one
from simulate.scenario import Scenario, ScenarioError
from simulate.scenario.schema import MAX_SEGMENTS
from simulate.scenario.yaml12 import CoreDumper

from conftest import REPO, TINY, orgsim

SOURCE = "fuzz.yaml"
EARLY_STAGE = yaml.safe_load((REPO / "scenarios" / "early_stage.yaml").read_text(encoding="utf-8"))
BASES = {"tiny": TINY, "early_stage": EARLY_STAGE}

# What a value may be replaced by: every YAML type, and numbers at and beyond their limits.
RETYPES: list[Any] = [
    "x", "", "1e3", [], [1, "a"], {}, {"zz": 1}, None, True, False,
    0, -1, 0.5, -1e9, 10**12, 1e300, float("nan"), float("inf"), float("-inf"),
]
WILD_FACTORS = [0, -1, 1e-9, 0.5, 2, 1e6, 1e300]
# For the examples that are simulated: small enough to finish in a moment, zero included.
MILD_FACTORS = [0, 0.01, 0.1, 0.5, 2, 3]
MILD_RETYPES: list[Any] = [None, 0, 1, True, "x", []]
WILD_OPS = ["drop", "retype", "rescale", "rescale", "rename", "add"]
MILD_OPS = ["rescale", "rescale", "rescale", "rescale", "drop", "retype"]  # mostly still valid


class Hang(Exception):
    """An example ran past its deadline."""


@contextmanager
def deadline(seconds: float, what: str) -> Iterator[None]:
    """Interrupt whatever runs longer than `seconds` (a hard limit: the work is stopped)."""

    def expire(signum: int, frame: Any) -> None:
        raise Hang(f"{what} took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key and list position in a document, depth first."""
    found: list[tuple[Any, ...]] = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        found.append((*prefix, key))
        found.extend(paths(value, (*prefix, key)))
    return found


def get(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def rescale(value: int | float, factor: float) -> int | float:
    scaled = value * factor
    if isinstance(value, int) and math.isfinite(scaled) and abs(scaled) < 1e18:
        return round(scaled)  # stays a whole number, as a count written in YAML would
    return scaled


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any], mild: bool = False) -> tuple[dict[str, Any], list[str]]:
    """A copy of `base` with one to four mutations; also what was done, for the failure report."""
    doc = copy.deepcopy(base)
    done: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        everywhere = paths(doc)
        if not everywhere:
            break
        op = draw(st.sampled_from(MILD_OPS if mild else WILD_OPS))
        if op == "rescale":
            numeric = [p for p in everywhere if is_number(get(doc, p))]
            if not numeric:
                continue
            path = draw(st.sampled_from(numeric))
            factor = draw(st.sampled_from(MILD_FACTORS if mild else WILD_FACTORS))
            get(doc, path[:-1])[path[-1]] = rescale(get(doc, path), factor)
            done.append(f"{path} × {factor}")
            continue
        path = draw(st.sampled_from(everywhere))
        parent, key = get(doc, path[:-1]), path[-1]
        if op == "drop":
            del parent[key]
            done.append(f"drop {path}")
        elif op == "retype":
            parent[key] = copy.deepcopy(draw(st.sampled_from(MILD_RETYPES if mild else RETYPES)))
            done.append(f"{path} = {parent[key]!r}")
        elif op == "rename" and isinstance(parent, dict):
            parent[str(key)[:-1] or "x"] = parent.pop(key)
            done.append(f"rename {path}")
        elif op == "add" and isinstance(parent, dict):
            parent[f"zz_{key}"] = 1
            done.append(f"add beside {path}")
    return doc, done


def parse_or_problems(doc: dict[str, Any]) -> Scenario | list[str]:
    """The scenario, or its problem lines, each checked to be one line naming the file."""
    try:
        with deadline(10, "loading"):
            return parse(doc, SOURCE)
    except ScenarioError as err:
        assert err.problems, "a ScenarioError without problems"
        for line in err.problems:
            assert line.startswith(f"{SOURCE}: "), line
            assert "\n" not in line, line
            assert len(line) < 400, line
        return err.problems


FAILURES: list[tuple[dict[str, Any], list[str]]] = []  # a few failing documents, for the CLI test


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), base=st.sampled_from(list(BASES)))
def test_mutated_scenarios_load_or_fail_cleanly(data: st.DataObject, base: str):
    doc, done = data.draw(mutated(BASES[base]), label="mutation")
    note(f"mutations: {done}")
    kept = copy.deepcopy(doc)
    outcome = parse_or_problems(doc)
    if isinstance(outcome, list) and len(FAILURES) < 6 and not any(o == outcome for _, o in FAILURES):
        FAILURES.append((kept, outcome))


def short(scenario: Scenario, months: float = 3) -> Scenario:
    """The same scenario over at most `months` (the simulation must finish in a moment)."""
    horizon = min(scenario.horizon_months, months)
    warmup = min(scenario.warmup_months, horizon / 2)
    return scenario.model_copy(update={"horizon_months": horizon, "warmup_months": warmup})


@pytest.mark.slow
@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), base=st.sampled_from(list(BASES)))
def test_mildly_mutated_scenarios_that_load_also_simulate(data: st.DataObject, base: str):
    doc, done = data.draw(mutated(BASES[base], mild=True), label="mutation")
    note(f"mutations: {done}")
    outcome = parse_or_problems(doc)
    if isinstance(outcome, list):
        return
    scenario = short(outcome)
    for design in compared(scenario):
        with deadline(60, f"one replication of {design.name}"):
            result = run_one(scenario, Task(design, 0, 7))
        assert result.kpis, design.name


def test_failures_found_by_fuzzing_exit_2_from_the_real_program(tmp_path: Path):
    """The loader's lines for a few fuzzed files are what `orgsim validate` and `orgsim run` print."""
    if not FAILURES:  # the fuzz test was deselected: make a few of the same kind
        for change in ({"horizon_months": [1]}, {"segments": None}, {"replications": float("nan")}):
            doc = {**copy.deepcopy(TINY), **change}
            FAILURES.append((doc, parse_or_problems(copy.deepcopy(doc))))  # type: ignore[arg-type]
    files = []
    for i, (doc, _) in enumerate(FAILURES[:4]):
        files.append(tmp_path / f"fuzzed_{i}.yaml")
        text = yaml.dump(doc, Dumper=CoreDumper, sort_keys=False, allow_unicode=True)
        files[-1].write_text(text, encoding="utf-8")
    process = orgsim("validate", *files)
    assert process.returncode == 2
    assert "Traceback" not in process.stderr
    expected = [line.replace(f"{SOURCE}: ", f"{path}: ", 1)
                for path, (_, lines) in zip(files, FAILURES, strict=False) for line in lines]
    assert process.stderr.splitlines() == expected
    process = orgsim("run", files[0], "--out", tmp_path / "out")
    assert process.returncode == 2
    assert "Traceback" not in process.stderr
    assert all(line.startswith(f"{files[0]}: ") for line in process.stderr.splitlines())


# --- What fuzzing found ---------------------------------------------------------------------


def test_more_segments_than_the_random_streams_can_name_is_an_input_error():
    """Found by fuzzing: 129 segments passed validation, then every replication failed in
    simulate/model/streams.py pack() ('stream key … out of range'): a segment is 7 bits of a
    stream's key. Now the loader says so."""
    assert _LIMITS[1] == MAX_SEGMENTS
    doc = copy.deepcopy(TINY)
    doc["segments"] = {f"s{i}": {"initial_accounts": 1} for i in range(MAX_SEGMENTS + 1)}
    assert parse_or_problems(doc) == [f"{SOURCE}: segments: at most 128 segments (got 129)"]
    doc["segments"].popitem()
    scenario = parse_or_problems(doc)
    assert isinstance(scenario, Scenario)
    run_one(short(scenario, 1), Task(compared(scenario)[0], 0, 7))


def test_a_long_job_keeps_busy_within_productive_hours():
    doc = copy.deepcopy(TINY)
    doc["segments"]["smb"]["renewal_hours"] = 100
    scenario = short(parse(doc, SOURCE))
    design = next(d for d in compared(scenario) if d.name == "full_stack")
    for seed in range(1, 4):
        run_one(scenario, Task(design, 0, seed))
