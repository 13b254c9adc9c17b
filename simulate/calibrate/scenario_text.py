"""FITTED.yaml: the base scenario's document with the fitted values put in, written as YAML 1.2
text by hand so that every value carries its source as a comment.

Fitted values say "# fitted: 2,413 tickets, 95% CI …"; a segment's unfitted values say which base
segment they come from; every other section says it comes from the base scenario. Scalars are
written by simulate.scenario.yaml12's CoreDumper, so they read back as written; small mappings
whose entries carry no comments of their own are written in flow style.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import yaml

import simulate
from simulate.calibrate.fitted import Calibration
from simulate.scenario.yaml12 import CoreDumper

SCHEMA = Path(simulate.__file__).resolve().parents[1] / "docs" / "scenario.schema.json"
INDENT = "  "
SEGMENT_SCOPED = ("segments", "tickets")  # sections whose unfitted entries are each commented
Path_ = tuple[str, ...]


def fitted_document(base_doc: dict[str, Any], cal: Calibration, name: str,
                    description: str) -> dict[str, Any]:
    """The scenario document: the base's, with the fitted segments and ticket types in place."""
    doc = copy.deepcopy(base_doc)
    doc["name"] = name
    doc["description"] = description
    doc.pop("new_accounts", None)  # arrivals are fitted per segment
    base_segments = base_doc.get("segments", {})
    doc["segments"] = {s: copy.deepcopy(base_segments.get(cal.template[s], {})) for s in cal.segments}
    types = [f for f in cal.values if f.path[:2] == ("tickets", "types")]
    if types:
        doc.setdefault("tickets", {})["types"] = {}
    for fitted in cal.values:
        _put(doc, fitted.path, fitted.value)
    doc["targets"] = {k: v for k, v in doc.get("targets", {}).items()
                      if "." not in k or k.partition(".")[2] in cal.segments}
    return doc


def _put(doc: dict[str, Any], path: Path_, value: Any) -> None:
    node = doc
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def comments(doc: dict[str, Any], cal: Calibration) -> dict[Path_, str]:
    """The comment of every commented path: fitted values, unfitted segment entries, sections."""
    found: dict[Path_, str] = {f.path: f.source for f in cal.values}
    origin = f"from base scenario {cal.base_name}"
    for segment, entries in doc.get("segments", {}).items():
        for key in entries:
            found.setdefault(("segments", segment, key), f"{origin} (segment {cal.template[segment]})")
    for key in doc.get("tickets", {}):
        below = any(p[:2] == ("tickets", key) and len(p) > 2 for p in found)
        found.setdefault(("tickets", key),
                         "fitted from the tickets export (see each value)" if below else origin)
    for key in doc:
        if key not in (*SEGMENT_SCOPED, "name", "description"):
            found.setdefault((key,), origin)
    found[("segments",)] = "fitted per segment from the exports where the data allows (see each value)"
    return found


def _scalar(value: Any) -> str:
    text = yaml.dump(value, Dumper=CoreDumper, default_flow_style=True, width=10**9, allow_unicode=True)
    text = text.strip()
    return text[:-3].rstrip() if text.endswith("\n...") or text.endswith("...") else text


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _commented_below(path: Path_, notes: dict[Path_, str]) -> bool:
    return any(len(p) > len(path) and p[: len(path)] == path for p in notes)


def _lines(node: dict[str, Any], path: Path_, notes: dict[Path_, str], depth: int) -> list[str]:
    out = []
    for key, value in node.items():
        here = (*path, str(key))
        note = notes.get(here)
        tail = f"  # {note}" if note else ""
        head = f"{INDENT * depth}{_scalar(key)}:"
        if isinstance(value, dict) and value and (_commented_below(here, notes) or len(_flow(value)) > 90):
            out.append(head + tail)
            out.extend(_lines(value, here, notes, depth + 1))
        else:
            out.append(f"{head} {_flow(value)}{tail}")
    return out


def scenario_text(doc: dict[str, Any], cal: Calibration, out: Path, header: list[str]) -> str:
    """The whole FITTED.yaml: schema line, header comments, the document, what was kept."""
    schema = os.path.relpath(SCHEMA, out.resolve().parent)
    lines = [f"# yaml-language-server: $schema={schema}"]
    lines += [f"# {line}" for line in header]
    lines += [f"# warning: {w}" for w in cal.warnings]
    lines += _lines(doc, (), comments(doc, cal), 0)
    if cal.kept:
        lines.append(f"# Kept from base scenario {cal.base_name} (the exports cannot give them):")
        lines += [f"#   {k}" for k in cal.kept]
    return "\n".join(lines) + "\n"
