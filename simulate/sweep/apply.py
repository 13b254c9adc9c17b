"""A point of a sweep applied to a scenario: each dotted PATH set in the resolved scenario (every
default filled in), and the result validated whole, as a scenario file is.

A path must name a field the scenario has (a typo is refused with a "did you mean"); a path to a
quantity (`segments.smb.acv`) sets its mean, keeping its distribution and spread. A value the
schema refuses is one line naming the file, the path, the value and what was expected.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Mapping
from typing import Any

from simulate.consistency import parse
from simulate.scenario import ScenarioError
from simulate.scenario.schema import Scenario
from simulate.sweep.points import SweepError, Value

MEAN = "mean"


def resolved(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a mapping with every default filled in (what a point is applied to)."""
    return scenario.model_dump(mode="json", exclude_none=True)


def _fields(scenario: Scenario) -> dict[str, Any]:
    """Every field the scenario has, unset optional ones (None) included."""
    return scenario.model_dump(mode="json")


def check_path(scenario: Scenario, path: str, source: str) -> None:
    """SweepError unless `path` names a value (or a quantity) of the scenario."""
    tree: Any = _fields(scenario)
    walked: list[str] = []
    for key in path.split("."):
        if not isinstance(tree, Mapping):
            raise SweepError([f"{source}: --vary {path}: {'.'.join(walked)} is a value, not a section"])
        if key not in tree:
            close = difflib.get_close_matches(key, [str(k) for k in tree], n=1)
            hint = f" (did you mean {'.'.join([*walked, close[0]])!r}?)" if close else ""
            where = ".".join(walked) or "the scenario"
            raise SweepError([f"{source}: --vary {path}: {where} has no field {key!r}{hint}"])
        walked.append(key)
        tree = tree[key]
    if isinstance(tree, Mapping) and MEAN not in tree:
        keys = ", ".join(map(str, list(tree)[:6]))
        raise SweepError([f"{source}: --vary {path}: a section ({keys}…), not a value; "
                          "name one of its fields"])


def current(scenario: Scenario, path: str) -> Any:
    """The value at `path` in the resolved scenario (a quantity: its mean; unset: None)."""
    tree: Any = _fields(scenario)
    for key in path.split("."):
        tree = tree[key]
    return tree.get(MEAN) if isinstance(tree, Mapping) else tree


def _set(document: dict[str, Any], path: str, value: Value) -> None:
    keys = path.split(".")
    tree = document
    for key in keys[:-1]:
        tree = tree.setdefault(key, {})
    leaf = keys[-1]
    here = tree.get(leaf)
    if isinstance(here, dict) and isinstance(value, int | float) and not isinstance(value, bool):
        here[MEAN] = value  # a quantity: its mean, its distribution and spread kept
    else:
        tree[leaf] = value


def apply(scenario: Scenario, setting: Mapping[str, Value], source: str) -> Scenario:
    """`scenario` with each path of `setting` set, validated whole; SweepError (one line per
    problem, naming `source`, the setting and the field) if the schema refuses it."""
    document = copy.deepcopy(resolved(scenario))
    for path, value in setting.items():
        _set(document, path, value)
    where = ", ".join(f"{p}={v}" for p, v in setting.items())
    try:
        return parse(document, f"{source} [{where}]" if where else source)
    except ScenarioError as err:
        raise SweepError(err.problems) from None
