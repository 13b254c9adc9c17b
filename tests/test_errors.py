"""Bad input gets a clear answer (issue 4): every problem of a scenario file, one line each, through
the command line — `orgsim run FILE` and `orgsim validate FILE…` — with exit status 2, the file
and the field named, and never a traceback.

Every case goes through `run` and `validate` in this process (click's runner: the same code, without
the second or so it takes to start the program); the real program is then run in subprocesses on a
few cases, and `orgsim validate` once on all the case files together.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from simulate.cli import main
from simulate.scenario import ScenarioError, parse

from conftest import REPO, orgsim

KNOWN = "full_stack, active_passive, refined, integrated"
DISTS = "fixed, exponential, lognormal, gamma, normal, uniform"
ROLE_LIST = "csm, support_agent, implementation, cs_ops, tech_support"
POLICY = "a count or a policy mapping such as {per_arr: 2000000, min: 1}"

# A small valid scenario; each case changes one thing (or several, where it says so).
BASE: dict[str, Any] = {
    "name": "base",
    "horizon_months": 6,
    "warmup_months": 1,
    "replications": 2,
    "compare": ["full_stack", "active_passive"],
    "segments": {"smb": {"initial_accounts": 20, "new_per_month": 2, "acv": 6000,
                         "tickets_per_month": 0.5, "touch_every_days": 60}},
    "tickets": {"types": {
        "how_to": {"share": 0.7, "handle_hours": 0.25},
        "technical": {"share": 0.3, "handle_hours": 0.75, "escalation_rate": 0.4},
    }},
    "opt_out": {"share": 0.1},
    "staffing": {
        "hiring_lag_days": 20,
        "full_stack": {"csm": 2},
        "active_passive": {"csm": 1, "support_agent": {"per_tickets_per_month": 250, "min": 1}},
    },
}


class Re(str):
    """An expected line given as a regular expression (others are matched exactly)."""


@dataclass(frozen=True)
class Case:
    write: Callable[[Path], None]  # writes the case's file (or folder) at the path given
    lines: tuple[str, ...]  # what follows `<file>: ` on each line of stderr, in order


def edit(change: Callable[[dict[str, Any]], None], *lines: str) -> Case:
    """The base scenario with `change` applied, written as YAML."""

    def write(path: Path) -> None:
        doc = copy.deepcopy(BASE)
        change(doc)
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")

    return Case(write, lines)


def raw(content: str | bytes, *lines: str) -> Case:
    """A file with exactly these bytes (text is written as UTF-8)."""
    data = content.encode("utf-8") if isinstance(content, str) else content

    def write(path: Path) -> None:
        path.write_bytes(data)

    return Case(write, lines)


def at(*keys_and_value: Any) -> Callable[[dict[str, Any]], None]:
    """A change setting doc[k1][k2]…[kn] = value."""
    *keys, value = keys_and_value

    def change(doc: dict[str, Any]) -> None:
        node = doc
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    return change


def drop(*keys: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        node = doc
        for key in keys[:-1]:
            node = node[key]
        del node[keys[-1]]

    return change


def several(doc: dict[str, Any]) -> None:
    """Seven problems of five kinds, spread over the file."""
    doc["horizon_month"] = doc.pop("horizon_months")  # unknown key (so the horizon is the default 36)
    doc["warmup_months"] = 40  # not shorter than the horizon
    doc["compare"] = ["full_stack", "active_passive", "refind"]  # unknown design
    smb = doc["segments"]["smb"]
    smb["tickets_per_month"] = -1  # out of range
    smb["acv"] = {"dist": "weibul", "mean": 6000}  # unknown distribution
    smb["initial_accounts"] = "twenty"  # wrong type
    del doc["staffing"]["active_passive"]["support_agent"]  # a routed role unstaffed


CASES: dict[str, Case] = {
    # --- the file itself
    "yaml_syntax": raw("name: t\nhorizon_months: 36\nwarmup_months: 3: 4\n",
                       "line 3, column 17: YAML syntax error: mapping values are not allowed here"),
    "yaml_tab": raw("name: t\n\tsegments: 1\n",
                    "line 2, column 1: YAML syntax error: found character '\\t' that cannot start any token"),
    "yaml_unclosed": raw("name: t\nsegments:\n  smb: {initial_accounts: 1\ncompare: [a]\n",
                         Re(r"line 4, column \d+: YAML syntax error: .+")),
    "yaml_control_character": raw("name: t\x07\n",
                                  "line 1, column 8: YAML syntax error: character '\\x07' is "
                                  "not allowed in YAML"),
    "yaml_duplicate_key": raw(
        "name: t\nsegments:\n  smb: {initial_accounts: 1}\n  smb: {initial_accounts: 2}\n",
        "line 4, column 3: duplicate key 'smb' (YAML would keep only the last)"),
    "empty": raw("", "empty file; a scenario is a YAML mapping"),
    "only_comments": raw("# to do\n\n", "empty file; a scenario is a YAML mapping"),
    "list_document": raw("- name: t\n- segments: {}\n", "a scenario is a YAML mapping (got a list)"),
    "scalar_document": raw("just some words\n", "a scenario is a YAML mapping (got text)"),
    "binary": raw(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not YAML"),
    "not_utf8": raw("name: café\n".encode("latin-1"), "not a UTF-8 text file (byte 9)"),
    "missing_file": Case(lambda path: None, ("no such file",)),
    "directory": Case(lambda path: path.mkdir(), ("is a directory, not a scenario file",)),
    # --- keys and types
    "unknown_key": edit(lambda d: d.update(horizon_month=d.pop("horizon_months")),
                        "horizon_month: unknown key (did you mean 'horizon_months'?)"),
    "unknown_nested_key": edit(at("segments", "smb", "tickets_per_mnth", 1),
                               "segments.smb.tickets_per_mnth: unknown key (did you mean "
                               "'tickets_per_month'?)"),
    "unknown_role": edit(at("roles", {"cssm": {"annual_cost": 1}}),
                         f"roles.cssm: unknown role 'cssm' (did you mean 'csm'? one of {ROLE_LIST})"),
    "wrong_type": edit(at("segments", "smb", "initial_accounts", "twenty"),
                       "segments.smb.initial_accounts: expected a whole number (got 'twenty')"),
    "flag_for_a_number": edit(at("segments", "smb", "tickets_per_month", True),
                              "segments.smb.tickets_per_month: expected a number, not true/false (got true)"),
    "section_not_a_mapping": edit(at("tickets", [1, 2]), "tickets: expected a mapping (got [1, 2])"),
    "list_not_a_list": edit(at("compare", "full_stack"), "compare: expected a list (got 'full_stack')"),
    # --- ranges
    "negative_rate": edit(at("segments", "smb", "tickets_per_month", -1),
                          "segments.smb.tickets_per_month: must be ≥ 0 (got -1)"),
    "probability_above_one": edit(at("opt_out", "share", 1.5), "opt_out.share: must be ≤ 1 (got 1.5)"),
    "zero_replications": edit(at("replications", 0), "replications: must be ≥ 1 (got 0)"),
    "infinite_horizon": edit(at("horizon_months", float("inf")),
                             "horizon_months: must be a finite number (got inf)"),
    "not_a_number": edit(at("segments", "smb", "new_per_month", float("nan")),
                         "segments.smb.new_per_month: must be a finite number (got nan)"),
    "shares_not_one": edit(at("tickets", "types", "how_to", "share", 0.6),
                           "tickets.types: shares must sum to 1 (got 0.9)"),
    "bands_not_descending": edit(at("health", {"bands": {"green": 50, "yellow_green": 60, "yellow": 40}}),
                                 "health.bands: must descend green > yellow_green > yellow (got 50, 60, 40)"),
    "warmup_not_shorter": edit(at("warmup_months", 6),
                               "warmup_months: must be shorter than horizon_months (got 6 ≥ 6)"),
    # --- quantities (distributions)
    "unknown_distribution": edit(at("segments", "smb", "acv", {"dist": "weibul", "mean": 6000}),
                                 f"segments.smb.acv.dist: unknown distribution 'weibul' (one of {DISTS})"),
    "misspelt_distribution": edit(
        at("segments", "smb", "acv", {"dist": "lognorm", "mean": 6000, "cv": 0.5}),
        f"segments.smb.acv.dist: unknown distribution 'lognorm' (did you mean 'lognormal'? one of {DISTS})"),
    "distribution_without_spread": edit(at("segments", "smb", "acv", {"dist": "lognormal", "mean": 6000}),
                                        "segments.smb.acv: lognormal needs cv or sd"),
    "uniform_without_bounds": edit(at("tickets", "types", "how_to", "handle_hours", {"dist": "uniform"}),
                                   "tickets.types.how_to.handle_hours: uniform needs low and high"),
    "distribution_without_dist": edit(
        at("segments", "smb", "acv", {"mean": 6000, "cv": 0.5}),
        f"segments.smb.acv.dist: missing: a distribution needs dist (one of {DISTS})"),
    "quantity_of_wrong_type": edit(at("segments", "smb", "acv", "large"),
                                   "segments.smb.acv: expected a number or {dist, mean, cv|sd} "
                                   "(got 'large')"),
    # --- designs and staffing
    "unknown_compared_design": edit(
        at("compare", ["full_stack", "refind"]),
        f"compare: unknown design 'refind' (did you mean 'refined'? known: {KNOWN})"),
    "design_compared_twice": edit(at("compare", ["full_stack", "full_stack"]),
                                  "compare: design 'full_stack' is listed twice"),
    "unknown_base": edit(at("designs", {"mine": {"base": "nope"}}),
                         f"designs.mine.base: unknown design 'nope' (known: {KNOWN}, mine)"),
    "cyclic_base": edit(at("designs", {"a": {"base": "b"}, "b": {"base": "a"}}),
                        "designs.a.base: cyclic base (a → b → a)"),
    "custom_design_without_base": edit(at("designs", {"mine": {"inbound": "support_agent"}}),
                                       f"designs.mine.base: a custom design needs a base (one of {KNOWN})"),
    "unknown_route": edit(
        at("designs", {"full_stack": {"inbound": "support"}}),
        "designs.full_stack.inbound: unknown value 'support' "
        "(did you mean 'support_agent'? one of owner_csm, support_agent)"),
    "routed_role_unstaffed": edit(
        drop("staffing", "active_passive", "support_agent"),
        "staffing.active_passive.support_agent: missing: design "
        "'active_passive' routes work to support_agent"),
    "compared_design_unstaffed": edit(
        drop("staffing", "active_passive"),
        "staffing.active_passive: missing: every compared design needs staffing (roles csm, support_agent)"),
    "no_csm": edit(at("staffing", "full_stack", "csm", 0),
                   "staffing.full_stack.csm: must staff at least one CSM (a count ≥ 1, or min ≥ 1)"),
    "staffing_unknown_design": edit(
        at("staffing", "fullstack", {"csm": 1}),
        f"staffing.fullstack: unknown design 'fullstack' (did you mean 'full_stack'? known: {KNOWN})"),
    "staffing_misspelt_hiring_lag": edit(at("staffing", "hiring_lag_dys", 40),
                                         "staffing.hiring_lag_dys: unknown key (did you mean "
                                         "'hiring_lag_days'?)"),
    "staffing_design_not_a_mapping": edit(
        at("staffing", "full_stack", 3),
        "staffing.full_stack: expected a design's staffing, a mapping of role → count or policy (got 3)"),
    "staffing_unknown_role": edit(
        at("staffing", "full_stack", "csmm", 1),
        f"staffing.full_stack.csmm: unknown role 'csmm' (did you mean 'csm'? one of {ROLE_LIST})"),
    "policy_of_wrong_type": edit(at("staffing", "full_stack", "csm", "two"),
                                 f"staffing.full_stack.csm: expected {POLICY} (got 'two')"),
    "policy_negative_count": edit(at("staffing", "full_stack", "csm", -1),
                                  "staffing.full_stack.csm: must be ≥ 0 (got -1)"),
    "policy_fractional_count": edit(at("staffing", "full_stack", "csm", 1.5),
                                    "staffing.full_stack.csm: expected a whole number (got 1.5)"),
    "policy_misspelt_driver": edit(at("staffing", "full_stack", "csm", {"per_ar": 1_000_000, "min": 1}),
                                   "staffing.full_stack.csm.per_ar: unknown key (did you mean 'per_arr'?)"),
    "policy_two_drivers": edit(
        at("staffing", "full_stack", "csm", {"per_arr": 1_000_000, "per_accounts": 50}),
        "staffing.full_stack.csm: needs exactly one of per_arr, per_accounts, per_tickets_per_month, "
        "per_new_accounts_per_month, per_escalations_per_month (got per_arr, per_accounts)"),
    "target_unknown_kpi": edit(at("targets", {"frt_p90": "<= 4"}),
                               "targets.frt_p90: unknown KPI 'frt_p90' (did you mean 'frt_p90_h'?)"),
    # --- several problems in one file: all of them, in the order of the file
    "several": edit(
        several,
        "warmup_months: must be shorter than horizon_months (got 40 ≥ 36)",
        f"compare: unknown design 'refind' (did you mean 'refined'? known: {KNOWN})",
        "segments.smb.initial_accounts: expected a whole number (got 'twenty')",
        f"segments.smb.acv.dist: unknown distribution 'weibul' (one of {DISTS})",
        "segments.smb.tickets_per_month: must be ≥ 0 (got -1)",
        "staffing.active_passive.support_agent: missing: design "
        "'active_passive' routes work to support_agent",
        "horizon_month: unknown key (did you mean 'horizon_months'?)",
    ),
}


@pytest.fixture(scope="module")
def case_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every case's file, written once into one folder."""
    root = tmp_path_factory.mktemp("cases")
    paths = {}
    for name, case in CASES.items():
        paths[name] = root / f"{name}.yaml"
        case.write(paths[name])
    return paths


