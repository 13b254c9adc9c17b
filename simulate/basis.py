"""The basis a run compares its designs on (issue 11): the staffing each design is simulated with.

- `given`: the scenario's `staffing:` as its author wrote it. Designs compared this way differ by
  their staffing as much as by their organisation; the first screen says so.
- `equal_service`: each design at the cheapest staffing policy that meets the scenario's
  `targets:` on their confidence bounds, found by the optimizer (simulate.optimize) on the run's
  seeds; cost then says what each design needs to give the same service.
- `equal_budget`: each design's staffing scaled, role mix kept, to one CS cost-to-ARR
  (simulate.decision.budget); service and churn then say what the same money buys.

The default is `equal_service` when the scenario sets targets, else `given`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from simulate.consistency import targets as parse_targets
from simulate.decision.budget import equal_budget
from simulate.decision.record import Basis
from simulate.designs import compared
from simulate.optimize import Optimum, Search, optimized_scenario
from simulate.scenario.schema import Scenario
from simulate.scenario.targets import Target

SEARCH_REPLICATIONS = 3  # per candidate policy while screening, as `orgsim optimize` by default


@dataclass
class Based:
    """The scenario staffed on a basis, the basis as verdict.json names it, and the optimizer's
    results where it ran."""

    scenario: Scenario
    basis: Basis
    optima: list[Optimum] = field(default_factory=list)


def default_basis(scenario: Scenario) -> str:
    """The scenario's `basis:`, else equal_service when it sets targets, else given."""
    return scenario.basis or ("equal_service" if scenario.targets else "given")


def _given(scenario: Scenario, jobs: int, progress: Callable[[str], None]) -> Based:
    return Based(scenario, Basis("given", "headcounts as the scenario's author chose them "
                                          "(staffing:); the designs differ by staffing as well "
                                          "as by organisation"))


def _equal_budget(scenario: Scenario, jobs: int, progress: Callable[[str], None]) -> Based:
    staffed, scaled = equal_budget(scenario, list(scenario.compare))
    target = scaled[0].target
    whence = ("budget.cs_cost_to_arr" if scenario.budget.cs_cost_to_arr
              else "the mean of the designs' own at their given staffing")
    shares = ", ".join(f"{s.design} ×{s.factor:.2f}" for s in scaled)
    stuck = [f"{s.design} cannot get {'down' if s.share > target else 'up'} to it ({s.share:.1%} "
             f"at its {'least' if s.share > target else 'most'} staffing)" for s in scaled if s.at_limit]
    return Based(staffed, Basis("equal_budget", f"each design's staffing scaled, role mix kept, to a "
                                                f"CS cost of {target:.1%} of ARR at the start ({whence}): "
                                                f"{shares}" + ("; " + "; ".join(stuck) if stuck else "")))


def _equal_service(scenario: Scenario, jobs: int, progress: Callable[[str], None]) -> Based:
    targets = parse_targets(scenario)
    if not targets:
        raise ValueError("basis equal_service needs targets: (e.g. targets: {sla_met: '>= 0.9'})")
    settle = scenario.replications if isinstance(scenario.replications, int) else None
    optima = [Search(scenario, design, targets, replications=SEARCH_REPLICATIONS, jobs=jobs,
                     settle=settle, progress=progress).run() for design in compared(scenario)]
    return Based(optimized_scenario(scenario, optima), service_basis(targets, optima, SEARCH_REPLICATIONS),
                 optima)


def service_basis(targets: list[Target], optima: list[Optimum], replications: int) -> Basis:
    """The equal_service basis as verdict.json names it, saying which designs missed the targets."""
    met = ", ".join(str(t) for t in targets)
    confirmed = min((o.best.n for o in optima), default=0)
    note = (f"each design at the cheapest staffing policy meeting {met} on 95% bounds (optimizer: "
            f"screened on {replications} replications a candidate, confirmed on {confirmed})")
    missed = [o.design for o in optima if not o.feasible]
    if missed:
        note += "; " + ", ".join(missed) + " could not meet them: compared at the closest the search got"
    return Basis("equal_service", note)


BASES: dict[str, Callable[[Scenario, int, Callable[[str], None]], Based]] = {
    "given": _given,
    "equal_service": _equal_service,
    "equal_budget": _equal_budget,
}


def on_basis(scenario: Scenario, name: str, jobs: int = 1,
             progress: Callable[[str], None] | None = None) -> Based:
    """The scenario staffed on basis `name` (see the module's docstring)."""
    return BASES[name](scenario, jobs, progress or (lambda message: None))
