"""Bad scenario files and what each must make `orgsim run` and `orgsim validate` print.

A small valid scenario (`BASE`) and a table of cases (`CASES`), each changing one thing in it (or
several, where it says so) or writing a file that is not a scenario at all; each case lists the
lines that must follow `<file>: ` on stderr, in order. Shared by the test_errors_* files.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

KNOWN = "full_stack, active_passive, refined, integrated"
DISTS = "fixed, exponential, lognormal, gamma, normal, uniform"
ROLE_LIST = "csm, support_agent, implementation, cs_ops, tech_support, account_manager"
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
