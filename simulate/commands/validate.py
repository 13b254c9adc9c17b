"""`orgsim validate` and `orgsim schema`: check scenario files; print the file format."""

from __future__ import annotations

import json

import click

from simulate.consistency import load
from simulate.exits import BAD_INPUT, fail
from simulate.scenario import ScenarioError
from simulate.scenario.schema import Scenario


@click.command("validate")
@click.argument("scenarios", nargs=-1, required=True)
def validate(scenarios: tuple[str, ...]) -> None:
    """Check scenario files; print nothing but their problems (every problem of every file, one
    line each, naming the file and the field), and exit 2 if there are any."""
    problems: list[str] = []
    for path in dict.fromkeys(scenarios):
        try:
            load(path)  # reads, validates and cross-checks designs and staffing
        except ScenarioError as err:
            problems.extend(err.problems)
    if problems:
        fail(problems, BAD_INPUT)


@click.command("schema")
def schema() -> None:
    """Print the scenario file's JSON schema."""
    click.echo(json.dumps(Scenario.model_json_schema(), indent=2))


