"""Proactive touches: a CSM with nothing else to do works each touch as it falls due."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml

from simulate.consistency import parse
from simulate.designs import resolve
from simulate.kpis import measure
from simulate.model import simulate

from conftest import REPO, TINY


def _touch_only_book() -> dict:
    """One CSM whose only work is touching accounts that implementation specialists onboard:
    no initial book, no renewal work, tickets to the support pool, no early warning."""
    doc = copy.deepcopy(TINY)
    doc["compare"] = ["refined"]
    doc["designs"] = {"refined": {"early_warning": False}}
    doc["horizon_months"], doc["warmup_months"] = 8, 1
    for segment in doc["segments"].values():
        segment.update(initial_accounts=0, renewal_hours=0, cohort_onboarding=False,
                       touch_every_days=10, touch_hours=0.5)
    doc["staffing"]["refined"] = {"csm": 1, "support_agent": 2, "implementation": 2, "cs_ops": 1}
    return doc


def test_an_idle_csm_is_woken_for_a_touch_that_falls_due_while_they_wait():
    scenario = parse(_touch_only_book())
    record = simulate(scenario, resolve(scenario, "refined"), 11)
    done = [t for t in record.touches if t.done >= 0]
    assert len(done) > 50
    late_days = np.array([(t.done - t.due) / scenario.calendar.hours_per_day for t in done])
    # The CSM is idle most of the day: each touch waits at most for a time-away block.
    assert late_days.max() < 0.5
    pending = [t for t in record.touches if t.done < 0]
    assert all(record.horizon - t.due < scenario.calendar.hours_per_day for t in pending)


@pytest.mark.slow
def test_without_early_warning_touches_fall_within_their_grace_when_csms_are_not_overloaded():
    """Issue 10's acceptance test: refined without early warning on the baseline; CSMs well
    below capacity do at least 97% of their touches within the grace (10% of the cadence)."""
    doc = yaml.safe_load((REPO / "scenarios" / "baseline.yaml").read_text())
    doc.update(horizon_months=24, compare=["refined"])
    doc["designs"]["refined"] = {"early_warning": False}
    scenario = parse(doc)
    design = resolve(scenario, "refined")
    record = simulate(scenario, design, 3)
    day = scenario.calendar.hours_per_day
    grace = {i: 0.1 * s.touch_every_days * day for i, s in enumerate(scenario.segments.values())}
    due = [t for t in record.touches if t.due >= record.window_start
           and (t.done >= 0 or record.horizon - t.due > grace[t.segment])]
    on_time = sum(1 for t in due if 0 <= t.done - t.due <= grace[t.segment])
    assert measure(record, scenario)[("all", "utilization_csm")] < 0.7
    assert on_time / len(due) >= 0.97
