"""Numbers no real company has are refused at validation, each with its bound and why, before
they overflow a sum or run the engine's random streams out of keys (issue 13, item 2)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_scenario_load import SMALL

import simulate.model.segments as engine_segments
from simulate.consistency import load, parse
from simulate.model import streams
from simulate.scenario import ScenarioError, limits


def small(change: Any = None) -> dict[str, Any]:
    doc = copy.deepcopy(SMALL)
    if change:
        change(doc)
    return doc


def smb(**fields: Any) -> Any:
    return lambda doc: doc["segments"]["smb"].update(fields)


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        parse(doc, "s.yaml")
    return err.value.problems


def one_problem(doc: dict[str, Any]) -> str:
    lines = problems(doc)
    assert len(lines) == 1, lines
    assert "\n" not in lines[0] and len(lines[0]) < 400
    return lines[0].removeprefix("s.yaml: ")


@pytest.mark.parametrize(("change", "expected"), [
    (smb(acv=1e308), "segments.smb.acv: must be ≤ 1,000,000,000"),
    (smb(acv={"dist": "gamma", "mean": 6000, "cv": 1e-300}), "segments.smb.acv.cv: must be 0 or ≥ 1e-06"),
    (smb(acv={"dist": "lognormal", "mean": 6000, "cv": 1e9}), "segments.smb.acv.cv: must be ≤ 100"),
    (smb(acv={"dist": "uniform", "low": 1, "high": 1e300}), "segments.smb.acv.high: must be ≤ 1,000,000,000"),
    (smb(initial_accounts=1e20), "segments.smb.initial_accounts: must be ≤ 10,000,000"),
    (smb(initial_accounts=10**5000), "segments.smb.initial_accounts: must be ≤ 10,000,000"),
    (smb(tickets_per_month=3e6), "segments.smb.tickets_per_month: must be ≤ 10,000"),
    (smb(touch_every_days=1e-9), "segments.smb.touch_every_days: must be ≥ 0.1"),
    (lambda d: d.update(horizon_months=1e300), "horizon_months: must be ≤ 1,200"),
    (lambda d: d.update(calendar={"hours_per_day": 25}), "calendar.hours_per_day: must be ≤ 24"),
    (lambda d: d.update(roles={"csm": {"annual_cost": 1e300}}), "roles.csm.annual_cost: must be ≤"),
    (lambda d: d.update(roles={"csm": {"annual_cost": 1, "away_blocks_per_day": 10**9}}),
     "roles.csm.away_blocks_per_day: must be ≤ 100"),
    (lambda d: d["tickets"]["types"]["how_to"].update(
        handle_hours={"dist": "gamma", "mean": 1, "sd": 1e-300}),
     "tickets.types.how_to.handle_hours.sd: must be 0 or ≥ 1e-06"),
    (lambda d: d.update(expansion={"size": 1e300}), "expansion.size: must be ≤"),
])
def test_an_absurd_number_is_refused_in_one_line_naming_its_bound(change: Any, expected: str):
    line = one_problem(small(change))
    assert line.startswith(expected), line
    assert "(got " in line


def test_a_bound_says_why():
    line = one_problem(small(smb(acv=1e308)))
    assert line == ("segments.smb.acv: must be ≤ 1,000,000,000: USD a year for one contract, more "
                    "than any on record (got 1e+308)")


def test_an_exact_quantity_may_have_no_spread():
    doc = small(smb(acv={"dist": "gamma", "mean": 6000, "cv": 0}))
    assert parse(doc, "s.yaml").segments["smb"].acv.cv == 0


@pytest.mark.parametrize("change", [
    smb(tickets_per_month=10_000), smb(initial_accounts=10_000_000), smb(acv=1e9),
    lambda d: d.update(horizon_months=1200, warmup_months=1),
])
def test_values_at_a_bound_are_accepted(change: Any):
    parse(small(change), "s.yaml")


def test_one_accounts_tickets_must_fit_its_random_stream():
    """3e6 tickets a month on one account ran 34 s and then failed with "stream key out of
    range": an account's tickets come from one stream of 65,536 blocks of at most 64."""
    line = one_problem(small(lambda d: d.update(horizon_months=1200, warmup_months=1,
                                                segments={"smb": {"initial_accounts": 1, "acv": 1,
                                                                  "tickets_per_month": 5000}})))
    assert line.startswith("segments.smb.tickets_per_month: must be ≤ 1,747 here: ")
    assert "4,194,304 tickets" in line and "(got 5000)" in line


def test_the_busiest_band_counts_toward_an_accounts_tickets():
    doc = small()
    doc["tickets"]["band_factor"] = {"green": 1, "yellow_green": 1, "yellow": 2, "red": 100}
    doc["segments"]["smb"]["tickets_per_month"] = 5000
    line = one_problem(doc)
    assert line.startswith("segments.smb.tickets_per_month: must be ≤ 3,495 here: ")


def test_a_segments_new_accounts_must_fit_its_random_stream():
    line = one_problem(small(smb(new_per_month=90_000)))
    assert line.startswith("segments.smb.new_per_month: must be ≤ 87,381 here: ")
    assert "1,048,576 new accounts" in line


def test_every_problem_of_the_file_is_reported_at_once_in_file_order(tmp_path: Path):
    doc = small(smb(acv=1e308, tickets_per_month=3e6, new_per_month=-1))
    doc["horizon_month"] = 6
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load(path)
    fields = [line.split(": ")[1] for line in err.value.problems]
    assert fields == ["segments.smb.new_per_month", "segments.smb.acv", "segments.smb.tickets_per_month",
                      "horizon_month"]


def test_the_stream_limits_are_the_engines():
    assert streams._LIMITS[-1] == limits.STREAM_BLOCKS
    assert engine_segments._block_size(1e12) == limits.TICKET_BLOCK
    assert streams._LIMITS[3] >= limits.NEW_ACCOUNT_BLOCK * limits.STREAM_BLOCKS



def test_validate_refuses_an_absurd_file_with_exit_2_and_one_line_each(tmp_path: Path):
    from click.testing import CliRunner

    from simulate.cli import main

    path = tmp_path / "absurd.yaml"
    path.write_text(yaml.safe_dump(small(smb(acv=1e308, initial_accounts=10**30)), sort_keys=False),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert [line.split(": ")[1] for line in result.stderr.splitlines()] == [
        "segments.smb.initial_accounts", "segments.smb.acv"]
