"""The user's view: `orgsim` on the tiny scenario, the files it writes, the errors it prints."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from simulate.cli import main
from simulate.consistency import load
from simulate.runner import replication_seeds

from conftest import DESIGNS, REPO, TINY, Run, run_tiny

SUMMARY_HEADER = "design,segment,window,kpi,mean,ci_low,ci_high,n,diff_mean,diff_low,diff_high"
FILES = {"summary.csv", "replications.csv", "monthly.csv", "distributions.csv", "plan.csv", "scenario.yaml",
         "manifest.json", "report.html", "verdict.json"}
ROLE_KPIS = tuple(f"utilization_{r}" for r in ("csm", "support_agent", "implementation", "tech_support"))
KPIS = (
    "cs_cost", "total_cost", "cost_to_arr", "arr_per_csm", "accounts_per_csm",
    "frt_mean_h", "frt_p50_h", "frt_p90_h", "resolution_p50_h", "resolution_p90_h", "sla_met",
    "escalation_p90_h", "time_to_live_days", "touches_on_time", "csm_proactive_share", *ROLE_KPIS,
    "logo_churn", "logo_renewal_rate", "grr", "nrr", "arr_end", "accounts_end",
    "green_share", "yellow_green_share", "yellow_share", "red_share",
    "saves", "wins", "saved_arr_renewed", "expansion_arr", "referral_accounts",
)
# DESIGN.md §6: first response, time to live, churn, renewal, GRR, NRR, ARR, accounts, health mix.
ACCOUNT_FACING = (
    "frt_mean_h", "frt_p50_h", "frt_p90_h", "time_to_live_days", "logo_churn", "logo_renewal_rate",
    "grr", "nrr", "arr_end", "accounts_end", "green_share", "yellow_green_share", "yellow_share",
    "red_share",
)
# Roles each built-in design staffs in the tiny scenario (utilization is undefined elsewhere).
STAFFED = {design: set(TINY["staffing"][design]) for design in DESIGNS}


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode())))


@pytest.fixture(scope="module")
def summary(tiny_run: Run) -> list[dict[str, str]]:
    return rows(tiny_run.read("summary.csv"))


# --- The run directory ----------------------------------------------------------------------


def test_run_exits_zero_and_prints_the_run_directory_last(tiny_run: Run):
    assert tiny_run.process.returncode == 0
    assert tiny_run.path.is_dir()


def test_run_directory_is_out_scenario_name_run_id(tiny_run: Run):
    assert tiny_run.path.parent == tiny_run.out / "tiny"
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]+", tiny_run.path.name), tiny_run.path.name


def test_run_writes_exactly_its_files_and_nothing_half_written(tiny_run: Run):
    assert {p.name for p in tiny_run.path.iterdir()} == FILES
    assert [p.name for p in tiny_run.path.parent.iterdir()] == [tiny_run.path.name]


def test_run_prints_a_comparison_table_before_the_path(tiny_run: Run):
    lines = tiny_run.process.stdout.strip().splitlines()
    table = "\n".join(lines[:-1])
    assert f"tiny: {TINY['replications']} replications" in table
    assert all(design[:10] in table for design in DESIGNS)  # narrow terminals truncate names


# --- summary.csv ----------------------------------------------------------------------------


def test_summary_has_the_exact_header(tiny_run: Run):
    assert tiny_run.read("summary.csv").decode().splitlines()[0] == SUMMARY_HEADER


def test_summary_has_every_kpi_for_the_whole_book_under_every_design(summary):
    present = {(r["design"], r["kpi"]) for r in summary if r["segment"] == "all"}
    missing = [(d, k) for d in DESIGNS for k in KPIS
               if (d, k) not in present and not (k in ROLE_KPIS and k[12:] not in STAFFED[d])]
    assert not missing


def test_summary_has_utilization_of_every_role_some_design_staffs(summary):
    present = {(r["design"], r["kpi"]) for r in summary if r["segment"] == "all"}
    for design in DESIGNS:
        for kpi in ROLE_KPIS:
            if kpi[12:] in STAFFED[design]:
                assert (design, kpi) in present


def test_summary_has_per_segment_rows_for_account_facing_kpis(summary):
    present = {(r["design"], r["segment"], r["kpi"]) for r in summary}
    missing = [(d, s, k) for d in DESIGNS for s in TINY["segments"] for k in ACCOUNT_FACING
               if (d, s, k) not in present]
    assert not missing


def test_summary_segments_are_all_or_a_scenario_segment(summary):
    assert {r["segment"] for r in summary} == {"all", *TINY["segments"]}


def test_summary_of_a_period_shorter_than_six_months_has_only_the_all_window(summary):
    assert {r["window"] for r in summary} == {"all"}


def test_summary_counts_every_replication(summary):
    counts = {int(r["n"]) for r in summary if r["kpi"] in ("cs_cost", "arr_end", "grr")}
    assert counts == {TINY["replications"]}


def test_first_design_differs_from_itself_by_zero(summary):
    first = [r for r in summary if r["design"] == DESIGNS[0] and int(r["n"]) > 0]
    assert first
    assert all(float(r["diff_mean"]) == 0.0 for r in first)


def test_kpis_not_applicable_to_a_design_have_rows_with_no_values(summary):
    """full_stack staffs no support agents: its row says so (n = 0) rather than vanishing."""
    row = next(r for r in summary if r["design"] == "full_stack" and r["segment"] == "all"
               and r["kpi"] == "utilization_support_agent")
    assert int(row["n"]) == 0 and row["mean"] == ""


def test_confidence_interval_brackets_the_mean(summary):
    for r in summary:
        if r["ci_low"] and r["ci_high"]:
            assert float(r["ci_low"]) <= float(r["mean"]) <= float(r["ci_high"]), r


# --- replications.csv, monthly.csv, scenario.yaml, manifest.json ----------------------------


def test_replications_has_one_row_per_design_and_replication(tiny_run: Run):
    """Five measured months: too short for a year window, so each row is the whole period."""
    table = rows(tiny_run.read("replications.csv"))
    seeds = replication_seeds(TINY["seed"], TINY["replications"])
    expected = [(d, str(r), str(s), "all") for d in DESIGNS for r, s in enumerate(seeds)]
    assert [(r["design"], r["replication"], r["seed"], r["window"]) for r in table] == expected
    assert list(table[0])[:4] == ["design", "replication", "seed", "window"]
    assert set(KPIS) <= set(table[0])


def test_monthly_has_the_same_consecutive_months_for_every_design_and_replication(tiny_run: Run):
    table = rows(tiny_run.read("monthly.csv"))
    months: dict[tuple[str, str], list[int]] = {}
    for r in table:
        months.setdefault((r["design"], r["replication"]), []).append(int(r["month"]))
    assert set(months) == {(d, str(r)) for d in DESIGNS for r in range(TINY["replications"])}
    first = next(iter(months.values()))
    assert first == list(range(1, len(first) + 1))
    assert len(first) == TINY["horizon_months"]
    assert all(m == first for m in months.values())
    assert {"arr", "accounts", "headcount_csm", "cost", "green_share", "backlog"} <= set(table[0])


def test_monthly_includes_the_month_that_ends_at_the_horizon(tiny_run: Run):
    table = rows(tiny_run.read("monthly.csv"))
    assert max(int(r["month"]) for r in table) == TINY["horizon_months"]


def test_scenario_yaml_is_the_resolved_scenario_and_loads_again(tiny_run: Run):
    resolved = yaml.safe_load(tiny_run.read("scenario.yaml"))
    assert resolved["name"] == "tiny"
    assert resolved["calendar"]["hours_per_day"] == 8  # a default, filled in
    again = load(tiny_run.path / "scenario.yaml")
    assert again.seed == TINY["seed"]
    assert again.compare == list(DESIGNS)


def test_manifest_names_scenario_seed_and_versions(tiny_run: Run):
    info = json.loads(tiny_run.read("manifest.json"))
    assert info["scenario"] == "tiny"
    assert info["seed"] == TINY["seed"]
    assert info["replications"] == TINY["replications"]
    assert re.fullmatch(r"[0-9a-f]{64}", info["scenario_sha256"])
    assert {"python", "simpy", "numpy"} <= set(info["versions"])
    assert info["wall_seconds"] >= 0


# --- Same program, other entry points ---------------------------------------------------------


def test_python_m_simulate_runs_the_same_program(cli, tiny_path: Path, tiny_run: Run, tmp_path: Path):
    process = cli("run", tiny_path, "--out", tmp_path, module=True)
    assert process.returncode == 0, process.stderr
    path = Path(process.stdout.strip().splitlines()[-1])
    assert path.parent == tmp_path / "tiny"
    for name in ("summary.csv", "replications.csv", "monthly.csv"):
        assert (path / name).read_bytes() == tiny_run.read(name), name


def test_bare_name_resolves_in_the_scenarios_directory(cli, tmp_path: Path, tiny_path: Path):
    (tmp_path / "scenarios").mkdir()
    shutil.copy(tiny_path, tmp_path / "scenarios" / "tiny.yaml")
    process = cli("run", "tiny", "--replications", "1", "--designs", "active_passive",
                  "--out", "out", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    path = Path(process.stdout.strip().splitlines()[-1])
    run_dir = path if path.is_absolute() else tmp_path / path
    assert run_dir.parent == tmp_path / "out" / "tiny"
    assert {r["design"] for r in rows((run_dir / "replications.csv").read_bytes())} == {"active_passive"}


def test_bare_baseline_resolves_from_the_project_directory(cli):
    process = cli("validate", "baseline", cwd=REPO)
    assert (process.returncode, process.stdout, process.stderr) == (0, "", "")


def test_baseline_runs_by_bare_name_from_the_project_directory(tmp_path: Path):
    run = run_tiny(Path("baseline"), tmp_path, "--replications", "1", "--designs", "active_passive",
                   "--basis", "given")
    assert run.path.parent == tmp_path / "baseline"
    assert {p.name for p in run.path.iterdir()} == FILES


# --- Bad input --------------------------------------------------------------------------------


def test_unknown_key_exits_2_naming_file_and_field_without_traceback(cli, tiny_scenario, write_scenario,
                                                                     tmp_path: Path):
    tiny_scenario["segments"]["smb"]["tickets_per_mnth"] = 1.0
    path = write_scenario(tiny_scenario, "typo")
    process = cli("run", path, "--out", tmp_path / "out")
    assert process.returncode == 2
    assert str(path) in process.stderr
    assert "segments.smb.tickets_per_mnth" in process.stderr
    assert "did you mean 'tickets_per_month'" in process.stderr
    assert "Traceback" not in process.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.csv"))


def test_missing_file_exits_2_naming_it_without_traceback(cli, tmp_path: Path):
    missing = tmp_path / "nowhere.yaml"
    process = cli("run", missing, "--out", tmp_path / "out")
    assert process.returncode == 2
    assert str(missing) in process.stderr
    assert "Traceback" not in process.stderr


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["opt_out"].update(share=1.5), "opt_out.share"),
        (lambda d: d.update(warmup_months=6), "warmup_months"),
        (lambda d: d["tickets"]["types"]["how_to"].update(share=0.9), "tickets"),
        (lambda d: d["staffing"]["integrated"].pop("tech_support"), "staffing.integrated.tech_support"),
    ],
    ids=["probability_above_one", "warmup_not_shorter", "shares_not_summing_to_one", "role_unstaffed"],
)
def test_invalid_scenario_exits_2_naming_file_and_field(change, field, tiny_scenario, write_scenario):
    change(tiny_scenario)
    path = write_scenario(tiny_scenario, "bad")
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(path.parent / "out")])
    assert result.exit_code == 2, result.output
    assert str(path) in result.stderr
    assert field in result.stderr


def test_unknown_design_on_the_command_line_exits_2(tiny_path: Path, tmp_path: Path):
    result = CliRunner().invoke(main, ["run", str(tiny_path), "--designs", "full_stak",
                                       "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "full_stak" in result.stderr


def test_zero_replications_is_a_usage_error():
    result = CliRunner().invoke(main, ["run", "whatever.yaml", "--replications", "0"])
    assert result.exit_code == 2


# --- validate and schema ----------------------------------------------------------------------


def test_validate_a_good_file_prints_nothing_and_exits_0(tiny_path: Path):
    result = CliRunner().invoke(main, ["validate", str(tiny_path)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_validate_reports_every_bad_file_and_exits_2(tiny_path: Path, tiny_scenario, write_scenario):
    tiny_scenario["horizon_months"] = -1
    bad = write_scenario(tiny_scenario, "bad")
    result = CliRunner().invoke(main, ["validate", str(tiny_path), str(bad), str(bad.parent / "gone.yaml")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{bad}: horizon_months" in result.stderr
    assert "gone.yaml" in result.stderr
    assert str(tiny_path) not in result.stderr


def test_schema_prints_the_scenario_json_schema():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"segments", "staffing", "compare", "horizon_months"} <= set(schema["properties"])
