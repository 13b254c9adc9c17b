"""Which assumptions each design's numbers rest on: the assumption-graded parameters
(simulate.domain.assumptions) behind the mechanisms a design has and the others in the run do
not, with their value in this run and the range a sensitivity study should try. A design whose
lead comes through cs_ops coverage or early warning rests on parameters nobody has measured,
and the reader should know which."""

from __future__ import annotations

from typing import Any

from simulate.decision.record import distinguishing
from simulate.designs import DesignError
from simulate.domain.assumptions import MECHANISMS, Assumption
from simulate.report.cells import esc
from simulate.report.data import RunData
from simulate.scenario.schema import Scenario


def _value(tree: dict[str, Any], path: str) -> Any:
    for key in path.split("."):
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def assumptions_by_design(run: RunData) -> dict[str, list[Assumption]] | None:
    """Per design of the run, the assumptions behind mechanisms not every design shares; None
    when the run's scenario.yaml cannot be read back as a scenario."""
    try:
        return distinguishing(Scenario.model_validate(run.scenario), run.designs)
    except (ValueError, DesignError):
        return None


def section(run: RunData) -> str:
    """The report's section: one row per design and distinguishing assumption."""
    by_design = assumptions_by_design(run)
    if by_design is None:
        return ""
    rows = []
    for design, found in by_design.items():
        if not found:
            rows.append(f"<tr><td>{esc(design)}</td><td colspan=4>nothing beyond what every design "
                        "here shares</td></tr>")
            continue
        for a in found:
            value = _value(run.scenario, a.path)
            rows.append(f"<tr><td>{esc(design)}</td><td>{esc(MECHANISMS[a.mechanism].says)}</td>"
                        f"<td><span class=k>{esc(a.path)}</span><br>{esc(a.what)}</td>"
                        f"<td>{esc(value if value is not None else '–')}</td>"
                        f"<td>{esc(f'{a.low:g} – {a.high:g}')}</td></tr>")
    return ("<h2 id=rests-on>What each design's numbers rest on</h2><p class=meta>Parameters graded "
            "<i>assumption</i> in docs/calibration.md (no source: knobs for sensitivity analysis) behind "
            "the mechanisms that set a design apart from the others in this run. Every design also "
            "rests on the shared health and renewal assumptions. A lead that comes through these "
            "holds only as far as they do: try the range before acting on it.</p>"
            "<table><thead><tr><th>design</th><th>mechanism</th><th>assumption</th><th>here</th>"
            f"<th>range to try</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
