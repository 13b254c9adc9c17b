"""Hand-made records for the KPI tests: a scenario from conftest's TINY and a Record built row by
row, so each KPI can be checked against numbers worked out by hand."""

from __future__ import annotations

import copy
from array import array
from typing import Any

from simulate.consistency import parse
from simulate.kpis import Facts, Window
from simulate.model.record import Record
from simulate.scenario.schema import Scenario

from conftest import TINY

SMB, MID = 0, 1


def scenario(warmup: float, horizon: float, **segments: dict[str, Any]) -> Scenario:
    """TINY with this warm-up and horizon (months); `segments` overrides fields per segment."""
    doc: dict[str, Any] = copy.deepcopy(TINY)
    doc["warmup_months"], doc["horizon_months"] = warmup, horizon
    for name, fields in segments.items():
        doc["segments"][name].update(fields)
    return parse(doc, "hand-made")


def record(sc: Scenario) -> Record:
    return Record(window_start=sc.warmup_months * sc.hours_per_month,
                  horizon=sc.horizon_months * sc.hours_per_month)


def book(rec: Record, month: int, accounts: dict[int, tuple[int, float]]) -> None:
    """The live book at a month end: {account id: (segment, ACV)}."""
    rec.book(month, array("q", accounts), array("i", (s for s, _ in accounts.values())),
             array("d", (acv for _, acv in accounts.values())))


def window(rec: Record, sc: Scenario, start_month: float | None = None,
           end_month: float | None = None) -> Window:
    """The window [start, end) in months; the whole measured period by default."""
    facts = Facts(rec, sc)
    hpm = sc.hours_per_month
    start = rec.window_start if start_month is None else start_month * hpm
    end = rec.horizon if end_month is None else end_month * hpm
    return facts.window(start, end)


def test_a_record_with_nothing_in_it_measures_to_nan_not_an_error():
    from simulate.kpis import measure_windows

    sc = scenario(1, 6)
    values = measure_windows(record(sc), sc)
    assert {w for _, w, _ in values} == {"all"}  # five measured months: no year window
    assert values[("all", "all", "logo_churn")] != values[("all", "all", "logo_churn")]  # NaN
    assert values[("all", "all", "cs_cost")] == 0.0
