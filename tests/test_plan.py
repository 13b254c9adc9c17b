"""plan.csv (simulate/plan.py): the headcount each design's staffing policies produced, by month,
checked against what the policies ask for (a fixed count; ceil(accounts ÷ ratio) at each
review, arriving one hiring lag later) and against monthly.csv; and what a user sees: the file
in every run folder, the chart and the transition in the report and on the terminal."""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from simulate.consistency import parse
from simulate.designs import compared
from simulate.domain.roles import ROLES
from simulate.plan import PLAN_COLUMNS, month_one, plan_frame, plan_rows
from simulate.report.data import REQUIRED, RunDirError, load_run
from simulate.report.from_today import section as from_today_section
from simulate.report.plan_chart import section as plan_section
from simulate.runner import run

from conftest import TINY, Run, orgsim, run_tiny

NO_ATTRITION = {role: {**TINY["roles"][role], "attrition_per_year": 0}
                for role in ROLES if role in TINY["roles"]}


def outcomes(doc: dict[str, Any], designs: list[str], replications: int = 2) -> list:
    sc = parse({**doc, "compare": designs})
    return run(sc, compared(sc), replications=replications, seed=sc.seed)


# --- From monthly rows ----------------------------------------------------------------------


def test_the_plan_is_the_mean_over_replications_per_design_role_and_month():
    monthly = pd.DataFrame([
        {"design": "b", "replication": 0, "month": 1, "headcount_csm": 2, "headcount_cs_ops": 1},
        {"design": "b", "replication": 1, "month": 1, "headcount_csm": 3, "headcount_cs_ops": 1},
        {"design": "b", "replication": 0, "month": 2, "headcount_csm": 4, "headcount_cs_ops": 0},
        {"design": "b", "replication": 1, "month": 2, "headcount_csm": 4, "headcount_cs_ops": 1},
        {"design": "a", "replication": 0, "month": 1, "headcount_csm": 1, "headcount_cs_ops": 0},
        {"design": "a", "replication": 1, "month": 1, "headcount_csm": 1, "headcount_cs_ops": 0},
    ])
    plan = plan_frame(monthly)
    assert list(plan.columns) == PLAN_COLUMNS
    assert plan.to_dict("records") == [
        {"month": 1, "design": "b", "role": "csm", "headcount": 2.5},
        {"month": 2, "design": "b", "role": "csm", "headcount": 4.0},
        {"month": 1, "design": "b", "role": "cs_ops", "headcount": 1.0},
        {"month": 2, "design": "b", "role": "cs_ops", "headcount": 0.5},
        {"month": 1, "design": "a", "role": "csm", "headcount": 1.0},
        {"month": 1, "design": "a", "role": "cs_ops", "headcount": 0.0},  # listed, at 0
    ]
    assert month_one(plan)["b"] == {**dict.fromkeys(ROLES, 0.0), "csm": 2.5, "cs_ops": 1.0}


def test_a_run_without_months_has_a_plan_with_its_header_only():
    assert list(plan_frame(pd.DataFrame()).columns) == PLAN_COLUMNS
    assert plan_frame(pd.DataFrame()).empty


# --- Against the policies -------------------------------------------------------------------


def test_a_fixed_count_is_the_headcount_in_every_month():
    doc = {**copy.deepcopy(TINY), "roles": NO_ATTRITION}
    plan = plan_rows(outcomes(doc, ["refined", "integrated"]))
    for design in ("refined", "integrated"):
        staffing = TINY["staffing"][design]
        for role in ROLES:
            counts = plan[(plan["design"] == design) & (plan["role"] == role)]["headcount"]
            assert len(counts) == TINY["horizon_months"]
            assert set(counts) == {float(staffing.get(role, 0))}, (design, role)


def test_a_fixed_count_with_attrition_never_goes_above_its_count():
    """Was n + 1 for good: expected leavers over the lag (a fraction) were rounded up to a person."""
    plan = plan_rows(outcomes(copy.deepcopy(TINY), ["refined"], replications=1))
    for role, count in TINY["staffing"]["refined"].items():
        assert plan[plan["role"] == role]["headcount"].max() <= count, role


RATIO = 8  # accounts per CSM
GROWING = {"smb": {"new_per_month": 10}, "mid": {"new_per_month": 3}}


