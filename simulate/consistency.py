"""A scenario as the commands take it: the file validated (simulate.scenario), then checked
where its parts meet what the file format does not know: every compared design resolves and is
staffed for the roles its routes use, and every target names a KPI and a segment that exist.

Problems of every kind are reported together, one line each, in the order of the file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from simulate import scenario as file_format
from simulate.designs import check as design_problems
from simulate.kpis.names import BETTER
from simulate.scenario.names import names_fit
from simulate.scenario.schema import Scenario
from simulate.scenario.targets import Target, parse_target


def designs_staffed(scenario: Scenario) -> Iterator[tuple[frozenset[str], str, str]]:
    """Designs that do not resolve or are not staffed for the roles their routes use."""
    for err in design_problems(scenario):
        keys = {"compare", "designs", *(["staffing"] if err.field.startswith("staffing") else [])}
        yield frozenset(keys), err.field, err.message


def targets_known(scenario: Scenario) -> Iterator[tuple[frozenset[str], str, str]]:
    """Targets that name an unknown KPI or segment, or are neither '>= x', '<= x' nor a number.
    Only the segment depends on `segments:`; the rest is judged even when segments are in error."""
    for key, spec in scenario.targets.items():
        for keys, segments in ((_TARGETS, None), (_TARGETS | {"segments"}, set(scenario.segments))):
            try:
                parse_target(key, spec, BETTER, segments)
            except ValueError as err:
                yield keys, f"targets.{key}", str(err)
                break


_TARGETS = frozenset({"targets"})


def margins_known(scenario: Scenario) -> Iterator[tuple[frozenset[str], str, str]]:
    """`decision.margins` that name no KPI."""
    for kpi in scenario.decision.margins:
        if kpi not in BETTER:
            close = difflib.get_close_matches(kpi, sorted(BETTER), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            yield frozenset({"decision"}), f"decision.margins.{kpi}", f"unknown KPI {kpi!r}{hint}"


CHECKS = (names_fit, designs_staffed, targets_known, margins_known)


def load(name: str | Path, **overrides: Any) -> Scenario:
    """Read a scenario file and check it whole; ScenarioError lists every problem."""
    return file_format.load(name, CHECKS, **overrides)


def parse(document: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate a scenario mapping and check it whole; ScenarioError lists every problem."""
    return file_format.parse(document, source, CHECKS)


def targets(scenario: Scenario) -> list[Target]:
    """The scenario's `targets:` parsed (checked when it was loaded)."""
    return [parse_target(k, v, BETTER, set(scenario.segments)) for k, v in scenario.targets.items()]
