"""Loading a scenario (simulate/scenario/load.py): files in, a checked Scenario or one line per problem."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulate.consistency import load, parse
from simulate.scenario import Scenario, ScenarioError, locate

REPO = Path(__file__).resolve().parents[1]

SMALL: dict[str, Any] = {
    "name": "small",
    "horizon_months": 6,
    "warmup_months": 1,
    "compare": ["full_stack", "active_passive"],
    "segments": {"smb": {"initial_accounts": 20, "new_per_month": 2, "acv": 6000,
                         "tickets_per_month": 0.5}},
    "tickets": {"types": {
        "how_to": {"share": 0.7, "handle_hours": 0.25},
        "technical": {"share": 0.3, "handle_hours": 0.75, "escalation_rate": 0.4},
    }},
    "staffing": {
        "full_stack": {"csm": 2},
        "active_passive": {"csm": 1, "support_agent": {"per_tickets_per_month": 250, "min": 1}},
    },
}


def small(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(SMALL)
    doc.update(changes)
    return doc


def write(tmp_path: Path, doc: Any, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def problems(path: Path | str) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        load(path)
    return err.value.problems


def one_line_naming(path: Path, lines: list[str]) -> str:
    """The single problem line, which names the file."""
    assert len(lines) == 1, lines
    line = lines[0]
    assert "\n" not in line
    assert line.startswith(f"{path}: ")
    return line


# --- Files that load ------------------------------------------------------------------------


def test_baseline_scenario_loads():
    s = load(REPO / "scenarios" / "baseline.yaml")
    assert isinstance(s, Scenario)
    assert s.name == "baseline"
    assert s.compare == ["full_stack", "active_passive", "refined", "integrated"]
    assert set(s.segments) == {"smb", "mid_market", "enterprise"}


def test_bare_name_resolves_in_scenarios_dir(monkeypatch):
    monkeypatch.chdir(REPO)
    assert locate("baseline") == Path("scenarios/baseline.yaml")
    assert load("baseline").name == "baseline"


def test_bare_name_also_finds_a_yml_file(tmp_path, monkeypatch):
    (tmp_path / "scenarios").mkdir()
    write(tmp_path / "scenarios", small(), "tiny.yml")
    monkeypatch.chdir(tmp_path)
    assert locate("tiny") == Path("scenarios/tiny.yml")
    assert load("tiny").name == "small"


def test_path_with_a_suffix_is_taken_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert locate("baseline.yaml") == Path("baseline.yaml")


def test_small_scenario_from_a_file_loads(tmp_path):
    s = load(write(tmp_path, small()))
    assert s.horizon_months == 6
    assert s.segments["smb"].acv.dist == "lognormal"
    assert s.staffing.plans["active_passive"]["csm"] == 1


def test_name_defaults_to_the_file_stem(tmp_path):
    doc = small()
    del doc["name"]
    assert load(write(tmp_path, doc, "my_case.yaml")).name == "my_case"


def test_overrides_replace_top_level_fields_and_none_is_ignored(tmp_path):
    s = load(write(tmp_path, small()), replications=3, seed=None)
    assert s.replications == 3
    assert s.seed == 0


def test_utf8_file_with_byte_order_mark_loads(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + yaml.safe_dump(small()).encode("utf-8"))
    assert load(path).name == "small"


# --- Invalid contents: one line per problem, naming file and field --------------------------


def test_unknown_top_level_key_suggests_the_close_one(tmp_path):
    doc = small()
    doc["horizon_month"] = doc.pop("horizon_months")
    path = write(tmp_path, doc)
    line = one_line_naming(path, problems(path))
    assert "horizon_month: unknown key (did you mean 'horizon_months'?)" in line


@pytest.mark.parametrize(
    ("where", "typo", "meant"),
    [
        (("segments", "smb"), "tickets_per_mnth", "tickets_per_month"),
        (("segments", "smb", "acv"), "cvv", "cv"),
        (("tickets", "types", "technical"), "escalaton_rate", "escalation_rate"),
        (("health", "bands"), "yelow", "yellow"),
        (("roles", "csm"), "productive_shar", "productive_share"),
    ],
)
def test_unknown_nested_key_suggests_the_close_one(tmp_path, where, typo, meant):
    doc = small(health={"bands": {"green": 75, "yellow_green": 60}},
                roles={"csm": {"annual_cost": 1}})
    doc["segments"]["smb"]["acv"] = {"dist": "lognormal", "mean": 6000, "cv": 0.5}
    node = doc
    for key in where:
        node = node[key]
    node[typo] = 1
    path = write(tmp_path, doc)
    field = ".".join((*where, typo))
    assert f"{field}: unknown key (did you mean '{meant}'?)" in "\n".join(problems(path))


def test_unknown_key_far_from_any_known_one_gets_no_suggestion(tmp_path):
    path = write(tmp_path, small(zzzz=1))
    line = one_line_naming(path, problems(path))
    assert line.endswith("zzzz: unknown key")


def test_unknown_ratio_policy_key_suggests_the_close_one(tmp_path):
    doc = small()
    doc["staffing"]["full_stack"]["csm"] = {"per_ar": 1_000_000}
    path = write(tmp_path, doc)
    line = one_line_naming(path, problems(path))
    assert "staffing.full_stack.csm.per_ar: unknown key (did you mean 'per_arr'?)" in line


def test_misspelt_hiring_lag_suggests_the_close_one(tmp_path):
    doc = small()
    doc["staffing"]["hiring_lag_dys"] = 40
    path = write(tmp_path, doc)
    line = one_line_naming(path, problems(path))
    assert "did you mean 'hiring_lag_days'" in line


def test_type_shares_not_summing_to_one_are_rejected(tmp_path):
    doc = small()
    doc["tickets"]["types"]["how_to"]["share"] = 0.6
    path = write(tmp_path, doc)
    line = one_line_naming(path, problems(path))
    assert "tickets" in line
    assert "shares must sum to 1 (got 0.9)" in line


def test_type_shares_summing_to_one_within_rounding_are_accepted(tmp_path):
    doc = small()
    doc["tickets"]["types"] = {
        "a": {"share": 0.1, "handle_hours": 1},
        "b": {"share": 0.2, "handle_hours": 1},
        "c": {"share": 0.7, "handle_hours": 1},
    }
    assert load(write(tmp_path, doc)).tickets.types["c"].share == 0.7


@pytest.mark.parametrize(("warmup", "horizon"), [(6, 6), (12, 6)])
def test_warmup_not_shorter_than_horizon_is_rejected(tmp_path, warmup, horizon):
    path = write(tmp_path, small(warmup_months=warmup, horizon_months=horizon))
    line = one_line_naming(path, problems(path))
    assert "warmup_months" in line
    assert "horizon_months" in line


def test_negative_rate_is_rejected_naming_the_field(tmp_path):
    doc = small()
    doc["segments"]["smb"]["tickets_per_month"] = -1
    path = write(tmp_path, doc)
    line = one_line_naming(path, problems(path))
    assert "segments.smb.tickets_per_month: must be ≥ 0" in line


def test_probability_above_one_is_rejected_naming_the_field(tmp_path):
    path = write(tmp_path, small(opt_out={"share": 1.5}))
    line = one_line_naming(path, problems(path))
    assert "opt_out.share: must be ≤ 1" in line


def test_every_problem_gets_its_own_line(tmp_path):
    doc = small(horizon_month=6, replications=0)
    doc["segments"]["smb"]["tickets_per_month"] = -1
    lines = problems(write(tmp_path, doc))
    assert len(lines) == 3
    assert all(line.count("\n") == 0 for line in lines)


def test_unknown_distribution_is_rejected_naming_the_field(tmp_path):
    doc = small()
    doc["segments"]["smb"]["acv"] = {"dist": "weibull", "mean": 6000}
    path = write(tmp_path, doc)
    line = one_line_naming(path, problems(path))
    assert "segments.smb.acv.dist" in line
    assert "weibull" in line


def test_quantity_missing_its_spread_is_rejected_naming_the_field(tmp_path):
    doc = small()
    doc["segments"]["smb"]["acv"] = {"dist": "lognormal", "mean": 6000}
    path = write(tmp_path, doc)
    line = one_line_naming(path, problems(path))
    assert "segments.smb.acv: lognormal needs cv or sd" in line


def test_unknown_compared_design_is_rejected(tmp_path):
    path = write(tmp_path, small(compare=["full_stack", "refind"]))
    line = one_line_naming(path, problems(path))
    assert "compare: unknown design 'refind'" in line


def test_compared_design_without_a_routed_role_is_rejected(tmp_path):
    doc = small()
    del doc["staffing"]["active_passive"]["support_agent"]
    path = write(tmp_path, doc)
    line = one_line_naming(path, problems(path))
    assert "staffing.active_passive.support_agent: missing" in line


def test_cyclic_custom_design_is_rejected_naming_its_base(tmp_path):
    path = write(tmp_path, small(designs={"a": {"base": "b"}, "b": {"base": "a"}}))
    line = one_line_naming(path, problems(path))
    assert "designs.a.base: cyclic base" in line


def test_parse_prefixes_problems_with_the_source():
    with pytest.raises(ScenarioError) as err:
        parse(small(replications=0), "inline")
    assert err.value.problems == ["inline: replications: must be ≥ 1 (got 0)"]


# --- Unusable files: one clear line naming the file -----------------------------------------


def test_yaml_syntax_error_gives_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: t\nhorizon_months: 36\nwarmup_months: 3: 4\n", encoding="utf-8")
    line = one_line_naming(path, problems(path))
    assert re.search(r"line 3, column \d+: YAML syntax error", line)


def test_yaml_tab_indentation_error_gives_line_and_column(tmp_path):
    path = tmp_path / "tabs.yaml"
    path.write_text("name: t\n\tsegments: 1\n", encoding="utf-8")
    line = one_line_naming(path, problems(path))
    assert "line 2, column 1: YAML syntax error" in line


def test_unclosed_flow_mapping_gives_line_and_column(tmp_path):
    path = tmp_path / "open.yaml"
    path.write_text("name: t\nsegments:\n  smb: {initial_accounts: 1\ncompare: [a]\n",
                    encoding="utf-8")
    line = one_line_naming(path, problems(path))
    assert re.search(r"line \d+, column \d+: YAML syntax error", line)


@pytest.mark.parametrize("text", ["", "\n\n", "# nothing but a comment\n"])
def test_empty_file_is_one_clear_line(tmp_path, text):
    path = tmp_path / "empty.yaml"
    path.write_text(text, encoding="utf-8")
    line = one_line_naming(path, problems(path))
    assert "empty file" in line


def test_list_document_is_one_clear_line(tmp_path):
    path = write(tmp_path, [small()], "list.yaml")
    line = one_line_naming(path, problems(path))
    assert "a scenario is a YAML mapping (got a list)" in line


def test_scalar_document_is_one_clear_line(tmp_path):
    path = tmp_path / "scalar.yaml"
    path.write_text("just words\n", encoding="utf-8")
    line = one_line_naming(path, problems(path))
    assert "a scenario is a YAML mapping" in line


def test_non_utf8_file_is_one_clear_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: café\n".encode("latin-1"))
    line = one_line_naming(path, problems(path))
    assert "not a UTF-8 text file" in line


def test_binary_file_is_one_clear_line(tmp_path):
    path = tmp_path / "blob.yaml"
    path.write_bytes(b"name: t\x00\x01\x02")
    line = one_line_naming(path, problems(path))
    assert "binary file" in line


def test_missing_file_is_one_clear_line(tmp_path):
    path = tmp_path / "absent.yaml"
    line = one_line_naming(path, problems(path))
    assert "no such file" in line


def test_missing_bare_name_is_one_clear_line_naming_it_and_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert problems("nowhere") == ["nowhere: no such file (looked for nowhere.yaml and nowhere.yml "
                                   f"in scenarios and {REPO / 'scenarios'})"]


def test_directory_is_one_clear_line(tmp_path):
    folder = tmp_path / "a_folder"
    folder.mkdir()
    line = one_line_naming(folder, problems(folder))
    assert "is a directory" in line


def test_scenario_error_message_is_its_problem_lines():
    err = ScenarioError(["a.yaml: x: bad", "a.yaml: y: worse"])
    assert str(err) == "a.yaml: x: bad\na.yaml: y: worse"
