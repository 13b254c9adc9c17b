"""Fuzzing whole runs (issue 13): the tiny scenario with its design, segment and ticket-type names
replaced by awkward ones (what pandas reads as missing, what matplotlib reads as a formula, what
HTML reads as markup, what a CSV reads as a separator) and its values mildly mutated, driven
through the real program: `orgsim run` (report included), then `orgsim report` and
`orgsim compare` on what it wrote. Each ends in exit 0 with every file written, or exit 2 with
one line per problem; never a traceback, never another status.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from conftest import TINY, orgsim
from test_fuzz import mutated

# Names that broke something once, or could: pandas' missing markers, YAML's keywords, mathtext,
# markup, CSV separators and quotes, numbers, non-ASCII, long and spaced names.
AWKWARD = [
    "NA", "null", "None", "nan", "N/A", "NULL", "#N/A", "-nan", "true", "1e3", "0",
    "$\\foo{$", "$x$", "a_b^c", "<b>&amp;", "<script>x</script>", "a,b", 'say "hi"', "it's",
    "a b", "über-ü", "日本", "x" * 60, "-", "#hash", "50%", "[/x]", "[bold]b",
]


def renamed(doc: dict[str, Any], design: str, segment: str, ticket_type: str) -> dict[str, Any]:
    """The tiny scenario with `full_stack` compared as a custom design called `design`, the
    `smb` segment called `segment` and the `how_to` ticket type called `ticket_type`."""
    doc = copy.deepcopy(doc)
    doc["designs"] = {design: {"base": "full_stack"}}
    doc["compare"] = [design if d == "full_stack" else d for d in doc["compare"]]
    doc["staffing"][design] = doc["staffing"].pop("full_stack")
    doc["segments"] = {(segment if k == "smb" else k): v for k, v in doc["segments"].items()}
    types = doc["tickets"]["types"]
    doc["tickets"]["types"] = {(ticket_type if k == "how_to" else k): v for k, v in types.items()}
    return doc


def clean_exit(process: Any, allowed: tuple[int, ...], what: str) -> None:
    assert process.returncode in allowed, f"{what}: exit {process.returncode}\n{process.stderr}"
    assert "Traceback" not in process.stderr + process.stdout, f"{what}:\n{process.stderr}"


@pytest.mark.slow
@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(data=st.data(), design=st.sampled_from(AWKWARD), segment=st.sampled_from(AWKWARD),
       ticket_type=st.sampled_from(AWKWARD))
def test_runs_on_awkward_names_and_mutated_values_end_cleanly(
        data: st.DataObject, design: str, segment: str, ticket_type: str, tmp_path: Path):
    doc = renamed(TINY, design, segment, ticket_type)
    doc["horizon_months"], doc["replications"] = 4, 2
    if data.draw(st.booleans(), label="mutate values"):
        doc, done = data.draw(mutated(doc, mild=True), label="mutation")
        note(f"mutations: {done}")
    case = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    case.mkdir()
    path = case / "fuzz.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    out = case / "out"
    process = orgsim("run", path, "--out", out, timeout=300)
    clean_exit(process, (0, 2), "run")
    if process.returncode == 2:
        assert all(line.startswith(f"{path}: ") or line.startswith("orgsim: ")
                   for line in process.stderr.splitlines()), process.stderr
        return
    run_dir = Path(process.stdout.strip().splitlines()[-1])
    assert (run_dir / "report.html").stat().st_size > 0
    json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    summary = (run_dir / "summary.csv").read_text(encoding="utf-8")
    names = {design, segment} - {""}
    assert all(name in summary or f'"{name}' in summary or name.replace('"', '""') in summary
               for name in names), names
    clean_exit(orgsim("report", run_dir), (0,), "report")
    clean_exit(orgsim("compare", run_dir, run_dir), (0,), "compare")
