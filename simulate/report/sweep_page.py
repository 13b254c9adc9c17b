"""`report.html` of a sweep or a sensitivity study: one self-contained page (charts inline, no
script) drawn from the files the study wrote — sweep.csv, points.csv, manifest.json, and for a
sensitivity study tornado.csv — saying for every number its basis, its replications and
interval, and the assumptions it rests on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from simulate.report.cells import esc
from simulate.report.drawing import Chart
from simulate.report.html import CSS
from simulate.report.sweep_map import curves, decision_map, surfaces, tornado
from simulate.sweep.files import MANIFEST, POINTS, SWEEP
from simulate.writable import write_atomically

REPORT = "report.html"
TORNADO = "tornado.csv"
GLOBAL = "global.csv"
FIXED = ["point", "design", "kpi", "mean", "ci_low", "ci_high", "n", "choice", "versus", "call"]


def _csv(path: Path) -> pd.DataFrame:
    """A study's CSV: names as written ("NA" is a name), empty cells missing."""
    if not path.exists():
        return pd.DataFrame()
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def _figure(chart: Chart | None) -> str:
    if chart is None:
        return ""
    return (f"<h2>{esc(chart.title)}</h2><figure id={chart.key}><img alt=\"{esc(chart.title)}\" "
            f"src=\"{chart.data_uri}\"><figcaption>{esc(chart.caption)}</figcaption></figure>")


def _table(frame: pd.DataFrame, columns: list[str]) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{esc('' if pd.isna(r[c]) else r[c])}</td>" for c in columns)
                   + "</tr>" for _, r in frame.iterrows())
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _basis(man: dict[str, Any]) -> str:
    reps = man.get("replications_per_point") or []
    count = (f"{reps[0]}" if len(reps) == 1 else f"{min(reps)}–{max(reps)}") if reps else "?"
    auto = " (auto: until each point's verdict was settled)" if man.get("replications") == "auto" else ""
    return (f"<p>Basis <b>{esc(man.get('basis'))}</b> at every point; {esc(count)} replications per "
            f"design and point{esc(auto)}, the same replication seeds at every point (common random "
            f"numbers, seed {esc(man.get('seed'))}). Designs: {esc(', '.join(man.get('designs', [])))}. "
            "Every mean has its 95% t-interval in sweep.csv; the verdict at each point uses the paired "
            "calls and practical margins of <code>orgsim run</code> (docs/decision.md), Bonferroni-"
            "corrected over the point's comparisons.</p>")


def _notes(man: dict[str, Any]) -> str:
    notes = man.get("notes") or []
    return "".join(f"<p class=alert>{esc(n)}</p>" for n in notes)


def render(folder: Path) -> str:
    """The page for the study in `folder`."""
    man = json.loads((folder / MANIFEST).read_text())
    rows, points = _csv(folder / SWEEP), _csv(folder / POINTS)
    paths = [c for c in points.columns if c not in ("point", "replications", "choice", "leader",
                                                    "runner_up", "reason", "unstable")]
    designs = list(man.get("designs", []))
    grid = man.get("sample") is None and man.get("kind") == "sweep"
    parts = [f"<header><h1>{esc('Sensitivity' if man.get('kind') == 'sensitivity' else 'Sweep')}: "
             f"{esc(man.get('scenario'))}</h1><div class=meta>{esc(man.get('points'))} points · "
             f"{esc(man.get('tasks_run'))} tasks run, {esc(man.get('tasks_reused'))} reused · orgsim "
             f"{esc(man.get('orgsim'))}</div></header>", _basis(man), _notes(man)]
    table = _csv(folder / TORNADO)
    if not table.empty:
        parts.append(_figure(tornado(table)))
        parts.append(_table(table, list(table.columns)))
        glob = _csv(folder / GLOBAL)
        if not glob.empty:
            flips = int((glob["flips"] == True).sum())  # noqa: E712 - a column of bools
            parts.append(f"<p>Global: all assumptions at once, {len(glob)} Latin-hypercube points: "
                         f"the choice differs from the base at {flips} ({flips / len(glob):.0%}); "
                         f"global.csv lists each point.</p>")
    elif len(paths) >= 2:
        parts.append(_figure(decision_map(points, paths, designs, grid)))
        if grid and len(paths) == 2:
            parts.append(_figure(surfaces(rows, paths[0], paths[1], designs)))
    elif len(paths) == 1:
        parts.append(_figure(curves(rows, points, paths[0], designs)))
    parts.append("<h2>The verdict at each point</h2>")
    parts.append(_table(points, ["point", *paths, "replications", "choice", "reason", "unstable"]))
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>"
            f"{esc(man.get('scenario'))}: {esc(man.get('kind'))}</title><style>{CSS}</style></head>"
            f"<body><main>{''.join(parts)}</main></body></html>\n")


def write_sweep_report(folder: Path) -> Path:
    """Write `folder/report.html` atomically."""
    return write_atomically(Path(folder) / REPORT, render(Path(folder)))
