"""The report's "From today's team" section: with `current:` in the run's scenario, per design
the moves from today's team to month 1 of its plan (hires, role changes, surplus) and their
one-off cost, from the same function that puts them in optimum.json and on the terminal
(simulate.decision.transition), with the basis and what the cost rests on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulate.decision.transition import usd
from simulate.designs import DesignError
from simulate.plan import replications_behind, transitions
from simulate.report.cells import esc
from simulate.report.data import RunData
from simulate.report.plan_chart import read_plan
from simulate.scenario.schema import Scenario


def _people(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {role}" for role, n in counts.items() if n) or "—"


def _changes(doc: Mapping[str, Any]) -> str:
    return "; ".join(f"{m['people']} {m['from']} → {m['to']}" for m in doc["role_changes"]) or "—"


def _surplus(doc: Mapping[str, Any]) -> str:
    people = _people(doc["surplus"])
    return people if people == "—" else f"{people} ({usd(doc['surplus_annual_cost'])} a year)"


def _cost(doc: Mapping[str, Any]) -> str:
    cost = doc["cost"]
    return (f"<b>{esc(usd(cost['total']))}</b><br><span class=k>hiring "
            f"{esc(usd(cost['hiring']))} + ramp {esc(usd(cost['ramp']))}</span>")


def documents(run: RunData) -> dict[str, dict[str, Any]]:
    """Per design, its transition document; empty without `current:`, plan.csv or a scenario
    that reads back."""
    plan = read_plan(run)
    if plan is None or plan.empty or not run.scenario.get("current"):
        return {}
    try:
        scenario = Scenario.model_validate(run.scenario)
    except (ValueError, DesignError):
        return {}
    n = replications_behind(run.monthly) if run.monthly is not None else None
    return transitions(scenario, plan, n or None)


def section(run: RunData) -> str:
    """A row per design: month 1's team, hires, role changes, surplus and the one-off cost."""
    docs = documents(run)
    if not docs:
        return ""
    first = next(iter(docs.values()))
    rows = "".join(
        f"<tr><td>{esc(design)}</td><td>{esc(_people(doc['month_1']))}</td>"
        f"<td>{esc(_people(doc['hires']))}</td><td>{esc(_changes(doc))}</td>"
        f"<td>{esc(_surplus(doc))}</td><td>{_cost(doc)}</td></tr>"
        for design, doc in docs.items())
    rests = "; ".join(first["rests_on"])
    return ("<h2 id=from-today>From today's team</h2>"
            f"<p>Today (<span class=k>current:</span>): {esc(_people(first['today']))}.</p>"
            f"<p class=meta>Basis: {esc(first['basis'])}. Surplus is shown with its yearly cost, "
            "not priced: the model lays nobody off. Rests on: "
            f"{esc(rests)}.</p>"
            "<table><thead><tr><th>design</th><th>month 1</th><th>hires</th><th>role changes</th>"
            f"<th>surplus</th><th>one-off cost</th></tr></thead><tbody>{rows}</tbody></table>")
