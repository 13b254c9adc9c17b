"""Same scenario and seed ⇒ byte-identical CSVs, whatever the number of jobs or the executor."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from simulate.consistency import parse
from simulate.designs import compared
from simulate.model.world import simulate
from simulate.runner import replication_seeds

from conftest import TINY, Run, run_tiny

CSVS = ("summary.csv", "replications.csv", "monthly.csv")


def assert_same_csvs(one: Run, two: Run) -> None:
    assert one.path != two.path
    for name in CSVS:
        assert one.read(name) == two.read(name), name


def test_same_seed_twice_writes_byte_identical_csvs(tiny_run: Run, tiny_path: Path, tmp_path: Path):
    assert_same_csvs(tiny_run, run_tiny(tiny_path, tmp_path, "--jobs", "1"))


def test_two_jobs_write_the_same_csvs_as_one(tiny_run: Run, tiny_path: Path, tmp_path: Path):
    assert_same_csvs(tiny_run, run_tiny(tiny_path, tmp_path, "--jobs", "2"))


def test_a_different_seed_writes_different_results(tiny_run: Run, tiny_path: Path, tmp_path: Path):
    other = run_tiny(tiny_path, tmp_path, "--seed", TINY["seed"] + 1)
    assert other.read("replications.csv") != tiny_run.read("replications.csv")


@pytest.mark.slow
def test_dask_local_cluster_writes_the_same_csvs_as_one_job(tiny_run: Run, tiny_path: Path, tmp_path: Path):
    assert_same_csvs(tiny_run, run_tiny(tiny_path, tmp_path, "--executor", "dask", "--jobs", "2"))


def test_one_replication_simulated_twice_records_the_same_events():
    scenario = parse(copy.deepcopy(TINY), "tiny.yaml")
    for design in compared(scenario):
        one, two = simulate(scenario, design, 7), simulate(scenario, design, 7)
        assert one.arrivals == two.arrivals, design.name
        assert one.churns == two.churns, design.name
        assert one.renewals == two.renewals, design.name
        assert [(t.created, t.first_response, t.resolved) for t in one.tickets] == \
               [(t.created, t.first_response, t.resolved) for t in two.tickets], design.name
        assert one.monthly == two.monthly, design.name


def test_replication_seeds_are_stable_across_calls():
    assert replication_seeds(42, 5) == replication_seeds(42, 5)


def test_more_replications_keep_the_earlier_seeds():
    assert replication_seeds(42, 8)[:3] == replication_seeds(42, 3)


def test_replication_seeds_are_distinct_non_negative_63_bit_ints():
    seeds = replication_seeds(42, 200)
    assert len(set(seeds)) == 200
    assert all(isinstance(s, int) and 0 <= s < 2**63 for s in seeds)


def test_a_different_scenario_seed_gives_different_replication_seeds():
    assert set(replication_seeds(42, 20)).isdisjoint(replication_seeds(43, 20))


def test_replication_seeds_do_not_depend_on_global_numpy_state():
    np.random.seed(1)
    one = replication_seeds(42, 3)
    np.random.seed(2)
    assert replication_seeds(42, 3) == one
