"""The `orgsim` command line: the command group and the one place errors become exit codes.

Exit status: 0 done; 2 bad input (usage, unreadable or invalid scenario); 1 anything else;
130 interrupted. Each command lives in its own module under `simulate/commands/`.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from simulate.scenario import ScenarioError, load
from simulate.scenario.schema import Scenario

BAD_INPUT, FAILED, INTERRUPTED = 2, 1, 130


def fail(lines: list[str], code: int) -> NoReturn:
    """Print one line per problem to stderr and exit with `code`."""
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


def load_or_exit(path: str, **overrides: object) -> Scenario:
    """The validated scenario, or every problem on stderr and exit status 2."""
    try:
        return load(path, **overrides)
    except ScenarioError as err:
        fail(err.problems, BAD_INPUT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="orgsim")
def main() -> None:
    """Simulate a customer base under customer-success org designs and compare them."""


def _register() -> None:
    from simulate.commands import capacity, optimize, run, selfcheck, validate
    from simulate.commands import compare as compare_command
    from simulate.commands import report as report_command

    main.add_command(run.command)
    main.add_command(optimize.command)
    main.add_command(capacity.command)
    main.add_command(validate.validate)
    main.add_command(validate.schema)
    main.add_command(selfcheck.command)
    main.add_command(report_command.command)
    main.add_command(compare_command.command)


_register()

if __name__ == "__main__":
    main()
