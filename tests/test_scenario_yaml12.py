"""Scenario files are read as YAML 1.2 (core schema), not YAML 1.1: numbers mean what they say,
`1:30` and `yes` stay text, and a number too long to read is one clear line (issue 13)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_scenario_load import SMALL

from simulate.consistency import load
from simulate.scenario import ScenarioError
from simulate.scenario.load import read_document
from simulate.scenario.yaml12 import CoreDumper, CoreLoader


def read(tmp_path: Path, text: str) -> dict[str, Any]:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return read_document(path)


def value(tmp_path: Path, scalar: str) -> Any:
    return read(tmp_path, f"x: {scalar}\n")["x"]


@pytest.mark.parametrize(("scalar", "expected"), [
    ("010", 10), ("0010", 10), ("-010", -10), ("+7", 7), ("0o10", 8), ("0x1F", 31), ("0", 0),
    ("1.5", 1.5), ("1e3", 1000.0), ("-2.5E-1", -0.25), (".5", 0.5), ("5.", 5.0),
])
def test_numbers_read_as_yaml_12_says(tmp_path, scalar, expected):
    got = value(tmp_path, scalar)
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize("scalar", [
    "1:30", "190:20:30", "1_000", "0b101", "yes", "no", "on", "off", "y", "n", "Yes", "NO",
    "tRUE", "2024-01-31", "0x", "0o", "1e", "=",
])
def test_what_yaml_11_rewrote_stays_text(tmp_path, scalar):
    assert value(tmp_path, scalar) == scalar


@pytest.mark.parametrize(("scalar", "expected"), [
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False),
    ("FALSE", False), ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None),
])
def test_only_core_schema_words_are_flags_and_null(tmp_path, scalar, expected):
    assert value(tmp_path, scalar) is expected


@pytest.mark.parametrize(("scalar", "sign"), [(".inf", 1), ("+.Inf", 1), ("-.INF", -1)])
def test_infinity_reads_as_yaml_12_says(tmp_path, scalar, sign):
    assert value(tmp_path, scalar) == sign * math.inf


@pytest.mark.parametrize("scalar", [".nan", ".NaN", ".NAN"])
def test_not_a_number_reads_as_yaml_12_says(tmp_path, scalar):
    assert math.isnan(value(tmp_path, scalar))


def test_quoted_numbers_stay_text(tmp_path):
    assert value(tmp_path, "'010'") == "010"


def test_names_that_yaml_11_took_for_flags_are_names(tmp_path):
    doc = read(tmp_path, "segments:\n  no: {a: 1}\n  on: {a: 2}\n")
    assert list(doc["segments"]) == ["no", "on"]


def scenario_text(**top: str) -> str:
    lines = [f"{key}: {text}" for key, text in top.items()]
    return "\n".join([
        "name: small", "warmup_months: 1", "compare: [full_stack]",
        "segments: {smb: {initial_accounts: 20, acv: 6000}}",
        "staffing: {full_stack: {csm: 2}}", *lines, ""])


def test_a_leading_zero_is_not_octal(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(scenario_text(horizon_months="010"), encoding="utf-8")
    assert load(path).horizon_months == 10


def test_hours_and_minutes_are_refused_by_a_number_field(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(scenario_text(horizon_months="1:30"), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load(path)
    assert err.value.problems == [f"{path}: horizon_months: expected a number (got '1:30')"]


def test_yes_is_not_taken_for_a_number(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(scenario_text(horizon_months="yes"), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load(path)
    assert err.value.problems == [f"{path}: horizon_months: expected a number (got 'yes')"]


def test_a_number_too_long_to_read_is_one_line(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(scenario_text(seed="9" * 5000), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load(path)
    [line] = err.value.problems
    assert line.startswith(f"{path}: line 6, column 7: ")
    assert "5,000 digits" in line and "\n" not in line and len(line) < 300


def test_the_small_scenario_still_loads(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(SMALL, sort_keys=False), encoding="utf-8")
    assert load(path).name == "small"


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10**30, max_value=10**30), st.integers(min_value=0, max_value=3))
def test_any_decimal_integer_reads_as_itself_whatever_its_leading_zeros(n: int, zeros: int):
    text = ("-" if n < 0 else "") + "0" * zeros + str(abs(n))
    assert yaml.load(f"x: {text}\n", Loader=CoreLoader) == {"x": n}


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False))
def test_any_float_reads_as_itself(x: float):
    text = {math.inf: ".inf", -math.inf: "-.inf"}.get(x, repr(x))
    assert yaml.load(f"x: {text}\n", Loader=CoreLoader) == {"x": x}


@pytest.mark.parametrize(("line", "field"), [
    ("segments: {smb: {initial_accounts: 20, acv: 6000, cohort_onboarding: yes}}",
     "segments.smb.cohort_onboarding"),
    ("designs: {full_stack: {buddy: on}}", "designs.full_stack.buddy"),
])
def test_yes_and_on_are_not_taken_for_true(tmp_path, line, field):
    path = tmp_path / "s.yaml"
    text = scenario_text()
    if line.startswith("segments"):
        text = text.replace("segments: {smb: {initial_accounts: 20, acv: 6000}}\n", "")
    path.write_text(text + line + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load(path)
    word = line.split(": ")[-1].rstrip("}")
    assert err.value.problems == [f"{path}: {field}: expected true or false (got {word!r})"]


def test_true_and_false_set_flags(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(scenario_text(designs="{full_stack: {buddy: TRUE, cohorts: False}}"), encoding="utf-8")
    design = load(path).designs["full_stack"]
    assert (design.buddy, design.cohorts) == (True, False)


TRICKY = ["1e3", "0o10", "010", "0x1F", ".5", "5.", "1:30", "yes", "No", "on", "true", "False", "null",
          "~", "", "2024-01-31", "1_000", "+7", "-.inf", ".NaN", "=", "<<"]


@pytest.mark.parametrize("text", TRICKY)
def test_text_written_by_the_core_dumper_reads_back_as_text(text: str):
    written = yaml.dump({"x": text, text: 1}, Dumper=CoreDumper)
    assert yaml.load(written, Loader=CoreLoader) == {"x": text, text: 1}


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=12))
def test_any_text_written_by_the_core_dumper_reads_back_as_itself(text: str):
    assert yaml.load(yaml.dump({"x": text}, Dumper=CoreDumper), Loader=CoreLoader) == {"x": text}