def growing_book(lag_months: float, hire_ahead: bool) -> dict[str, Any]:
    """full_stack with one CSM per 8 accounts (at least one) on a book that grows every month."""
    doc = copy.deepcopy(TINY)
    doc["horizon_months"] = 9
    doc["roles"] = NO_ATTRITION
    for segment, extra in GROWING.items():
        doc["segments"][segment].update(extra)
    days_per_month = 250 / 12
    doc["staffing"] = {"hiring_lag_days": lag_months * days_per_month, "hire_ahead": hire_ahead,
                       "full_stack": {"csm": {"per_accounts": RATIO, "min": 1}}}
    return doc


def asked(accounts: float) -> int:
    """What one review asks for, by hand: ceil(accounts ÷ ratio), at least 1."""
    return max(1, math.ceil(accounts / RATIO))


@pytest.mark.parametrize("lag_months", [0.0, 1.5])
def test_a_ratio_policy_staffs_what_each_review_asked_for_one_lag_later(lag_months):
    """At month m's end the team holds what the policy asked for at time 0 and at every review k
    whose hires have started by then (k + lag < m); nobody is laid off, so it is the largest of
    those asks. Each ask is ceil(accounts at review k ÷ 8), accounts read from the record."""
    for outcome in outcomes(growing_book(lag_months, hire_ahead=False), ["full_stack"]):
        accounts = {int(m["month"]): m["accounts"] for m in outcome.monthly}
        plan = plan_rows([outcome])
        csm = dict(zip(plan[plan["role"] == "csm"]["month"], plan[plan["role"] == "csm"]["headcount"],
                       strict=True))
        opening = asked(TINY["segments"]["smb"]["initial_accounts"]
                        + TINY["segments"]["mid"]["initial_accounts"])
        for month, heads in csm.items():
            started = [asked(accounts[k]) for k in accounts if k + lag_months < month]
            assert heads == max([opening, *started]), (month, lag_months)
        assert csm[max(csm)] > opening  # the book grew, and the plan with it


def test_hiring_ahead_never_staffs_below_the_ratio_at_the_reviews_behind_it():
    """With hire_ahead a review asks for the forecast one lag ahead, never below the book now."""
    lag_months = 1.5
    for outcome in outcomes(growing_book(lag_months, hire_ahead=True), ["full_stack"]):
        accounts = {int(m["month"]): m["accounts"] for m in outcome.monthly}
        for m in outcome.monthly:
            month = int(m["month"])
            started = [asked(accounts[k]) for k in accounts if k + lag_months < month]
            assert m["headcount_csm"] >= max(started, default=1)


def test_defining_roles_show_in_every_month_and_a_role_not_staffed_reads_zero():
    """refined and integrated keep implementation and cs_ops (integrated also tech_support) in
    every month of the plan; active_passive, which staffs neither, has them at 0, not missing."""
    doc = copy.deepcopy(TINY)
    doc["staffing"]["refined"] = {"csm": 2, "support_agent": 1,
                                  "implementation": {"per_new_accounts_per_month": 50, "min": 1},
                                  "cs_ops": {"per_accounts": 1000, "min": 1}}
    doc["staffing"]["integrated"] = {**doc["staffing"]["refined"],
                                     "tech_support": {"per_escalations_per_month": 100, "min": 1}}
    plan = plan_rows(outcomes(doc, ["active_passive", "refined", "integrated"]))
    months = TINY["horizon_months"]
    defining = {"refined": ("implementation", "cs_ops"),
                "integrated": ("implementation", "cs_ops", "tech_support")}
    for design, roles in defining.items():
        for role in roles:
            heads = plan[(plan["design"] == design) & (plan["role"] == role)]["headcount"]
            assert len(heads) == months and (heads >= 1).all(), (design, role)
    for role in ("implementation", "cs_ops", "tech_support"):
        heads = plan[(plan["design"] == "active_passive") & (plan["role"] == role)]["headcount"]
        assert len(heads) == months and (heads == 0).all()


# --- What a user sees -----------------------------------------------------------------------

CURRENT = {"csm": 4, "support_agent": 1, "tech_support": 2}


@pytest.fixture(scope="module")
def team_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """`orgsim run` of the tiny scenario with today's team, two designs and two replications."""
    base = tmp_path_factory.mktemp("team_run")
    doc = {**copy.deepcopy(TINY), "name": "team", "replications": 2, "current": CURRENT}
    scenario = base / "team.yaml"
    scenario.write_text(yaml.safe_dump(doc, sort_keys=False))
    return run_tiny(scenario, base / "results", "--designs", "full_stack,refined")


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode())))


def test_every_run_writes_plan_csv_listed_in_its_manifest(team_run: Run):
    assert json.loads(team_run.read("manifest.json"))["files"].count("plan.csv") == 1
    assert team_run.read("plan.csv").decode().splitlines()[0] == "month,design,role,headcount"


