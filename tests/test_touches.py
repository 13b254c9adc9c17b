"""Proactive touches: a CSM with nothing else to do works each touch as it falls due."""

from __future__ import annotations

import copy

import numpy as np

from simulate.consistency import parse
from simulate.designs import resolve
from simulate.model import simulate

from conftest import TINY


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
