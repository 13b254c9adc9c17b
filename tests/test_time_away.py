"""Time away from the queue comes in several blocks a day at random times, and long renewal
preparation is worked in blocks with tickets answered between them (issue 10, defect 4)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from simulate.consistency import parse
from simulate.designs import resolve
from simulate.kpis import measure
from simulate.model import simulate
from simulate.model.away import AwayBlocks
from simulate.model.streams import Streams

from conftest import TINY

DAY = 8.0


@pytest.mark.parametrize("per_day", [1, 3, 7])
def test_blocks_fall_within_their_day_never_overlap_and_add_up_to_the_time_away(per_day):
    blocks = AwayBlocks(Streams(3), 0, 2, DAY, away_per_day=2.4, per_day=per_day, now=0.0)
    starts = np.array([blocks.next_start() for _ in range(per_day * 200)])
    days = starts // DAY
    assert (np.bincount(days.astype(int)) == per_day).all()
    ends = starts + blocks.length
    assert (ends <= (days + 1) * DAY + 1e-9).all()  # a block ends within its day
    assert (starts[1:] >= ends[:-1] - 1e-9).all()  # and before the next one starts
    assert blocks.length * per_day == pytest.approx(2.4)


def test_block_times_vary_from_day_to_day_and_person_to_person():
    a = AwayBlocks(Streams(3), 0, 0, DAY, 2.4, 3, 0.0)
    b = AwayBlocks(Streams(3), 0, 1, DAY, 2.4, 3, 0.0)
    first_a = [a.next_start() % DAY for _ in range(30)]
    first_b = [b.next_start() % DAY for _ in range(30)]
    assert len({round(x, 6) for x in first_a}) > 20
    assert first_a != first_b


def test_a_person_hired_mid_day_takes_no_block_already_past():
    blocks = AwayBlocks(Streams(3), 0, 0, DAY, 2.4, 3, now=805.0)
    assert blocks.next_start() >= 805.0


def _full_stack(**changes: object) -> float:
    doc = copy.deepcopy(TINY)
    doc["compare"] = ["full_stack"]
    doc["horizon_months"], doc["warmup_months"] = 8, 1
    doc["staffing"]["full_stack"] = {"csm": 3}
    for key, value in changes.items():
        if key == "blocks":
            doc["roles"]["csm"]["away_blocks_per_day"] = value
        elif key == "renewal_block":
            doc["renewal"]["work_block_hours"] = value
            for segment in doc["segments"].values():
                segment["renewal_hours"] = 12
    scenario = parse(doc)
    design = resolve(scenario, "full_stack")
    return float(np.mean([measure(simulate(scenario, design, seed), scenario)[("all", "frt_p90_h")]
                          for seed in (1, 2, 3)]))


def test_shorter_blocks_of_time_away_shorten_the_wait_for_a_lone_csm():
    assert _full_stack(blocks=4) < _full_stack(blocks=1)


def test_tickets_are_answered_between_blocks_of_renewal_preparation():
    assert _full_stack(renewal_block=1.0) < _full_stack(renewal_block=12.0)


def test_productive_hours_are_the_productive_share_of_time_present():
    doc = copy.deepcopy(TINY)
    doc["compare"] = ["active_passive"]
    scenario = parse(doc)
    record = simulate(scenario, resolve(scenario, "active_passive"), 4)
    for person in record.staff:
        if not person.queued:
            continue
        present = record.horizon - max(person.hired, record.window_start)
        share = scenario.roles[person.role].productive_share
        # unsettled blocks of a busy person at the horizon: at most one day's time away
        assert person.productive_hours == pytest.approx(share * present, abs=(1 - share) * DAY + 1e-6)
