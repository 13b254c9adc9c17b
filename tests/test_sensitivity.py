"""`orgsim sensitivity`: the parameters swung are the assumption-graded ones the compared designs
rest on, at their documented ranges (docs/calibration.md agrees); the tornado's deltas are the
chosen-vs-runner-up gaps of sweep.csv; a parameter no compared design uses moves nothing (common
random numbers make that exact); flips are read off the choices."""

from __future__ import annotations

import json
import math
import re

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from simulate.cli import main
from simulate.consistency import parse
from simulate.domain.assumptions import ASSUMPTIONS
from simulate.sweep.aggregate import Row, Summary
from simulate.sweep.points import Point, SweepError
from simulate.sweep.sensitivity import Swing, one_at_a_time, swings, tornado

from conftest import REPO, TINY

TWO = {**TINY, "horizon_months": 4, "compare": ["active_passive", "refined"]}


def test_the_parameters_swung_are_the_assumptions_the_compared_designs_rest_on():
    found = {s.path: s for s in swings(parse(dict(TWO), "t.yaml"), "t.yaml")}
    assert "cs_ops.efficiency_gain" in found and "health.decay_per_month" in found
    assert "internal_handoff_hours" not in found  # no design compared escalates inside CS
    assert "roles.csm.time_factor.ticket" not in found  # nor has its CSMs answer tickets
    gain = found["cs_ops.efficiency_gain"]
    documented = next(a for a in ASSUMPTIONS if a.path == gain.path)
    assert (gain.low, gain.high, gain.whence) == (documented.low, documented.high, "documented range")


def test_a_range_swings_each_value_by_that_share_and_whole_numbers_stay_whole():
    sc = parse(dict(TWO), "t.yaml")
    (gain, days) = swings(sc, "t.yaml", ["cs_ops.efficiency_gain", "segments.smb.initial_accounts"], 0.2)
    assert (gain.low, gain.high) == pytest.approx((0.12, 0.18))
    assert (days.low, days.high) == (32, 48)
    with pytest.raises(SweepError, match="did you mean"):
        swings(sc, "t.yaml", ["cs_ops.eficiency_gain"])


def test_one_at_a_time_moves_one_parameter_per_point_from_the_base():
    found = [Swing("a", 1.0, 0.5, 2.0, ""), Swing("b", 10, 5, 20, "")]
    assert [p.values for p in one_at_a_time(found)] == [(1.0, 10), (0.5, 10), (2.0, 10), (1.0, 5), (1.0, 20)]


def _summary(index: int, choice: str | None, gap: float) -> Summary:
    rows = (Row("x", "total_cost", 100.0 + gap, 0, 0, 2, "", ""),
            Row("y", "total_cost", 100.0, 0, 0, 2, "", ""))
    return Summary(Point(index, ()), 2, choice, choice or "x", "y", "", rows, {}, True, 0)


def test_the_tornado_is_the_change_in_the_gap_and_flags_a_changed_choice():
    found = [Swing("a", 1.0, 0.5, 2.0, ""), Swing("b", 1.0, 0.5, 2.0, "")]
    table = tornado(found, [_summary(0, "x", -10), _summary(1, "x", -12), _summary(2, "x", -9),
                            _summary(3, None, 0), _summary(4, "y", 30)], "given")
    rows = [dict(zip(table[0], r, strict=True)) for r in table[1:] if r[3] == "total_cost"]
    assert [r["param"] for r in rows] == ["b", "a"]  # widest swing first
    first, second = rows
    assert (float(first["delta_low"]), float(first["delta_high"])) == (10.0, 40.0)
    assert (first["choice_low"], first["choice_high"], first["flips"]) == ("no clear choice", "y", "true")
    assert (float(second["delta_low"]), float(second["delta_high"]), second["flips"]) == (-2.0, 1.0, "false")


def test_documented_ranges_in_docs_calibration_agree_with_the_table():
    """Where docs/calibration.md says "try LOW–HIGH" on a parameter's row, it is the range the
    sensitivity study uses (simulate/domain/assumptions.py)."""
    page = (REPO / "docs" / "calibration.md").read_text()
    rows = [line for line in page.splitlines() if line.startswith("|")]
    checked = 0
    for a in ASSUMPTIONS:
        row = next((r for r in rows if f"`{a.path}`" in r.split("|")[1]), None)
        said = re.search(r"try ([\d.]+)[–-]([\d.]+)(?!\s*%)", row) if row else None
        if said:
            assert (float(said[1]), float(said[2])) == (a.low, a.high), a.path
            checked += 1
    assert checked >= 3


def test_sensitivity_end_to_end(tmp_path):
    scenario = tmp_path / "two.yaml"
    scenario.write_text(yaml.safe_dump(TWO, sort_keys=False))
    out = tmp_path / "sens"
    done = CliRunner().invoke(main, ["sensitivity", str(scenario), "--params",
                                     "cs_ops.efficiency_gain,internal_handoff_hours", "-r", "2",
                                     "--basis", "given", "--out", str(out)])
    assert done.exit_code == 0, done.output
    table = pd.read_csv(out / "tornado.csv", keep_default_na=False, na_values=[""])
    sweep = pd.read_csv(out / "sweep.csv", keep_default_na=False, na_values=[""])
    points = pd.read_csv(out / "points.csv", keep_default_na=False, na_values=[""])
    gap_of = json.loads((out / "manifest.json").read_text())["gap"]  # the pair whose gap is swung
    leader, runner = gap_of["design"], gap_of["versus"]
    if isinstance(points.loc[0, "leader"], str):
        assert points.loc[0, "leader"] == leader

    def gap(point: int, kpi: str) -> float:
        at = sweep[(sweep["point"] == point) & (sweep["kpi"] == kpi)].set_index("design")["mean"]
        return float(at[leader] - at[runner])

    for _, row in table.iterrows():
        i = ["cs_ops.efficiency_gain", "internal_handoff_hours"].index(row["param"])
        for end, point in (("low", 1 + 2 * i), ("high", 2 + 2 * i)):
            expected = gap(point, row["kpi"]) - gap(0, row["kpi"])
            assert math.isclose(row[f"delta_{end}"], expected, rel_tol=1e-12, abs_tol=1e-12)
            assert row[f"choice_{end}"] == points.loc[point, "choice"]
        if row["param"] == "internal_handoff_hours":  # neither design uses it: nothing moves at all
            assert row["delta_low"] == 0 and row["delta_high"] == 0 and not row["flips"]
    assert "<h2>Which assumptions move the verdict</h2>" in (out / "report.html").read_text()
    bad = CliRunner().invoke(main, ["sensitivity", str(scenario), "--params", "nope.x", "--out",
                                    str(tmp_path / "bad")])
    assert bad.exit_code == 2 and "nope" in bad.stderr and not (tmp_path / "bad").exists()
