"""Behaviour: the engine and the KPIs together on a closed book (no new accounts, referrals,
opt-outs or expansion) that renews with probability 0.8 every 12 months. Every account is due
exactly once in any 12 months, so annual logo churn is 0.20 and GRR and NRR are 0.80 (issue 10's
acceptance test), within ±1.5 pp over 10,000 accounts and three replications."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from simulate.consistency import parse
from simulate.designs import resolve
from simulate.kpis import measure_windows
from simulate.model import simulate

from conftest import TINY

BANDS = ("green", "yellow_green", "yellow", "red")
TOLERANCE = 0.015


def closed_book() -> dict[str, Any]:
    doc: dict[str, Any] = copy.deepcopy(TINY)
    doc.update(horizon_months=27, warmup_months=3)  # 13 rolling cohorts, months 3 → 15 … 15 → 27
    for name, accounts in (("smb", 8000), ("mid", 2000)):
        doc["segments"][name].update(
            initial_accounts=accounts, new_per_month=0, renewal_risk=1.0, renewal_hours=0,
            contract_months=12,
            tickets_per_month=0, touch_every_days=None)  # no service work: only renewals matter
    doc["referrals"] = {"per_green_account_year": 0}
    doc["opt_out"] = {"share": 0, "per_month_red": 0}
    doc["expansion"] = {"csql_per_touch": 0, "win_rate": 0, "size": 0}
    doc["renewal"] = {"lead_days": 20, "probability": dict.fromkeys(BANDS, 0.8),
                      "contraction_probability": dict.fromkeys(BANDS, 0.0),
                      "expansion_probability": dict.fromkeys(BANDS, 0.0)}
    return doc


@pytest.fixture(scope="module")
def kpis() -> dict[tuple[str, str, str], float]:
    scenario = parse(closed_book(), "closed-book")
    design = resolve(scenario, "active_passive")
    runs = [measure_windows(simulate(scenario, design, seed), scenario) for seed in (1, 2, 3)]
    return {key: float(np.mean([r[key] for r in runs])) for key in runs[0]}


@pytest.mark.parametrize("window", ["all", "year1", "year2"])
@pytest.mark.parametrize(("kpi", "expected"), [("logo_churn", 0.20), ("grr", 0.80), ("nrr", 0.80),
                                               ("logo_renewal_rate", 0.80),
                                               ("dollar_renewal_rate", 0.80)])
def test_a_closed_book_renewing_at_80_percent_churns_20_percent_a_year(
        kpis: dict[tuple[str, str, str], float], window: str, kpi: str, expected: float):
    assert kpis[("all", window, kpi)] == pytest.approx(expected, abs=TOLERANCE)


@pytest.mark.parametrize("segment", ["smb", "mid"])
def test_each_segment_of_the_closed_book_churns_20_percent_a_year(
        kpis: dict[tuple[str, str, str], float], segment: str):
    assert kpis[(segment, "all", "logo_churn")] == pytest.approx(0.20, abs=2 * TOLERANCE)
    assert kpis[(segment, "all", "grr")] == pytest.approx(0.80, abs=2 * TOLERANCE)
