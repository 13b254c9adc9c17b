"""The cheapest fixed headcount per role that meets a scenario's targets, design by design.

Search: start from the analytic estimate (workload ÷ productive hours; Erlang C for the
pooled queue), add people where the design falls short until every target is met, then
take people away, the most expensive role first, while the targets still hold. Every
candidate is simulated on the same replication seeds (common random numbers), so
neighbouring staffings differ only by the staffing, and evaluations are cached.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from simulate.domain.designs import Design
from simulate.domain.roles import QUEUED_ROLES, ROLE, ROLES
from simulate.runner import Outcome, run
from simulate.scenario.schema import Scenario
from simulate.scenario.targets import Target
from simulate.stats import t_interval
from simulate.workload import estimate

Counts = tuple[tuple[str, int], ...]  # (role, headcount) in a fixed role order
MAX_STEPS = 60  # additions before a design is declared unable to meet its targets
STALL = 3  # additions in a row that close no shortfall: staffing cannot meet the targets
# Staffings a search typically simulates for one design, for sizing a search before it starts:
# the 2026-11 baseline took 228 search simulations for 4 designs at 6 replications (9.5 each).
TYPICAL_EVALUATIONS = 10


def searched_roles(scenario: Scenario, design: Design) -> tuple[str, ...]:
    """The roles a search staffs for `design`: those its plan names, its routes use or that define
    it, the ones that work queues first."""
    plan = scenario.staffing.plans[design.name]
    working_first = (*QUEUED_ROLES, *(r for r in ROLES if r not in QUEUED_ROLES))
    return tuple(r for r in working_first if r in plan or r in design.roles_used or r in design.identity)


def with_staffing(scenario: Scenario, design: str, counts: dict[str, int]) -> Scenario:
    """The scenario with `design` staffed at fixed `counts`."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    data["staffing"][design] = dict(counts)
    return Scenario.model_validate(data)


def optimized_scenario(scenario: Scenario, optima: list[Optimum]) -> Scenario:
    """The scenario with each design staffed at the headcount its search found."""
    for optimum in optima:
        scenario = with_staffing(scenario, optimum.design, optimum.best.counts)
    return scenario


@dataclass
class Evaluation:
    """One candidate staffing, simulated."""

    counts: dict[str, int]
    cost: float  # USD a year
    judged: dict[Target, float]  # the value each target is judged on
    utilization: dict[str, float]
    outcomes: list[Outcome]

    @property
    def feasible(self) -> bool:
        return all(t.met(v) for t, v in self.judged.items())

    @property
    def shortfall(self) -> float:
        return sum(t.shortfall(v) for t, v in self.judged.items())

    def failing(self) -> list[Target]:
        return [t for t, v in self.judged.items() if not t.met(v)]


@dataclass
class Optimum:
    """A design's cheapest feasible staffing, or the closest the search got."""

    design: str
    best: Evaluation
    feasible: bool
    binding: list[Target]  # targets that one fewer person of some role would break
    simulations: int  # replications simulated for this design
    evaluations: int
    path: list[dict[str, int]] = field(default_factory=list)
    # Roles kept at one person only because they define the design, with the USD a year the
    # targets alone would have saved by dropping them (the findings say so).
    kept_for_identity: dict[str, float] = field(default_factory=dict)


