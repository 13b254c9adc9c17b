"""Validation takes time in proportion to the file: a file of 40,000 unknown keys is refused,
every key on its own line, in seconds rather than minutes (issue 13, item 3)."""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest
from test_scenario_load import SMALL

from simulate.consistency import parse
from simulate.scenario import ScenarioError


def with_unknown_keys(n: int) -> dict[str, Any]:
    doc = copy.deepcopy(SMALL)
    doc.update({f"unknown_key_{i}": i for i in range(n)})
    doc["segments"]["smb"].update({f"stray_{i}": i for i in range(n // 10)})
    return doc


def seconds_to_refuse(n: int) -> float:
    doc = with_unknown_keys(n)
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as err:
        parse(doc, "many.yaml")
    took = time.perf_counter() - started
    assert len(err.value.problems) == n + n // 10
    return took


def test_unknown_keys_are_each_reported_in_file_order():
    doc = with_unknown_keys(30)
    with pytest.raises(ScenarioError) as err:
        parse(doc, "many.yaml")
    lines = err.value.problems
    assert lines[0] == "many.yaml: segments.smb.stray_0: unknown key"
    assert lines[3:] == [f"many.yaml: unknown_key_{i}: unknown key" for i in range(30)]


def test_validation_time_grows_linearly_with_unknown_keys():
    small = min(seconds_to_refuse(10_000) for _ in range(2))
    large = seconds_to_refuse(40_000)
    assert large < 10 * small  # four times the keys: 4× linear, 16× quadratic
    assert large < 60
