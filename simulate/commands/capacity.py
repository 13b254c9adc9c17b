"""`orgsim capacity`: how many accounts one CSM can carry, per segment, bounded.

Cost sets the lower bound: below it, a CSM's cost per account exceeds the budget share the
finance plan allows (`budget.cs_cost_to_arr` × ACV). Time sets the upper bound: above it,
the hours a CSM owes each account a year exceed their productive hours at a sustainable
occupancy. Next to them: what `orgsim optimize` found, and the "$2M ARR per CSM" rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from simulate import units
from simulate.designs import compared, resolve
from simulate.exits import BAD_INPUT, fail, load_or_exit
from simulate.formats import HELP, NAMES, Document, emit
from simulate.layout import Field, Grid, Record
from simulate.scenario.schema import Scenario
from simulate.workload import OCCUPANCY, csm_hours_per_account_year, segment_load

ARR_PER_CSM_RULE = 2_000_000  # SaaStr's "one CSM per $2M ARR"


def latest_optimum(scenario: Scenario, out: Path, design: str) -> float | None:
    """The mean CSMs over the horizon under `design`'s optimal policy, from the newest
    `orgsim optimize` run, if any."""
    runs = sorted((out / scenario.name).glob("*/optimum.json"), reverse=True)
    for path in runs:
        if path.parent.name.startswith("."):
            continue  # a run's staging folder: unfinished, or left by a run that was killed
        csms = _csms(path, design)
        if csms is not None:
            return csms
    return None


def _csms(path: Path, design: str) -> float | None:
    """`design`'s mean CSMs in an optimum.json if its policy met its targets; ValueError naming
    what is wrong if the file does not hold an optimizer's result."""
    try:
        optimum = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise ValueError(f"{path}: cannot read: {' '.join(str(err).split())}") from None
    found = optimum.get(design) if isinstance(optimum, dict) else None
    if found is None:
        return None
    people = found.get("headcount") if isinstance(found, dict) else None
    csm = people.get("csm") if isinstance(people, dict) else None
    mean = csm.get("mean") if isinstance(csm, dict) else None
    if not isinstance(mean, int | float) or isinstance(mean, bool) or mean < 0:
        raise ValueError(f"{path}: {design}.headcount.csm.mean is not a number of people")
    return float(mean) if found.get("targets_met") else None


NO_ARR = "no ARR"  # a segment whose accounts pay nothing: no cost bound, no "$2M rule" figure
MEASURES = (  # the columns of the table: (row key, heading, unit)
    ("acv", "ACV", "USD"),
    ("csm_hours_per_account_year", "CSM h/account/yr", "h"),
    ("min_accounts_per_csm", "≥ (cost)", "accounts"),
    ("max_accounts_per_csm", "≤ (time)", "accounts"),
    ("optimizer_accounts_per_csm", "optimizer", "accounts"),
    ("rule_2m_accounts_per_csm", "$2M rule", "accounts"),
)
BY_ACV = ("min_accounts_per_csm", "rule_2m_accounts_per_csm")  # divided by ACV: none without ARR


def bounds(scenario: Scenario, design_name: str, csms: float | None) -> list[dict[str, float | str | None]]:
    """Per segment: ACV, the cost and time bounds, the optimizer's ratio and the $2M rule. A
    segment whose ACV is 0 has neither a cost bound nor a $2M figure (None), and the note "no ARR"."""
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
        paid = acv > 0
        rows.append({
            "segment": name,
            "acv": acv,
            "csm_hours_per_account_year": hours[name],
            "min_accounts_per_csm": csm.annual_cost / (ceiling * acv) if ceiling and paid else None,
            "max_accounts_per_csm": productive / hours[name] if hours[name] > 0 else None,
            "optimizer_accounts_per_csm": found,
            "rule_2m_accounts_per_csm": ARR_PER_CSM_RULE / acv if paid else None,
            "note": "" if paid else NO_ARR,
        })
    return rows


