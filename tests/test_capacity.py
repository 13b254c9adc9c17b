"""`orgsim capacity`: accounts per CSM per segment. A segment whose accounts bring no ARR (ACV 0)
has no cost bound and no "$2M rule" figure: it reads "no ARR" instead of dividing by zero."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from simulate.cli import main
from simulate.commands.capacity import OCCUPANCY, bounds, reconcile
from simulate.consistency import parse


def free_mid(tiny_scenario: dict[str, Any]) -> dict[str, Any]:
    """The tiny scenario with a budget, and a mid segment whose accounts pay nothing."""
    tiny_scenario["segments"]["mid"]["acv"] = {"dist": "fixed", "mean": 0}
    tiny_scenario["budget"] = {"cs_cost_to_arr": 0.1}
    return tiny_scenario


def test_a_segment_without_arr_has_no_cost_bound_and_no_2m_rule(tiny_scenario: dict[str, Any]):
    rows = {r["segment"]: r for r in bounds(parse(free_mid(tiny_scenario), "free"), "active_passive", 2)}
    assert rows["mid"]["min_accounts_per_csm"] is None
    assert rows["mid"]["rule_2m_accounts_per_csm"] is None
    assert rows["mid"]["note"] == "no ARR"
    assert rows["mid"]["max_accounts_per_csm"] > 0  # time still bounds it
    assert rows["smb"]["min_accounts_per_csm"] == pytest.approx(130000 / (0.1 * 6000))
    assert rows["smb"]["note"] == ""


@pytest.mark.parametrize("kind", ["table", "json"])
def test_capacity_of_a_segment_without_arr_says_so(kind: str, tiny_scenario: dict[str, Any],
                                                   write_scenario: Any, tmp_path: Path):
    path = write_scenario(free_mid(tiny_scenario))
    result = CliRunner().invoke(main, ["capacity", str(path), "--out", str(tmp_path),
                                       "--format", kind], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr or result.exception
    if kind == "table":
        assert "– no ARR" in result.stdout
        return
    rows = [r for r in json.loads(result.stdout) if r["segment"] == "mid"]
    cost = next(r for r in rows if r["measure"] == "min_accounts_per_csm")
    assert cost["value"] is None and cost["note"] == "no ARR"


def test_an_optimum_past_the_time_bound_is_explained_by_how_busy_its_csms_would_be(
        tiny_scenario: dict[str, Any]):
    """Issue 12: capacity reconciles with the optimum instead of printing both silently. With one
    CSM for the whole book each segment's accounts per CSM pass the time bound; the implied
    occupancy is the bound's 85% scaled by how far past it they are."""
    scenario = parse(tiny_scenario, "tiny")
    rows = bounds(scenario, "full_stack", 1)
    lines = reconcile(rows)
    past = [r for r in rows if r["optimizer_accounts_per_csm"] > r["max_accounts_per_csm"]]
    assert past and len(lines) == len(past)
    for r, line in zip(past, lines, strict=True):
        busy = OCCUPANCY * r["optimizer_accounts_per_csm"] / r["max_accounts_per_csm"]
        assert line.startswith(f"{r['segment']}: the optimum's")
        assert f"busy {busy:.0%} of their productive hours" in line
    roomy = bounds(scenario, "full_stack", 1000)
    assert reconcile(roomy) == []  # within the bound: nothing to explain
