"""`replications: auto`: run in batches until the verdict is decided, or a cap (issue 11).

Replication k is seeded from the run's seed and k alone (simulate.runner.replication_seeds), so
a run grown batch by batch is the same run as one of its final count: common random numbers
hold across batches, and `--replications N` with N the final count reproduces it exactly.

After each batch the headline comparisons are called (simulate.decision.verdict); the run stops
when the verdict is settled — a design is chosen, or every design is worse than another on some
headline KPI, so that no undecided call can change it (`decision.until: verdict`, the default)
— or when no call is undecided (`decision.until: every_call`), or when `cap` replications have
run. All headline calls are made at the family level whichever rule stops the run.

Looking at the calls after every batch is a sequential test: the stated family level holds for
each look, and the chance of an early wrong call grows a little with the number of looks.
Batches grow geometrically so a run looks only a handful of times (5, 8, 12, 18, 27, … replications).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from simulate.decision.verdict import Verdict
from simulate.runner import Outcome

FIRST = 5  # replications before the first look: fewer give t intervals too wide to decide
GROWTH = 1.5  # each batch brings the count to about 1.5× the last


@dataclass
class Sequential:
    """The outcomes of a run grown until decided, the verdict at the end, and why it stopped."""

    outcomes: list[Outcome]
    verdict: Verdict
    replications: int
    stopped_at_cap: bool


def counts(cap: int, first: int = FIRST) -> list[int]:
    """The replication counts at which the calls are looked at: first, ×1.5 each time, cap last."""
    steps = [min(first, cap)]
    while steps[-1] < cap:
        steps.append(min(cap, max(steps[-1] + 1, math.ceil(steps[-1] * GROWTH))))
    return steps


def undecided(verdict: Verdict) -> list[str]:
    """The headline comparisons still undecided, as 'kpi: design vs versus'."""
    return [f"{c.kpi}: {c.design} vs {c.versus}" for c in verdict.comparisons if c.call == "undecided"]


def until_decided(run_batch: Callable[[int, int], list[Outcome]],
                  judge: Callable[[list[Outcome]], Verdict], cap: int, first: int = FIRST,
                  heard: Callable[[int, list[str]], None] | None = None,
                  done_when: Callable[[Verdict], bool] | None = None) -> Sequential:
    """Run replications [0, n) for growing n (`run_batch(start, stop)` runs [start, stop)) until
    `done_when(verdict)` (default: no headline call undecided) or `cap` is reached;
    `heard(n, undecided)` hears after each look."""
    finished = done_when or (lambda v: not undecided(v))
    outcomes: list[Outcome] = []
    done = 0
    verdict: Verdict | None = None
    for n in counts(cap, first):
        outcomes.extend(run_batch(done, n))
        done = n
        verdict = judge(outcomes)
        still = undecided(verdict)
        if heard is not None:
            heard(n, still)
        if finished(verdict):
            return Sequential(outcomes, verdict, n, stopped_at_cap=False)
    assert verdict is not None
    return Sequential(outcomes, verdict, done, stopped_at_cap=not finished(verdict))


def batch_sizes(steps: Sequence[int]) -> list[int]:
    """How many replications each batch adds (for progress bars)."""
    return [b - a for a, b in zip([0, *steps[:-1]], steps, strict=True)]
