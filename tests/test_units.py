"""The unit table: how each unit's values and differences read, that every KPI's unit is a row of
it, and that it stays the lowest layer (imports nothing from simulate)."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest

from simulate import units
from simulate.kpis import KPIS

NAN = math.nan

VALUES = [
    (3_420_000, "USD/yr", "$3.42M"),
    (441_000, "USD/yr", "$441k"),
    (-1_230_000, "USD", "$-1.23M"),
    (999, "USD", "$1k"),
    (0.147, "share", "14.7%"),
    (1.0, "share", "100.0%"),
    (0.123, "ratio", "12.3%"),
    (0.103, "share/yr", "10.3%"),
    (12.0, "per yr", "12.0/yr"),
    (832.4, "per yr", "832/yr"),
    (1234.0, "per yr", "1,234/yr"),
    (0.5, "h", "0.50 h"),
    (36.694, "h", "36.69 h"),
    (15.08, "days", "15.1 d"),
    (1024.4, "accounts", "1,024"),
    (12345.678, "", "1.23e+04"),
    (0.5, "", "0.5"),
]


@pytest.mark.parametrize(("v", "unit", "text"), VALUES)
def test_value_reads_in_its_unit(v: float, unit: str, text: str):
    assert units.value(v, unit) == text


@pytest.mark.parametrize("unit", [u.name for u in units.UNITS])
@pytest.mark.parametrize("v", [NAN, math.inf, -math.inf, None])
def test_missing_values_read_as_a_dash(v: float, unit: str):
    assert units.value(v, unit) == "–"
    assert units.signed(v, unit) == "–"
    assert units.spread(v, 0.0, 1.0, unit) == "–"


SIGNED = [
    (0.012, "share/yr", "+1.2 pts"),
    (-0.042, "share", "−4.2 pts"),
    (0.0004, "ratio", "0.0 pts"),  # rounds to nothing: no sign
    (-441_000, "USD/yr", "−$441k"),
    (2_500_000, "USD", "+$2.50M"),
    (0.25, "h", "+0.25 h"),
    (-3.0, "days", "−3.0 d"),
    (5.0, "per yr", "+5.0/yr"),
    (-120.0, "accounts", "−120"),
    (0.0, "h", "0.00 h"),
    (-0.001, "h", "0.00 h"),  # rounds to nothing: no sign (was −0.00 h)
    (0.0004, "days", "0.0 d"),
    (-1e-9, "USD/yr", "$0k"),
]


@pytest.mark.parametrize(("d", "unit", "text"), SIGNED)
def test_difference_reads_with_its_sign(d: float, unit: str, text: str):
    assert units.signed(d, unit) == text


def test_points_are_unsigned_percentage_points():
    assert units.points(-0.042) == units.points(0.042) == "4.2 pts"


def test_spread_is_the_mean_and_half_the_interval():
    assert units.spread(0.103, 0.091, 0.115, "share/yr") == "10.3% ± 1.2%"
    assert units.spread(469_000, 304_000, 634_000, "USD/yr") == "$469k ± $165k"
    assert units.spread(0.93, NAN, NAN, "h") == "0.93 h"  # one replication: no interval


def test_rates_of_the_book_read_as_shares_but_contrast_relatively():
    """Logo churn reads 10.3% and differs by points, yet 20% → 10% reads as −50%; a plain
    share contrasts in points; a count per year reads as a count, not a percent."""
    churn, share, count = units.BY_NAME["share/yr"], units.BY_NAME["share"], units.BY_NAME["per yr"]
    assert churn.share and churn.relative
    assert share.share and not share.relative
    assert not count.share and count.relative
    assert units.value(0.103, "share/yr") != units.value(0.103, "per yr")


@pytest.mark.parametrize(("x", "text"), [
    (0.08, "+8.0%"), (0.12, "+12%"), (-0.41, "−41%"), (0.004, "+0.4%"), (-0.0005, "−0.05%"),
    (0.0, "0%"), (1e-9, "0.000%"), (NAN, "–"),
])
def test_percent_change(x: float, text: str):
    assert units.percent_change(x) == text


@pytest.mark.parametrize(("v", "text"), [
    (1024, "1,024"), (120000.0, "120,000"), (0.35, "0.35"), (1234.5678, "1,234.57"),
    (1.5e-6, "1.5e-06"), (NAN, "nan"),
])
def test_plain_numbers_have_thousands_separators(v: float, text: str):
    assert units.number(v) == text
    assert units.dollars(v) == f"${text}"


def test_money_ticks_take_one_decimal():
    assert units.money(3_456_000, 1) == "$3.5M"
    tick = units.BY_NAME["USD/yr"].tick
    assert tick is not None and tick(3_456_000) == "$3.5M"
    assert units.percent(0.646, 0) == "65%"


def test_every_kpi_unit_is_a_row():
    assert {k.unit for k in KPIS} <= set(units.BY_NAME)
    assert len(units.BY_NAME) == len(units.UNITS)  # one row per name


def test_logo_churn_is_a_rate_of_the_book():
    churn = next(k for k in KPIS if k.name == "logo_churn")
    assert churn.unit == "share/yr"


def test_units_import_nothing_from_simulate():
    tree = ast.parse(Path(units.__file__).read_text())
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in imported if m.split(".")[0] == "simulate"]
