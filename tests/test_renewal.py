"""Renewal (issue 10, defect 7): risk that falls with ACV within a segment, and down-sells at
renewal, checked against closed forms on a closed book."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from simulate.consistency import parse
from simulate.designs import resolve
from simulate.model import simulate
from simulate.scenario import ScenarioError

from conftest import TINY

CV = 0.6
SIGMA2 = math.log1p(CV * CV)  # of log ACV, for a lognormal with this cv


def _closed_book(elasticity: float, **renewal: object) -> dict:
    """One segment of 3,000 accounts, no arrivals, one renewal each in the horizon, every band
    renewing alike (so health does not matter), renewal work not needed."""
    doc = copy.deepcopy(TINY)
    doc["compare"] = ["active_passive"]
    doc["horizon_months"], doc["warmup_months"] = 13, 0
    doc["segments"] = {"only": {
        "initial_accounts": 3000, "new_per_month": 0, "contract_months": 12,
        "acv": {"dist": "lognormal", "mean": 10000, "cv": CV}, "renewal_risk": 1.0,
        "renewal_acv_elasticity": elasticity, "renewal_hours": 0, "tickets_per_month": 0,
        "touch_every_days": None, "onboarding_hours": 0}}
    doc["opt_out"] = {"share": 0, "per_month_red": 0}
    doc["referrals"] = {"per_green_account_year": 0}
    doc["expansion"] = {"csql_per_touch": 0}
    doc["renewal"] = {"probability": dict.fromkeys(("green", "yellow_green", "yellow", "red"), 0.95),
                      "expansion_probability": dict.fromkeys(("green", "yellow_green", "yellow", "red"), 0),
                      "contraction_probability": dict.fromkeys(("green", "yellow_green", "yellow", "red"), 0),
                      **renewal}
    doc["staffing"]["active_passive"] = {"csm": 20, "support_agent": 1}
    return doc


def _renewals(doc: dict, seeds=(1, 2, 3)) -> list:
    scenario = parse(doc)
    design = resolve(scenario, "active_passive")
    return [r for seed in seeds for r in simulate(scenario, design, seed).renewals]


@pytest.mark.parametrize("elasticity", [0.0, 1.0, 2.0])
def test_logo_and_dollar_churn_follow_the_lognormal_closed_form(elasticity):
    """Risk q0·X^−e with X = ACV ÷ mean lognormal(σ²): E[q] = q0·exp(e(e+1)σ²/2) for logos and
    E[X·q] = q0·exp(−e(1−e)σ²/2) for dollars, so their ratio is exp(e·σ²)."""
    rows = _renewals(_closed_book(elasticity))
    lost = np.array([not r.renewed for r in rows])
    acv = np.array([r.acv_due for r in rows])
    x = acv / 10000
    q = np.minimum(0.05 * x ** -elasticity, 1.0)  # the model's own risk per account, capped at 1
    assert lost.mean() == pytest.approx(q.mean(), abs=3 * math.sqrt(q.mean() / len(rows)))
    if elasticity <= 1.0:  # caps are rare: the closed forms hold
        logos = 0.05 * math.exp(elasticity * (elasticity + 1) * SIGMA2 / 2)
        dollars = 0.05 * math.exp(-elasticity * (1 - elasticity) * SIGMA2 / 2)
        assert lost.mean() == pytest.approx(logos, rel=0.15)
        assert (acv * lost).sum() / acv.sum() == pytest.approx(dollars, rel=0.2)
    assert (acv * lost).sum() / acv.sum() <= lost.mean() + 1e-9 or elasticity == 0


def test_smaller_accounts_churn_more_often_with_elasticity():
    rows = _renewals(_closed_book(2.0))
    acv = np.array([r.acv_due for r in rows])
    lost = np.array([not r.renewed for r in rows])
    small = acv < np.median(acv)
    assert lost[small].mean() > 2 * lost[~small].mean()


def test_down_sells_cut_the_arr_renewed_by_their_expected_share():
    doc = _closed_book(0.0, probability=dict.fromkeys(("green", "yellow_green", "yellow", "red"), 1.0),
                       contraction_probability=dict.fromkeys(("green", "yellow_green", "yellow", "red"), 0.5),
                       contraction_size=0.2)
    rows = _renewals(doc)
    assert all(r.renewed for r in rows)
    change = sum(r.expansion for r in rows) / sum(r.acv_due for r in rows)
    assert change == pytest.approx(-0.5 * 0.2, abs=0.01)


def test_expansion_and_contraction_cannot_exceed_certainty_in_a_band():
    doc = _closed_book(0.0, expansion_probability={"green": 0.7, "yellow_green": 0, "yellow": 0, "red": 0},
                       contraction_probability={"green": 0.5, "yellow_green": 0, "yellow": 0, "red": 0})
    with pytest.raises(ScenarioError, match="green"):
        parse(doc)