def invoke(*args: object) -> Result:
    """The command line in this process (the subprocess tests below cover the real program)."""
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_lines(stderr: str, path: Path, expected: tuple[str, ...]) -> None:
    """stderr is exactly `<path>: <expected line>` for each expected line, in order."""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == len(expected), stderr
    for line, want in zip(lines, expected, strict=True):
        assert line.startswith(f"{path}: "), line
        rest = line.removeprefix(f"{path}: ")
        if isinstance(want, Re):
            assert re.fullmatch(want, rest), (rest, want)
        else:
            assert rest == want


def assert_bad_input(result: Result) -> None:
    """Exit status 2 through sys.exit, nothing on stdout, no exception escaping."""
    assert result.exit_code == 2, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""


@pytest.mark.parametrize("name", CASES)
def test_run_exits_2_with_one_line_per_problem_and_writes_nothing(case_files, tmp_path, name):
    result = invoke("run", case_files[name], "--out", tmp_path / "out")
    assert_bad_input(result)
    assert_lines(result.stderr, case_files[name], CASES[name].lines)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("name", CASES)
def test_validate_prints_the_same_lines(case_files, name):
    result = invoke("validate", case_files[name])
    assert_bad_input(result)
    assert_lines(result.stderr, case_files[name], CASES[name].lines)


