"""How CS (and sales, for renewals) is paid (issue 16; seed 002): per role a performance bonus
on the book's logo renewal rate, dollar renewal rate and monthly active rate through a payout
curve, a small commission on expansion; sales' commission on renewals and early expansion.

Absent, nobody is paid variable pay and cost is each role's `annual_cost` as before. Present, a
role's `annual_cost` is its fixed pay (fully loaded) and the bonus and commissions come on top.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, field_validator, model_validator

from simulate.scenario.fields import AtLeastOne, NonNeg, Number, Probability, Section
from simulate.scenario.staffing import RoleName

if TYPE_CHECKING:
    from simulate.scenario.schema import Scenario

PAY = "docs/calibration.md §2 Compensation, renewal ownership and tiers"
# The bonus KPIs: the two renewal rates, reviewed quarterly, and the monthly active rate.
BONUS_KPIS: tuple[str, ...] = ("logo_renewal_rate", "dollar_renewal_rate", "active_rate")
BonusKpi = Literal[BONUS_KPIS]  # type: ignore[valid-type]


class RolePay(Section):
    """One role's variable pay: a bonus at target, split over the bonus KPIs by weight and paid
    through the payout curve, and a commission on the expansion it owns."""

    bonus_at_target: NonNeg = Field(
        0.0, description="performance bonus per person-year at 100% attainment, USD per year, "
        f"fully loaded (seed 002: 80k of a 180k CNY package; {PAY}; B)")
    weights: dict[BonusKpi, Annotated[Probability, Field(description=(
        "share 0–1 of the bonus this KPI decides"))]] = Field(
        default_factory=lambda: {"logo_renewal_rate": 0.4, "dollar_renewal_rate": 0.4,
                                 "active_rate": 0.2},
        description=f"share 0–1 of the bonus each KPI decides; they sum to 1 ({PAY}; assumption)")
    targets: dict[BonusKpi, Annotated[Probability, Field(description=(
        "the KPI's target, share 0–1"))]] = Field(
        default_factory=lambda: {"logo_renewal_rate": 0.85, "dollar_renewal_rate": 0.95,
                                 "active_rate": 0.6},
        description="target per bonus KPI, share 0–1; where tiers: are set, each tier's "
        f"renewal_target replaces the renewal rates' targets ({PAY}; assumption)")
    expansion_commission: Probability = Field(
        0.0, description="share 0–1 of the expansion ARR this role owns paid as commission, "
        f"where the design makes it the renewal owner (seed 002: 1–2%; {PAY}; B)")

    @field_validator("weights")
    @classmethod
    def _weights_sum_to_one(cls, weights: dict[str, float]) -> dict[str, float]:
        total = sum(weights.values())
        if weights and abs(total - 1.0) > 1e-6:
            raise ValueError(f"weights must sum to 1 (got {total:g})")
        return weights


RolePayEntry = Annotated[RolePay, Field(description="one role's bonus and commission")]
PayoutPoint = Annotated[list[Annotated[float, Field(ge=0), Number]], Field(
    min_length=2, max_length=2, description="[attainment, payout]: ratio of actual to target, "
                                            "and the multiplier on the bonus at target it pays")]


class Sales(Section):
    """Sales, outside the CS org: its commission on renewals and expansions of the accounts it
    signed, and the cost of its hours where it owns renewals."""

    new_deal_rate: Probability = Field(
        0.12, description="share 0–1 of a new deal's ARR paid as sales commission; also paid on "
        f"expansion within expansion_window_months of signing (seed 002: 12%; {PAY}; C)")
    renewal_share: Probability = Field(
        1 / 3, description="sales' renewal commission as a share 0–1 of its new-deal rate, on "
        "renewals (and later expansion) of the accounts it signed while CS owns the renewal "
        f"(seed 002: about a third, 1/5–1/2 reasonable; {PAY}; C)")
    owner_share: Probability = Field(
        1.0, description="the same share 0–1 where sales itself owns the renewal (seed 002: the "
        f"new-deal rate kept; {PAY}; C)")
    expansion_window_months: NonNeg = Field(
        6.0, description="expansion within this many business months of signing counts as sales' "
        f"(seed 002; {PAY}; C)")
    hourly_cost: NonNeg = Field(
        90.0, description="USD per sales hour of renewal work where sales owns renewals, counted "
        f"in total_cost like engineering hours ({PAY}; assumption)")


class Compensation(Section):
    """Variable pay: per role, and sales'; the payout curve and how often each KPI is reviewed."""

    roles: dict[RoleName, RolePayEntry] = Field(
        default_factory=dict, description="bonus and commission per CS role; a role left out has "
                                          "no variable pay")
    payout: list[PayoutPoint] = Field(
        default_factory=lambda: [[0.5, 0.0], [1.0, 1.0], [1.5, 1.5]],
        description="the payout curve as points [attainment ratio, payout multiplier], "
        "attainment ascending; straight lines between, flat beyond the ends (seed 002: top "
        f"performers earn up to 1.5× the bonus; the 50% threshold an assumption; {PAY}; C)")
    renewal_review_months: AtLeastOne = Field(
        3, description="business months per review of the renewal rates (seed 002: quarterly; "
                       f"{PAY}; B)")
    activity_review_months: AtLeastOne = Field(
        1, description=f"business months per review of the active rate (seed 002: monthly; {PAY}; B)")
    sales: Sales = Field(Sales(), description="sales' commissions and hourly cost")

    @model_validator(mode="after")
    def _ascending(self) -> Compensation:
        xs = [p[0] for p in self.payout]
        if any(b <= a for a, b in itertools.pairwise(xs)):
            raise ValueError(f"payout: attainment must ascend (got {', '.join(f'{x:g}' for x in xs)})")
        return self


def compensation_problems(s: Scenario) -> Iterator[tuple[str, str]]:
    """A role paid on KPIs needs a target for each KPI it is weighted on."""
    if s.compensation is None:
        return
    for role, pay in s.compensation.roles.items():
        for kpi, weight in pay.weights.items():
            if weight > 0 and kpi not in pay.targets:
                yield f"compensation.roles.{role}.targets", f"needs a target for {kpi} (weighted {weight:g})"
