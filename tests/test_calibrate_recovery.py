"""Calibrating the example exports recovers the generator's known parameters within the fitted
95% intervals (examples/exports/generate.py), and the shipped files are that script's output."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from calibrate_truth import EXAMPLES, calibrated, contract_months, generator, recovered
from scipy import stats

ALPHA = 0.05  # each interval is a 95% interval


def allowed_misses(n: int) -> int:
    """Of n independent 95% intervals some miss by chance: at most the binomial's 99th percentile."""
    return int(stats.binom.ppf(0.99, n, ALPHA))


def test_the_example_exports_recover_the_generators_parameters():
    truth = generator().TRUTH
    cal = calibrated(EXAMPLES)
    rows = recovered(cal, truth)
    misses = [f"{name}: {est.value:.4g} ({est.low:.4g}–{est.high:.4g}), true {value:.4g}"
              for name, est, value in rows if not est.covers(value)]
    assert len(rows) >= 25
    assert len(misses) <= allowed_misses(len(rows)), misses
    assert set(contract_months(cal).values()) == {truth["contract_months"]}


def test_the_shipped_examples_are_the_generators_output(tmp_path: Path):
    module = generator()
    accounts, tickets = module.generate(module.SEED)
    accounts.to_csv(tmp_path / "accounts.csv", index=False)
    tickets.to_csv(tmp_path / "tickets.csv", index=False)
    for name in ("accounts.csv", "tickets.csv"):
        assert filecmp.cmp(tmp_path / name, EXAMPLES / name, shallow=False), name
    assert sum((EXAMPLES / n).stat().st_size for n in ("accounts.csv", "tickets.csv")) < 2**20


@pytest.mark.slow
def test_the_intervals_cover_the_truth_at_their_nominal_rate(tmp_path: Path):
    """Over 12 companies drawn with other seeds, about 95% of the intervals cover the truth:
    too narrow (overconfident) or far too wide intervals both fail."""
    module = generator()
    covered = total = 0
    for seed in range(1, 13):
        folder = tmp_path / str(seed)
        folder.mkdir()
        accounts, tickets = module.generate(seed)
        accounts.to_csv(folder / "accounts.csv", index=False)
        tickets.to_csv(folder / "tickets.csv", index=False)
        for _, est, value in recovered(calibrated(folder), module.TRUTH):
            total += 1
            covered += est.covers(value)
    assert 0.90 <= covered / total <= 0.995, f"{covered} of {total} intervals cover the truth"
