"""What `orgsim optimize` keeps of a search (issue 12): per design, the policy found, its cost, the
replications it was confirmed on, every target's mean, interval and whether its bound meets it,
the binding targets, the headcount the policy produced, the search path, and the check on fresh
seeds (the same policy simulated on replications the search never saw)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from simulate.decision.judge import judge
from simulate.optimize import Optimum
from simulate.runner import Outcome
from simulate.scenario.targets import Target

FRESH = 6  # replications of the check on fresh seeds
FRESH_TAG = 0x0F7E54  # mixed into the scenario seed for them: never the search's own entropy


def fresh_seed(seed: int) -> int:
    """A scenario seed whose replications share none of the search's streams: numpy's
    SeedSequence on the entropy (seed, FRESH_TAG) rather than seed alone."""
    state = np.random.SeedSequence([seed, FRESH_TAG]).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


def headcount(optimum: Optimum) -> dict[str, dict[str, float]]:
    """Per role: mean people at the first and last month-end and over the horizon."""
    return {role: {"start": round(series[0], 2), "end": round(series[-1], 2),
                   "mean": round(float(np.mean(series)), 2)}
            for role, series in optimum.best.headcount.items() if any(series)}


def fresh_check(targets: Sequence[Target], outcomes: Sequence[Outcome], seed: int) -> dict[str, Any]:
    """The targets on fresh seeds, judged on their mean as the issue asks."""
    judged = [judge(t, outcomes) for t in targets]
    return {"seed": seed, "replications": len(outcomes),
            "targets": {str(j.target): j.document() for j in judged},
            "met": all(j.met for j in judged)}


def optimum_document(optimum: Optimum, fresh: dict[str, Any] | None = None,
                     transition: dict[str, Any] | None = None) -> dict[str, Any]:
    """One design's entry in optimum.json."""
    best = optimum.best
    found: dict[str, Any] = {
        "policy": best.staffing, "reads": optimum.reads(), "cost": round(best.cost, 2),
        "replications": best.n, "targets_met": optimum.feasible,
        "targets": {str(t): j.document() for t, j in best.judged.items()},
        "binding": [str(t) for t in optimum.binding], "at_minimum": optimum.at_minimum,
        "headcount": headcount(optimum), "kept_for_identity": optimum.kept_for_identity,
        "simulations": optimum.simulations, "staffings_evaluated": optimum.evaluations,
        "path": optimum.path,
    }
    if fresh is not None:
        found["fresh_seeds"] = fresh
    if transition is not None:
        found["transition"] = transition
    return found
