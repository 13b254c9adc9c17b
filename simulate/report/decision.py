"""The report's first screen, drawn from the run's verdict.json (simulate.decision.record): the
verdict and its reason, the basis, each design's headcount (start → end) and targets, and the
headline calls with their margins. The terminal prints the same document
(simulate.first_screen), so the two cannot disagree. Runs written before verdict.json keep the
older first screen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulate.decision.calls import CALLS
from simulate.first_screen import WORDS, change_text, headcount_text, margin_text, targets_text
from simulate.report import fmt
from simulate.report.cells import designs_bold, esc

VERDICT_FILE = "verdict.json"
CSS = """
.basis{background:#fff;border-radius:8px;padding:8px 14px;margin:0 0 10px;box-shadow:0 1px 2px #0001}
.basis table{border-collapse:collapse;width:100%;margin-top:4px}
.basis td,.basis th{padding:3px 8px;border-bottom:1px solid #e4e7eb;text-align:left;font-size:13px}
.basis th{font-weight:600;color:#52606d}
.calls td.better{background:#e3f9e5}.calls td.worse{background:#ffe3e3}
.calls td.equivalent{background:#f0f4f8}.calls td.undecided{background:#fffbea}
.calls td b{display:inline-block;min-width:74px}
"""


def read_verdict(run_dir: Path) -> dict[str, Any] | None:
    """The run's verdict.json, or None when the run has none (written before it) or it does not
    read as one (then the older first screen is shown)."""
    path = Path(run_dir) / VERDICT_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    needed = {"basis", "basis_note", "choice", "reason", "comparisons", "margins", "headcount", "targets"}
    return doc if isinstance(doc, dict) and needed <= set(doc) else None


def _bar(doc: dict[str, Any], designs: list[str]) -> str:
    head = f"Choose {doc['choice']}" if doc["choice"] else "No clear choice"
    reason = doc["reason"].split(": ", 1)[1] if ": " in doc["reason"] else doc["reason"]
    count = f"{doc['replications']} replications" + (" (auto)" if doc.get("replications_auto") else "")
    if doc.get("stopped_at_cap"):
        count += ", stopped at max_replications with calls still undecided"
    chosen = ("on headcounts the scenario's author chose (not on equal service or budget); "
              if doc["basis"] == "given" else "")
    return (f"<div class=verdict id=verdict>{esc(head)}: {designs_bold(reason, designs)}"
            f"<span class=confidence>Basis: {esc(doc['basis'])} — {esc(chosen)}{esc(count)}; "
            f"{esc(doc.get('correction', ''))}.</span></div>")


def _staffing(doc: dict[str, Any]) -> str:
    rows = "".join(f"<tr><td><b>{esc(d)}</b></td><td>{esc(headcount_text(roles))}</td>"
                   f"<td>{esc(targets_text(doc['targets'].get(d, {})))}</td></tr>"
                   for d, roles in doc["headcount"].items())
    return (f"<div class=basis id=basis><b>Compared on the {esc(doc['basis'])} basis</b>: "
            f"{esc(doc['basis_note'])}<table><tr><th>design</th><th>headcount, start → end of "
            f"the horizon (mean over replications)</th><th>targets (on the mean)</th></tr>{rows}"
            "</table></div>")


def _calls(doc: dict[str, Any]) -> str:
    rows = [r for r in doc["comparisons"] if r["headline"]]
    kpis = list(dict.fromkeys(r["kpi"] for r in rows))
    pairs = list(dict.fromkeys((r["design"], r["versus"]) for r in rows))
    by = {(r["design"], r["versus"], r["kpi"]): r for r in rows}
    head = "".join(f"<th>{esc(WORDS.get(k, k))} <span class=meta>matters beyond "
                   f"{esc(margin_text(k, doc['margins']))}</span></th>" for k in kpis)
    body = []
    for design, versus in pairs:
        cells = []
        for k in kpis:
            r = by.get((design, versus, k))
            if r is None:
                cells.append("<td>–</td>")
                continue
            relative = doc["margins"].get(k, {}).get("relative", True)
            cells.append(f"<td class={esc(r['call'])}><b>{esc(r['call'])}</b> "
                         f"{esc(change_text(r, relative))}</td>")
        body.append(f"<tr><td>{esc(design)} vs {esc(versus)}</td>{''.join(cells)}</tr>")
    missing = ", ".join(WORDS.get(k, k) for k in doc.get("unmeasured", []))
    unmeasured = (f"<p>Not measured in this run: {esc(missing)} (a run without tickets has no response "
                  "time), so not called.</p>" if missing else "")
    return (f"<div class='basis calls' id=calls><b>Calls</b> <span class=meta>better / worse: the "
            "interval excludes zero and reaches beyond the margin; equivalent: it lies inside ± the "
            "margin; undecided: neither (more replications may decide)</span>"
            f"<table><tr><th>comparison</th>{head}</tr>{''.join(body)}</table>{unmeasured}</div>")


def first_screen(doc: dict[str, Any], designs: list[str]) -> str:
    """The verdict bar, the basis and staffing, and the calls, as HTML."""
    return _bar(doc, designs) + _staffing(doc) + _calls(doc)


def against_reference(doc: dict[str, Any], design: str, reference: str) -> tuple[str, str]:
    """'refined against full_stack: better on p90 first response (−93% [−96%, −89%]); worse on
    cost (+19% […]); equivalent on NRR; undecided on logo churn.' and its tone, from every KPI
    verdict.json compares (the headline ones and the rest, at the same family level)."""
    by_call: dict[str, list[str]] = {}
    for r in doc["comparisons"]:
        if (r["design"], r["versus"]) != (design, reference):
            continue
        relative = doc["margins"].get(r["kpi"], {}).get("relative", True)
        name = WORDS.get(r["kpi"], fmt.label(r["kpi"]))
        shown = f"{name} ({change_text(r, relative)})" if r["call"] != "equivalent" else name
        by_call.setdefault(r["call"], []).append(shown)
    parts = [f"{call} on {', '.join(by_call[call])}" for call in CALLS if by_call.get(call)]
    good, bad = bool(by_call.get("better")), bool(by_call.get("worse"))
    tone = "mixed" if good and bad else "good" if good else "bad" if bad else "neutral"
    return f"{design} against {reference}: " + "; ".join(parts) + ".", tone
