"""Sensitivity of the verdict to the assumption-graded parameters (docs/calibration.md's grade
*assumption*, kept as data in simulate.domain.assumptions): one at a time, each at its documented
low and high (or the scenario's value ± a share, `--range`), the rest at the scenario's values;
optionally all at once over a Latin hypercube (`--global N`).

The tornado says, per headline KPI, how far each parameter moves the gap between the design the
verdict chooses at the scenario's own values and the runner-up (chosen − runner-up, in the KPI's
unit; the change against that gap at the base), and whether the choice itself changes at either
end. Every point is a scenario of one sweep: the same task graph, store and common random numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from simulate.decision.record import headlines_on
from simulate.designs import compared
from simulate.domain.assumptions import ASSUMPTIONS, rests_on
from simulate.scenario.schema import Scenario
from simulate.sweep.aggregate import Summary
from simulate.sweep.apply import check_path, current
from simulate.sweep.files import cell
from simulate.sweep.points import Axis, Point, SweepError, Value, hypercube

DEFAULT_RANGE = 0.5  # ± share of the scenario's value, where no range is documented
TORNADO_COLUMNS = ["param", "low_value", "high_value", "kpi", "delta_low", "delta_high",
                   "choice_low", "choice_high", "flips"]


@dataclass(frozen=True)
class Swing:
    """A parameter, its value in the scenario, and the low and high it is tried at."""

    path: str
    base: Value
    low: Value
    high: Value
    whence: str  # "documented range" or "± share"


def _shaped(value: float, like: Value) -> Value:
    return round(value) if isinstance(like, int) and not isinstance(like, bool) else float(f"{value:.6g}")


def swings(scenario: Scenario, source: str, params: Sequence[str] | None = None,
           spread: float | None = None) -> list[Swing]:
    """The parameters to swing: `params`, else every assumption a compared design rests on; each
    at its documented range, else (or with `spread`) its value ± `spread` (default ±50%)."""
    documented = {a.path: a for a in ASSUMPTIONS}
    if params is None:
        plans = scenario.staffing.plans
        used = {a.path for d in compared(scenario) for a in rests_on(d, frozenset(plans.get(d.name, {})))}
        params = [a.path for a in ASSUMPTIONS if a.path in used]
    found, problems = [], []
    for path in params:
        try:
            check_path(scenario, path, source)
        except SweepError as err:
            problems.extend(err.problems)
            continue
        base = current(scenario, path)
        if isinstance(base, bool) or not isinstance(base, int | float):
            problems.append(f"{source}: --params {path}: not a number (got {base!r}); "
                            "sensitivity swings numbers")
            continue
        if spread is None and path in documented:
            a = documented[path]
            found.append(Swing(path, base, _shaped(a.low, base), _shaped(a.high, base), "documented range"))
        else:
            share = DEFAULT_RANGE if spread is None else spread
            found.append(Swing(path, base, _shaped(base * (1 - share), base),
                               _shaped(base * (1 + share), base), f"±{share:.0%}"))
    if problems:
        raise SweepError(problems)
    return found


def axes(found: Sequence[Swing]) -> tuple[Axis, ...]:
    return tuple(Axis(s.path, low=float(s.low), high=float(s.high)) for s in found)


def one_at_a_time(found: Sequence[Swing]) -> list[Point]:
    """Point 0 at the scenario's values, then each parameter at its low and its high."""
    base = tuple(s.base for s in found)
    out = [Point(0, base)]
    for i, s in enumerate(found):
        for value in (s.low, s.high):
            out.append(Point(len(out), (*base[:i], value, *base[i + 1:])))
    return out


def global_points(found: Sequence[Swing], n: int, seed: int, start: int) -> list[Point]:
    """`n` Latin-hypercube points over every parameter's low–high at once."""
    ranges = tuple(Axis(s.path, low=s.low, high=s.high) for s in found)  # type: ignore[arg-type]
    rows = hypercube(ranges, n, seed)
    return [Point(start + i, tuple(_shaped(float(v), s.base) for v, s in zip(row, found, strict=True)))
            for i, row in enumerate(rows)]


def _gap(summary: Summary, kpi: str, chosen: str, runner_up: str) -> float:
    return summary.mean(chosen, kpi) - summary.mean(runner_up, kpi)


def tornado(found: Sequence[Swing], summaries: Sequence[Summary], basis: str) -> list[list[str]]:
    """tornado.csv's rows: per headline KPI, parameters by how far they move the gap, widest first."""
    base = summaries[0]
    chosen, runner_up = base.leader, base.runner_up or base.leader
    kpis = [h.kpi for h in headlines_on(basis)]
    rows = []
    for kpi in kpis:
        at_base = _gap(base, kpi, chosen, runner_up)
        block = []
        for i, s in enumerate(found):
            low, high = summaries[1 + 2 * i], summaries[2 + 2 * i]
            d_low = _gap(low, kpi, chosen, runner_up) - at_base
            d_high = _gap(high, kpi, chosen, runner_up) - at_base
            flips = low.chosen != base.chosen or high.chosen != base.chosen
            swing = max((abs(d) for d in (d_low, d_high) if math.isfinite(d)), default=0.0)
            block.append((swing, [s.path, cell(s.low), cell(s.high), kpi, cell(d_low), cell(d_high),
                                  low.chosen, high.chosen, "true" if flips else "false"]))
        block.sort(key=lambda b: -b[0])  # stable: the table's order among equals
        rows.extend(row for _, row in block)
    return [TORNADO_COLUMNS, *rows]


def global_rows(found: Sequence[Swing], summaries: Sequence[Summary], base: Summary) -> list[list[str]]:
    """global.csv's rows: each hypercube point, its choice and whether it differs from the base."""
    head = ["point", *(s.path for s in found), "choice", "flips"]
    return [head, *([str(x.point.index), *(cell(v) for v in x.point.values), x.chosen,
                     "true" if x.chosen != base.chosen else "false"] for x in summaries)]
