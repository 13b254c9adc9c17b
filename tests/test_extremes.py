"""Extreme but valid scenarios run to the end, keep every invariant and write their files."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from simulate.consistency import parse
from simulate.designs import compared
from simulate.invariants import violations
from simulate.model import simulate

from conftest import TINY, run_tiny


def zero_new_accounts(doc: dict[str, Any]) -> None:
    for segment in doc["segments"].values():
        segment["new_per_month"] = 0


def one_account(doc: dict[str, Any]) -> None:
    doc["segments"] = {"solo": {**doc["segments"]["mid"], "initial_accounts": 1, "new_per_month": 0}}


def one_month(doc: dict[str, Any]) -> None:
    doc["horizon_months"] = 1
    doc["warmup_months"] = 0


def no_touches(doc: dict[str, Any]) -> None:
    doc["segments"]["smb"]["touch_every_days"] = None


def empty_start(doc: dict[str, Any]) -> None:
    for segment in doc["segments"].values():
        segment["initial_accounts"] = 0


def no_tickets(doc: dict[str, Any]) -> None:
    for segment in doc["segments"].values():
        segment["tickets_per_month"] = 0


EXTREMES: dict[str, Callable[[dict[str, Any]], None]] = {
    "zero new accounts": zero_new_accounts,
    "one account": one_account,
    "one-month horizon": one_month,
    "a segment with no touches": no_touches,
    "no accounts at the start": empty_start,
    "no tickets at all": no_tickets,
}


@pytest.mark.parametrize("name", list(EXTREMES))
def test_extreme_scenario_runs_every_design_and_keeps_every_invariant(name: str):
    doc = copy.deepcopy(TINY)
    EXTREMES[name](doc)
    scenario = parse(doc, name)
    for design in compared(scenario):
        record = simulate(scenario, design, 11)
        assert violations(record, scenario) == [], (name, design.name)


def test_one_account_for_one_month_writes_a_complete_run(tmp_path: Path, write_scenario: Any):
    doc = copy.deepcopy(TINY)
    one_account(doc)
    one_month(doc)
    run = run_tiny(write_scenario(doc), tmp_path)
    summary = pd.read_csv(run.path / "summary.csv")
    assert set(summary["design"]) == set(doc["compare"])
    assert (summary.loc[summary["kpi"] == "accounts_end", "mean"] <= 1).all()
