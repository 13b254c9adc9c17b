"""The report names the assumption-graded parameters each design's numbers rest on."""

from __future__ import annotations

from simulate.report.data import load_run
from simulate.report.rests_on import assumptions_by_design

from conftest import Run


def test_cs_ops_assumptions_are_named_for_the_designs_that_staff_cs_ops(tiny_run: Run):
    found = assumptions_by_design(load_run(tiny_run.path))
    assert found is not None
    paths = {design: {a.path for a in rows} for design, rows in found.items()}
    assert "cs_ops.efficiency_gain" in paths["refined"]
    assert "cs_ops.efficiency_gain" in paths["integrated"]
    assert "cs_ops.efficiency_gain" not in paths["full_stack"] | paths["active_passive"]
    assert "internal_handoff_hours" in paths["integrated"]
    assert all("health.reversion_per_month" not in p for p in paths.values())  # shared by all


def test_the_section_is_on_the_page(tiny_run: Run):
    page = tiny_run.read("report.html").decode()
    assert "What each design's numbers rest on" in page
    assert "cs_ops.efficiency_gain" in page
