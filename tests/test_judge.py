"""Targets judged on their 95% bound, per segment and in every window (issue 12): hand-made
outcomes whose intervals are computed by hand with Student's t."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pytest
from scipy import stats

from simulate.candidate import Rule
from simulate.consistency import parse, targets
from simulate.decision.judge import judge
from simulate.kpis.names import BETTER
from simulate.scenario.targets import Target, WindowedTarget, parse_target

from conftest import TINY


@dataclass
class Fake:
    """An outcome with given KPI values: {(segment, window, kpi): value}."""

    kpis: dict[tuple[str, str, str], float]
    windows: list[str] = field(default_factory=lambda: ["all", "year1", "year2"])

    def kpi(self, name: str, segment: str = "all", window: str = "all") -> float:
        return self.kpis.get((segment, window, name), math.nan)


def outcomes(by_window: dict[str, list[float]], segment: str = "all") -> list[Fake]:
    n = len(next(iter(by_window.values())))
    return [Fake({(segment, w, "sla_met"): values[i] for w, values in by_window.items()}) for i in range(n)]


def test_the_bound_is_the_t_interval_end_facing_the_target():
    values = [0.91, 0.93, 0.92, 0.95]
    mean = sum(values) / 4
    sd = stats.tstd(values)
    low = mean - stats.t.ppf(0.975, 3) * sd / 2
    judged = judge(Target("sla_met", "all", ">=", 0.9), outcomes({"all": values}))
    assert judged.mean == pytest.approx(mean) and judged.low == pytest.approx(low)
    assert judged.met and judged.met_on_bound == (low >= 0.9)


def test_a_mean_that_meets_with_a_bound_that_does_not_is_met_but_not_on_its_bound():
    judged = judge(Target("sla_met", "all", ">=", 0.9), outcomes({"all": [0.85, 0.99, 0.88, 0.96]}))
    assert judged.met and not judged.met_on_bound and not judged.missed_on_bound


def test_in_every_window_judges_the_worst_year_not_the_average():
    data = {"all": [0.93, 0.94, 0.93], "year1": [0.97, 0.98, 0.97], "year2": [0.86, 0.87, 0.86]}
    overall = judge(Target("sla_met", "all", ">=", 0.9), outcomes(data))
    every = judge(Target("sla_met", "all", ">=", 0.9, every_window=True), outcomes(data))
    assert overall.met_on_bound and overall.window == "all"
    assert not every.met and not every.met_on_bound and every.missed_on_bound
    assert every.window == "year2"


def test_a_segment_target_reads_that_segment_only():
    data = outcomes({"all": [50.0, 52.0, 51.0]}, segment="enterprise")
    for o, whole in zip(data, [20.0, 21.0, 22.0], strict=True):
        o.kpis[("all", "all", "sla_met")] = whole
    judged = judge(Target("sla_met", "enterprise", "<=", 35), data)
    assert judged.mean == pytest.approx(51.0) and not judged.met


def test_the_screen_projects_the_bound_it_would_have_on_more_replications():
    values = [0.91, 0.95, 0.93]
    judged = judge(Target("sla_met", "all", ">=", 0.9), outcomes({"all": values}))
    sd = stats.tstd(values)
    expected = sum(values) / 3 - stats.t.ppf(0.975, 9) * sd / math.sqrt(10)
    assert Rule(projected_to=10).value(judged) == pytest.approx(expected)
    assert judged.low < expected < judged.mean


def test_targets_may_ask_to_hold_in_every_window_in_the_scenario_file():
    doc = dict(TINY, targets={"sla_met": {"at": ">= 0.9", "in_every_window": True},
                              "time_to_live_days.mid": "<= 30"})
    found = {str(t): t for t in targets(parse(doc, "tiny"))}
    assert found["sla_met ≥ 0.9 in every year"].every_window
    assert not found["time_to_live_days.mid ≤ 30"].every_window
    assert parse_target("sla_met", WindowedTarget(at=0.9), BETTER) == Target("sla_met", "all", ">=", 0.9)


def test_a_windowed_target_with_a_bad_bound_is_refused_in_one_line(tmp_path, write_scenario, cli):
    doc = dict(TINY, targets={"sla_met": {"at": "about 0.9", "in_every_window": True}})
    process = cli("validate", write_scenario(doc))
    assert process.returncode == 2 and "targets.sla_met" in process.stderr
    assert "Traceback" not in process.stderr
