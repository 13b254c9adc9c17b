"""The verdict: which design to choose, and why in one sentence, from the calls (issue 11).

Every pair of designs is compared on each headline KPI (cost, response, churn, NRR); the family
of comparisons is corrected together (Bonferroni, see calls.py). A design is chosen when, against
every other design and on every headline KPI, it is better or equivalent, and better on at least
one; otherwise there is no clear choice, and the reason names what stands in the way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from simulate import units
from simulate.decision.calls import ALPHA, Comparison, compare, family_level
from simulate.decision.margins import DEFAULTS, Margin
from simulate.kpis import BY_NAME


@dataclass(frozen=True)
class Headline:
    """A KPI on the first screen, and the word a sentence uses for it."""

    kpi: str
    word: str


HEADLINES: tuple[Headline, ...] = (
    Headline("total_cost", "cost"),
    Headline("frt_p90_h", "p90 first response"),
    Headline("logo_churn", "churn"),
    Headline("nrr", "NRR"),
)
FLIP = {"better": "worse", "worse": "better", "equivalent": "equivalent", "undecided": "undecided"}


@dataclass(frozen=True)
class Verdict:
    """The comparisons behind a verdict, the chosen design (None: no clear choice) and why."""

    comparisons: list[Comparison]
    choice: str | None
    reason: str
    level: float

    def settled(self, designs: Sequence[str]) -> bool:
        """Whether no undecided call can change the verdict: a design is chosen (its every call is
        better or equivalent), or every design is worse than another on some headline KPI."""
        if self.choice is not None or len(designs) < 2:
            return True
        kpis = {c.kpi for c in self.comparisons}
        return all(any(self.call(k, d, o) == "worse" for k in kpis for o in designs if o != d)
                   for d in designs)

    def call(self, kpi: str, design: str, versus: str) -> str:
        """The call of `design` against `versus` on `kpi`, whichever way it was computed."""
        for c in self.comparisons:
            if c.kpi == kpi and (c.design, c.versus) == (design, versus):
                return c.call
            if c.kpi == kpi and (c.design, c.versus) == (versus, design):
                return FLIP[c.call]
        raise KeyError((kpi, design, versus))


Values = Mapping[str, Mapping[str, np.ndarray]]  # design → kpi → one value per replication


def decide(values: Values, designs: Sequence[str], better: Mapping[str, str],
           margins: Mapping[str, Margin] = DEFAULTS, headlines: Sequence[Headline] = HEADLINES,
           alpha: float = ALPHA) -> Verdict:
    """Compare every pair of `designs` on every headline KPI measured, and choose."""
    # Only KPIs measured for every design: a run without tickets has no response time to call.
    shown = [h for h in headlines if all(h.kpi in values[d] and np.isfinite(values[d][h.kpi]).any()
                                         for d in designs)]
    pairs = list(combinations(designs, 2))
    level = family_level(len(pairs) * len(shown), alpha)
    comparisons = [compare(h.kpi, design, versus, values[design][h.kpi], values[versus][h.kpi],
                           margins[h.kpi], better[h.kpi], level)
                   for h in shown for versus, design in pairs]
    verdict = Verdict(comparisons, None, "", level)
    if len(designs) < 2:
        return Verdict(comparisons, None, "no clear choice: only one design was compared", level)
    choice, reason = _choose(verdict, designs, shown, margins)
    return Verdict(comparisons, choice, reason, level)


def _choose(v: Verdict, designs: Sequence[str], shown: Sequence[Headline],
            margins: Mapping[str, Margin]) -> tuple[str | None, str]:
    calls = {d: {(h.word, o): v.call(h.kpi, d, o) for h in shown for o in designs if o != d}
             for d in designs}
    winners = [d for d in designs
               if all(c in ("better", "equivalent") for c in calls[d].values())
               and any(c == "better" for c in calls[d].values())]
    if len(winners) == 1:
        return winners[0], _because(v, winners[0], designs, shown, margins)
    if all(c == "equivalent" for by in calls.values() for c in by.values()):
        return None, "no clear choice: the designs are equivalent on " + _join([h.word for h in shown])
    return None, "no clear choice: " + _obstacle(v, designs, shown, calls)


def _because(v: Verdict, chosen: str, designs: Sequence[str], shown: Sequence[Headline],
             margins: Mapping[str, Margin]) -> str:
    """'refined: 9% lower cost than integrated, equivalent on response and churn'."""
    gains, ties = [], []
    for h in shown:
        others = [o for o in designs if o != chosen]
        better = [o for o in others if v.call(h.kpi, chosen, o) == "better"]
        if not better:
            ties.append(h.word)
            continue
        closest = min(better, key=lambda o: abs(_relative(v, h.kpi, chosen, o)))
        gains.append(f"{_size(v, h.kpi, chosen, closest, margins[h.kpi].relative)} {h.word} than {closest}")
    tail = f", equivalent on {_join(ties)}" if ties else ""
    return f"{chosen}: {_join(gains)}{tail}"


def _obstacle(v: Verdict, designs: Sequence[str], shown: Sequence[Headline],
              calls: Mapping[str, Mapping[tuple[str, str], str]]) -> str:
    """What keeps the design with the fewest losses from being chosen: its worse calls first (a
    trade-off), else its undecided ones (more replications may decide)."""
    def losses(d: str) -> tuple[int, int]:
        by = calls[d].values()
        return sum(c == "worse" for c in by), sum(c == "undecided" for c in by)

    best = min(designs, key=losses)
    worse = [f"worse than {o} on {w}" for (w, o), c in calls[best].items() if c == "worse"]
    open_ = [f"undecided against {o} on {w}" for (w, o), c in calls[best].items() if c == "undecided"]
    if worse:
        return f"{best} is {_join(worse[:2])}" + (f" (and {len(worse) - 2} more)" if len(worse) > 2 else "")
    return f"{best} is {_join(open_[:2])}" + (f" (and {len(open_) - 2} more)" if len(open_) > 2 else "")


def _comparison(v: Verdict, kpi: str, design: str, versus: str) -> tuple[Comparison, int]:
    for c in v.comparisons:
        if c.kpi == kpi and (c.design, c.versus) == (design, versus):
            return c, 1
        if c.kpi == kpi and (c.design, c.versus) == (versus, design):
            return c, -1
    raise KeyError((kpi, design, versus))


def _relative(v: Verdict, kpi: str, design: str, versus: str) -> float:
    c, sign = _comparison(v, kpi, design, versus)
    if sign == 1:
        return c.relative.mean if math.isfinite(c.relative.mean) else c.diff.mean
    inverse = 1 / (1 + c.relative.mean) - 1 if math.isfinite(c.relative.mean) else -c.diff.mean
    return inverse


def _size(v: Verdict, kpi: str, design: str, versus: str, relative: bool) -> str:
    """'9% lower', '1.2 pts lower': in the terms of the KPI's margin — relative, or in its unit
    (points for shares, as the calls beside the verdict show them)."""
    c, sign = _comparison(v, kpi, design, versus)
    diff = sign * c.diff.mean
    word = "lower" if diff < 0 else "higher"
    unit = BY_NAME[kpi].unit
    if not relative:
        size = units.points(abs(diff)) if units.BY_NAME[unit].share else units.value(abs(diff), unit)
        return f"{size} {word}"
    share = abs(_relative(v, kpi, design, versus))
    return f"{share:.0%} {word}" if share >= 0.095 else f"{share:.1%} {word}"


def _join(words: Sequence[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
