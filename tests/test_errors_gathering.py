"""Bad input gets a clear answer (issue 4), in process: how `parse` gathers the problems of a
scenario — every one, in the order of the file, none twice, cross-checks only on valid fields.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from click.testing import CliRunner

from simulate.cli import main
from simulate.consistency import parse
from simulate.scenario import ScenarioError

from bad_scenarios import BASE, KNOWN, POLICY


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        parse(doc, "in.yaml")
    return err.value.problems


def test_a_cross_check_on_a_field_in_error_is_not_reported_twice():
    doc = copy.deepcopy(BASE)
    doc["horizon_months"] = "long"
    doc["warmup_months"] = 40  # would be ≥ the horizon, but the horizon is unknown
    assert problems(doc) == ["in.yaml: horizon_months: expected a number (got 'long')"]


def test_design_checks_run_beside_field_errors_elsewhere():
    doc = copy.deepcopy(BASE)
    doc["segments"]["smb"]["tickets_per_month"] = -1
    doc["compare"] = ["full_stack", "integrated"]
    assert problems(doc) == [
        "in.yaml: segments.smb.tickets_per_month: must be ≥ 0 (got -1)",
        "in.yaml: staffing.integrated: missing: every compared design needs staffing "
        "(roles csm, support_agent, implementation, tech_support)",
    ]


def test_design_checks_wait_for_their_own_sections_to_be_valid():
    doc = copy.deepcopy(BASE)
    doc["staffing"]["full_stack"]["csm"] = "two"  # staffing invalid: no 'missing' lines about it
    doc["compare"] = ["full_stack", "integrated"]
    assert problems(doc) == [f"in.yaml: staffing.full_stack.csm: expected {POLICY} (got 'two')"]


def test_every_problem_of_every_design_is_reported():
    doc = copy.deepcopy(BASE)
    doc["compare"] = ["full_stack", "active_passive", "refined", "integrated", "x"]
    doc["designs"] = {"a": {"base": "b"}, "b": {"base": "a"}, "c": {"base": "zzz"}}
    lines = problems(doc)
    assert lines == [  # in the order of the file: `designs` comes after `staffing` here
        "in.yaml: compare: unknown design 'x' (known: " + KNOWN + ", a, b, c)",
        "in.yaml: staffing.refined: missing: every compared design needs staffing "
        "(roles csm, support_agent, implementation)",
        "in.yaml: staffing.integrated: missing: every compared design needs staffing "
        "(roles csm, support_agent, implementation, tech_support)",
        "in.yaml: designs.a.base: cyclic base (a → b → a)",  # once, not again from b
        "in.yaml: designs.c.base: unknown design 'zzz' (known: " + KNOWN + ", a, b, c)",
    ]


def test_designs_are_resolved_even_when_staffing_is_in_error():
    doc = copy.deepcopy(BASE)
    doc["staffing"]["hiring_lag_dys"] = 40
    doc["compare"] = ["full_stack", "refind"]
    assert problems(doc) == [
        f"in.yaml: compare: unknown design 'refind' (did you mean 'refined'? known: {KNOWN})",
        "in.yaml: staffing.hiring_lag_dys: unknown key (did you mean 'hiring_lag_days'?)",
    ]


def test_true_or_false_is_not_taken_for_a_number_and_the_schema_keeps_its_bounds():
    """Numbers reject YAML booleans (pydantic would read `yes` as 1) without hiding their limits
    from `orgsim schema`."""
    doc = copy.deepcopy(BASE)
    doc["seed"] = True
    assert problems(doc) == ["in.yaml: seed: expected a number, not true/false (got true)"]
    doc = copy.deepcopy(BASE)
    doc["replications"] = True  # a count or auto: the message says both
    assert problems(doc) == ["in.yaml: replications: expected a number, not true/false (got true)"]
    schema = json.loads(CliRunner().invoke(main, ["schema"]).stdout)
    assert schema["properties"]["horizon_months"]["exclusiveMinimum"] == 0
    counts = [b for b in schema["properties"]["replications"]["anyOf"] if b.get("type") == "integer"]
    assert counts[0]["minimum"] == 1
    share = schema["$defs"]["OptOut"]["properties"]["share"]
    assert (share["minimum"], share["maximum"]) == (0, 1)
