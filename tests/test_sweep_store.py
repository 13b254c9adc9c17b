"""The resumable store (simulate/sweep/store.py) and a point's summary (simulate/sweep/aggregate.py):
results kept exactly under a content key that changes with what decides a result and only with
that, and a summary that does not depend on the order results arrived in."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from simulate.consistency import parse
from simulate.decision.margins import DEFAULTS
from simulate.sweep import store as store_module
from simulate.sweep.aggregate import NO_CHOICE, Tally, summarize
from simulate.sweep.points import Point
from simulate.sweep.store import Store, exact, restored, scenario_key, task_key


def test_a_result_comes_back_exactly_nan_included(tmp_path):
    kept = Store(tmp_path)
    values = {"a": 0.1 + 0.2, "b": 1e-300, "c": math.nan, "d": 123456789.123456789}
    kept.put("k" * 64, {"kpis": exact(values), "overloaded": ["csm"]})
    back = kept.get("k" * 64)
    assert back is not None and back["overloaded"] == ["csm"]
    again = restored(back["kpis"])
    assert again["a"] == values["a"] and again["b"] == values["b"] and again["d"] == values["d"]
    assert math.isnan(again["c"])
    assert not list(tmp_path.rglob("*.partial"))  # written through a temporary file, renamed


def test_a_cut_or_foreign_file_is_not_trusted(tmp_path):
    kept = Store(tmp_path)
    kept.put("a" * 64, {"kpis": {}})
    path = next(tmp_path.rglob("*.json"))
    path.write_text(path.read_text()[:-3])  # cut short
    assert kept.get("a" * 64) is None
    path.write_text('{"key": "other", "kpis": {}}')
    assert kept.get("a" * 64) is None
    assert kept.get("b" * 64) is None


def test_the_key_follows_what_decides_a_result_and_nothing_else(tiny_scenario, monkeypatch):
    base = parse(tiny_scenario, "t")
    digest = scenario_key(base)
    key = task_key(digest, "refined", 1, 99)
    more_reps = parse({**tiny_scenario, "replications": 40, "description": "other words"}, "t")
    assert scenario_key(more_reps) == digest  # how many replications a study runs is not content
    changed = parse({**tiny_scenario, "health": {**tiny_scenario["health"], "decay_per_month": 3}}, "t")
    assert scenario_key(changed) != digest
    assert len({key, task_key(digest, "integrated", 1, 99), task_key(digest, "refined", 2, 99),
                task_key(digest, "refined", 1, 98)}) == 4
    store_module.version.cache_clear()
    monkeypatch.setattr(store_module.metadata, "version", lambda name: "99.0")
    try:
        assert task_key(digest, "refined", 1, 99) != key  # a new orgsim recomputes
    finally:
        store_module.version.cache_clear()


def _results(rng: np.random.Generator, designs: tuple[str, ...], reps: int):
    return [(d, r, {"kpis": {"total_cost": float(rng.normal(100 + 10 * i, 1)),
                             "frt_p90_h": float(rng.normal(2 + i, 0.1)),
                             "logo_churn": float(rng.normal(0.1, 0.01)), "nrr": float(rng.normal(1, 0.01)),
                             "wins": float(rng.normal(5, 1))}, "overloaded": []})
            for i, d in enumerate(designs) for r in range(reps)]


@settings(max_examples=25, deadline=None)
@given(order=st.permutations(range(12)))
def test_a_summary_does_not_depend_on_the_order_results_arrived_in(order):
    designs = ("a", "b", "c")
    results = _results(np.random.default_rng(3), designs, 4)
    in_order, shuffled = Tally(designs, 4), Tally(designs, 4)
    for d, r, res in results:
        in_order.add(d, r, res)
    for i in order:
        shuffled.add(*results[i])
    assert shuffled.complete
    assert summarize(Point(0, ()), shuffled, DEFAULTS, "given") == summarize(Point(0, ()), in_order,
                                                                              DEFAULTS, "given")


def test_a_summary_row_is_the_t_interval_worked_by_hand():
    tally = Tally(("a", "b"), 3)
    for r, (x, y) in enumerate([(1.0, 5.0), (2.0, 6.0), (3.0, 7.5)]):
        tally.add("a", r, {"kpis": {"wins": x}})
        tally.add("b", r, {"kpis": {"wins": y}})
    row = next(r for r in summarize(Point(0, ()), tally, DEFAULTS, "given").rows if r.design == "a")
    half = stats.t.ppf(0.975, 2) * 1.0 / math.sqrt(3)  # sd of 1, 2, 3 is 1
    assert (row.mean, row.n) == (2.0, 3)
    assert row.low == pytest.approx(2 - half) and row.high == pytest.approx(2 + half)
    assert row.call == ""  # wins is no headline KPI


def test_a_design_better_everywhere_is_chosen_and_called_against_the_runner_up():
    designs = ("cheap", "dear", "dearer")
    tally = Tally(designs, 6)
    rng = np.random.default_rng(0)
    for r in range(6):
        noise = float(rng.normal(0, 1))
        for i, d in enumerate(designs):  # common random numbers: the same noise for every design
            tally.add(d, r, {"kpis": {"total_cost": 1000 * (1 + i) + noise, "frt_p90_h": 1 + i + noise / 100,
                                      "logo_churn": 0.1 + 0.02 * i, "nrr": 1.0 - 0.02 * i + noise / 1000}})
    s = summarize(Point(0, ()), tally, DEFAULTS, "given")
    assert (s.choice, s.leader, s.runner_up, s.settled) == ("cheap", "cheap", "dear", True)
    calls = {(r.design, r.kpi): (r.versus, r.call) for r in s.rows}
    assert calls[("cheap", "total_cost")] == ("dear", "better")
    assert calls[("dearer", "logo_churn")] == ("cheap", "worse")
    assert s.chosen == "cheap" != NO_CHOICE
