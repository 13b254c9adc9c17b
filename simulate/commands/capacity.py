"""`orgsim capacity`: how many accounts one CSM can carry, per segment, bounded.

Cost sets the lower bound: below it, a CSM's cost per account exceeds the budget share the
finance plan allows (`budget.cs_cost_to_arr` × ACV). Time sets the upper bound: above it,
the hours a CSM owes each account a year exceed their productive hours at a sustainable
occupancy. Next to them: what `orgsim optimize` found, and the "$2M ARR per CSM" rule.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from simulate.designs import compared, resolve
from simulate.exits import load_or_exit
from simulate.scenario.schema import Scenario
from simulate.workload import OCCUPANCY, csm_hours_per_account_year, segment_load

ARR_PER_CSM_RULE = 2_000_000  # SaaStr's "one CSM per $2M ARR"


def latest_optimum(scenario: Scenario, out: Path, design: str) -> dict[str, int] | None:
    """The optimal staffing of `design` from the newest `orgsim optimize` run, if any."""
    runs = sorted((out / scenario.name).glob("*/optimum.json"), reverse=True)
    for path in runs:
        optimum = json.loads(path.read_text())
        if design in optimum and optimum[design]["targets_met"]:
            return optimum[design]["staffing"]
    return None


def bounds(scenario: Scenario, design_name: str, csms: int | None) -> list[dict[str, float | str]]:
    """Per segment: ACV, the cost and time bounds, the optimizer's ratio and the $2M rule."""
    design = resolve(scenario, design_name)
    csm = scenario.roles["csm"]
    productive = scenario.hours_per_year * csm.productive_share * OCCUPANCY
    ceiling = scenario.budget.cs_cost_to_arr
    hours = {name: csm_hours_per_account_year(scenario, seg, design)
             for name, seg in scenario.segments.items()}
    accounts = {name: segment_load(scenario, seg).accounts for name, seg in scenario.segments.items()}
    total_hours = sum(hours[n] * accounts[n] for n in hours) or 1.0
    rows = []
    for name, segment in scenario.segments.items():
        acv = segment.acv.expected
        found = None
        if csms:  # the optimum's CSMs, shared out by each segment's share of CSM hours
            share = hours[name] * accounts[name] / total_hours
            found = accounts[name] / (csms * share) if share > 0 else None
        rows.append({
            "segment": name,
            "acv": acv,
            "csm_hours_per_account_year": hours[name],
            "min_accounts_per_csm": csm.annual_cost / (ceiling * acv) if ceiling else None,
            "max_accounts_per_csm": productive / hours[name] if hours[name] > 0 else None,
            "optimizer_accounts_per_csm": found,
            "rule_2m_accounts_per_csm": ARR_PER_CSM_RULE / acv,
        })
    return rows


def _fmt(value: float | str | None) -> str:
    if value is None:
        return "–"
    return value if isinstance(value, str) else f"{value:,.0f}"


@click.command("capacity", short_help="Accounts per CSM per segment: bounds from cost and time.")
@click.argument("scenario")
@click.option("--design", default="active_passive", show_default=True,
              help="The design whose routes decide which work a CSM does.")
@click.option("--optimized", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="An `orgsim optimize` run directory (default: the newest under --out).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True)
def command(scenario: str, design: str, optimized: Path | None, out: Path) -> None:
    """Accounts per CSM for each segment of SCENARIO: bounds from cost and from time."""
    sc = load_or_exit(scenario, compare=[design])
    compared(sc)
    if optimized is not None:
        optimum = json.loads((optimized / "optimum.json").read_text()).get(design, {})
        staffing = optimum.get("staffing") if optimum.get("targets_met") else None
    else:
        staffing = latest_optimum(sc, out, design)
    rows = bounds(sc, design, staffing["csm"] if staffing else None)
    ceiling = sc.budget.cs_cost_to_arr
    table = Table(title=f"{sc.name}: accounts per CSM under {design}", title_justify="left",
                  caption=(f"cost bound from budget.cs_cost_to_arr = {ceiling:.0%}" if ceiling
                           else "no budget.cs_cost_to_arr in the scenario: no cost bound")
                  + "; time bound at 85% occupancy of productive hours", caption_justify="left")
    for column in ("segment", "ACV", "CSM h/account/yr", "≥ (cost)", "≤ (time)", "optimizer",
                   "$2M rule"):
        table.add_column(column, justify="left" if column == "segment" else "right")
    for row in rows:
        table.add_row(str(row["segment"]), f"${row['acv']:,.0f}",
                      f"{row['csm_hours_per_account_year']:.1f}",
                      _fmt(row["min_accounts_per_csm"]), _fmt(row["max_accounts_per_csm"]),
                      _fmt(row["optimizer_accounts_per_csm"]), _fmt(row["rule_2m_accounts_per_csm"]))
    Console(width=None if sys.stdout.isatty() else 120).print(table)
    if staffing is None:
        click.echo(f"(no optimizer result for {design}: run `orgsim optimize {scenario}` first)")
