"""Units of the calibration: business hours as the model counts them, the distribution fits,
the exact intervals, and a million-ticket export loading in seconds."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from calibrate_truth import EXAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.calibrate.business import business_days, business_hours
from simulate.calibrate.columns import DEFAULT_SEGMENTS, parse_segments, read_mapping
from simulate.calibrate.distributions import fit_positive
from simulate.calibrate.estimates import poisson_rate, proportion
from simulate.calibrate.exports import read_exports


def _hours(a: str, b: str) -> float:
    return float(business_hours(pd.Series([pd.Timestamp(a)]), pd.Series([pd.Timestamp(b)]), 8.0)[0])


def test_business_hours_skip_nights_and_weekends():
    assert _hours("2025-03-07 16:00", "2025-03-10 10:00") == pytest.approx(2.0)  # Fri → Mon
    assert _hours("2025-03-08 12:00", "2025-03-10 09:30") == pytest.approx(0.5)  # asked on Saturday
    assert _hours("2025-03-10 20:00", "2025-03-11 08:00") == pytest.approx(0.0)  # overnight
    assert _hours("2025-03-10 09:00", "2025-03-17 09:00") == pytest.approx(40.0)  # a week
    days = business_days(pd.Series([pd.Timestamp("2025-03-07")]), pd.Series([pd.Timestamp("2025-03-17")]))
    assert days[0] == 6


@settings(max_examples=60, deadline=None)
@given(st.datetimes(min_value=pd.Timestamp("2020-01-01").to_pydatetime(),
                    max_value=pd.Timestamp("2030-01-01").to_pydatetime()),
       st.floats(0, 2000), st.floats(0, 2000))
def test_business_hours_add_up_and_stay_within_the_clock(start, first, second):
    a = pd.Timestamp(start)
    b, c = a + pd.Timedelta(hours=first), a + pd.Timedelta(hours=first + second)
    ab, bc, ac = (_hours(str(x), str(y)) for x, y in ((a, b), (b, c), (a, c)))
    assert ab + bc == pytest.approx(ac, abs=1e-6)
    assert 0 <= ab <= first + 1e-9


@pytest.mark.parametrize("family", ["lognormal", "gamma"])
def test_the_fit_keeps_the_family_the_data_came_from(family: str):
    gen = np.random.default_rng(7)
    x = gen.lognormal(0.0, 0.8, 5000) if family == "lognormal" else gen.gamma(2.0, 1.5, 5000)
    fit = fit_positive(x, "5,000 values")
    assert fit is not None and fit.dist == family
    true_mean = np.exp(0.32) if family == "lognormal" else 3.0
    assert fit.mean.covers(true_mean)
    assert fit.ks < 0.03


def test_a_fit_needs_three_distinct_positive_values():
    assert fit_positive(np.array([0.0, 1.0, 1.0, -2.0]), "x") is None


def test_exact_intervals_match_their_textbook_values():
    # Garwood: 0 events in 1 unit → (0, 3.689); 10 events → (4.795, 18.39) (Ulm 1990 tables)
    assert poisson_rate(0, 1, "").high == pytest.approx(3.689, abs=1e-3)
    rate = poisson_rate(10, 1, "")
    assert (rate.low, rate.high) == pytest.approx((4.795, 18.39), abs=1e-2)
    wilson = proportion(10, 100, "")  # Wilson 95%: 0.0552–0.1744
    assert (wilson.low, wilson.high) == pytest.approx((0.0552, 0.1744), abs=1e-4)


def test_segments_by_acv_parse_and_refuse_nonsense():
    assert parse_segments(DEFAULT_SEGMENTS)[-1] == ("enterprise", 75000.0, float("inf"))
    with pytest.raises(ValueError, match="name:low-high"):
        parse_segments("smb:100-50")


@pytest.mark.slow
def test_a_million_tickets_load_in_seconds(tmp_path: Path):
    tickets = pd.read_csv(EXAMPLES / "tickets.csv", dtype=str, keep_default_na=False)
    big = pd.concat([tickets] * -(-1_000_000 // len(tickets)), ignore_index=True).iloc[:1_000_000]
    big["ticket_id"] = "T" + pd.Series(np.arange(len(big))).astype(str)
    big.to_csv(tmp_path / "tickets.csv", index=False)
    started = time.perf_counter()
    exports = read_exports(EXAMPLES / "accounts.csv", tmp_path / "tickets.csv", read_mapping(None), None,
                           DEFAULT_SEGMENTS)
    took = time.perf_counter() - started
    assert len(exports.tickets) == 1_000_000
    assert took < 30, f"{took:.1f} s"  # ~5 s here on 2 shared cores; minutes would fail
