"""The cheapest staffing policy per design that meets a scenario's targets with confidence (issue 12).

A policy is a ratio per role to the driver its work grows with (simulate.policy), so the answer
scales with the book through the hiring lag. The search, design by design:

1. screen, on a few replications judged on each target's mean: from the analytic start, make the
   role that closes most of the shortfall per dollar one step more generous until the targets
   are met, then one step less generous, the most expensive role first, while they still hold;
2. confirm, on at least `CONFIRM` replications (the screen's, extended) judged on each target's
   95% confidence bound: more generous until the bounds meet, then less generous while they do.
   A neighbour is shown to miss either on its confidence bound (the far end of its interval
   already misses on the screen's replications) or on the confirmation's replications;
3. settle, where the comparison runs more replications than the confirmation: the optimum on
   all of them, judged on its bounds again, more generous if they no longer meet.

Every candidate runs on the same replication seeds (common random numbers); evaluations are
cached and extended, never rerun. Defining roles never go below one person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulate.candidate import ON_BOUND, Evaluation, Rule, measured
from simulate.decision.judge import judge
from simulate.domain.designs import Design
from simulate.domain.roles import QUEUED_ROLES, ROLES
from simulate.policy import Axis, Steps, axes, describe, staffing_of
from simulate.runner import run
from simulate.scenario.schema import Scenario
from simulate.scenario.targets import Target

CONFIRM = 10  # replications the optimum is confirmed on, at least
MAX_STEPS = 40  # moves before a design is declared unable to meet its targets
PLATEAU = 8  # steps less generous that may leave a small team unchanged before it is at its minimum
STALL = 3  # moves in a row that close no shortfall: staffing cannot meet the targets
# Staffings a search typically simulates for one design, for sizing a search before it starts:
# screening on 3 replications, confirming on 10 (the 2026-12 baseline: 6–14 evaluations a design).
TYPICAL_EVALUATIONS = 14


def searched_roles(scenario: Scenario, design: Design) -> tuple[str, ...]:
    """The roles a search staffs for `design`: those its routes use or that define it, the ones
    that work queues first. Other roles its plan names keep the plan's policy."""
    working_first = (*QUEUED_ROLES, *(r for r in ROLES if r not in QUEUED_ROLES))
    return tuple(r for r in working_first if r in design.roles_used or r in design.identity)


def with_staffing(scenario: Scenario, design: str, staffing: dict[str, Any]) -> Scenario:
    """The scenario with `design` staffed by `staffing` (role → count or ratio policy)."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    data["staffing"][design] = dict(staffing)
    return Scenario.model_validate(data)


def optimized_scenario(scenario: Scenario, optima: list[Optimum]) -> Scenario:
    """The scenario with each design staffed by the policy its search found."""
    for optimum in optima:
        scenario = with_staffing(scenario, optimum.design, optimum.best.staffing)
    return scenario


@dataclass
class Optimum:
    """A design's cheapest policy meeting its targets on their bounds, or the closest found."""

    design: str
    best: Evaluation
    feasible: bool  # every target's confidence bound meets it on `best.n` replications
    binding: list[Target]  # targets a step less generous on some role misses
    simulations: int  # replications simulated for this design
    evaluations: int
    axes: tuple[Axis, ...] = ()
    path: list[dict[str, Any]] = field(default_factory=list)
    # Roles kept at one person only because they define the design, with the USD a year the
    # targets alone would have saved by dropping them (the findings say so).
    kept_for_identity: dict[str, float] = field(default_factory=dict)
    at_minimum: list[str] = field(default_factory=list)  # a step less generous changes nothing

    @property
    def policy(self) -> dict[str, Any]:
        return self.best.staffing

    def reads(self) -> str:
        return describe(self.axes, self.best.steps)


