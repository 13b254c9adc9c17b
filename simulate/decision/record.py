"""`verdict.json`: the decision a run hands a leader, as one document (issue 11).

It holds the basis the designs were compared on, the replications behind it, the margins that
say what difference matters, each design's headcount at the start and end of the horizon, the
targets met or not, every paired comparison with its call, and the verdict with its reason. The
terminal and the report draw their first screen from this document, so they cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from simulate.decision.calls import Comparison, compare
from simulate.decision.judge import judge
from simulate.decision.margins import DEFAULTS, Margin
from simulate.decision.verdict import HEADLINES, Headline, Verdict, decide
from simulate.designs import resolve
from simulate.domain.assumptions import Assumption, rests_on
from simulate.kpis import BY_NAME
from simulate.kpis.names import BETTER
from simulate.runner import Outcome
from simulate.scenario.decision import margin_size
from simulate.scenario.schema import Scenario
from simulate.scenario.targets import Target

CORRECTION = "Bonferroni"
HELD_EQUAL = {"equal_budget": ("total_cost",)}  # what a basis holds equal is not a headline call


@dataclass(frozen=True)
class Basis:
    """What the designs were compared at: `name` (given, equal_service or equal_budget) and a
    sentence saying how their staffing was set."""

    name: str
    note: str


def margins_of(scenario: Scenario) -> dict[str, Margin]:
    """The default margins with the scenario's `decision.margins` laid over them."""
    margins = dict(DEFAULTS)
    for kpi, spec in scenario.decision.margins.items():
        size, relative = margin_size(spec)
        margins[kpi] = Margin(kpi, size, relative)
    return margins


def values_by_design(outcomes: Sequence[Outcome], designs: Sequence[str]) -> dict[str, dict[str, np.ndarray]]:
    """design → KPI → one whole-book, whole-period value per replication, in replication order."""
    by: dict[str, dict[str, list[float]]] = {d: {} for d in designs}
    for o in sorted(outcomes, key=lambda o: o.replication):
        for (segment, window, kpi), value in o.kpis.items():
            if segment == "all" and window == "all" and o.design in by:
                by[o.design].setdefault(kpi, []).append(value)
    return {d: {k: np.asarray(v, dtype=float) for k, v in kpis.items()} for d, kpis in by.items()}


def headcounts(outcomes: Sequence[Outcome], designs: Sequence[str]) -> dict[str, dict[str, list[float]]]:
    """design → role → [people at the first month end, at the last], mean over replications."""
    found: dict[str, dict[str, list[float]]] = {}
    for design in designs:
        series = [o.monthly for o in outcomes if o.design == design and o.monthly]
        roles = [k for k in series[0][0] if k.startswith("headcount_")] if series else []
        found[design] = {
            role.removeprefix("headcount_"): [round(float(np.mean([s[0][role] for s in series])), 1),
                                              round(float(np.mean([s[-1][role] for s in series])), 1)]
            for role in roles if any(s[0][role] or s[-1][role] for s in series)
        }
    return found


def targets_met(outcomes: Sequence[Outcome], designs: Sequence[str],
                targets: Sequence[Target]) -> dict[str, dict[str, dict[str, Any]]]:
    """design → target → mean, 95% interval (in the worst window for a target that must hold in
    every window), whether the mean meets it and whether its confidence bound does."""
    return {design: {str(t): judge(t, [o for o in outcomes if o.design == design]).document()
                     for t in targets} for design in designs}


def distinguishing(scenario: Scenario, designs: Sequence[str]) -> dict[str, list[Assumption]]:
    """Per design, the assumption-graded parameters behind mechanisms not every design has."""
    plans = scenario.staffing.plans
    found = {name: rests_on(resolve(scenario, name), frozenset(plans.get(name, {}))) for name in designs}
    shared = set.intersection(*(set(rows) for rows in found.values())) if found else set()
    return {name: [a for a in rows if a not in shared] for name, rows in found.items()}


def _num(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def _row(c: Comparison, headline: bool) -> dict[str, Any]:
    return {"kpi": c.kpi, "design": c.design, "versus": c.versus, "headline": headline,
            "diff_mean": _num(c.diff.mean), "diff_low": _num(c.diff.low), "diff_high": _num(c.diff.high),
            "relative_mean": _num(c.relative.mean), "relative_low": _num(c.relative.low),
            "relative_high": _num(c.relative.high), "margin": _num(c.margin), "call": c.call}


def headlines_on(basis: str) -> tuple[Headline, ...]:
    """The headline KPIs a basis calls: on equal_budget the CS budget is held equal by
    construction, so the designs are compared on service and churn (cost is still compared in
    verdict.json, off the first screen)."""
    return tuple(h for h in HEADLINES if h.kpi not in HELD_EQUAL.get(basis, ()))


def verdict_of(outcomes: Sequence[Outcome], designs: Sequence[str],
               margins: Mapping[str, Margin] = DEFAULTS, basis: str = "given") -> Verdict:
    """The headline verdict of a set of outcomes (what replications: auto decides on)."""
    return decide(values_by_design(outcomes, designs), designs, BETTER, margins, headlines_on(basis))


def document(scenario: Scenario, outcomes: Sequence[Outcome], designs: Sequence[str], basis: Basis,
             targets: Sequence[Target], stopped_at_cap: bool = False,
             auto: bool = False) -> dict[str, Any]:
    """verdict.json for a run: see the module's docstring and docs/decision.md."""
    margins = margins_of(scenario)
    values = values_by_design(outcomes, designs)
    verdict = decide(values, designs, BETTER, margins, headlines_on(basis.name))
    shown = {c.kpi for c in verdict.comparisons}
    rows = [_row(c, True) for c in verdict.comparisons]
    others = [k for k in BY_NAME.values() if k.name not in shown and k.better
              and k.name in margins and all(k.name in values[d] and np.isfinite(values[d][k.name]).any()
                                            for d in designs)]
    for kpi in others:
        for versus, design in combinations(designs, 2):
            rows.append(_row(compare(kpi.name, design, versus, values[design][kpi.name],
                                     values[versus][kpi.name], margins[kpi.name], kpi.better,
                                     verdict.level), False))
    reps = {len(v) for by in values.values() for v in by.values()}
    rests = distinguishing(scenario, designs)
    chosen_rests = [a.path for a in rests.get(verdict.choice, [])] if verdict.choice else []
    reason = verdict.reason
    if chosen_rests:
        reason += f" (its lead rests on assumption-graded {', '.join(chosen_rests[:3])}" + \
                  (f" and {len(chosen_rests) - 3} more" if len(chosen_rests) > 3 else "") + ")"
    headline_rows = sum(r["headline"] for r in rows)
    return {
        "basis": basis.name,
        "basis_note": basis.note,
        "replications": max(reps) if reps else 0,
        "replications_auto": auto,
        "stopped_at_cap": stopped_at_cap,
        "level": verdict.level,
        "correction": f"{CORRECTION}: each of the {headline_rows} headline intervals at "
                      f"{verdict.level:.4%}, so that all hold together at 95%",
        "margins": {k: {"size": m.size, "relative": m.relative} for k, m in margins.items()},
        "headcount": headcounts(outcomes, designs),
        "targets": targets_met(outcomes, designs, targets),
        "choice": verdict.choice,
        "reason": reason,
        "rests_on": {d: [a.path for a in rows_] for d, rows_ in rests.items()},
        "unmeasured": [h.kpi for h in headlines_on(basis.name) if h.kpi not in shown],
        "comparisons": rows,
    }
