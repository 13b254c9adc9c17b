"""Pieces of HTML the report's sections share: escaped text, design names in bold, and one
KPI's cell (mean ± half the 95% interval, and the paired difference to the reference design) in
a segment and a window."""

from __future__ import annotations

import html
import re

from simulate import units
from simulate.report import fmt
from simulate.report.data import RunData
from simulate.report.findings import interval
from simulate.stats import WHOLE


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def designs_bold(text: str, designs: list[str]) -> str:
    """Escape `text` and embolden the design names in it. Names are found in the text as
    written and each piece is escaped on its own, so a name is never matched inside the
    escaping of another character (a design "amp" in "&amp;")."""
    names = sorted((str(d) for d in designs if str(d)), key=len, reverse=True)
    if not names:
        return esc(text)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
    pieces = pattern.split(text)  # text, name, text, name, …, text
    return "".join(f"<b>{esc(p)}</b>" if i % 2 else esc(p) for i, p in enumerate(pieces))


def best_design(run: RunData, kpi: str, segment: str = WHOLE, window: str = WHOLE) -> str | None:
    """The design with the best mean, where the KPI has a better direction and two designs."""
    stats = [s for d in run.designs if (s := run.stat(d, kpi, segment, window)) is not None]
    direction = fmt.better(kpi)
    if not direction or len(stats) < 2:
        return None
    pick = min if direction == "lower" else max
    return pick(stats, key=lambda s: s.mean).design


def kpi_cell(run: RunData, design: str, kpi: str, segment: str, best: str | None,
             window: str = WHOLE) -> str:
    s = run.stat(design, kpi, segment, window)
    if s is None:
        return f"<td>{units.MISSING}</td>"
    text = esc(units.spread(s.mean, s.low, s.high, fmt.unit(kpi)))
    diff = ""
    if design != run.reference and units.finite(s.diff):
        d = run.paired(design, run.reference, kpi, segment, window)
        direction = fmt.better(kpi)
        tone = ""
        if d.significant and direction:
            tone = " better" if (d.mean < 0) == (direction == "lower") else " worse"
        diff = f"<span class='d{tone}'>Δ {esc(interval(d, kpi))}</span>"
    return f"<td class={'best' if design == best else 'v'}>{text}{diff}</td>"
