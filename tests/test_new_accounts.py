"""New accounts set once for the company (`new_accounts: {per_month, mix}`, issue 13): resolved at
load time into each segment's `new_per_month`, so a scenario with the block is the scenario with
the rates written per segment — same rates, and with the same seed the same results."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from simulate.consistency import parse
from simulate.designs import compared
from simulate.runner import run
from simulate.scenario import ScenarioError
from simulate.scenario.schema import Scenario

from conftest import TINY

PER_MONTH = 5.0
MIX = {"smb": 0.8, "mid": 0.2}


def per_segment() -> dict[str, Any]:
    """The tiny scenario, its new accounts written per segment as PER_MONTH × MIX."""
    doc = copy.deepcopy(TINY)
    for name, segment in doc["segments"].items():
        segment["new_per_month"] = PER_MONTH * MIX[name]
    return doc


def company_level(**block: Any) -> dict[str, Any]:
    """The same scenario with the company-level block instead of per-segment rates."""
    doc = copy.deepcopy(TINY)
    for segment in doc["segments"].values():
        segment.pop("new_per_month")
    doc["new_accounts"] = block or {"per_month": PER_MONTH, "mix": dict(MIX)}
    return doc


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        parse(doc, "company.yaml")
    return err.value.problems


def test_each_segment_gets_per_month_times_its_share():
    scenario = parse(company_level(), "company.yaml")
    assert {name: s.new_per_month for name, s in scenario.segments.items()} == \
           {name: PER_MONTH * share for name, share in MIX.items()} == {"smb": 4.0, "mid": 1.0}


def test_a_segment_missing_from_the_mix_gets_no_new_accounts():
    scenario = parse(company_level(per_month=7, mix={"smb": 1.0}), "company.yaml")
    assert scenario.segments["smb"].new_per_month == 7
    assert scenario.segments["mid"].new_per_month == 0


def test_the_block_resolves_to_the_per_segment_scenario():
    """Equal as models: nothing downstream (model, workload estimates, results) can tell them
    apart, and with the block consumed none can read it instead of the per-segment rates."""
    with_block, written = parse(company_level(), "tiny.yaml"), parse(per_segment(), "tiny.yaml")
    assert with_block.new_accounts is None
    assert with_block == written


def test_the_resolved_scenario_reloads_as_it_is_written():
    """A run writes the resolved scenario (exclude_none); reading it back must not see both."""
    scenario = parse(company_level(), "tiny.yaml")
    dumped = yaml.safe_load(yaml.safe_dump(scenario.model_dump(mode="json", exclude_none=True)))
    assert "new_accounts" not in dumped
    assert Scenario.model_validate(dumped) == scenario


def test_same_seed_gives_identical_results_with_the_block_and_per_segment_rates():
    def outcomes(doc: dict[str, Any]) -> list[tuple[str, int, str, str]]:
        doc["horizon_months"], doc["warmup_months"] = 3, 1
        scenario = parse(doc, "tiny.yaml")
        done = run(scenario, compared(scenario)[:2], replications=1, seed=11)
        return [(o.design, o.replication, repr(sorted(o.kpis.items())), repr(o.monthly))
                for o in done]

    assert outcomes(company_level()) == outcomes(per_segment())


def test_mix_not_summing_to_one_is_an_error_naming_the_tolerance():
    [line] = problems(company_level(per_month=5, mix={"smb": 0.8, "mid": 0.1}))
    assert line == "company.yaml: new_accounts.mix: shares must sum to 1 (within ±1e-6; got 0.9)"


def test_mix_within_the_tolerance_is_accepted():
    scenario = parse(company_level(per_month=5, mix={"smb": 0.8 + 5e-7, "mid": 0.2}), "c.yaml")
    assert scenario.segments["mid"].new_per_month == 1.0


def test_a_mix_naming_an_unknown_segment_is_an_error():
    [line] = problems(company_level(per_month=5, mix={"smb": 0.8, "enterprise": 0.2}))
    assert line == ("company.yaml: new_accounts.mix.enterprise: no segment named 'enterprise' "
                    "(segments: smb, mid)")


def test_the_block_beside_a_per_segment_rate_is_an_error_naming_both_fields():
    doc = company_level()
    doc["segments"]["mid"]["new_per_month"] = 1.0
    [line] = problems(doc)
    assert "new_accounts" in line and "segments.mid.new_per_month" in line and "not both" in line


def test_a_negative_per_month_is_an_error():
    [line] = problems(company_level(per_month=-1, mix=dict(MIX)))
    assert line.startswith("company.yaml: new_accounts.per_month: ")
    assert "≥ 0" in line


def test_the_conflict_is_reported_without_deferring_too():
    """Validated directly (no loader), the model validator reports it the same way."""
    doc = company_level()
    doc["segments"]["smb"]["new_per_month"] = 4.0
    with pytest.raises(ValueError, match=r"not both \(found segments.smb.new_per_month\)"):
        Scenario.model_validate(doc)