class Search:
    """The search for one design; `progress(message)` hears about each evaluation."""

    def __init__(self, scenario: Scenario, design: Design, targets: list[Target], *,
                 replications: int, jobs: int, confirm: int = CONFIRM, settle: int | None = None,
                 progress: Callable[[str], None] | None = None, max_steps: int = MAX_STEPS):
        self.scenario = scenario
        self.design = design
        self.targets = targets
        self.screen = replications
        self.confirm = max(confirm, replications)
        self.settle = max(settle or 0, self.confirm)
        self.jobs = jobs
        self.progress = progress or (lambda message: None)
        self.max_steps = max_steps
        self.roles = searched_roles(scenario, design)
        sla = next((t.value for t in targets if t.kpi == "sla_met" and t.op == ">="), None)
        self.axes = axes(scenario, design, self.roles, sla, dict.fromkeys(self.roles, 1))
        self.cache: dict[tuple[Any, ...], Evaluation] = {}
        self.simulations = 0
        self.path: list[dict[str, Any]] = []

    # --- evaluating -------------------------------------------------------------------------

    def evaluate(self, steps: Steps, n: int, staffing: dict[str, Any] | None = None) -> Evaluation:
        """The policy at `steps` (or an explicit `staffing`) on the first `n` replications."""
        key: tuple[Any, ...] = steps if staffing is None else (*steps, repr(sorted(staffing.items())))
        have = self.cache.get(key)
        if have is not None and have.n >= n:
            return have
        staffing = staffing if staffing is not None else self._staffing(steps)
        scenario = with_staffing(self.scenario, self.design.name, staffing)
        outcomes = list(have.outcomes) if have else []
        new = run(scenario, [self.design], replications=n, seed=self.scenario.seed, jobs=self.jobs,
                  start=len(outcomes))
        self.simulations += len(new)
        outcomes += new
        evaluation = measured(steps, staffing, outcomes, {t: judge(t, outcomes) for t in self.targets})
        self.cache[key] = evaluation
        return evaluation

    def _staffing(self, steps: Steps) -> dict[str, Any]:
        given = dict(self.scenario.staffing.plans.get(self.design.name, {}))
        kept = {r: (p if isinstance(p, int) else p.model_dump(exclude_none=True))
                for r, p in given.items() if r not in self.roles}
        return {**kept, **staffing_of(self.axes, steps)}

    def _tell(self, stage: str, e: Evaluation, rule: Rule) -> None:
        missing = e.failing(rule)
        said = f"meets targets {rule.words}" if not missing else "misses " + ", ".join(map(str, missing))
        self.progress(f"{self.design.name} [{stage}, {e.n} reps] {describe(self.axes, e.steps)}"
                      f" → ${e.cost / 1e6:.2f}M/yr, {said}")
        self.path.append({"stage": stage, "policy": e.staffing, "replications": e.n,
                          "cost": round(e.cost, 2), "meets": not missing})

    # --- the search -------------------------------------------------------------------------

    def run(self) -> Optimum:
        screen = Rule(projected_to=self.confirm)
        current = self.evaluate(tuple(0 for _ in self.roles), self.screen)
        self._tell("screen", current, screen)
        current, ok = self._climb(current, self.screen, screen, "screen")
        if ok:
            current, _ = self._descend(current, self.screen, screen, "screen", strides=(4, 2, 1))
        current = self.evaluate(current.steps, self.confirm)
        self._tell("confirm", current, ON_BOUND)
        current, ok = self._climb(current, self.confirm, ON_BOUND, "confirm")
        if not ok:
            return Optimum(self.design.name, current, False, current.failing(ON_BOUND), self.simulations,
                           len(self.cache), self.axes, self.path)
        current, binding = self._descend(current, self.confirm, ON_BOUND, "confirm")
        confirmed = current
        current, ok = self._settle(current)
        if not ok:
            return Optimum(self.design.name, current, False, current.failing(ON_BOUND), self.simulations,
                           len(self.cache), self.axes, self.path)
        at_minimum = [r for r in self.roles if r in binding and not binding[r]]
        missed = sorted({t for ts in binding.values() for t in ts}, key=str)
        if current.steps != confirmed.steps:  # settling made it more generous: what the last one missed
            missed = self.evaluate(confirmed.steps, self.settle).failing(ON_BOUND)
        return Optimum(self.design.name, current, True, missed, self.simulations, len(self.cache),
                       self.axes, self.path, self._identity_cost(current), at_minimum)

    def _settle(self, current: Evaluation) -> tuple[Evaluation, bool]:
        """The optimum on the comparison's replications, when it asks for more than the
        confirmation: the ones beyond were not seen by the search, so a policy chosen because
        its first replications flattered it, or whose spread they understated, is found out
        here and made more generous until its bounds meet again."""
        if self.settle <= current.n:
            return current, True
        current = self.evaluate(current.steps, self.settle)
        self._tell("settle", current, ON_BOUND)
        return self._climb(current, self.settle, ON_BOUND, "settle")

    def _climb(self, current: Evaluation, n: int, rule: Rule, stage: str) -> tuple[Evaluation, bool]:
        """More generous on the role whose next change of staffing closes most shortfall per
        dollar (the cheapest that meets every target, if one does), until the targets are met;
        False when they cannot be (no move helps, or too many moves)."""
        moves, stalled = 0, 0
        while not current.feasible(rule):
            if moves >= self.max_steps or stalled >= STALL:
                return current, False
            before = current.shortfall(rule)
            moved = [steps for i in range(len(self.roles)) if (steps := self._changed(current, i, -1)[0])]
            if not moved:
                return current, False
            trials = [self.evaluate(steps, n) for steps in moved]
            met = [t for t in trials if t.feasible(rule)]
            current = min(met, key=lambda t: t.cost) if met else max(
                trials, key=lambda t: (before - t.shortfall(rule)) / max(t.cost - current.cost, 1.0))
            self._tell(stage, current, rule)
            moves += 1
            stalled = stalled + 1 if current.shortfall(rule) > before * 0.99 else 0
        return current, True

    def _descend(self, current: Evaluation, n: int, rule: Rule, stage: str,
                 strides: tuple[int, ...] = (1,)) -> tuple[Evaluation, dict[str, list[Target]]]:
        """Less generous, the role costing most first, while the targets hold: `stride` steps at
        a time, each stride until no role can give more, then the next (4, 2, 1). Returns the
        optimum and, per role, the targets its next less generous staffing misses (none: no
        ratio changes its staffing, the role is at its minimum)."""
        missed: dict[str, list[Target]] = {}
        for stride in strides:
            moved = True
            while moved:
                moved, missed = False, {}
                for i in self._by_cost(current):
                    if self._at_floor(current, i):
                        missed[self.roles[i]] = []
                        continue
                    steps, same = self._changed(current, i, +1, stride)
                    if steps is None:
                        missed[self.roles[i]] = []
                        continue
                    trial = self._judged_neighbour(steps, n, rule)
                    if trial.feasible(rule):
                        current, moved = trial, True
                        self._tell(stage, current, rule)
                        break
                    missed[self.roles[i]] = trial.surely_missing() or trial.failing(rule)
                    if same != current.steps and stride == strides[-1]:
                        current = self._plateau_end(current, same, n, rule)
        return current, missed

    def _changed(self, current: Evaluation, i: int, direction: int,
                 stride: int = 1) -> tuple[Steps | None, Steps]:
        """The first policy `stride` or more steps along `direction` on role i whose staffing
        differs from the current one, and the last step that does not (a small team stays the
        same over a few steps: a plateau); None when PLATEAU steps change nothing. Probed on one
        replication (a changed staffing changes its cost) and bisected."""
        base = current.cost_on(1)

        def at(k: int) -> Steps:
            return self._neighbour(current.steps, i, direction * k)

        def changes(k: int) -> bool:
            return abs(self.evaluate(at(k), 1).cost_on(1) - base) > 1e-6

        same = stride - 1  # below `stride` nothing is known, nor needed
        for k in (stride, stride + 1, stride + 2, stride + 4, stride + PLATEAU):
            if changes(k):
                break
            same = k
        else:
            return None, current.steps
        while k - same > 1:  # bisect: `same` leaves the staffing as it is, `k` changes it
            middle = (same + k) // 2
            same, k = (same, middle) if changes(middle) else (middle, k)
        return at(k), at(same)

    def _at_floor(self, current: Evaluation, i: int) -> bool:
        """Role i has its fewest people at every month-end already."""
        series = current.headcount.get(self.roles[i], [0.0])
        return all(people <= self.axes[i].floor for people in series)

    def _neighbour(self, steps: Steps, i: int, by: int) -> Steps:
        return tuple(s + by if k == i else s for k, s in enumerate(steps))

    def _plateau_end(self, current: Evaluation, end: Steps, n: int, rule: Rule) -> Evaluation:
        """The least generous policy that keeps the current staffing, if it still meets the
        targets on all `n` replications (it should: it staffs the same)."""
        moved = self.evaluate(end, n)
        return moved if moved.feasible(rule) and moved.cost <= current.cost + 1e-6 else current

    def _judged_neighbour(self, steps: Steps, n: int, rule: Rule) -> Evaluation:
        """A neighbour on the screen's replications when they already show it missing a target
        with confidence, else on `n`."""
        if rule == ON_BOUND and n > self.screen:
            first = self.evaluate(steps, self.screen)
            if first.surely_missing():
                return first
        return self.evaluate(steps, n)

    def _by_cost(self, current: Evaluation) -> list[int]:
        """Role indices, the role costing most first."""
        def spend(i: int) -> float:
            people = current.headcount.get(self.roles[i], [0.0])
            return float(np.mean(people)) * self.scenario.roles[self.roles[i]].annual_cost
        return sorted(range(len(self.roles)), key=spend, reverse=True)

    def _identity_cost(self, best: Evaluation) -> dict[str, float]:
        """The defining roles the targets alone would drop: without that role the targets still
        hold on their bounds (one more evaluation each), so keeping it costs its people."""
        kept = {}
        for role in self.design.identity:
            if role in self.design.roles_used or role not in best.staffing:
                continue
            without = {r: p for r, p in best.staffing.items() if r != role}
            trial = self.evaluate(best.steps, best.n, staffing=without)
            if trial.feasible(ON_BOUND):
                kept[role] = best.cost - trial.cost
        return kept