def expected_stderr(case_files: dict[str, Path], *names: str) -> str:
    """What validate prints for these cases, file after file (as the tests above check)."""
    return "".join(invoke("validate", case_files[n]).stderr for n in names)


# --- The real program, in subprocesses: exit status 2 and no traceback ----------------------

REAL_RUNS = ("yaml_syntax", "directory", "several")


def test_the_program_exits_2_without_a_traceback(case_files, tmp_path):
    def one(name: str) -> subprocess.CompletedProcess[str]:
        return orgsim("run", case_files[name], "--out", tmp_path / name, timeout=120)

    with ThreadPoolExecutor(max_workers=3) as pool:
        processes = dict(zip(REAL_RUNS, pool.map(one, REAL_RUNS), strict=True))
    for name, process in processes.items():
        assert process.returncode == 2, (name, process.stderr)
        assert process.stdout == ""
        assert "Traceback" not in process.stderr
        assert_lines(process.stderr, case_files[name], CASES[name].lines)
        assert not (tmp_path / name).exists()


def test_validate_checks_every_file_and_prints_every_problem(case_files):
    process = orgsim("validate", *case_files.values())
    assert process.returncode == 2
    assert process.stdout == ""
    assert "Traceback" not in process.stderr
    assert process.stderr == expected_stderr(case_files, *CASES)


