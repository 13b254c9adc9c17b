"""`orgsim validate` and `orgsim schema`: check scenario files; print the file format."""

from __future__ import annotations

import json

import click

from simulate.consistency import load
from simulate.designs import compared
from simulate.exits import BAD_INPUT, fail
from simulate.scenario import ScenarioError, locate
from simulate.scenario.advice import warnings
from simulate.scenario.schema import Scenario


@click.command("validate", short_help="Check scenario files; print only their problems.")
@click.argument("scenarios", nargs=-1, required=True)
def validate(scenarios: tuple[str, ...]) -> None:
    """Check scenario files; print nothing but their problems (every problem of every file, one
    line each, naming the file and the field), and exit 2 if there are any. Warnings about a
    valid file (a segment whose fastest possible onboarding misses its target under a compared
    design) are printed the same way, ending "(warning)", and leave the exit status 0."""
    lines: list[str] = []
    invalid = False
    for path in dict.fromkeys(scenarios):
        try:
            sc = load(path)  # reads, validates and cross-checks designs and staffing
        except ScenarioError as err:
            lines.extend(err.problems)
            invalid = True
            continue
        lines.extend(warnings(sc, compared(sc), str(locate(path))))
    if invalid:
        fail(lines, BAD_INPUT)
    for line in lines:
        click.echo(line, err=True)


DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_text() -> str:
    """The scenario file's JSON schema (draft 2020-12), every field described with its unit;
    docs/scenario.schema.json is this text, so editors can complete and explain fields."""
    return json.dumps({"$schema": DIALECT, **Scenario.model_json_schema()}, indent=2)


@click.command("schema", short_help="Print the scenario file's JSON schema.")
def schema() -> None:
    """Print the scenario file's JSON schema (draft 2020-12; the same as
    docs/scenario.schema.json)."""
    click.echo(schema_text())
