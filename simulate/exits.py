"""Exit statuses and the one way a command ends on a problem: one line per problem on stderr.

0 done; 2 bad input (usage, unreadable or invalid scenario); 1 anything else; 130 interrupted.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from simulate import interrupts
from simulate.consistency import load
from simulate.scenario import ScenarioError
from simulate.scenario.schema import Scenario

BAD_INPUT, FAILED, INTERRUPTED = 2, 1, interrupts.INTERRUPTED


def fail(lines: list[str], code: int) -> NoReturn:
    """Print one line per problem to stderr and exit with `code` (an interrupt leaves at once,
    without tearing down what the command built: simulate.interrupts)."""
    if code == INTERRUPTED:
        interrupts.end(lines)
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


def load_or_exit(path: str, **overrides: object) -> Scenario:
    """The scenario, checked whole, or every problem on stderr and exit status 2."""
    try:
        return load(path, **overrides)
    except ScenarioError as err:
        fail(err.problems, BAD_INPUT)
