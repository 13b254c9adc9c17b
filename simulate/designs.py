"""Designs of a scenario: the built-in rows (simulate.domain.designs) with the scenario's
overrides, custom designs resolved through their `base`, and checks that each compared design
is staffed for the roles its routes use."""

from __future__ import annotations

import difflib
from dataclasses import fields, replace
from typing import TYPE_CHECKING

from simulate.domain.designs import BUILT_IN, Design

if TYPE_CHECKING:
    from simulate.scenario.schema import Scenario

__all__ = ["BUILT_IN", "Design", "DesignError", "check", "compared", "resolve"]

_OVERRIDABLE = tuple(f.name for f in fields(Design) if f.name != "name")


class DesignError(ValueError):
    """A design that cannot be resolved; `field` is the scenario path at fault."""

    def __init__(self, field: str, message: str, cycle: tuple[str, ...] = ()):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.cycle = cycle  # the designs of a cyclic chain of bases, if that is the problem


def _known(scenario: Scenario) -> list[str]:
    return [*BUILT_IN, *(d for d in scenario.designs if d not in BUILT_IN)]


def _unknown(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown design {name!r} ({hint}known: {', '.join(known)})"


def resolve(scenario: Scenario, name: str, _chain: tuple[str, ...] = ()) -> Design:
    """The design called `name`: a built-in with the scenario's overrides, or a custom one."""
    spec = scenario.designs.get(name)
    if spec is None:
        if name in BUILT_IN:
            return BUILT_IN[name]
        field = f"designs.{_chain[-1]}.base" if _chain else "compare"
        raise DesignError(field, _unknown(name, _known(scenario)))
    if spec.base == name and name in BUILT_IN:
        spec = spec.model_copy(update={"base": None})  # "start from the built-in of that name"
    if name in _chain:
        cycle = (*_chain[_chain.index(name):], name)
        raise DesignError(f"designs.{name}.base", f"cyclic base ({' → '.join((*_chain, name))})",
                          cycle=cycle)
    if spec.base is not None:
        base = resolve(scenario, spec.base, (*_chain, name))
    elif name in BUILT_IN:
        base = BUILT_IN[name]
    else:
        raise DesignError(f"designs.{name}.base",
                          f"a custom design needs a base (one of {', '.join(BUILT_IN)})")
    overrides = {k: tuple(v) if isinstance(v, list) else v for k in _OVERRIDABLE
                 if (v := getattr(spec, k)) is not None}
    return replace(base, name=name, **overrides)


def check(scenario: Scenario) -> list[DesignError]:
    """Every problem with the scenario's designs and their staffing, in the order of the file:
    compared designs that are unknown or not staffed for a role their routes use, custom designs
    that do not resolve (a cycle once), and staffing for designs nobody defined."""
    problems: list[DesignError] = []
    cycles: set[frozenset[str]] = set()

    def add(err: DesignError) -> None:
        if err.cycle:
            if frozenset(err.cycle) in cycles:
                return
            cycles.add(frozenset(err.cycle))
        if all((p.field, p.message) != (err.field, err.message) for p in problems):
            problems.append(err)

    for name in scenario.compare:
        try:
            design = resolve(scenario, name)
        except DesignError as err:
            add(err)
            continue
        plan = scenario.staffing.plans.get(name)
        if plan is None:
            add(DesignError(f"staffing.{name}", "missing: every compared design needs staffing "
                            f"(roles {', '.join(design.roles_used)})"))
            continue
        for role in design.roles_used:
            if role not in plan:
                add(DesignError(f"staffing.{name}.{role}",
                                f"missing: design {name!r} routes work to {role}"))
        csm = plan.get("csm")
        if csm is not None and (csm if isinstance(csm, int) else csm.min) < 1:
            add(DesignError(f"staffing.{name}.csm",
                            "must staff at least one CSM (a count ≥ 1, or min ≥ 1)"))
    for name in scenario.designs:  # custom designs not compared must still resolve
        try:
            resolve(scenario, name)
        except DesignError as err:
            add(err)
    known = _known(scenario)
    for name in scenario.staffing.plans:
        if name not in known:
            add(DesignError(f"staffing.{name}", _unknown(name, known)))
    return problems


def compared(scenario: Scenario) -> list[Design]:
    """The designs the scenario compares, resolved and checked to be staffed; the first problem
    found raises DesignError (`check` lists them all)."""
    problems = check(scenario)
    if problems:
        raise problems[0]
    return [resolve(scenario, name) for name in scenario.compare]
