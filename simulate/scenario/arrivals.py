"""New accounts set for the whole company (`new_accounts: {per_month, mix}`), resolved at load
time into each segment's own rate, `segments.<s>.new_per_month`.

A scenario states its new accounts either per segment or once for the company, split by a mix
of shares. The model and the workload estimates read only the per-segment rate: once read, a
scenario with the company-level block is the same as the one with the rates written per segment
(segment s gets per_month × mix[s]; a segment the mix does not name gets none), and the block
itself is dropped, so the resolved scenario a run writes carries the per-segment rates.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, field_validator

from simulate.scenario.fields import NonNeg, Probability, Section

if TYPE_CHECKING:
    from simulate.scenario.schema import Scenario

PER_SEGMENT = "new_per_month"  # the per-segment rate the block fills in
MIX_TOLERANCE = 1e-6


class NewAccounts(Section):
    """The company's new accounts a business month and how they split over the segments."""

    per_month: NonNeg = Field(description="new accounts a business month, whole company "
                                          "(accounts per business month)")
    mix: dict[str, Annotated[Probability, Field(description="share 0–1 of the new accounts "
                                                            "this segment gets")]] = Field(
        min_length=1, description="share 0–1 of the new accounts each segment gets, by segment "
                                  "name; the shares sum to 1, a segment not named gets none")

    @field_validator("mix")
    @classmethod
    def _shares_sum_to_one(cls, mix: dict[str, float]) -> dict[str, float]:
        total = sum(mix.values())
        if abs(total - 1.0) > MIX_TOLERANCE:
            raise ValueError(f"shares must sum to 1 (within ±1e-6; got {total:g})")
        return mix


def arrival_problems(s: Scenario) -> Iterator[tuple[str, str]]:
    """(field, message) for a company-level block that cannot be resolved: a segment in the mix
    that the scenario does not have, or per-segment rates written beside it."""
    if s.new_accounts is None:
        return
    for name in s.new_accounts.mix:
        if name not in s.segments:
            yield (f"new_accounts.mix.{name}",
                   f"no segment named {name!r} (segments: {', '.join(s.segments)})")
    written = [name for name, seg in s.segments.items() if PER_SEGMENT in seg.model_fields_set]
    if written:
        fields = ", ".join(f"segments.{name}.{PER_SEGMENT}" for name in written)
        yield ("new_accounts", f"set either new_accounts (for the whole company) or "
                               f"segments.<segment>.{PER_SEGMENT}, not both (found {fields})")


def resolve_new_accounts(s: Scenario) -> None:
    """Fill each segment's `new_per_month` from the company-level block and drop the block;
    a block with problems is left as it is, for `arrival_problems` to report."""
    block = s.new_accounts
    if block is None or any(arrival_problems(s)):
        return
    segments = {name: seg.model_copy(update={PER_SEGMENT: block.per_month * block.mix.get(name, 0.0)})
                for name, seg in s.segments.items()}
    object.__setattr__(s, "segments", segments)
    object.__setattr__(s, "new_accounts", None)
