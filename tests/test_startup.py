"""Start-up: `orgsim --help` lists every command without importing the heavy libraries, and the
list it prints is the commands' own one-line help (issue 13: --help took 0.7 s of imports)."""

from __future__ import annotations

import json
import subprocess
import sys

import click
from click.testing import CliRunner

from simulate.cli import COMMANDS, main

HEAVY = ("pandas", "scipy", "matplotlib", "dask", "distributed", "simpy")


def _imported_after(argv: list[str]) -> set[str]:
    """Top-level packages imported by running `orgsim ARGV` in a fresh interpreter."""
    code = ("import sys, json\nfrom simulate.cli import main\n"
            f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_help_imports_none_of_the_heavy_libraries():
    loaded = _imported_after(["--help"])
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_the_listed_summary_is_each_commands_own_short_help():
    ctx = click.Context(main)
    for name, entry in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name
        assert command.short_help == entry.summary, name


def test_help_lists_every_command_and_an_unknown_one_is_refused():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"  {name} " in result.output
    wrong = CliRunner().invoke(main, ["rnu"])
    assert wrong.exit_code == 2 and "No such command" in wrong.output
