"""plan.csv: the hiring plan a run's staffing policies produced, as a leader reads it — per
design, role and month, how many people, the mean over replications.

`month` is the business month of the horizon, 1-based, as in monthly.csv: month m is the team
at its end, before that month's staffing review hires anyone (so month 1 is the team the design
opens with, less anyone who left in the month). Every month is listed, warm-up included: the
plan starts today, whatever the statistics skip. Every role is listed for every design, at 0
where the design has nobody, so that a role a design needs and drops shows as a 0 rather than
as a missing row.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from simulate.decision.transition import transition_document
from simulate.domain.roles import ROLES
from simulate.runner import Outcome
from simulate.scenario.schema import Scenario

PLAN_COLUMNS = ["month", "design", "role", "headcount"]
HEADCOUNT = "headcount_"  # monthly.csv's column prefix: headcount_<role>
FIRST_MONTH = 1


def plan_frame(monthly: pd.DataFrame) -> pd.DataFrame:
    """The plan from monthly rows (`design, replication, month, headcount_<role>…`): one row per
    design, role and month, the headcount averaged over the replications; designs in the order
    they come, roles in the domain's order, months ascending."""
    roles = [r for r in ROLES if f"{HEADCOUNT}{r}" in monthly.columns]
    if monthly.empty or not roles or not {"design", "month"} <= set(monthly.columns):
        return pd.DataFrame(columns=PLAN_COLUMNS)
    designs = list(dict.fromkeys(monthly["design"]))
    mean = monthly.groupby(["design", "month"], sort=False)[[f"{HEADCOUNT}{r}" for r in roles]].mean()
    rows = [
        {"month": int(month), "design": design, "role": role,
         "headcount": float(mean.loc[(design, month), f"{HEADCOUNT}{role}"])}
        for design in designs for role in roles
        for month in sorted(mean.loc[design].index)
    ]
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def plan_rows(outcomes: list[Outcome]) -> pd.DataFrame:
    """The plan of a run's outcomes (each replication's monthly series carries its headcounts)."""
    monthly = pd.DataFrame([{"design": o.design, "replication": o.replication, **m}
                            for o in outcomes for m in o.monthly])
    return plan_frame(monthly)


def month_one(plan: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Per design, the mean headcount of each role in month 1 of its plan (0 where absent)."""
    first = plan[plan["month"] == FIRST_MONTH]
    found: dict[str, dict[str, float]] = {}
    for design, role, headcount in zip(first["design"], first["role"], first["headcount"], strict=True):
        found.setdefault(str(design), dict.fromkeys(ROLES, 0.0))[str(role)] = float(headcount)
    return found


def replications_behind(monthly: pd.DataFrame) -> int:
    """How many replications a plan's means average (0 without monthly rows)."""
    if monthly.empty or "replication" not in monthly.columns:
        return 0
    return int(monthly.groupby("design")["replication"].nunique().min())


def transitions(scenario: Scenario, plan: pd.DataFrame,
                replications: int | None = None) -> dict[str, dict[str, Any]]:
    """Per design, the moves from the scenario's `current:` team to month 1 of its plan and their
    one-off cost (simulate.decision.transition); empty when the scenario sets no `current:`."""
    if scenario.current is None:
        return {}
    return {design: transition_document(scenario, planned, replications)
            for design, planned in month_one(plan).items()}

