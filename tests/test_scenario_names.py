"""Names a scenario gives (designs, segments, ticket types) are refused at validation when empty,
blank, holding control characters or over 100 characters; any other text is a name, `NA`,
`null` and markup included (issue 13, item 7). Every problem stays one line."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_scenario_load import SMALL

from simulate import consistency
from simulate.scenario import ScenarioError
from simulate.scenario.names import MAX_LENGTH, fits

ODD_BUT_FINE = ["NA", "null", "None", "$\\foo{$", "<b>&amp;", "[/x]", "x" * MAX_LENGTH, "é 東京", "a b"]
BAD = [("", "must not be empty"), ("   ", "must not be empty"), ("a\nb", "control characters"),
       ("tab\there", "control characters"), ("bell\x07", "control characters"),
       ("x" * (MAX_LENGTH + 1), f"at most {MAX_LENGTH} characters")]


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        consistency.parse(doc, "s.yaml")
    return [line.removeprefix("s.yaml: ") for line in err.value.problems]


def with_segment(name: str) -> dict[str, Any]:
    doc = copy.deepcopy(SMALL)
    doc["segments"] = {name: doc["segments"]["smb"]}
    return doc


def with_ticket_type(name: str) -> dict[str, Any]:
    doc = copy.deepcopy(SMALL)
    types = doc["tickets"]["types"]
    types[name] = types.pop("how_to")
    return doc


def with_design(name: str) -> dict[str, Any]:
    doc = copy.deepcopy(SMALL)
    doc["designs"] = {name: {"base": "full_stack", "buddy": True}}
    doc["staffing"][name] = {"csm": 2}
    doc["compare"] = ["full_stack", name]
    return doc


@pytest.mark.parametrize("name", ODD_BUT_FINE)
@pytest.mark.parametrize("build", [with_segment, with_ticket_type, with_design])
def test_odd_names_are_names(build: Any, name: str):
    consistency.parse(build(name), "s.yaml")


@pytest.mark.parametrize(("name", "why"), BAD)
def test_a_bad_segment_name_is_one_line(name: str, why: str):
    [line] = problems(with_segment(name))
    assert line.startswith("segments.") and ("needs a name" in line or why in line), line
    assert "\n" not in line and "\t" not in line


@pytest.mark.parametrize(("name", "why"), BAD)
def test_a_bad_ticket_type_name_is_one_line(name: str, why: str):
    [line] = problems(with_ticket_type(name))
    assert line.startswith("tickets.types.") and "a ticket type name " in line and why in line, line
    assert "\n" not in line and "\t" not in line


@pytest.mark.parametrize(("name", "why"), BAD)
def test_a_bad_design_name_is_refused_wherever_it_is_written(name: str, why: str):
    lines = problems(with_design(name))
    mine = [line for line in lines if "a design name " in line and why in line]
    assert [line.split(": ")[0].split(".")[0] for line in mine] == ["compare", "staffing", "designs"], lines
    assert all("\n" not in line and "\t" not in line for line in lines)


def test_all_is_still_reserved_for_segments():
    assert problems(with_segment("all")) == [
        "segments.all: 'all' cannot name a segment: 'all' means the whole book in the result files"]


CONTROL = st.characters(categories=["Cc"])
PRINTABLE = st.characters(categories=["L", "M", "N", "P", "S"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(PRINTABLE, min_size=1, max_size=MAX_LENGTH).filter(lambda n: n != "all"))
def test_any_printable_name_up_to_the_limit_names_a_segment(name: str):
    assert fits(name) is None
    assert list(consistency.parse(with_segment(name), "s.yaml").segments) == [name]


@settings(max_examples=60, deadline=None)
@given(st.text(PRINTABLE, max_size=20), CONTROL, st.text(PRINTABLE, max_size=20))
def test_a_control_character_anywhere_is_refused(before: str, control: str, after: str):
    assert "control characters" in (fits(before + control + after) or "")


def test_a_bad_name_is_reported_beside_a_number_past_its_bound():
    doc = with_segment("a\nb")
    doc["segments"]["a\nb"]["acv"] = 1e308
    lines = problems(doc)
    assert [line.split(": ")[0] for line in lines] == ["segments.a\\nb", "segments.a\\nb.acv"], lines