def test_plan_csv_is_monthly_csvs_headcounts_averaged_over_replications(team_run: Run):
    by_hand: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for row in _csv(team_run.read("monthly.csv")):
        for role in ROLES:
            by_hand[(row["month"], row["design"], role)].append(float(row[f"headcount_{role}"]))
    plan = {(r["month"], r["design"], r["role"]): float(r["headcount"])
            for r in _csv(team_run.read("plan.csv"))}
    assert plan.keys() == by_hand.keys()
    for key, values in by_hand.items():
        assert len(values) == 2
        assert plan[key] == pytest.approx(sum(values) / 2), key


def test_the_terminal_shows_the_move_from_todays_team_per_design(team_run: Run):
    """Today 4 CSMs, 1 agent, 2 tech support. Month 1: full_stack 3 CSMs (50 accounts ÷ 20);
    refined its fixed 2 CSMs, 1 agent, 1 specialist, 1 CS ops. By hand: full_stack keeps a spare
    CSM, agent and both tech support ($130k + $60k + 2 × $95k = $380k a year); refined moves its
    2 spare CSMs to implementation and CS ops (ramp 6.75 days × $420 + 6.75 × $440 = $5,805)."""
    plan = _csv(team_run.read("plan.csv"))
    month_1 = {(r["design"], r["role"]): math.floor(float(r["headcount"]) + 0.5)
               for r in plan if r["month"] == "1"}
    assert month_1[("full_stack", "csm")] == 3
    assert {role: month_1[("refined", role)] for role in ROLES} == {
        role: TINY["staffing"]["refined"].get(role, 0) for role in ROLES}
    out = " ".join(team_run.process.stdout.split())  # rich wraps long lines
    assert "From today's team (current:) to month 1" in out
    assert "full_stack: surplus 1 csm, 1 support_agent, 2 tech_support ($380k a year if kept)" in out
    assert ("refined: 1 csm → implementation; 1 csm → cs_ops; one-off $5,805 (hiring $0, ramp "
            "$5,805); surplus 2 tech_support ($190k a year if kept)") in out


def test_the_report_draws_the_plan_and_the_way_from_todays_team(team_run: Run):
    page = (team_run.path / "report.html").read_text(encoding="utf-8")
    assert "<figure id=plan><img" in page
    assert "<h2 id=from-today>From today's team</h2>" in page
    assert "4 csm, 1 support_agent, 2 tech_support" in page
    assert "hire_cost" in page and "ramp_days" in page  # what the cost rests on


def test_a_run_without_current_has_the_plan_but_no_transition(tiny_run: Run):
    page = (tiny_run.path / "report.html").read_text(encoding="utf-8")
    assert "<figure id=plan><img" in page and "From today's team" not in page
    assert "From today's team" not in tiny_run.process.stdout


DAMAGE = {
    "a renamed column": (lambda t: t.replace("role,headcount", "role,people"), "missing columns headcount"),
    "a word for a number": (lambda t: t.replace(",csm,", ",csm,x", 1), "not a number"),
    "a cut file": (lambda t: t[: len(t) // 2], "cut off"),
}


def _copy(run: Run, to: Path) -> Path:
    shutil.copytree(run.path, to)
    return to


@pytest.mark.parametrize("case", list(DAMAGE))
def test_a_damaged_plan_csv_is_refused_in_one_line_naming_it(team_run: Run, tmp_path: Path, case):
    damage, says = DAMAGE[case]
    run_dir = _copy(team_run, tmp_path / "run")
    plan = run_dir / "plan.csv"
    plan.write_text(damage(plan.read_text()))
    with pytest.raises(RunDirError, match=says) as refused:
        load_run(run_dir)
    assert str(refused.value).startswith(str(plan)) and "\n" not in str(refused.value)
    if case == "a cut file":  # and the command says so, exit 2, before drawing anything
        done = orgsim("report", run_dir)
        assert done.returncode == 2 and "plan.csv" in done.stderr and "Traceback" not in done.stderr


def test_a_run_folder_from_before_plan_csv_reports_without_the_plan(team_run: Run, tmp_path: Path):
    run_dir = _copy(team_run, tmp_path / "run")
    (run_dir / "plan.csv").unlink()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    manifest["files"].remove("plan.csv")
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    old = load_run(run_dir)
    assert old.plan is None
    assert plan_section(old) == "" and from_today_section(old) == ""


def test_the_report_reads_plan_csv_with_the_columns_the_run_writes():
    assert list(REQUIRED["plan.csv"]) == PLAN_COLUMNS
