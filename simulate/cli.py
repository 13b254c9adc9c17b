"""The `orgsim` command line: the command group. Each command lives in its own module under
`simulate/commands/`; exit statuses and one-line failures are `simulate.exits`.

Commands are a table, imported only when one is run: `orgsim --help` lists them from the table
without importing numpy, pandas, scipy, matplotlib or dask (a second, not a tenth, otherwise).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, NamedTuple

import click

from simulate import interrupts


class Entry(NamedTuple):
    """A command: where it lives (`module:attribute` under simulate.commands) and its one line."""

    target: str
    summary: str


COMMANDS: dict[str, Entry] = {
    "run": Entry("run:command", "Simulate SCENARIO under each design and compare."),
    "optimize": Entry("optimize:command", "Each design's cheapest staffing that meets the targets."),
    "capacity": Entry("capacity:command", "Accounts per CSM per segment: bounds from cost and time."),
    "validate": Entry("validate:validate", "Check scenario files; print only their problems."),
    "schema": Entry("validate:schema", "Print the scenario file's JSON schema."),
    "selfcheck": Entry("selfcheck:command", "Show that orgsim agrees with queueing theory."),
    "report": Entry("report:command", "Write RUN_DIR/report.html for leaders."),
    "compare": Entry("compare:command", "Put the summaries of run directories side by side."),
    "calibrate": Entry("calibrate:command", "Fit a scenario to a company's accounts and tickets exports."),
    "sweep": Entry("sweep:command", "Which design wins where: a grid or hypercube of scenarios."),
    "sensitivity": Entry("sensitivity:command", "Which assumptions move or flip the verdict: the tornado."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when invoked, listed from `COMMANDS` for --help."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Ctrl-C and SIGTERM are handled from here on, before a command's modules load (exit 130,
        one line; simulate.interrupts), until the process is gone: the program leaves without the
        interpreter's teardown, during which Python puts the default handlers back. Called with
        explicit `args` (from inside another program, as tests do), the caller's own handlers
        come back afterwards."""
        previous = interrupts.install()
        try:
            return super().main(args, *rest, **kwargs)
        except SystemExit as done:
            if args is None:  # the program itself: leave now, still handling signals (simulate.interrupts)
                interrupts.leave(done.code)
            raise
        finally:
            if args is not None:
                interrupts.restore(previous)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:  # raised by code itself, not a signal: still an interrupt
            interrupts.end()

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        entry = COMMANDS.get(name)
        if entry is None:
            return None
        module, attribute = entry.target.split(":")
        command: click.Command = getattr(import_module(f"simulate.commands.{module}"), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, entry.summary) for name, entry in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="orgsim")
def main() -> None:
    """Simulate a customer base under customer-success org designs and compare them."""


if __name__ == "__main__":
    main()
