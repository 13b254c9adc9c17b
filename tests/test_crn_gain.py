"""Common random numbers are worth it: paired intervals between designs are narrower than
unpaired ones, on the baseline itself."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from simulate.consistency import load
from simulate.designs import resolve
from simulate.runner import run
from simulate.stats import crn_gain

from conftest import REPO


def test_paired_interval_is_half_the_unpaired_one_for_identical_series():
    rng = np.random.default_rng(1)
    shared = rng.normal(10, 3, 20)
    paired, unpaired = crn_gain(shared, shared + 1 + rng.normal(0, 0.1, 20))
    assert paired < unpaired / 10


@pytest.fixture(scope="module")
def baseline_outcomes() -> list[Any]:
    scenario = load(REPO / "scenarios" / "baseline.yaml")
    designs = [resolve(scenario, "full_stack"), resolve(scenario, "active_passive")]
    return run(scenario, designs, replications=8, seed=scenario.seed, jobs=2)


@pytest.mark.slow
@pytest.mark.parametrize("kpi", ["frt_mean_h", "logo_churn", "cs_cost"])
def test_paired_difference_on_the_baseline_is_narrower_than_unpaired(kpi: str,
                                                                      baseline_outcomes: list[Any]):
    values = {name: np.array([o.kpi(kpi) for o in baseline_outcomes if o.design == name])
              for name in ("full_stack", "active_passive")}
    paired, unpaired = crn_gain(values["full_stack"], values["active_passive"])
    print(f"{kpi}: paired ±{paired:.4g}, unpaired ±{unpaired:.4g}, ratio {unpaired / paired:.2f}")
    assert paired < unpaired
