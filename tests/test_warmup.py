"""warmup_months: auto — long enough for health to settle and the initial book to renew once
(issue 10, defect 3)."""

from __future__ import annotations

import copy
import math

from simulate.consistency import load, parse

from conftest import REPO, TINY


def _auto(**changes: object) -> float:
    doc = copy.deepcopy(TINY)
    doc.pop("warmup_months")
    doc.update(changes)
    return parse(doc).warmup_months


def test_auto_is_the_longer_of_health_settling_and_one_contract():
    # reversion 0.3 a month closes 95% of a gap in ln 0.05 / ln 0.7 = 8.4 months; contracts of 6
    settle = math.ceil(math.log(0.05) / math.log(0.7))
    assert _auto(horizon_months=36, health={"reversion_per_month": 0.3}) == settle == 9
    # a slow pull takes longer than the contract
    assert _auto(horizon_months=60, health={"reversion_per_month": 0.1}) == 29  # ln 0.05 / ln 0.9 = 28.4
    # a fast pull: the contract (6 months in TINY) decides
    assert _auto(horizon_months=36, health={"reversion_per_month": 0.6}) == 6


def test_auto_leaves_at_least_half_the_horizon_to_measure():
    assert _auto(horizon_months=10, health={"reversion_per_month": 0.1}) == 5


def test_the_shipped_scenarios_warm_up_for_a_year():
    for name in ("baseline", "early_stage", "smb_scale", "complex_product"):
        assert load(REPO / "scenarios" / f"{name}.yaml").warmup_months == 12, name


def test_an_explicit_warmup_is_kept():
    doc = copy.deepcopy(TINY)
    assert parse(doc).warmup_months == TINY["warmup_months"]
