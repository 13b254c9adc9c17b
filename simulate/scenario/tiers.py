"""A/B/C account tiers (issue 16; seed 002): each tier with a touch cadence multiplier and a
renewal target; accounts tiered per segment by share (a random draw) or by ACV at signing.
CSMs' due touches are worked tier by tier, in the order the tiers are listed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, model_validator

from simulate.scenario.fields import NonNeg, Positive, Probability, Section

if TYPE_CHECKING:
    from simulate.scenario.schema import Scenario

TIERS = "docs/calibration.md §2 Compensation, renewal ownership and tiers"
TIER_PREFIX = "tier_"  # a tier's name in the segment column of the result files


class Tier(Section):
    """One tier: how often its accounts are touched, and what its renewals are expected to be."""

    touch_factor: Positive = Field(
        1.0, description="multiplier on the segment's touch_every_days for accounts of this tier "
                         f"(below 1: touched more often; {TIERS}; assumption)")
    renewal_target: Probability | None = Field(
        None, description="logo and dollar renewal target, share 0–1, for accounts of this tier in "
        f"the bonus; null: no target, left out of the renewal rates paid on (seed 002: A 80%, "
        f"B 50%, C none; {TIERS}; C)")


Share = Annotated[Probability, Field(description="share 0–1 of the segment's accounts in this tier")]


class SegmentTiers(Section):
    """How one segment's accounts are tiered: by share, or by ACV at signing."""

    shares: dict[str, Share] | None = Field(
        None, description="share 0–1 of the segment's accounts in each tier, drawn per account; "
                          "they sum to 1")
    acv_at_least: dict[str, Annotated[NonNeg, Field(description="USD per year")]] | None = Field(
        None, description="an account is in the first tier (in tier order) whose ACV bound, USD per "
        "year, its ACV at signing reaches; below every bound, in the last tier")

    @model_validator(mode="after")
    def _one_rule(self) -> SegmentTiers:
        if (self.shares is None) == (self.acv_at_least is None):
            raise ValueError("needs exactly one of shares, acv_at_least")
        if self.shares is not None and abs(sum(self.shares.values()) - 1.0) > 1e-6:
            raise ValueError(f"shares must sum to 1 (got {sum(self.shares.values()):g})")
        return self


class Tiers(Section):
    """Tiers in priority order (the first is served first) and, per segment, the tiering rule."""

    levels: dict[str, Annotated[Tier, Field(description="one tier's cadence and renewal target")]] = Field(
        min_length=1, description="tiers by name, highest priority first (e.g. A, B, C)")
    segments: dict[str, Annotated[SegmentTiers, Field(description="one segment's tiering rule")]] = Field(
        description="the tiering rule of every segment, by segment name")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.levels)

    def rank(self, name: str) -> int:
        return self.names.index(name)


def tier_problems(s: Scenario) -> Iterator[tuple[str, str]]:
    """Every segment tiered, by known tiers only; no segment named like a tier's result rows."""
    tiers = s.tiers
    if tiers is None:
        return
    for name in s.segments:
        if name not in tiers.segments:
            yield f"tiers.segments.{name}", "missing: with tiers set, every segment needs a rule"
        if name.startswith(TIER_PREFIX):
            yield f"segments.{name}", f"a segment name cannot start with {TIER_PREFIX!r} when tiers are set"
    for name, rule in tiers.segments.items():
        if name not in s.segments:
            yield f"tiers.segments.{name}", f"unknown segment (known: {', '.join(s.segments)})"
        for field, table in (("shares", rule.shares), ("acv_at_least", rule.acv_at_least)):
            for tier in table or {}:
                if tier not in tiers.levels:
                    yield (f"tiers.segments.{name}.{field}.{tier}",
                           f"unknown tier (known: {', '.join(tiers.levels)})")
