"""The verdict follows from the calls (issue 11): chosen only when better or equivalent on every
headline KPI against every other design, with the reason in one sentence; otherwise no clear
choice, naming the trade-off or what is still undecided."""

from __future__ import annotations

import numpy as np
import pytest

from simulate.decision.verdict import decide
from simulate.kpis import BY_NAME

BETTER = {k: BY_NAME[k].better for k in ("total_cost", "frt_p90_h", "logo_churn", "nrr")}
RNG = np.random.default_rng(7)
N = 10
NOISE = RNG.standard_normal(N)  # common random numbers: every design sees the same noise


def design(cost: float, frt: float, churn: float, nrr: float, jitter: float = 0.002) -> dict:
    own = np.random.default_rng(int(cost) % 1000).standard_normal(N) * jitter
    return {"total_cost": cost * (1 + 0.01 * NOISE + own), "frt_p90_h": frt * (1 + 0.02 * NOISE + own),
            "logo_churn": churn + 0.01 * NOISE + own, "nrr": nrr + 0.01 * NOISE + own}


def test_a_cheaper_design_equivalent_elsewhere_is_chosen_with_its_reason():
    values = {"full_stack": design(4.4e6, 20, 0.163, 1.035), "refined": design(4.0e6, 20.2, 0.1631, 1.0351),
              "integrated": design(4.15e6, 19.9, 0.1629, 1.0349)}
    v = decide(values, list(values), BETTER)
    assert v.choice == "refined"
    assert v.reason == ("refined: 3.6% lower cost than integrated, equivalent on p90 first response, "
                        "churn and NRR")
    assert len(v.comparisons) == 3 * 4 and v.level == pytest.approx(1 - 0.05 / 12)


def test_a_trade_off_is_no_clear_choice_and_says_what_is_traded():
    values = {"full_stack": design(4.4e6, 10, 0.14, 1.035), "refined": design(3.6e6, 20, 0.16, 1.035)}
    v = decide(values, list(values), BETTER)
    assert v.choice is None
    assert v.reason.startswith("no clear choice: ")
    assert "worse than" in v.reason


def test_equal_designs_are_equivalent_not_a_choice():
    values = {"a": design(4.0e6, 20, 0.16, 1.03), "b": design(4.0e6 + 1, 20, 0.16, 1.03)}
    v = decide(values, list(values), BETTER)
    assert v.choice is None
    assert v.reason == ("no clear choice: the designs are equivalent on cost, p90 first response, churn "
                        "and NRR")


def test_noisy_gaps_are_undecided_and_the_reason_says_so():
    noisy = {k: x + np.random.default_rng(5).standard_normal(N) * (0.2 * abs(x.mean()))
             for k, x in design(4.0e6, 20, 0.16, 1.03).items()}
    values = {"a": design(4.0e6, 20, 0.16, 1.03), "b": noisy}
    v = decide(values, list(values), BETTER)
    assert v.choice is None and "undecided against" in v.reason
    assert all(c.call != "better" or not (c.diff.low <= 0 <= c.diff.high) for c in v.comparisons)


def test_a_verdict_is_settled_when_a_design_is_chosen_or_every_design_loses_somewhere():
    """replications: auto stops on a settled verdict: an undecided call elsewhere cannot change it."""
    rng = np.random.default_rng(5)
    noise = rng.normal(0, 1, 30)
    cheap = {"total_cost": 100 + noise, "frt_p90_h": 10 + noise * 0.01, "logo_churn": 0.1 + noise * 1e-5,
             "nrr": 1.1 + noise * 1e-5}
    dear = {**cheap, "total_cost": 120 + noise, "nrr": 1.0 + noise * 1e-5}
    wobbly = {**dear, "nrr": 1.0 + rng.normal(0, 0.05, 30)}  # undecided against dear on NRR
    better = {k.name: k.better for k in BY_NAME.values()}
    v = decide({"cheap": cheap, "dear": dear, "wobbly": wobbly}, ["cheap", "dear", "wobbly"], better)
    assert v.choice == "cheap"
    assert any(c.call == "undecided" for c in v.comparisons)
    assert v.settled(["cheap", "dear", "wobbly"])
    open_ = decide({"cheap": cheap, "wobbly": {**cheap, "nrr": 1.1 + rng.normal(0, 0.05, 30)}},
                   ["cheap", "wobbly"], better)
    assert open_.choice is None and not open_.settled(["cheap", "wobbly"])
    slow = {**cheap, "frt_p90_h": 20 + noise * 0.01}
    trade = decide({"cheap": slow, "dear": dear}, ["cheap", "dear"], better)
    assert trade.choice is None and trade.settled(["cheap", "dear"])  # each worse somewhere
