"""From today's team (`current:`) to month 1 of a design's plan (simulate/decision/transition.py):
the moves and their one-off cost, checked against hand computations and, for the choice of
moves, against a brute-force search over every way to fill the openings."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.consistency import parse
from simulate.decision.transition import (
    RAMP_LOST,
    ROLE_CHANGES,
    line,
    transition,
    transition_document,
    usd,
    whole,
)
from simulate.domain.roles import ROLES
from simulate.plan import transitions
from simulate.scenario.load import ScenarioError

from conftest import TINY, orgsim

FLAT = dict.fromkeys(ROLES, 4700.0)  # hire cost per role, USD


def scenario(current: dict[str, int] | None, **roles: dict) -> object:
    doc = copy.deepcopy(TINY)
    if current is not None:
        doc["current"] = current
    for role, extra in roles.items():
        doc["roles"][role] = {**doc["roles"][role], **extra}
    return parse(doc)


# --- Which moves ----------------------------------------------------------------------------


def test_the_model_ramp_loses_fifteen_percent_on_average():
    """70% of full speed in the first third, 85% in the second, 100% in the last:
    (0.30 + 0.15 + 0) ÷ 3 = 0.15 of the ramp lost."""
    assert abs(RAMP_LOST - 0.15) < 1e-12


def test_surplus_csms_fill_implementation_and_cs_ops_openings_and_the_rest_is_hired():
    t = transition({"csm": 10, "support_agent": 2},
                   {"csm": 8, "support_agent": 3, "implementation": 1, "cs_ops": 1}, FLAT)
    assert t.moves == {("csm", "implementation"): 1, ("csm", "cs_ops"): 1}
    assert {r: t.hires(r) for r in ROLES} == {"csm": 0, "support_agent": 1, "implementation": 0,
                                               "cs_ops": 0, "tech_support": 0, "account_manager": 0}
    assert all(t.surplus(r) == 0 for r in ROLES)


def test_a_move_the_table_does_not_allow_is_a_hire_and_a_surplus():
    """A surplus CSM does not become a support agent (not in ROLE_CHANGES)."""
    assert ("csm", "support_agent") not in {(c.source, c.target) for c in ROLE_CHANGES}
    t = transition({"csm": 5}, {"csm": 4, "support_agent": 1}, FLAT)
    assert t.moves == {}
    assert t.hires("support_agent") == 1 and t.surplus("csm") == 1


def test_moves_fill_every_opening_a_greedy_pass_would_strand():
    """One spare support agent and one spare implementation specialist; openings for a CSM and a
    tech support engineer. The agent can go to either, the specialist only to CSM: both move
    only if the agent takes tech support (a pass in table order can send the agent to CSM)."""
    t = transition({"support_agent": 1, "implementation": 1}, {"csm": 1, "tech_support": 1}, FLAT)
    assert t.moves == {("implementation", "csm"): 1, ("support_agent", "tech_support"): 1}
    assert all(t.hires(r) == 0 and t.surplus(r) == 0 for r in ROLES)


@pytest.mark.parametrize(("costly", "goes_to"), [("csm", "csm"), ("tech_support", "tech_support")])
def test_a_spare_person_takes_the_opening_whose_hire_costs_more(costly, goes_to):
    costs = {**dict.fromkeys(ROLES, 1000.0), costly: 20000.0}
    t = transition({"support_agent": 1}, {"csm": 1, "tech_support": 1}, costs)
    assert t.moves == {("support_agent", goes_to): 1}


def test_mean_headcounts_round_half_up_to_whole_people():
    assert whole({"csm": 2.5, "support_agent": 2.49, "cs_ops": 0.5, "implementation": 0.0}) == {
        "csm": 3, "support_agent": 2, "cs_ops": 1, "implementation": 0}


COUNTS = st.dictionaries(st.sampled_from(ROLES), st.integers(0, 3))


def _best_by_brute_force(today: dict[str, int], month_1: dict[str, int]) -> int:
    """The most people any assignment along ROLE_CHANGES can move, by trying every one."""
    spare = {r: max(today.get(r, 0) - month_1.get(r, 0), 0) for r in ROLES}
    open_ = {r: max(month_1.get(r, 0) - today.get(r, 0), 0) for r in ROLES}
    edges = [(c.source, c.target) for c in ROLE_CHANGES]
    best = 0
    for flows in itertools.product(*(range(min(spare[s], open_[t]) + 1) for s, t in edges)):
        out = {r: sum(f for (s, _), f in zip(edges, flows, strict=True) if s == r) for r in ROLES}
        into = {r: sum(f for (_, t), f in zip(edges, flows, strict=True) if t == r) for r in ROLES}
        if all(out[r] <= spare[r] and into[r] <= open_[r] for r in ROLES):
            best = max(best, sum(flows))
    return best


@settings(max_examples=60, deadline=None)
@given(today=COUNTS, month_1=COUNTS)
def test_every_person_is_accounted_for_and_no_assignment_moves_more(today, month_1):
    """Month 1 = today + hires + moved in − moved out − surplus, per role; nothing negative;
    moves only along allowed changes; with equal hire costs, as many moved as any assignment."""
    t = transition(today, month_1, FLAT)
    allowed = {(c.source, c.target) for c in ROLE_CHANGES}
    assert set(t.moves) <= allowed and all(n > 0 for n in t.moves.values())
    for r in ROLES:
        assert t.hires(r) >= 0 and t.surplus(r) >= 0
        assert (today.get(r, 0) + t.hires(r) + t.moved_in(r) - t.moved_out(r) - t.surplus(r)
                == month_1.get(r, 0))
        assert t.hires(r) == 0 or t.surplus(r) == 0
    assert sum(t.moves.values()) == _best_by_brute_force(today, month_1)


# --- What it costs --------------------------------------------------------------------------


def test_the_one_off_cost_is_hires_times_hire_cost_plus_ramp_lost_by_hand():
    """Today 10 CSMs and 2 support agents; month 1 asks 8 CSMs, 3 agents, 1 implementation
    specialist, 1 CS ops (the tiny scenario's costs; 250 business days; ramp 45 days but CSM).
    By hand: one agent hired at $4,700. Ramp lost, 45 × 0.15 = 6.75 days each at the role's
    daily cost: agent 6.75 × 60,000/250 = $1,620; specialist (moved) 6.75 × 105,000/250 = $2,835;
    CS ops (moved) 6.75 × 110,000/250 = $2,970: $7,425. Total $12,125."""
    sc = scenario({"csm": 10, "support_agent": 2})
    doc = transition_document(sc, {"csm": 8.0, "support_agent": 3.0, "implementation": 1.0,
                                   "cs_ops": 1.0, "tech_support": 0.0}, 3)
    assert doc["hires"]["support_agent"] == 1 and sum(doc["hires"].values()) == 1
    assert doc["cost"]["hiring"] == pytest.approx(4700)
    assert doc["cost"]["ramp"] == pytest.approx(1620 + 2835 + 2970)
    assert doc["cost"]["total"] == pytest.approx(12125)
    assert doc["surplus_annual_cost"] == 0
    assert [(m["from"], m["to"], m["people"]) for m in doc["role_changes"]] == [
        ("csm", "implementation", 1), ("csm", "cs_ops", 1)]
    assert doc["line"] == ("hire 1 support_agent; 1 csm → implementation; 1 csm → cs_ops; "
                           "one-off $12k (hiring $4,700, ramp $7,425)")
    assert "3 replications" in doc["basis"] and "no interval" in doc["basis"]
    assert json.loads(json.dumps(doc)) == doc  # goes into optimum.json as it is


def test_a_scenarios_own_hire_cost_ramp_and_calendar_price_the_move():
    """Today 2 support agents; month 1 asks 2 CSMs and 1 agent: one agent becomes a CSM, one CSM
    is hired at $10,000, and both ramp over 60 days at $130,000 a year over 240 business days:
    ramp 2 × 60 × 0.15 × 130,000/240 = $9,750. With no CSM asked for, the spare agent is surplus
    at $60,000 a year."""
    sc = scenario({"support_agent": 2}, csm={"hire_cost": 10000, "ramp_days": 60})
    sc = sc.model_copy(update={"calendar": sc.calendar.model_copy(update={"days_per_year": 240})})
    doc = transition_document(sc, {"csm": 2.0, "support_agent": 1.0})
    assert doc["role_changes"] == [{"from": "support_agent", "to": "csm", "people": 1,
                                    "why": doc["role_changes"][0]["why"]}]
    assert doc["hires"]["csm"] == 1  # one agent moves, one CSM is hired
    assert doc["cost"]["hiring"] == pytest.approx(10000)
    assert doc["cost"]["ramp"] == pytest.approx(2 * 60 * 0.15 * 130000 / 240)
    doc = transition_document(sc, {"csm": 0.0, "support_agent": 1.0})
    assert doc["surplus"]["support_agent"] == 1 and doc["surplus_annual_cost"] == 60000
    assert doc["line"] == "surplus 1 support_agent ($60k a year if kept)"


def test_no_change_reads_as_such_and_costs_nothing():
    doc = transition_document(scenario({"csm": 2}), {"csm": 2.2})
    assert doc["cost"]["total"] == 0
    assert line(doc) == "today's team is month 1's: no hires, no moves"


def test_money_reads_exactly_below_ten_thousand():
    assert [usd(0), usd(7020), usd(41234), usd(1_234_567)] == ["$0", "$7,020", "$41k", "$1.23M"]


def test_without_current_there_is_no_transition():
    sc = scenario(None)
    assert transitions(sc, _plan({"csm": 2.0})) == {}
    with pytest.raises(ValueError, match="current"):
        transition_document(sc, {"csm": 2.0})


def _plan(month_1: dict[str, float]):
    import pandas as pd

    return pd.DataFrame([{"month": m, "design": "refined", "role": r, "headcount": n}
                         for m in (1, 2) for r, n in month_1.items()])


def test_transitions_read_month_1_of_each_designs_plan():
    sc = scenario({"csm": 1})
    docs = transitions(sc, _plan({"csm": 3.0, "cs_ops": 1.0}))
    assert list(docs) == ["refined"]
    assert docs["refined"]["month_1"]["csm"] == 3 and docs["refined"]["hires"]["cs_ops"] == 1


# --- The file format ------------------------------------------------------------------------


@pytest.mark.parametrize(("block", "field", "says"), [
    ("current: {csm: 3, suport_agent: 2}", "current.suport_agent", "did you mean 'support_agent'"),
    ("current: {csm: -1}", "current.csm", "≥ 0"),
    ("current: {csm: 2.5}", "current.csm", "whole number"),
    ("current: [3, 2]", "current", "mapping"),
])
def test_a_bad_current_team_is_refused_in_one_line_naming_the_field(tmp_path: Path, block, field, says):
    import yaml

    path = tmp_path / "team.yaml"
    path.write_text(yaml.safe_dump(TINY, sort_keys=False) + block + "\n")
    done = orgsim("validate", path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert f"{path}: {field}:" in done.stderr and says in done.stderr


def test_hire_cost_defaults_to_the_sourced_figure_and_refuses_a_negative():
    sc = scenario(None)
    assert {sc.roles[r].hire_cost for r in ROLES} == {4700.0}
    with pytest.raises(ScenarioError, match=r"roles\.csm\.hire_cost: must be ≥ 0"):
        scenario(None, csm={"hire_cost": -1})
