"""The points of a sweep (simulate/sweep/points.py) and a point applied to a scenario
(simulate/sweep/apply.py): grids in order, Latin hypercubes stratified, values read as a scenario
file reads them, and every bad path or value refused in one line naming it."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.consistency import parse
from simulate.sweep.apply import apply, check_path, current
from simulate.sweep.points import Axis, SweepError, axes_of, hypercube, parse_axis, parse_sample, points


def test_a_grid_is_the_full_factorial_with_the_last_axis_fastest():
    axes = axes_of(["a.b=1,2", "c=0.5,x,true"], None)
    grid = points(axes, None)
    assert [p.values for p in grid] == [(1, 0.5), (1, "x"), (1, True), (2, 0.5), (2, "x"), (2, True)]
    assert [p.index for p in grid] == list(range(6))
    assert grid[4].setting(axes) == {"a.b": 2, "c": "x"}


def test_values_read_as_yaml_1_2_as_a_scenario_file_does():
    assert parse_axis("x=010,1e3,yes,null").values == (10, 1000.0, "yes", "null")


@pytest.mark.parametrize("spec", ["x", "=1,2", "x=", "x=1,,2", "x=1,1", "x y=1", "x=a:2", "x=3:1"])
def test_a_malformed_vary_is_one_line_naming_it(spec):
    with pytest.raises(SweepError) as err:
        parse_axis(spec)
    assert len(err.value.problems) == 1 and err.value.problems[0].startswith(f"--vary {spec!r}")


def test_ranges_go_with_a_sample_and_lists_without():
    with pytest.raises(SweepError, match="needs --sample"):
        axes_of(["x=0:1"], None)
    with pytest.raises(SweepError, match="give a range"):
        axes_of(["x=0,1"], 5)
    with pytest.raises(SweepError, match="varied twice"):
        axes_of(["x=0,1", "x=2,3"], None)
    with pytest.raises(SweepError, match="lhs:N"):
        parse_sample("lhs:0")
    assert parse_sample("lhs:7") == 7


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 40), low=st.floats(-100, 100), width=st.floats(1, 1000), seed=st.integers(0, 2**32))
def test_a_latin_hypercube_puts_one_point_in_each_of_n_strata_of_every_axis(n, low, width, seed):
    axes = (Axis("a", low=low, high=low + width), Axis("b", low=0.0, high=1.0))
    rows = hypercube(axes, n, seed)
    assert len(rows) == n
    for k, axis in enumerate(axes):
        assert axis.low is not None and axis.high is not None
        strata = sorted(min(n - 1, math.floor((r[k] - axis.low) / (axis.high - axis.low) * n)) for r in rows)
        # six significant digits may move a value across a stratum's edge by a hair
        assert all(abs(s - i) <= 1 for i, s in enumerate(strata))
    unit = sorted(min(n - 1, math.floor(r[1] * n)) for r in rows)  # six digits of [0, 1]: exact here
    assert unit == list(range(n))
    assert hypercube(axes, n, seed) == rows  # drawn from the seed: the same points again


def test_a_hypercube_over_whole_bounds_gives_whole_numbers():
    rows = hypercube((Axis("n", low=10, high=20),), 8, 1)
    assert all(isinstance(r[0], int) and 10 <= r[0] <= 20 for r in rows)


@pytest.fixture
def tiny(tiny_scenario):
    return parse(tiny_scenario, "tiny.yaml")


def test_a_path_to_a_quantity_sets_its_mean_and_keeps_its_distribution(tiny):
    changed = apply(tiny, {"segments.smb.acv": 9000, "health.decay_per_month": 2}, "tiny.yaml")
    acv = changed.segments["smb"].acv
    assert (acv.dist, acv.mean, acv.cv) == ("lognormal", 9000, tiny.segments["smb"].acv.cv)
    assert changed.health.decay_per_month == 2
    assert current(changed, "segments.smb.acv") == 9000


def test_a_default_not_written_in_the_file_can_be_varied(tiny):
    assert current(tiny, "health.reversion_per_month") == tiny.health.reversion_per_month
    assert apply(tiny, {"health.reversion_per_month": 0.2}, "t").health.reversion_per_month == 0.2


@pytest.mark.parametrize(("path", "says"), [
    ("cs_ops.eficiency_gain", "did you mean 'cs_ops.efficiency_gain'"),
    ("nothing.here", "the scenario has no field 'nothing'"),
    ("cs_ops", "a section"),
    ("cs_ops.efficiency_gain.x", "is a value, not a section"),
])
def test_a_bad_path_is_one_line_naming_the_file_and_the_path(tiny, path, says):
    with pytest.raises(SweepError) as err:
        check_path(tiny, path, "tiny.yaml")
    (line,) = err.value.problems
    assert line.startswith(f"tiny.yaml: --vary {path}") and says in line


def test_a_value_the_schema_refuses_names_the_file_the_setting_and_the_field(tiny):
    with pytest.raises(SweepError) as err:
        apply(tiny, {"cs_ops.efficiency_gain": 2}, "tiny.yaml")
    (line,) = err.value.problems
    assert line.startswith("tiny.yaml [cs_ops.efficiency_gain=2]: cs_ops.efficiency_gain:")
    assert "1" in line
