"""The `orgsim` command line: the command group. Each command lives in its own module under
`simulate/commands/`; exit statuses and one-line failures are `simulate.exits`."""

from __future__ import annotations

import click


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