class Search:
    """The search for one design; `progress(message)` hears about each evaluation."""

    def __init__(self, scenario: Scenario, design: Design, targets: list[Target], *,
                 replications: int, jobs: int, confidence: bool,
                 progress: Callable[[str], None] | None = None, max_steps: int = MAX_STEPS):
        self.scenario = scenario
        self.design = design
        self.targets = targets
        self.replications = replications
        self.jobs = jobs
        self.confidence = confidence
        self.progress = progress or (lambda message: None)
        self.max_steps = max_steps
        self.roles = searched_roles(scenario, design)
        self.cache: dict[Counts, Evaluation] = {}
        self.simulations = 0

    def key(self, counts: dict[str, int]) -> Counts:
        return tuple((r, counts[r]) for r in self.roles)

    def evaluate(self, counts: dict[str, int]) -> Evaluation:
        key = self.key(counts)
        if key in self.cache:
            return self.cache[key]
        scenario = with_staffing(self.scenario, self.design.name, counts)
        outcomes = run(scenario, [self.design], replications=self.replications,
                       seed=self.scenario.seed, jobs=self.jobs)
        self.simulations += len(outcomes)
        judged = {t: self._judge(t, outcomes) for t in self.targets}
        utilization = {r: float(np.nanmean([o.kpi(f"utilization_{r}") for o in outcomes]))
                       for r in self.roles if ROLE[r].queued}
        cost = sum(n * self.scenario.roles[r].annual_cost for r, n in counts.items())
        evaluation = Evaluation(dict(counts), cost, judged, utilization, outcomes)
        self.cache[key] = evaluation
        verdict = "meets targets" if evaluation.feasible else \
            "misses " + ", ".join(str(t) for t in evaluation.failing())
        self.progress(f"{self.design.name}: {_describe(counts)} → ${cost / 1e6:.2f}M, {verdict}")
        return evaluation

    def _judge(self, target: Target, outcomes: list[Outcome]) -> float:
        values = np.array([o.kpi(target.kpi, target.segment) for o in outcomes])
        mean, low, high, n = t_interval(values)
        if not self.confidence or n < 2:
            return mean
        return low if target.op == ">=" else high

    def start(self) -> dict[str, int]:
        sla = next((t.value for t in self.targets if t.kpi == "sla_met" and t.op == ">="), None)
        guess = estimate(self.scenario, self.design, self.roles, sla)
        return {r: max(guess.get(r, 1), self._floor(r)) for r in self.roles}

    def run(self) -> Optimum:
        counts = self.start()
        path = [dict(counts)]
        current = self.evaluate(counts)
        steps, stalled = 0, 0
        while not current.feasible and steps < self.max_steps and stalled < STALL:
            before = current.shortfall
            current = self._add_one(current)
            path.append(dict(current.counts))
            steps += 1
            stalled = stalled + 1 if current.shortfall > before * 0.99 else 0
        if not current.feasible:
            return Optimum(self.design.name, current, False, current.failing(), self.simulations,
                           len(self.cache), path)
        current, binding = self._remove_while_feasible(current, path)
        return Optimum(self.design.name, current, True, binding, self.simulations,
                       len(self.cache), path, self._identity_cost(current))

    def _identity_cost(self, best: Evaluation) -> dict[str, float]:
        """The defining roles the targets alone would drop: with that role at 0 the targets still
        hold (one more evaluation each), so keeping it costs its people."""
        kept = {}
        for role in self.design.identity:
            if best.counts.get(role, 0) < 1 or role in self.design.roles_used:
                continue
            trial = {**best.counts, role: 0}
            if self.evaluate(trial).feasible:
                kept[role] = best.counts[role] * self.scenario.roles[role].annual_cost
        return kept

    def _add_one(self, current: Evaluation) -> Evaluation:
        """Add the person who closes most of the shortfall per dollar."""
        best, best_score = None, -math.inf
        for role in self.roles:
            trial = dict(current.counts)
            trial[role] += 1
            candidate = self.evaluate(trial)
            gain = current.shortfall - candidate.shortfall
            score = (1e12 if candidate.feasible else gain) / self.scenario.roles[role].annual_cost
            if score > best_score:
                best, best_score = candidate, score
        return best

    def _floor(self, role: str) -> int:
        """Fewest people a role may have: one where the design routes work to it or the role
        defines the design (refined without cs_ops is not the refined org)."""
        return 1 if role in self.design.roles_used or role in self.design.identity else 0

    def _remove_while_feasible(self, current: Evaluation,
                               path: list[dict[str, int]]) -> tuple[Evaluation, list[Target]]:
        """Take people away, the most expensive role first, while targets hold."""
        order = sorted(self.roles, key=lambda r: -self.scenario.roles[r].annual_cost)
        binding: set[Target] = set()
        improved = True
        while improved:
            improved = False
            binding = set()
            for role in order:
                if current.counts[role] <= self._floor(role):
                    continue
                trial = dict(current.counts)
                trial[role] -= 1
                candidate = self.evaluate(trial)
                if candidate.feasible:
                    current, improved = candidate, True
                    path.append(dict(trial))
                    break
                binding.update(candidate.failing())
        return current, sorted(binding, key=str)


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {role}" for role, n in counts.items())
