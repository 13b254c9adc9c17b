"""A candidate staffing policy as the optimizer sees it (issue 12): simulated on its first n
replications, each target judged, and the rule a search stage judges it by."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulate.decision.judge import Judged
from simulate.policy import Steps
from simulate.runner import Outcome
from simulate.scenario.targets import Target


@dataclass(frozen=True)
class Rule:
    """How a stage judges a target: on the 95% bound it would have on `projected_to`
    replications at the spread seen so far (screening), or on its bound itself (confirming)."""

    projected_to: int | None = None

    def value(self, j: Judged) -> float:
        return j.bound if self.projected_to is None else j.projected(self.projected_to)

    def met(self, j: Judged) -> bool:
        if self.projected_to is None:
            return j.met_on_bound
        value = self.value(j)
        return math.isfinite(value) and j.target.met(value)

    @property
    def words(self) -> str:
        return "on bounds" if self.projected_to is None else "as projected"


ON_BOUND = Rule()


@dataclass
class Evaluation:
    """One candidate policy, simulated on the first `n` replications."""

    steps: Steps
    staffing: dict[str, Any]  # role → policy, as staffing: takes it
    outcomes: list[Outcome]
    judged: dict[Target, Judged]
    cost: float  # CS staff cost, USD a year, mean over replications
    headcount: dict[str, list[float]]  # role → mean people at each month-end over replications

    @property
    def n(self) -> int:
        return len(self.outcomes)

    def cost_on(self, k: int) -> float:
        """The mean cost over the first `k` replications (to compare like with like)."""
        return float(np.mean([o.kpi("cs_cost") for o in self.outcomes[:k]]))

    def feasible(self, rule: Rule) -> bool:
        return all(rule.met(j) for j in self.judged.values())

    def shortfall(self, rule: Rule) -> float:
        """How far the targets are missed in all, each relative to its value."""
        values = {t: rule.value(j) for t, j in self.judged.items()}
        return sum(t.shortfall(v) if math.isfinite(v) else 1.0 for t, v in values.items())

    def failing(self, rule: Rule) -> list[Target]:
        return [t for t, j in self.judged.items() if not rule.met(j)]

    def surely_missing(self) -> list[Target]:
        """Targets the far end of the interval misses: missed with 95% confidence."""
        return [t for t, j in self.judged.items() if j.missed_on_bound]


def measured(steps: Steps, staffing: dict[str, Any], outcomes: list[Outcome],
             judged: dict[Target, Judged]) -> Evaluation:
    """An evaluation from its outcomes: mean cost and mean people per role at each month-end."""
    cost = float(np.mean([o.kpi("cs_cost") for o in outcomes]))
    months = len(outcomes[0].monthly)
    roles = [k.removeprefix("headcount_") for k in outcomes[0].monthly[0] if k.startswith("headcount_")]
    headcount = {r: [float(np.mean([o.monthly[m][f"headcount_{r}"] for o in outcomes]))
                     for m in range(months)] for r in roles}
    return Evaluation(steps, staffing, outcomes, judged, cost, headcount)
