"""One-to-one onboarding (issue 10, defect 6): session length and gap per segment, the closed
form of the fastest possible time to live, and the warning `orgsim validate` gives when that
already misses a segment's target."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from simulate.consistency import parse
from simulate.designs import resolve
from simulate.model import simulate
from simulate.model.segments import segment_models
from simulate.scenario.advice import fastest_onboarding, warnings

from conftest import REPO, TINY

FREE = {"annual_cost": 100000, "productive_share": 1.0, "attrition_per_year": 0}  # always there


def quiet(segments: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """New accounts that need nothing but onboarding, and far more staff than they need: nothing
    waits, so every account's time to live is its fastest possible one."""
    quiet_segment = {"initial_accounts": 0, "new_per_month": 2, "contract_months": 24,
                     "tickets_per_month": 0, "renewal_hours": 0, "touch_every_days": None}
    return {
        "name": "quiet", "horizon_months": 6, "warmup_months": 0, "replications": 1, "seed": 7,
        "compare": ["full_stack", "refined"],
        "segments": {name: {**quiet_segment, **spec} for name, spec in segments.items()},
        "onboarding": {"session_hours": 2, "days_between_sessions": 2},
        "roles": {"csm": {**FREE, "time_factor": {"onboarding": 1.25}},
                  **{r: FREE for r in ("support_agent", "implementation", "cs_ops", "tech_support")}},
        "health": {"shock": {"per_year": 0}},
        "staffing": {"full_stack": {"csm": 60},
                     "refined": {"csm": 1, "support_agent": 1, "implementation": 60, "cs_ops": 1}},
    }


SEGMENTS = {
    # its own sessions: 30 h in 8 sessions of at most 4 h (the last 2 h), 1.5 days apart
    "own": {"onboarding_hours": 30, "session_hours": 4, "days_between_sessions": 1.5},
    # the scenario's: 12 h in 6 sessions of 2 h, 2 days apart
    "default": {"onboarding_hours": 12},
    "gap_only": {"onboarding_hours": 12, "days_between_sessions": 0.5},
}


@pytest.mark.parametrize("design", ["full_stack", "refined"])
def test_without_contention_every_account_goes_live_in_the_closed_form_time(design: str):
    sc = parse(quiet(SEGMENTS))
    d = resolve(sc, design)
    record = simulate(sc, d, seed=11)
    for index, name in enumerate(sc.segments):
        fastest = fastest_onboarding(sc, name, d)
        assert fastest is not None
        days = [(g.live - g.arrived) / sc.calendar.hours_per_day
                for g in record.go_lives if g.segment == index]
        assert len(days) >= 3, name
        assert days == pytest.approx([fastest.days] * len(days), abs=1e-9), name


def test_the_closed_form_counts_sessions_gaps_and_who_onboards():
    sc = parse(quiet(SEGMENTS))
    full_stack, refined = resolve(sc, "full_stack"), resolve(sc, "refined")
    own = fastest_onboarding(sc, "own", full_stack)
    assert own is not None
    assert (own.sessions, own.session_hours, own.days_between, own.role) == (8, 4, 1.5, "csm")
    assert own.days == pytest.approx(30 * 1.25 / 8 + 7 * 1.5)  # the owner CSM's factor 1.25
    own = fastest_onboarding(sc, "own", refined)
    assert own is not None and own.role == "implementation"
    assert own.days == pytest.approx(30 * 0.85 / 8 + 7 * 1.5)  # full cs_ops coverage: −15%
    default = fastest_onboarding(sc, "default", full_stack)
    assert default is not None
    assert (default.sessions, default.session_hours, default.days_between) == (6, 2, 2)


def test_no_fastest_onboarding_for_cohorts_or_no_onboarding():
    doc = quiet({"webinar": {"onboarding_hours": 6, "cohort_onboarding": True},
                 "none": {"onboarding_hours": 0}})
    sc = parse(doc)
    assert fastest_onboarding(sc, "webinar", resolve(sc, "refined")) is None  # cohorts
    assert fastest_onboarding(sc, "webinar", resolve(sc, "full_stack")) is not None
    assert fastest_onboarding(sc, "none", resolve(sc, "full_stack")) is None


