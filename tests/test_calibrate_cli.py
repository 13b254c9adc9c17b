"""`orgsim calibrate` as a user meets it: a valid, runnable, commented FITTED.yaml and its fit
report from the example exports; `--map` for other layouts; `--check` prints the back-test; bad
data refused with one line per kind of problem, exit 2, nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from calibrate_truth import EXAMPLES

from simulate.calibrate.columns import DEFAULT_SEGMENTS, read_mapping
from simulate.calibrate.exports import ExportError, read_exports

from conftest import orgsim

FITTED_FIELDS = ("initial_accounts", "new_per_month", "acv", "contract_months", "renewal_risk",
                 "renewal_acv_elasticity", "tickets_per_month")


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("fitted") / "FITTED.yaml"
    done = orgsim("calibrate", "--accounts", EXAMPLES / "accounts.csv", "--tickets",
                  EXAMPLES / "tickets.csv", "--design", "active_passive", "--out", out,
                  "--check", "--replications", "2")
    assert done.returncode == 0, done.stderr
    return out, done.stdout


def test_calibrate_writes_a_valid_scenario_with_a_source_for_every_value(fitted):
    out, stdout = fitted
    text = out.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert stdout.strip().splitlines()[-1] == str(out)
    assert orgsim("validate", out).returncode == 0
    doc = yaml.safe_load(text)
    assert list(doc["segments"]) == ["smb", "mid_market", "enterprise"]  # by mean ACV
    assert doc["compare"][0] == "active_passive"  # the current design first
    section_noted = False  # a whole section from the base says so once, on its heading
    for line in text.splitlines():
        if line.lstrip().startswith("#") or line.startswith(("name:", "description:")):
            continue  # the file's header says what name and description are
        if not line.startswith(" "):
            section_noted = "  # " in line
        if line.rstrip().endswith(":"):
            continue
        assert "  # " in line or section_noted, f"no source: {line}"
    for segment in doc["segments"]:
        for field in FITTED_FIELDS:
            line = next(x for x in text.splitlines() if x.strip().startswith(f"{field}:")
                        and segment in _owner(text, x))
            assert "# fitted:" in line or "# counted:" in line, line


def _owner(text: str, line: str) -> str:
    """The segment a segment field's line belongs to (the nearest segment heading above it)."""
    lines = text.splitlines()
    index = lines.index(line)
    return next(x for x in reversed(lines[:index]) if x.startswith("  ") and not x.startswith("    "))


def test_the_fit_report_shows_every_fitted_quantity(fitted):
    out, _ = fitted
    page = (out.parent / "FITTED.fit.html").read_text()
    for field in (*FITTED_FIELDS, "onboarding_factor", "handle_hours", "escalation_rate", "share"):
        assert field in page
    for figure in ("ACV, smb", "Handle time, how_to", "Renewal, mid_market", "Time to live",
                   "New accounts a month"):
        assert figure in page
    assert page.count("data:image/png;base64,") >= 10


def test_check_prints_the_back_test_side_by_side(fitted):
    _, stdout = fitted
    assert "Back-test under active_passive" in stdout
    for measure in ("tickets a month", "first response p50", "first response p90", "time to live",
                    "annual logo churn"):
        assert measure in stdout
    assert "observed (95% CI)" in stdout and "simulated (95% CI)" in stdout


