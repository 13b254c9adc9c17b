"""The first screen of a run, drawn from its verdict.json (simulate.decision.record): the basis,
each design's headcount at the start and end and its targets, the headline calls with their
margins, and the verdict with its reason. The terminal prints it from this module and the
report draws the same document, so the two cannot disagree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from simulate import units
from simulate.kpis import BY_NAME
from simulate.layout import Field, Grid, Record

VERDICT, NOTE = "bold", "italic"
WORDS = {"total_cost": "cost", "frt_p90_h": "p90 first response", "logo_churn": "logo churn", "nrr": "NRR"}


def headcount_text(roles: Mapping[str, list[float]]) -> str:
    """'31 → 44 csm, 6 → 8 support_agent': people at the start and end of the horizon."""
    def n(x: float) -> str:
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"

    return ", ".join(f"{n(a)} {role}" if a == b else f"{n(a)} → {n(b)} {role}"
                     for role, (a, b) in roles.items()) or units.MISSING


def targets_text(targets: Mapping[str, Mapping[str, Any]]) -> str:
    """'all met' or 'misses sla_met ≥ 0.9 (0.87)'."""
    if not targets:
        return "none set"
    missed = [f"{name} ({units.value(t['mean'], BY_NAME[t['kpi']].unit) if t['mean'] is not None else '–'})"
              for name, t in targets.items() if not t["met"]]
    return "misses " + ", ".join(missed) if missed else "all met"


def change_text(row: Mapping[str, Any], relative: bool = True) -> str:
    """A comparison's change with its interval: relative ('−9.1% (−10% to −8%)') when its margin
    is, else in the KPI's unit (points for shares: '+0.6 pts (−0.4 pts to +1.6 pts)')."""
    unit = BY_NAME[row["kpi"]].unit
    relative = relative and row["relative_mean"] is not None
    if relative:
        mean, low, high = row["relative_mean"], row["relative_low"], row["relative_high"]
        text = units.percent_change
    else:
        mean, low, high = row["diff_mean"], row["diff_low"], row["diff_high"]
        def text(x: float) -> str:
            return units.signed(x, unit)
    if mean is None:
        return units.MISSING
    if low is None or high is None:
        return text(mean)
    return f"{text(mean)} [{text(low)}, {text(high)}]"


def margin_text(kpi: str, margins: Mapping[str, Mapping[str, Any]]) -> str:
    """'±2%' for a relative margin, '±0.50 pts' or '±2.0 d' for one in the KPI's unit."""
    margin = margins.get(kpi)
    if margin is None:
        return units.MISSING
    if margin["relative"]:
        return f"±{margin['size']:.0%}" if margin["size"] >= 0.01 else f"±{margin['size']:.1%}"
    unit = BY_NAME[kpi].unit
    size = margin["size"]
    return "±" + (units.points(size) if units.BY_NAME[unit].share else units.value(size, unit))


def staffing_grid(doc: Mapping[str, Any]) -> Grid:
    """Per design: its headcount at the start → end of the horizon, and its targets."""
    records = tuple(Record(design, (headcount_text(doc["headcount"].get(design, {})),
                                    targets_text(doc["targets"].get(design, {}))))
                    for design in doc["headcount"])
    return Grid(f"Compared on the {doc['basis']} basis: {doc['basis_note']}",
                (Field("headcount, start → end", numeric=False), Field("targets", numeric=False)),
                records, record_kind="design", records_across=False)


def calls_grids(doc: Mapping[str, Any]) -> tuple[Grid, ...]:
    """The headline comparisons, a grid per KPI and a row per pair of designs: the call, the
    change and its interval in the terms of the KPI's margin (relative, or in its unit)."""
    rows = [r for r in doc["comparisons"] if r["headline"]]
    found = []
    for kpi in dict.fromkeys(r["kpi"] for r in rows):
        relative = doc["margins"].get(kpi, {}).get("relative", True)
        records = tuple(Record(f"{r['design']} vs {r['versus']}", (r["call"], change_text(r, relative)))
                        for r in rows if r["kpi"] == kpi)
        found.append(Grid(f"{WORDS.get(kpi, kpi)}: a difference matters beyond "
                          f"{margin_text(kpi, doc['margins'])}",
                          (Field("call", numeric=False), Field("change [interval]")),
                          records, record_kind="comparison", records_across=False))
    missing = ", ".join(WORDS.get(k, k) for k in doc.get("unmeasured", []))
    if found:
        found[-1] = replace(found[-1], caption=doc["correction"] + (
            f". Not measured in this run: {missing}" if missing else ""))
    return tuple(found)


def verdict_lines(doc: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The verdict and what it rests on, as (text, style) lines."""
    basis = ("" if doc["basis"] != "given" else
             " — on headcounts the scenario's author chose, not on equal service or budget")
    count = f"{doc['replications']} replications" + (" (auto)" if doc.get("replications_auto") else "")
    if doc.get("stopped_at_cap"):
        count += ", stopped at max_replications with calls still undecided"
    head = "choose " if doc["choice"] else ""
    return [(f"Verdict: {head}{doc['reason']}{basis}.", VERDICT), (f"Resting on {count}.", NOTE)]


def grids(doc: Mapping[str, Any]) -> tuple[Grid, ...]:
    return staffing_grid(doc), *calls_grids(doc)


def transition_lines(docs: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    """With `current:` set, per design the moves from today's team to month 1 of its plan and
    their one-off cost (simulate.decision.transition), as (text, style) lines; none without."""
    if not docs:
        return []
    head = ("From today's team (current:) to month 1 of each design's plan; one-off cost = "
            "hire_cost per hire + productivity lost while new and moved people ramp up:")
    return [(head, NOTE), *((f"{design}: {doc['line']}", "") for design, doc in docs.items())]
