"""Plain-language findings from the paired differences: the headline (which design is best on
cost, on responsiveness and on churn, and whether it is significantly so), the verdict, and
one finding per design against the run's reference design.

A difference is significant when its 95% interval excludes 0. Relative changes are the
difference over the comparison design's mean, their intervals the difference's interval over
the same mean. Shares (SLA met, GRR, NRR) change in percentage points instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from simulate import units
from simulate.report import fmt
from simulate.report.backlog import backlog
from simulate.report.data import Diff, RunData, Stat
from simulate.table import unstable_lines


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    kpis: tuple[str, ...]  # the first one measured decides; the rest are shown beside it
    best_phrase: str
    of_tickets: bool = False  # measured on tickets: nothing to measure in a run without any


DIMENSIONS = (
    Dimension("cost", "Cost", ("total_cost", "cs_cost"), "the lowest cost"),
    Dimension("responsiveness", "Responsiveness", ("frt_p90_h", "sla_met", "resolution_p90_h"),
              "the fastest response", of_tickets=True),
    Dimension("churn", "Churn", ("logo_churn", "nrr"), "the lowest churn"),
)
NOT_MEASURED, NO_TICKETS = "not measured", "no tickets"
EFFECT_KPIS = ("frt_p90_h", "resolution_p90_h", "sla_met", "time_to_live_days", "logo_churn", "nrr")
COST_KPIS = ("cs_cost", "total_cost")


@dataclass(frozen=True)
class Finding:
    text: str
    tone: str = "neutral"  # good | bad | mixed | neutral | warn


@dataclass
class Verdict:
    """One dimension of the headline."""

    dimension: Dimension
    kpi: str | None = None
    best: Stat | None = None
    runner_up: Stat | None = None
    diff: Diff | None = None  # best − runner-up, paired
    tied: list[str] = field(default_factory=list)  # the best and those not significantly worse
    beside: list[Stat] = field(default_factory=list)  # the best design's other KPIs
    sentence: str = ""
    missing: str = NOT_MEASURED  # what the card says when no design has the KPI

    @property
    def significant(self) -> bool:
        return self.diff is not None and self.diff.significant


@dataclass
class Headline:
    verdicts: list[Verdict]
    recommendation: str
    confidence: str


def _ranked(run: RunData, kpi: str) -> list[Stat]:
    stats = [s for d in run.designs if (s := run.stat(d, kpi)) is not None]
    sign = -1 if fmt.better(kpi) == "higher" else 1
    return sorted(stats, key=lambda s: sign * s.mean)


def _primary(run: RunData, dimension: Dimension) -> str | None:
    return next((k for k in dimension.kpis if any(run.stat(d, k) is not None for d in run.designs)),
                None)


def interval(diff: Diff, kpi: str) -> str:
    """A change and its 95% interval: '−41%, 95% CI −47% to −35%' (points for shares)."""
    if diff.known and diff.mean == diff.low == diff.high == 0:
        return "identical in every replication"
    unit = fmt.unit(kpi)
    in_points = not units.BY_NAME[unit].relative
    rel = diff.relative()
    if in_points or not units.finite(rel[0]):
        mean, low, high = (units.signed(x, unit) for x in (diff.mean, diff.low, diff.high))
        if in_points:
            low = low.removesuffix(" pts")
    else:
        mean, low, high = (units.percent_change(x) for x in rel)
    if not diff.known:
        return f"{mean}, one replication: no interval"
    return f"{mean}, 95% CI {low} to {high}"


def magnitude(diff: Diff, kpi: str) -> tuple[str, str]:
    """The size of a change and its interval, unsigned: ('41%', '95% CI 35–47%')."""
    unit = fmt.unit(kpi)
    rel = diff.relative()
    if not units.BY_NAME[unit].relative:
        low, high = (units.points(x).removesuffix(" pts") for x in sorted((abs(diff.low), abs(diff.high))))
        amount, ci = units.points(diff.mean), f"95% CI {low}–{high}"
    elif units.finite(rel[0]):
        low, high = (units.percent_change(x).lstrip("+−") for x in sorted((abs(rel[1]), abs(rel[2]))))
        amount, ci = units.percent_change(abs(rel[0])).lstrip("+−"), f"95% CI {low.rstrip('%')}–{high}"
    else:
        low, high = (units.signed(x, unit).lstrip("+−") for x in sorted((abs(diff.low), abs(diff.high))))
        amount, ci = units.signed(abs(diff.mean), unit).lstrip("+−"), f"95% CI {low}–{high}"
    return amount, ci if diff.known else "one replication: no interval"


def change(diff: Diff, kpi: str) -> str:
    """'cuts p90 first response by 41% (95% CI 35–47%)'."""
    amount, ci = magnitude(diff, kpi)
    return f"{'cuts' if diff.mean < 0 else 'raises'} {fmt.label(kpi)} by {amount} ({ci})"


def no_tickets(run: RunData) -> bool:
    """Whether the run raised no ticket at all: monthly.csv's `tickets` add up to 0 (without
    that column, every segment of the scenario has `tickets_per_month` 0)."""
    monthly = run.monthly
    if monthly is not None and "tickets" in monthly.columns and len(monthly):
        return float(pd.to_numeric(monthly["tickets"], errors="coerce").fillna(0).abs().sum()) == 0
    segments = run.scenario.get("segments")
    return (isinstance(segments, dict) and bool(segments)
            and all(isinstance(s, dict) and s.get("tickets_per_month") == 0 for s in segments.values()))


def _unmeasured(run: RunData, v: Verdict) -> Verdict:
    if v.dimension.of_tickets and no_tickets(run):
        v.missing = NO_TICKETS
        v.sentence = (f"{v.dimension.title}: no tickets were raised in this run, so first "
                      "response and resolution are not measured.")
    else:
        v.sentence = f"{v.dimension.title}: not measured in this run."
    return v


def _verdict(run: RunData, dimension: Dimension) -> Verdict:
    v = Verdict(dimension)
    v.kpi = _primary(run, dimension)
    if v.kpi is None:
        return _unmeasured(run, v)
    ranked = _ranked(run, v.kpi)
    if not ranked:
        return _unmeasured(run, v)
    v.best = ranked[0]
    v.beside = [s for k in dimension.kpis[1:] if (s := run.stat(v.best.design, k)) is not None]
    v.tied = [v.best.design]
    for other in ranked[1:]:
        d = run.paired(other.design, v.best.design, v.kpi)
        if d.known and not d.significant:
            v.tied.append(other.design)
    name, best = fmt.label(v.kpi), v.best
    value = units.spread(best.mean, best.low, best.high, fmt.unit(v.kpi))
    if len(ranked) == 1:
        v.sentence = f"{best.design}: {name} {value} (the only design measured)."
        return v
    v.runner_up = ranked[1]
    v.diff = run.paired(best.design, v.runner_up.design, v.kpi)
    gap = f"({interval(v.diff, v.kpi)}) against {v.runner_up.design}"
    if v.significant:
        v.sentence = (f"{best.design} has {dimension.best_phrase}: {name} {value} "
                      f"{gap}, the next best — significant.")
    elif not v.diff.known:
        v.sentence = (f"{best.design} has {dimension.best_phrase}: {name} {value} {gap}; "
                      "with one replication it cannot be judged.")
    else:
        v.sentence = (f"{_join(v.tied)} tie on {name}: {best.design} {value} {gap} — "
                      "not significant.")
    return v


def _recommendation(run: RunData, verdicts: list[Verdict]) -> str:
    judged = [v for v in verdicts if v.best is not None]
    if not judged:
        return "Nothing to compare: no headline KPI was measured."
    if len(run.designs) == 1:
        return f"Only one design ({run.designs[0]}) in this run: nothing to compare it with."
    if any(v.diff is not None and not v.diff.known for v in judged):
        lowest = "; ".join(f"{v.dimension.title.lower()}: {v.best.design}" for v in judged if v.best)
        return (f"Best on the means — {lowest} — but without intervals none of these differences "
                "can be judged; run more replications.")
    everywhere = [d for d in run.designs if all(d in v.tied for v in judged)]
    dims = _join([v.dimension.title.lower() for v in judged])
    if len(everywhere) == 1:
        d = everywhere[0]
        facts = "; ".join(_fact(run, d, v.kpi) for v in judged)
        return f"Choose {d}: best or statistically tied on {dims} — {facts}."
    if everywhere:
        text = f"{_join(everywhere)} are best or statistically tied on {dims}"
        if len(everywhere) == 2:
            a, b = everywhere
            apart = []
            for k in (*COST_KPIS, *EFFECT_KPIS):
                if run.stat(a, k) and run.stat(b, k) and (d := run.paired(a, b, k)).significant:
                    size = abs(d.relative()[0]) if units.finite(d.relative()[0]) else 0.0
                    text_k = (f"{fmt.label(k)} ({_fact(run, a, k, named=False)} vs "
                              f"{_fact(run, b, k, named=False)})")
                    apart.append((size, text_k))
            if apart:
                apart.sort(key=lambda p: -p[0])
                return f"{text}. They differ on " + _join([t for _, t in apart[:3]]) + "."
        return f"{text}; the KPI table below shows where they differ."
    parts = []
    for d in run.designs:
        wins = [v.dimension.title.lower() for v in judged if d in v.tied]
        if wins:
            parts.append(f"{d} on {' and '.join(wins)}")
    return "No design is best on all three. Best or tied: " + "; ".join(parts) + \
        ". The trade-off chart shows what each costs."


def _fact(run: RunData, design: str, kpi: str | None, named: bool = True) -> str:
    s = run.stat(design, kpi) if kpi else None
    if s is None or kpi is None:
        return ""
    value = units.spread(s.mean, s.low, s.high, fmt.unit(kpi))
    return f"{fmt.label(kpi)} {value}" if named else f"{design} {value}"


def headline(run: RunData) -> Headline:
    verdicts = [_verdict(run, d) for d in DIMENSIONS]
    n = run.replication_count
    confidence = (f"95% intervals over {n} replications; differences are paired replication by "
                  "replication (every design sees the same customers, tickets and shocks).")
    if n < 2:
        confidence = "One replication: no intervals, so no difference can be called significant."
    return Headline(verdicts, _recommendation(run, verdicts), confidence)


def against_reference(run: RunData, design: str) -> Finding:
    """'integrated cuts p90 resolution time by 41% (…) at 8% more CS cost (…) than refined.'"""
    ref = run.reference
    effects, unclear, good, bad = [], [], 0, 0
    for kpi in EFFECT_KPIS:
        if run.stat(design, kpi) is None or run.stat(ref, kpi) is None:
            continue
        d = run.paired(design, ref, kpi)
        if not math.isfinite(d.mean):
            continue
        if d.significant:
            effects.append(change(d, kpi))
            direction = fmt.better(kpi)
            if direction:
                improved = (d.mean < 0) == (direction == "lower")
                good, bad = good + improved, bad + (not improved)
        else:
            unclear.append(f"{fmt.label(kpi)} ({interval(d, kpi)})")
    costs, level = [], []
    for kpi in COST_KPIS:
        if run.stat(design, kpi) is None or run.stat(ref, kpi) is None:
            continue
        d = run.paired(design, ref, kpi)
        if d.significant:
            amount, ci = magnitude(d, kpi)
            costs.append(f"{amount} {'less' if d.mean < 0 else 'more'} {fmt.label(kpi)} ({ci})")
            good, bad = good + (d.mean < 0), bad + (d.mean > 0)
        elif math.isfinite(d.mean):
            level.append(f"{fmt.label(kpi)} ({interval(d, kpi)})")
    text = f"{design} " + (_join(effects) if effects else "changes none of the service KPIs significantly")
    text += f" at {_join(costs)} than {ref}" if costs else f" compared with {ref}"
    if level:
        text += ("; " if costs else ", with ") + "no significant difference in " + _join(level)
    text += "."
    if unclear:
        text += " Not significant: " + "; ".join(unclear) + "."
    tone = "good" if good and not bad else "bad" if bad and not good else "mixed" if good else "neutral"
    return Finding(text, tone)


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def overload_warnings(run: RunData) -> list[Finding]:
    """One warning per design and role manifest.json flags as unstable, as the terminal words
    it, with since when and how fast its backlog grows where monthly.csv shows it."""
    unstable = run.manifest.get("unstable") or {}
    if not isinstance(unstable, dict):
        return []
    out = []
    for design, roles in unstable.items():
        for role, count in (roles.items() if isinstance(roles, dict) else ()):
            line = unstable_lines({design: {role: count}}, run.replication_count)[0].lstrip("⚠ ")
            grown = backlog(run, str(design), str(role))
            out.append(Finding(f"{line}; {grown.sentence}." if grown else line, "warn"))
    return out


def findings(run: RunData) -> list[Finding]:
    return overload_warnings(run) + [against_reference(run, d) for d in run.designs[1:]]
