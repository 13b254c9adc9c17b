"""Checking a scenario needs neither the model nor the numerical stack: `orgsim validate` stays
quick to start and works where only the file format is installed (issue 13, item 8)."""

from __future__ import annotations

import subprocess
import sys

from simulate.kpis import BY_NAME, KPIS
from simulate.kpis.names import BETTER, NAMES

HEAVY = ("pandas", "scipy", "matplotlib", "simpy", "simulate.model", "simulate.kpis.table")


def modules_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_checking_a_scenario_imports_no_numerical_stack_nor_model():
    loaded = modules_after("import simulate.consistency")
    assert [m for m in HEAVY if m in loaded] == []
    # numpy only by way of the quantities' samplers, if at all
    assert "numpy" not in loaded or "simulate.scenario.quantity" in loaded


def test_the_kpi_names_are_the_kpi_table():
    assert [n.name for n in NAMES] == [k.name for k in KPIS]
    assert {k.name: k.better for k in KPIS} == BETTER
    assert all(BY_NAME[n.name].unit == n.unit and BY_NAME[n.name].per_segment == n.per_segment
               and BY_NAME[n.name].headline == n.headline for n in NAMES)
