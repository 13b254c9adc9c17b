"""Designs (simulate/designs.py): the routing table, custom designs and their staffing check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from simulate.consistency import load
from simulate.designs import BUILT_IN, Design, DesignError, compared, resolve
from simulate.domain.routes import OUTSIDE, ROUTE_KEYS, ROUTE_VALUES, route, values_for
from simulate.scenario.schema import BUILT_IN_DESIGNS, ROLES, Scenario

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.yaml"

FULL_STAFF = {"csm": 1, "support_agent": 1, "implementation": 1, "tech_support": 1}


def scenario(**fields: Any) -> Scenario:
    """A small scenario; `compare` defaults to nothing but full_stack, staffed with one CSM."""
    doc: dict[str, Any] = {
        "name": "t",
        "segments": {"smb": {"initial_accounts": 10}},
        "compare": ["full_stack"],
        "staffing": {"full_stack": {"csm": 1}},
    }
    doc.update(fields)
    return Scenario.model_validate(doc)


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return load(BASELINE)


# --- The four built in (DESIGN.md §5) -------------------------------------------------------

ROUTES = {
    #                 onboarding        inbound          escalation
    "full_stack": ("owner_csm", "owner_csm", "engineering"),
    "active_passive": ("owner_csm", "support_agent", "engineering"),
    "refined": ("implementation", "support_agent", "engineering"),
    "integrated": ("implementation", "support_agent", "tech_support"),
}


def test_built_ins_are_the_four_in_contract_order():
    assert tuple(BUILT_IN) == BUILT_IN_DESIGNS == tuple(ROUTES)


@pytest.mark.parametrize("name", ROUTES)
def test_built_in_routes_follow_the_design_table(name):
    d = BUILT_IN[name]
    assert d.name == name
    assert (d.onboarding, d.inbound, d.escalation) == ROUTES[name]


def test_full_stack_owner_csm_does_onboarding_and_inbound_and_engineering_escalations():
    d = BUILT_IN["full_stack"]
    assert (d.onboarding, d.inbound, d.escalation) == ("owner_csm", "owner_csm", "engineering")
    assert not (d.buddy or d.cohorts or d.early_warning)


def test_active_passive_sends_inbound_to_the_support_pool():
    d = BUILT_IN["active_passive"]
    assert d.inbound == "support_agent"
    assert d.onboarding == "owner_csm"
    assert not (d.cohorts or d.early_warning)


def test_refined_uses_implementation_support_engineering_with_cohorts_and_early_warning():
    d = BUILT_IN["refined"]
    assert (d.onboarding, d.inbound, d.escalation) == (
        "implementation", "support_agent", "engineering")
    assert d.cohorts and d.early_warning
    assert not d.buddy


def test_integrated_escalates_to_tech_support_with_cohorts_and_early_warning():
    d = BUILT_IN["integrated"]
    assert d.escalation == "tech_support"
    assert (d.onboarding, d.inbound) == ("implementation", "support_agent")
    assert d.cohorts and d.early_warning


@pytest.mark.parametrize(
    ("name", "roles"),
    [
        ("full_stack", ("csm",)),
        ("active_passive", ("csm", "support_agent")),
        ("refined", ("csm", "support_agent", "implementation")),
        ("integrated", ("csm", "support_agent", "implementation", "tech_support")),
    ],
)
def test_roles_used_are_the_csm_and_the_roles_routed_to(name, roles):
    assert BUILT_IN[name].roles_used == roles


def test_engineering_is_outside_the_cs_org():
    assert route("escalation", "engineering").target == OUTSIDE
    assert route("escalation", "engineering").role is None
    assert "engineering" not in BUILT_IN["full_stack"].roles_used


def test_every_route_value_maps_to_a_cs_role_or_outside():
    assert {v.role for v in ROUTE_VALUES if v.role is not None} <= set(ROLES)
    assert all((v.role is None) == (v.target == OUTSIDE) for v in ROUTE_VALUES)


def test_every_route_key_has_its_default_among_its_values_and_the_schema_takes_them():
    from simulate.scenario.schema import DesignSpec

    for key in ROUTE_KEYS:
        assert key.default in values_for(key.name)
        for value in values_for(key.name):
            assert getattr(DesignSpec(**{key.name: value}), key.name) == value


def test_cs_ops_is_never_a_routed_role():
    assert all("cs_ops" not in d.roles_used for d in BUILT_IN.values())


def test_a_design_is_immutable_data():
    with pytest.raises(AttributeError):
        BUILT_IN["full_stack"].inbound = "support_agent"  # type: ignore[misc]


# --- resolve --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BUILT_IN_DESIGNS)
def test_built_in_without_overrides_resolves_to_itself(name):
    assert resolve(scenario(), name) == BUILT_IN[name]


def test_baseline_custom_design_takes_its_base_and_overrides(baseline):
    d = resolve(baseline, "split_with_tech")
    assert d == Design("split_with_tech", onboarding="owner_csm", inbound="support_agent",
                       escalation="tech_support")
    assert d.roles_used == ("csm", "support_agent", "tech_support")


def test_baseline_compares_the_four_built_ins_in_order(baseline):
    assert [d.name for d in compared(baseline)] == list(BUILT_IN_DESIGNS)


def test_scenario_can_override_a_built_in_flag():
    s = scenario(designs={"full_stack": {"buddy": True}})
    d = resolve(s, "full_stack")
    assert d.buddy
    assert d == Design("full_stack", buddy=True)


def test_override_leaves_unset_fields_of_the_base():
    s = scenario(designs={"refined": {"early_warning": False}})
    d = resolve(s, "refined")
    assert not d.early_warning
    assert d.cohorts
    assert d.onboarding == "implementation"


def test_custom_design_inherits_flags_through_a_chain_of_bases():
    s = scenario(designs={
        "a": {"base": "integrated", "buddy": True},
        "b": {"base": "a", "escalation": "engineering"},
    })
    d = resolve(s, "b")
    assert d == Design("b", onboarding="implementation", inbound="support_agent",
                       escalation="engineering", buddy=True, cohorts=True, early_warning=True,
                       defining=("implementation", "cs_ops", "tech_support"))
    assert d.identity == ("implementation", "cs_ops")  # tech support no longer does anything in b


def test_custom_design_sees_the_scenarios_override_of_its_built_in_base():
    s = scenario(designs={"full_stack": {"buddy": True}, "mine": {"base": "full_stack"}})
    assert resolve(s, "mine").buddy


def test_unknown_base_names_the_base_field():
    s = scenario(designs={"mine": {"base": "refind"}})
    with pytest.raises(DesignError) as err:
        resolve(s, "mine")
    assert err.value.field == "designs.mine.base"
    assert "refind" in str(err.value)
    assert str(err.value).startswith("designs.mine.base: ")


def test_unknown_base_deep_in_a_chain_names_the_design_that_uses_it():
    s = scenario(designs={"a": {"base": "b"}, "b": {"base": "nope"}})
    with pytest.raises(DesignError) as err:
        resolve(s, "a")
    assert err.value.field == "designs.b.base"


def test_cyclic_base_is_an_error_naming_the_base_field():
    s = scenario(designs={"a": {"base": "b"}, "b": {"base": "a"}})
    with pytest.raises(DesignError, match="cyclic") as err:
        resolve(s, "a")
    assert err.value.field == "designs.a.base"
    assert "a → b → a" in err.value.message


def test_design_based_on_itself_is_cyclic():
    s = scenario(designs={"mine": {"base": "mine"}})
    with pytest.raises(DesignError, match="cyclic") as err:
        resolve(s, "mine")
    assert err.value.field == "designs.mine.base"


def test_custom_design_without_base_is_an_error_naming_the_base_field():
    s = scenario(designs={"mine": {"inbound": "support_agent"}})
    with pytest.raises(DesignError, match="needs a base") as err:
        resolve(s, "mine")
    assert err.value.field == "designs.mine.base"


def test_unknown_compared_design_names_compare():
    with pytest.raises(DesignError) as err:
        resolve(scenario(), "no_such_design")
    assert err.value.field == "compare"
    assert "full_stack" in err.value.message  # lists what is known


# --- compared -------------------------------------------------------------------------------


def test_compared_resolves_custom_designs_in_compare_order():
    s = scenario(
        compare=["split", "full_stack"],
        designs={"split": {"base": "active_passive", "escalation": "tech_support"}},
        staffing={"full_stack": {"csm": 1},
                  "split": {"csm": 1, "support_agent": 1, "tech_support": 1}},
    )
    assert [d.name for d in compared(s)] == ["split", "full_stack"]


def test_compared_design_without_staffing_is_an_error():
    s = scenario(compare=["full_stack", "refined"])
    with pytest.raises(DesignError, match="missing") as err:
        compared(s)
    assert err.value.field == "staffing.refined"


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("active_passive", "support_agent"),
        ("refined", "implementation"),
        ("integrated", "tech_support"),
    ],
)
def test_compared_design_lacking_a_routed_role_is_an_error_naming_it(name, role):
    staff = {r: 1 for r in BUILT_IN[name].roles_used if r != role}
    s = scenario(compare=[name], staffing={name: staff})
    with pytest.raises(DesignError, match=role) as err:
        compared(s)
    assert err.value.field == f"staffing.{name}.{role}"


def test_compared_custom_design_lacking_its_escalation_role_is_an_error():
    s = scenario(
        compare=["split"],
        designs={"split": {"base": "active_passive", "escalation": "tech_support"}},
        staffing={"split": {"csm": 1, "support_agent": 1}},
    )
    with pytest.raises(DesignError) as err:
        compared(s)
    assert err.value.field == "staffing.split.tech_support"


def test_design_need_not_staff_cs_ops():
    s = scenario(compare=["integrated"], staffing={"integrated": dict(FULL_STAFF)})
    assert [d.name for d in compared(s)] == ["integrated"]


def test_uncompared_custom_design_must_still_resolve():
    s = scenario(designs={"spare": {"base": "nope"}})
    with pytest.raises(DesignError) as err:
        compared(s)
    assert err.value.field == "designs.spare.base"


def test_uncompared_design_needs_no_staffing():
    s = scenario(designs={"spare": {"base": "integrated"}})
    assert [d.name for d in compared(s)] == ["full_stack"]


def test_ratio_policy_counts_as_staffing_a_role():
    s = scenario(compare=["active_passive"], staffing={"active_passive": {
        "csm": {"per_arr": 1_000_000, "min": 1},
        "support_agent": {"per_tickets_per_month": 250},
    }})
    assert [d.name for d in compared(s)] == ["active_passive"]