@pytest.mark.slow
def test_the_fitted_scenario_runs(fitted, tmp_path: Path):
    out, _ = fitted
    done = orgsim("run", out, "--basis", "given", "--replications", "2", "--designs", "active_passive",
                  "--out", tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr


def test_map_reads_another_layout(tmp_path: Path):
    accounts = pd.read_csv(EXAMPLES / "accounts.csv", dtype=str, keep_default_na=False)
    tickets = pd.read_csv(EXAMPLES / "tickets.csv", dtype=str, keep_default_na=False)
    accounts.rename(columns={"account_id": "Company ID", "acv": "ARR", "signed_date": "Close Date"}) \
        .to_csv(tmp_path / "a.csv", index=False)
    tickets.rename(columns={"ticket_id": "Ticket ID", "account_id": "Organization ID",
                            "created_at": "Created"}).to_csv(tmp_path / "t.csv", index=False)
    mapping = tmp_path / "map.yaml"
    mapping.write_text("accounts: {account_id: Company ID, acv: ARR, signed_date: Close Date}\n"
                       "tickets: {ticket_id: Ticket ID, account_id: Organization ID, created_at: Created}\n")
    mapped = read_exports(tmp_path / "a.csv", tmp_path / "t.csv", read_mapping(mapping), None,
                          DEFAULT_SEGMENTS)
    plain = read_exports(EXAMPLES / "accounts.csv", EXAMPLES / "tickets.csv", read_mapping(None), None,
                         DEFAULT_SEGMENTS)
    pd.testing.assert_frame_equal(mapped.accounts[plain.accounts.columns], plain.accounts)
    pd.testing.assert_frame_equal(mapped.tickets[plain.tickets.columns], plain.tickets)


def _exports(tmp_path: Path, n_accounts: int = 40) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first accounts of the example and their tickets, as text."""
    accounts = pd.read_csv(EXAMPLES / "accounts.csv", dtype=str, keep_default_na=False).head(n_accounts)
    tickets = pd.read_csv(EXAMPLES / "tickets.csv", dtype=str, keep_default_na=False)
    return accounts, tickets[tickets["account_id"].isin(accounts["account_id"])].reset_index(drop=True)


def _set(frame: pd.DataFrame, rows: list[int], column: str, value: str) -> pd.DataFrame:
    frame = frame.copy()
    frame.loc[rows, column] = value
    return frame


BAD = {  # kind of problem → (which export, how to break it, the words its line says)
    "missing column": ("accounts", lambda f: f.drop(columns=["signed_date"]),
                       "missing required column signed_date"),
    "not a date": ("accounts", lambda f: _set(f, [2, 5, 7, 9], "signed_date", "31/02/2024"),
                   "signed_date: not a date"),
    "not a number": ("accounts", lambda f: _set(f, [1, 3], "acv", "lots"), "acv: not a number"),
    "negative number": ("tickets", lambda f: _set(f, [0, 4, 6], "handle_minutes", "-3"),
                        "handle_minutes: negative"),
    "negative duration": ("tickets", lambda f: _set(f, [3], "first_response_at", "2000-01-01"),
                          "first_response_at before created_at"),
    "unknown account": ("tickets", lambda f: _set(f, [1, 2], "account_id", "NOPE"), "no such account"),
    "duplicate id": ("tickets", lambda f: _set(f, [5, 8], "ticket_id", f.loc[0, "ticket_id"]),
                     "ticket_id: duplicate id"),
    "not a flag": ("tickets", lambda f: _set(f, [7], "escalated", "maybe"), "escalated: not a flag"),
    "empty id": ("accounts", lambda f: _set(f, [4], "account_id", ""), "account_id: empty"),
}
ROWS = {"missing column": None, "not a date": "rows 4, 7, 9, …", "not a number": "rows 3, 5",
        "negative number": "rows 2, 6, 8", "negative duration": "row 5", "unknown account": "rows 3, 4",
        "duplicate id": "rows 7, 10", "not a flag": "row 9", "empty id": "row 6"}


@pytest.mark.parametrize("kind", list(BAD))
def test_each_kind_of_bad_data_is_one_line_with_a_count_and_rows(kind: str, tmp_path: Path):
    accounts, tickets = _exports(tmp_path)
    which, spoil, words = BAD[kind]
    frames = {"accounts": accounts, "tickets": tickets}
    frames[which] = spoil(frames[which])
    for name, frame in frames.items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
    with pytest.raises(ExportError) as err:
        read_exports(tmp_path / "accounts.csv", tmp_path / "tickets.csv", read_mapping(None), None,
                     DEFAULT_SEGMENTS)
    lines = [p for p in err.value.problems if words in p]
    assert len(lines) == 1, err.value.problems
    assert lines[0].startswith(str(tmp_path / f"{which}.csv"))
    if ROWS[kind]:
        assert f"({ROWS[kind]})" in lines[0]


def test_bad_data_exits_2_and_writes_nothing(tmp_path: Path):
    accounts, tickets = _exports(tmp_path)
    _set(accounts, [2], "acv", "-5").to_csv(tmp_path / "accounts.csv", index=False)
    _set(tickets, [1, 2], "created_at", "yesterday").to_csv(tmp_path / "tickets.csv", index=False)
    out = tmp_path / "out" / "FITTED.yaml"
    out.parent.mkdir()
    done = orgsim("calibrate", "--accounts", tmp_path / "accounts.csv", "--tickets",
                  tmp_path / "tickets.csv", "--out", out)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "acv: negative: 1 row (row 4)" in lines[0]
    assert "created_at: not a date" in lines[1] and "2 rows (rows 3, 4)" in lines[1]
    assert list(out.parent.iterdir()) == []


def test_a_bad_mapping_or_design_is_refused_by_name(tmp_path: Path):
    mapping = tmp_path / "map.yaml"
    mapping.write_text("accounts: {acount_id: Company}\n")
    shutil.copy(EXAMPLES / "accounts.csv", tmp_path / "a.csv")
    done = orgsim("calibrate", "--accounts", tmp_path / "a.csv", "--tickets", EXAMPLES / "tickets.csv",
                  "--out", tmp_path / "F.yaml", "--map", mapping, "--design", "matrix")
    assert done.returncode == 2
    assert "--design: unknown design 'matrix'" in done.stderr
    assert not (tmp_path / "F.yaml").exists()
