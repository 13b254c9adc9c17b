"""The report's section on pay (issue 16): variable pay by role and design, sales' commissions
and the cost of sales' renewal hours, each design's renewal owner beside it — what the
compensation and renewal-ownership levers cost, with their intervals. Shown only where the
run's scenario sets compensation: or a design whose renewal owner is not the CSM."""

from __future__ import annotations

from simulate import units
from simulate.designs import DesignError, resolve
from simulate.domain.roles import ROLE, ROLES
from simulate.report.cells import esc
from simulate.report.data import RunData
from simulate.scenario.schema import Scenario
from simulate.stats import WHOLE

# The rows, in order: (KPI, what the row says). Per-role rows come from the role table.
ROWS: tuple[tuple[str, str], ...] = (
    *((f"variable_pay_{role}", f"{ROLE[role].label}: bonus and commission") for role in ROLES),
    ("variable_pay", "all CS variable pay (in CS cost)"),
    ("sales_renewal_commission", "sales: commission on renewals (in total cost)"),
    ("sales_commission", "sales: all commission, renewals and expansion (in total cost)"),
    ("sales_renewal_cost", "sales: hours of renewal work (in total cost)"),
)


def _owners(run: RunData) -> dict[str, str]:
    """Each design's renewal owner, resolved through its bases; "?" where the run's scenario.yaml
    cannot be read back as a scenario."""
    try:
        scenario = Scenario.model_validate(run.scenario)
        return {d: resolve(scenario, d).renewal_owner for d in run.designs}
    except (ValueError, DesignError):
        return dict.fromkeys(run.designs, "?")


def _cell(run: RunData, design: str, kpi: str) -> str:
    s = run.stat(design, kpi, WHOLE)
    if s is None:
        return f"<td>{units.MISSING}</td>"
    return f"<td class=v>{esc(units.spread(s.mean, s.low, s.high, 'USD/yr'))}</td>"


def section(run: RunData) -> str:
    """Variable pay by role and design; empty when the run has no pay lever to show."""
    owners = _owners(run)
    if not run.scenario.get("compensation") and all(o == "csm" for o in owners.values()):
        return ""
    rows = []
    for kpi, says in ROWS:
        stats = [run.stat(d, kpi, WHOLE) for d in run.designs]
        if all(s is None or s.mean == 0 for s in stats):
            continue  # a role nobody pays variably here
        cells = "".join(_cell(run, d, kpi) for d in run.designs)
        rows.append(f"<tr><td>{esc(says)}<br><span class=k>{esc(kpi)}</span></td>{cells}</tr>")
    head = "".join(f"<th>{esc(d)}<br><span class=k>renewals: {esc(owners[d])}</span></th>"
                   for d in run.designs)
    return ("<h2 id=pay>Variable pay by role and design</h2><p class=meta>Per year, mean ± half the "
            f"95% interval over {run.replication_count} replications. Bonus: each role's bonus at target "
            "× the payout curve of the book's attainment on logo and dollar renewal rate (quarterly) and "
            "active rate (monthly), per person-year employed; commission on the expansion the renewal "
            "owner owns; sales keeps a share of its new-deal rate on renewals (compensation: in the "
            "scenario; docs/kpis.md).</p>"
            f"<table><thead><tr><th>pay</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
