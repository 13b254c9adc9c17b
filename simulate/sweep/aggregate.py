"""One point of a sweep, summarized: each design's whole-book KPIs with their 95% t-intervals, the
verdict on the headline KPIs (simulate.decision: the same calls, margins and Bonferroni family as
`orgsim run`), and which design leads and which follows.

Results arrive in any order; a tally files each by replication, so the summary is the same
whatever order the tasks finished in. Once a point's summary is made its tally can go: what is
kept per point is a few numbers per design and KPI.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from simulate.decision.margins import Margin
from simulate.decision.record import headlines_on
from simulate.decision.verdict import Verdict, decide
from simulate.kpis.names import BETTER, NAMES
from simulate.stats import t_interval
from simulate.sweep.points import Point

KPI_ORDER = {k.name: i for i, k in enumerate(NAMES)}
NO_CHOICE = "no clear choice"


@dataclass
class Tally:
    """The results of one point so far: design → KPI → one value per replication (NaN until in)."""

    designs: tuple[str, ...]
    replications: int
    values: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    overloaded: dict[str, dict[str, int]] = field(default_factory=dict)
    heard: int = 0

    def add(self, design: str, replication: int, result: Mapping[str, object]) -> None:
        by_kpi = self.values.setdefault(design, {})
        for kpi, value in result["kpis"].items():  # type: ignore[union-attr]
            column = by_kpi.setdefault(kpi, np.full(self.replications, math.nan))
            column[replication] = math.nan if value is None else float(value)
        for role in result.get("overloaded", ()):  # type: ignore[union-attr]
            roles = self.overloaded.setdefault(design, {})
            roles[role] = roles.get(role, 0) + 1
        self.heard += 1

    @property
    def complete(self) -> bool:
        return self.heard >= len(self.designs) * self.replications

    def grown(self, replications: int) -> Tally:
        """The same tally with room for `replications` (a batch of auto replications)."""
        values = {d: {k: np.concatenate([v, np.full(replications - len(v), math.nan)])
                      for k, v in by.items()} for d, by in self.values.items()}
        return Tally(self.designs, replications, values, self.overloaded, self.heard)


@dataclass(frozen=True)
class Row:
    """One design's KPI at a point, and its headline call against the point's `versus`."""

    design: str
    kpi: str
    mean: float
    low: float
    high: float
    n: int
    versus: str
    call: str


@dataclass(frozen=True)
class Summary:
    """A point's verdict and rows: `choice` (None: no clear choice), the leading design (the
    choice, else the one with fewest worse calls) and the runner-up."""

    point: Point
    replications: int
    choice: str | None
    leader: str
    runner_up: str | None
    reason: str
    rows: tuple[Row, ...]
    unstable: dict[str, dict[str, int]]
    settled: bool  # no undecided call can change the verdict
    undecided: int  # headline calls still undecided
    ahead: bool = False  # the leader is chosen, or placed strictly better than the runner-up

    @property
    def chosen(self) -> str:
        return self.choice or NO_CHOICE

    def mean(self, design: str, kpi: str) -> float:
        for r in self.rows:
            if r.design == design and r.kpi == kpi:
                return r.mean
        return math.nan


def _score(v: Verdict, design: str) -> tuple[int, int, int]:
    """Where a design is placed: fewest worse calls, then fewest undecided, then most better."""
    calls = [v.call(c.kpi, design, c.versus if c.design == design else c.design)
             for c in v.comparisons if design in (c.design, c.versus)]
    return calls.count("worse"), calls.count("undecided"), -calls.count("better")


def _standing(v: Verdict, designs: Sequence[str]) -> list[str]:
    """Designs from the best placed; ties kept in the scenario's order."""
    return sorted(designs, key=lambda d: _score(v, d))


def summarize(point: Point, tally: Tally, margins: Mapping[str, Margin], basis: str) -> Summary:
    """The summary of a complete tally (see the module's docstring)."""
    designs = list(tally.designs)
    verdict = decide(tally.values, designs, BETTER, margins, headlines_on(basis))
    order = _standing(verdict, designs)
    leader = verdict.choice or order[0]
    runner_up = next((d for d in order if d != leader), None)
    headline = {c.kpi for c in verdict.comparisons}
    rows = []
    for design in designs:
        by_kpi = tally.values.get(design, {})
        versus = (runner_up if design == leader else leader) or ""
        for kpi in sorted(by_kpi, key=lambda k: (KPI_ORDER.get(k, len(KPI_ORDER)), k)):
            mean, low, high, n = t_interval(by_kpi[kpi])
            call = verdict.call(kpi, design, versus) if kpi in headline and versus else ""
            rows.append(Row(design, kpi, mean, low, high, n, versus if call else "", call))
    return Summary(point, tally.replications, verdict.choice, leader, runner_up, verdict.reason,
                   tuple(rows), tally.overloaded, verdict.settled(designs),
                   sum(c.call == "undecided" for c in verdict.comparisons),
                   verdict.choice is not None or (runner_up is not None
                                                  and _score(verdict, leader) < _score(verdict, runner_up)))