def test_the_engine_takes_each_segments_gap_and_session_length():
    sc = parse(quiet(SEGMENTS))
    models = {m.name: m for m in segment_models(sc, resolve(sc, "full_stack"))}
    hours_per_day = sc.calendar.hours_per_day
    assert (models["own"].session_hours, models["own"].between_sessions) == (4, 1.5 * hours_per_day)
    assert (models["default"].session_hours, models["default"].between_sessions) == (2, 2 * hours_per_day)
    assert (models["gap_only"].session_hours, models["gap_only"].between_sessions) == (2, 0.5 * hours_per_day)
    # and the gap shows in the simulated time to live: 5 gaps of 2 days against 5 of half a day
    record = simulate(sc, resolve(sc, "full_stack"), seed=3)
    ttl = {i: max((g.live - g.arrived) / hours_per_day for g in record.go_lives if g.segment == i)
           for i in (1, 2)}
    assert ttl[1] - ttl[2] == pytest.approx(5 * 1.5)


# --- orgsim validate ----------------------------------------------------------------------------


def tiny_missing(target: float = 10) -> dict[str, Any]:
    """TINY with the mid segment's target at `target`: 12 h in 6 sessions 2 days apart is at
    least 11.9 business days under full_stack (CSM factor 1.25), 11.3 under refined."""
    doc = copy.deepcopy(TINY)
    doc["segments"]["mid"]["onboarding_target_days"] = target
    return doc


def test_validate_warns_when_the_fastest_onboarding_misses_the_target_and_exits_0(
        cli: Callable[..., Any], write_scenario: Callable[..., Path]):
    path = write_scenario(tiny_missing())
    done = cli("validate", path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0] == (
        f"{path}: segments.mid.onboarding_target_days: fastest possible onboarding takes 11.9 "
        "business days under full_stack (6 sessions of 2 h, 2 days apart) — the target of 10 "
        "cannot be met (warning)")
    assert [line.split(" under ")[1].split(" ")[0] for line in lines] == [
        "full_stack", "active_passive", "refined", "integrated"]
    assert "takes 11.3 business days under refined" in lines[2]
    assert all(line.endswith("(warning)") for line in lines)


def test_validate_is_silent_when_every_target_can_be_met(
        cli: Callable[..., Any], write_scenario: Callable[..., Path]):
    doc = tiny_missing()
    doc["segments"]["mid"]["days_between_sessions"] = 1  # 5 gaps of 1 day: at least 6.9 days
    done = cli("validate", write_scenario(doc))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_validate_with_problems_exits_2_and_still_prints_the_warnings(
        cli: Callable[..., Any], write_scenario: Callable[..., Path]):
    warned = write_scenario(tiny_missing(), "warned")
    broken = copy.deepcopy(TINY)
    broken["segments"]["mid"]["days_between_sessions"] = -1
    broken = write_scenario(broken, "broken")
    done = cli("validate", warned, broken)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert sum(line.endswith("(warning)") for line in lines) == 4
    assert any(line.startswith(f"{broken}: segments.mid.days_between_sessions:") for line in lines)


def test_warnings_name_the_source_and_skip_designs_not_given():
    sc = parse(tiny_missing())
    lines = warnings(sc, [resolve(sc, "integrated")], "somewhere.yaml")
    assert len(lines) == 1
    assert lines[0].startswith("somewhere.yaml: segments.mid.onboarding_target_days: ")
    assert " under integrated " in lines[0]


def test_every_shipped_scenario_validates_without_a_warning(cli: Callable[..., Any]):
    shipped = sorted((REPO / "scenarios").glob("*.yaml"))
    assert len(shipped) >= 4
    done = cli("validate", *shipped)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_run_prints_the_same_warnings_before_simulating_and_still_succeeds(
        cli: Callable[..., Any], write_scenario: Callable[..., Path], tmp_path: Path):
    doc = tiny_missing()
    doc["compare"] = ["refined"]
    path = write_scenario(doc)
    done = cli("run", path, "--replications", "1", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert (f"{path}: segments.mid.onboarding_target_days: fastest possible onboarding takes 11.3 "
            "business days under refined") in done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith(str(tmp_path / "out"))