def reconcile(rows: list[dict[str, float | str | None]]) -> list[str]:
    """Where the optimum's accounts per CSM pass the time bound, why: the bound assumes CSMs busy
    at OCCUPANCY of their productive hours, and the optimum (judged on its targets only) runs
    them busier — by the ratio of the two."""
    lines = []
    for r in rows:
        found, most = r["optimizer_accounts_per_csm"], r["max_accounts_per_csm"]
        if isinstance(found, float) and isinstance(most, float) and found > most * 1.005:
            busy = OCCUPANCY * found / most
            lines.append(f"{r['segment']}: the optimum's {found:,.0f} accounts per CSM pass the time bound "
                         f"of {most:,.0f}: its CSMs would be busy {busy:.0%} of their productive hours "
                         f"(the bound assumes {OCCUPANCY:.0%}); the targets still held, so no target "
                         "asks for that slack")
    return lines


def _cell(row: dict[str, float | str | None], key: str) -> str:
    """A bound as the table shows it: accounts, dollars or hours; "– no ARR" where ACV is 0."""
    value = row[key]
    if value is None:
        return f"{units.MISSING} {row['note']}" if key in BY_ACV and row["note"] else units.MISSING
    if key == "acv":
        return units.dollars(round(float(value)))
    return f"{value:.1f}" if key == "csm_hours_per_account_year" else f"{value:,.0f}"


def document(rows: list[dict[str, float | str | None]], title: str, caption: str, design: str,
             lines: list[str]) -> Document:
    """The bounds as a grid (segments as rows) and as tidy rows: one per segment × measure."""
    fields = tuple(Field(heading) for _, heading, _ in MEASURES)
    records = tuple(Record(str(r["segment"]), tuple(_cell(r, key) for key, _, _ in MEASURES)) for r in rows)
    grid = Grid(title, fields, records, record_kind="segment", records_across=False, caption=caption)
    tidy = tuple({"design": design, "segment": r["segment"], "measure": key, "value": r[key], "unit": unit,
                  "note": r["note"] if key in BY_ACV else ""}
                 for r in rows for key, _, unit in MEASURES)
    return Document((grid,), ("design", "segment", "measure", "value", "unit", "note"), tidy,
                    tuple((line, "") for line in lines))


@click.command("capacity", short_help="Accounts per CSM per segment: bounds from cost and time.")
@click.argument("scenario")
@click.option("--design", default="active_passive", show_default=True,
              help="The design whose routes decide which work a CSM does.")
@click.option("--optimized", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="An `orgsim optimize` run directory (default: the newest under --out).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("results"),
              show_default=True)
@click.option("--format", "fmt", type=click.Choice(NAMES), default="table", show_default=True, help=HELP)
def command(scenario: str, design: str, optimized: Path | None, out: Path, fmt: str) -> None:
    """Accounts per CSM for each segment of SCENARIO: bounds from cost and from time."""
    sc = load_or_exit(scenario, compare=[design])
    compared(sc)
    try:
        staffing = (_csms(optimized / "optimum.json", design) if optimized is not None
                    else latest_optimum(sc, out, design))
    except ValueError as err:
        fail([f"orgsim capacity: {err}"], BAD_INPUT)
    rows = bounds(sc, design, staffing)
    ceiling = sc.budget.cs_cost_to_arr
    caption = ((f"cost bound from budget.cs_cost_to_arr = {ceiling:.0%}" if ceiling
                else "no budget.cs_cost_to_arr in the scenario: no cost bound")
               + f"; time bound at {OCCUPANCY:.0%} occupancy of productive hours")
    hint = reconcile(rows) if staffing else [
        f"(no optimizer result for {design}: run `orgsim optimize {scenario}` first)"]
    emit(document(rows, f"{sc.name}: accounts per CSM under {design}", caption, design, hint), fmt)