def test_validate_names_only_the_bad_files(case_files, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(BASE, sort_keys=False), encoding="utf-8")
    bad = ("negative_rate", "missing_file", "several")
    process = orgsim("validate", good, case_files[bad[0]], case_files[bad[1]], good, case_files[bad[2]])
    assert process.returncode == 2
    assert process.stdout == ""
    assert str(good) not in process.stderr
    assert process.stderr.splitlines() == [f"{case_files[n]}: {line}" for n in bad for line in CASES[n].lines]


def test_validate_good_files_prints_nothing_and_exits_0(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(BASE, sort_keys=False), encoding="utf-8")
    shipped = sorted((REPO / "scenarios").glob("*.yaml"))
    assert shipped
    result = invoke("validate", good, *shipped)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_unknown_design_on_the_command_line_is_named_like_one_in_the_file(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(yaml.safe_dump(BASE, sort_keys=False), encoding="utf-8")
    result = invoke("run", path, "--designs", "full_stack,refind", "--out", tmp_path / "out")
    assert_bad_input(result)
    assert result.stderr.splitlines() == [
        f"{path}: compare: unknown design 'refind' (did you mean 'refined'? known: {KNOWN})"]


# --- In-process: how problems are gathered --------------------------------------------------


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        parse(doc, "in.yaml")
    return err.value.problems


def test_a_cross_check_on_a_field_in_error_is_not_reported_twice():
    doc = copy.deepcopy(BASE)
    doc["horizon_months"] = "long"
    doc["warmup_months"] = 40  # would be ≥ the horizon, but the horizon is unknown
    assert problems(doc) == ["in.yaml: horizon_months: expected a number (got 'long')"]


def test_design_checks_run_beside_field_errors_elsewhere():
    doc = copy.deepcopy(BASE)
    doc["segments"]["smb"]["tickets_per_month"] = -1
    doc["compare"] = ["full_stack", "integrated"]
    assert problems(doc) == [
        "in.yaml: segments.smb.tickets_per_month: must be ≥ 0 (got -1)",
        "in.yaml: staffing.integrated: missing: every compared design needs staffing "
        "(roles csm, support_agent, implementation, tech_support)",
    ]


def test_design_checks_wait_for_their_own_sections_to_be_valid():
    doc = copy.deepcopy(BASE)
    doc["staffing"]["full_stack"]["csm"] = "two"  # staffing invalid: no 'missing' lines about it
    doc["compare"] = ["full_stack", "integrated"]
    assert problems(doc) == [f"in.yaml: staffing.full_stack.csm: expected {POLICY} (got 'two')"]


def test_every_problem_of_every_design_is_reported():
    doc = copy.deepcopy(BASE)
    doc["compare"] = ["full_stack", "active_passive", "refined", "integrated", "x"]
    doc["designs"] = {"a": {"base": "b"}, "b": {"base": "a"}, "c": {"base": "zzz"}}
    lines = problems(doc)
    assert lines == [  # in the order of the file: `designs` comes after `staffing` here
        "in.yaml: compare: unknown design 'x' (known: " + KNOWN + ", a, b, c)",
        "in.yaml: staffing.refined: missing: every compared design needs staffing "
        "(roles csm, support_agent, implementation)",
        "in.yaml: staffing.integrated: missing: every compared design needs staffing "
        "(roles csm, support_agent, implementation, tech_support)",
        "in.yaml: designs.a.base: cyclic base (a → b → a)",  # once, not again from b
        "in.yaml: designs.c.base: unknown design 'zzz' (known: " + KNOWN + ", a, b, c)",
    ]


def test_designs_are_resolved_even_when_staffing_is_in_error():
    doc = copy.deepcopy(BASE)
    doc["staffing"]["hiring_lag_dys"] = 40
    doc["compare"] = ["full_stack", "refind"]
    assert problems(doc) == [
        f"in.yaml: compare: unknown design 'refind' (did you mean 'refined'? known: {KNOWN})",
        "in.yaml: staffing.hiring_lag_dys: unknown key (did you mean 'hiring_lag_days'?)",
    ]


def test_true_or_false_is_not_taken_for_a_number_and_the_schema_keeps_its_bounds():
    """Numbers reject YAML booleans (pydantic would read `yes` as 1) without hiding their limits
    from `orgsim schema`."""
    doc = copy.deepcopy(BASE)
    doc["replications"] = True
    assert problems(doc) == ["in.yaml: replications: expected a number, not true/false (got true)"]
    schema = json.loads(invoke("schema").stdout)
    assert schema["properties"]["horizon_months"]["exclusiveMinimum"] == 0
    assert schema["properties"]["replications"]["minimum"] == 1
    share = schema["$defs"]["OptOut"]["properties"]["share"]
    assert (share["minimum"], share["maximum"]) == (0, 1)
