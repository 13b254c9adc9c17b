"""Account tiers in the model (issue 16): each segment's tiering rule resolved once into a
table, so an account's tier is one lookup when it is signed; the tier's rank (0 first) orders
its CSM's due touches and its factor scales its touch cadence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.scenario.schema import Scenario


@dataclass(frozen=True)
class SegmentRule:
    """One segment's rule: cumulative shares of the tiers (a uniform picks one), or ACV bounds
    (the first reached wins; below all, the last tier)."""

    cum_share: tuple[float, ...] | None  # by tier rank
    acv_bounds: tuple[tuple[float, int], ...]  # (bound, rank) in tier order
    last: int

    def rank(self, acv: float, u: float) -> int:
        if self.cum_share is not None:
            rank = int(np.searchsorted(self.cum_share, u, side="right"))
            return min(rank, self.last)
        for bound, rank in self.acv_bounds:
            if acv >= bound:
                return rank
        return self.last


@dataclass(frozen=True)
class TierRules:
    """The scenario's tiers as the model reads them."""

    names: tuple[str, ...]
    touch_factor: tuple[float, ...]  # by rank
    by_segment: tuple[SegmentRule, ...]  # by segment index

    @classmethod
    def of(cls, scenario: Scenario) -> TierRules | None:
        tiers = scenario.tiers
        if tiers is None:
            return None
        names = tiers.names
        rules = []
        for segment in scenario.segments:
            rule = tiers.segments[segment]
            if rule.shares is not None:
                cum = np.cumsum([rule.shares.get(n, 0.0) for n in names])
                cum[-1] = 1.0
                rules.append(SegmentRule(tuple(float(c) for c in cum), (), len(names) - 1))
            else:
                bounds = tuple((rule.acv_at_least[n], r) for r, n in enumerate(names)
                               if n in rule.acv_at_least)
                rules.append(SegmentRule(None, bounds, len(names) - 1))
        return cls(names, tuple(t.touch_factor for t in tiers.levels.values()), tuple(rules))
