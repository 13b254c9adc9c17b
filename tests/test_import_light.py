"""Reading and validating a scenario needs no numpy (issue 13): the file format's modules draw
nothing; drawing lives in simulate/scenario/sampling.py, imported by the model on first draw."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from simulate.scenario.quantity import DISTRIBUTIONS, Quantity
from simulate.scenario.sampling import SAMPLERS

from conftest import REPO


def _numpy_loaded_after(statement: str) -> bool:
    code = f"import sys\n{statement}\nprint(any(m == 'numpy' or m.startswith('numpy.') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         check=True)
    return out.stdout.strip() == "True"


@pytest.mark.parametrize("module", ["simulate.scenario.load", "simulate.scenario.schema",
                                    "simulate.scenario"])
def test_reading_a_scenario_imports_no_numpy(module):
    assert not _numpy_loaded_after(f"import {module}")


def test_loading_and_validating_a_shipped_scenario_imports_no_numpy():
    assert not _numpy_loaded_after("from simulate.scenario.load import load\nload('scenarios/baseline.yaml')")


def test_the_check_itself_sees_numpy_when_it_is_imported():
    assert _numpy_loaded_after("import simulate.scenario.sampling")


def test_every_distribution_has_exactly_one_sampler():
    assert SAMPLERS.keys() == DISTRIBUTIONS.keys()


def test_a_quantity_still_draws_its_block():
    q = Quantity(dist="fixed", mean=3.0)
    assert q.sample(np.random.default_rng(0), 4).tolist() == [3.0] * 4
