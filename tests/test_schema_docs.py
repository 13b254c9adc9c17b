"""The scenario schema explains itself (issue 13): every field has a description, every number
names its unit, and the published docs/scenario.schema.json is what `orgsim schema` prints, so
editors with the YAML language server can complete and explain every shipped scenario."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from simulate.cli import main
from simulate.commands.validate import DIALECT
from simulate.scenario.schema import Scenario

from conftest import REPO

DOCS_SCHEMA = REPO / "docs" / "scenario.schema.json"
SCENARIOS = sorted((REPO / "scenarios").glob("*.yaml"))
HEADER = "# yaml-language-server: $schema=../docs/scenario.schema.json"
HAS_JSONSCHEMA = importlib.util.find_spec("jsonschema") is not None

# A number's description must say what it is counted in: one of these words.
UNITS = (
    "USD", "business hours", "business days", "business months", "business month",
    "business year", "share 0–1", "probability 0–1", "ratio", "multiplier", "fraction of ACV",
    "exponent", "health points", "accounts", "people", "sessions", "blocks", "replications",
    "the KPI's unit", "no unit",
)
JSON_TYPES = {"object", "array", "string", "number", "integer", "boolean", "null"}


def is_number(node: dict[str, Any]) -> bool:
    """A schema that accepts a number (directly or as one branch of a union)."""
    if node.get("type") in ("number", "integer"):
        return True
    return any(is_number(branch) for branch in node.get("anyOf", []))


def fields(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, schema) of every named field in a schema: each property, and the value schema
    of each map (additionalProperties), searched through $defs, anyOf branches and items."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from fields(item, f"{where}/{i}")
        return
    if not isinstance(node, dict):
        return
    for name, prop in node.get("properties", {}).items():
        yield f"{where}/properties/{name}", prop
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        yield f"{where}/additionalProperties", extra
    for key, child in node.items():
        if isinstance(child, dict | list):
            yield from fields(child, f"{where}/{key}")


def undescribed(schema: dict[str, Any]) -> list[str]:
    """Fields without a description, or numbers whose description names no unit."""
    problems = []
    for where, node in fields(schema):
        text = str(node.get("description", "")).strip()
        if not text:
            problems.append(f"{where}: no description")
        elif is_number(node) and not any(unit in text for unit in UNITS):
            problems.append(f"{where}: names no unit ({text!r})")
    return problems


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return Scenario.model_json_schema()


def test_every_field_of_the_scenario_schema_is_described_with_its_unit(schema):
    assert undescribed(schema) == []


def test_the_walk_sees_every_field_kind(schema):
    """Properties, map values and fields reached only through $defs and anyOf branches."""
    paths = [where for where, _ in fields(schema)]
    assert "#/$defs/Segment/properties/tickets_per_month" in paths
    assert "#/properties/segments/additionalProperties" in paths
    assert any("/anyOf/1/properties/mean" in p for p in paths)  # a quantity's mapping form
    assert len(paths) > 150


def test_the_check_finds_a_missing_description_and_a_missing_unit():
    schema = {"properties": {
        "plain": {"type": "string"},
        "rate": {"anyOf": [{"type": "number"}, {"type": "null"}], "description": "how fast"},
        "table": {"type": "object", "additionalProperties": {"type": "integer"},
                  "description": "a table"},
        "hours": {"type": "number", "description": "time to answer, business hours"},
    }}
    assert undescribed(schema) == [
        "#/properties/plain: no description",
        "#/properties/rate: names no unit ('how fast')",
        "#/properties/table/additionalProperties: no description",
    ]


def test_a_quantity_names_its_field_unit_in_its_mapping_form(schema):
    handle = schema["$defs"]["TicketType"]["properties"]["handle_hours"]
    mapping = handle["anyOf"][1]["properties"]
    assert "business hours" in mapping["mean"]["description"]
    assert "business hours" in mapping["sd"]["description"]
    acv = schema["$defs"]["Segment"]["properties"]["acv"]["anyOf"][1]["properties"]
    assert "USD per year" in acv["mean"]["description"]


def test_the_new_accounts_block_is_documented(schema):
    block = schema["$defs"]["NewAccounts"]["properties"]
    assert "business month" in block["per_month"]["description"]
    assert "sum to 1" in block["mix"]["description"]
    assert "new_accounts" in schema["$defs"]["Segment"]["properties"]["new_per_month"]["description"]


def _descriptions(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            yield node["description"]
        for child in node.values():
            yield from _descriptions(child)
    elif isinstance(node, list):
        for child in node:
            yield from _descriptions(child)


def test_every_pointer_to_the_calibration_page_names_one_of_its_headings(schema):
    page = (REPO / "docs" / "calibration.md").read_text()
    headings = {line.lstrip("#").strip() for line in page.splitlines() if line.startswith("### ")}
    pointers = {m.group(1) for text in _descriptions(schema)
                for m in re.finditer(r"docs/calibration\.md §\d ([^;)]+)", text)}
    assert pointers and pointers <= headings, pointers - headings


# --- The published file ----------------------------------------------------------------------


def printed_schema() -> str:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_published_schema_is_what_orgsim_schema_prints():
    """Regenerate with `orgsim schema > docs/scenario.schema.json` when the schema changes."""
    assert DOCS_SCHEMA.read_text() == printed_schema()


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for child in node.values():
            yield from _refs(child)
    elif isinstance(node, list):
        for child in node:
            yield from _refs(child)


def _types(node: Any) -> Iterator[Any]:
    """Every `type` keyword of a schema (not a property or a default that happens to be so named)."""
    if isinstance(node, list):
        for child in node:
            yield from _types(child)
    elif isinstance(node, dict):
        if isinstance(node.get("type"), str | list):
            yield node["type"]
        for key, child in node.items():
            if key == "properties":
                for prop in child.values():
                    yield from _types(prop)
            elif key != "default":
                yield from _types(child)


def test_the_published_schema_is_draft_2020_12():
    document = json.loads(DOCS_SCHEMA.read_text())
    assert document["$schema"] == DIALECT
    assert document["type"] == "object" and "definitions" not in document  # 2020-12 uses $defs
    for ref in _refs(document):
        assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in document["$defs"], ref
    for kind in _types(document):
        assert set([kind] if isinstance(kind, str) else kind) <= JSON_TYPES, kind
    if HAS_JSONSCHEMA:
        from jsonschema import Draft202012Validator

        Draft202012Validator.check_schema(document)


# --- The shipped scenarios -------------------------------------------------------------------


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_shipped_scenario_points_editors_at_the_schema(path: Path):
    assert path.read_text().splitlines()[0] == HEADER
    assert (path.parent / HEADER.split("=", 1)[1]).resolve() == DOCS_SCHEMA


@pytest.mark.skipif(not HAS_JSONSCHEMA, reason="jsonschema is not installed (not a dependency of "
                                               "orgsim); the draft 2020-12 checks above still run")
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_shipped_scenario_is_valid_under_the_published_schema(path: Path):
    from jsonschema import Draft202012Validator

    document = yaml.safe_load(path.read_text())
    Draft202012Validator(json.loads(DOCS_SCHEMA.read_text())).validate(document)
