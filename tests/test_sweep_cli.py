"""`orgsim sweep` as a user runs it: the same sweep.csv on the local pool, on a real Dask
LocalCluster and after an interrupt and a resume; a one-point sweep agrees with `orgsim run`; bad
input is one line and exit 2 with nothing written; the report draws the decision map."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from simulate.cli import main

from conftest import ORGSIM, REPO, TINY

SWEEP = ["--vary", "health.decay_per_month=2,4", "--vary", "cs_ops.efficiency_gain=0,0.3",
         "--replications", "2", "--designs", "active_passive,refined", "--basis", "given"]
TASKS = 2 * 2 * 2 * 2  # points × designs × replications


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> dict[str, Path]:
    """The tiny scenario (four months) swept here, in one process: the reference for the others."""
    folder = tmp_path_factory.mktemp("sweep")
    scenario = folder / "tiny.yaml"
    scenario.write_text(yaml.safe_dump({**TINY, "horizon_months": 4}, sort_keys=False))
    done = _here("sweep", scenario, *SWEEP, "--jobs", "1", "--out", folder / "one")
    assert done.exit_code == 0, done.output
    assert done.stdout.strip().splitlines()[-1] == str(folder / "one")
    return {"scenario": scenario, "one": folder / "one"}


def _here(*args: object):
    """The command line in this process (no start-up of a new interpreter)."""
    return CliRunner().invoke(main, [str(a) for a in args])


def _orgsim(*args: object, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ORGSIM), *map(str, args)], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_a_sweep_writes_a_tidy_table_of_every_point_design_and_kpi(study):
    table = pd.read_csv(study["one"] / "sweep.csv", keep_default_na=False, na_values=[""])
    assert list(table.columns) == ["point", "health.decay_per_month", "cs_ops.efficiency_gain", "design",
                                   "kpi", "mean", "ci_low", "ci_high", "n", "choice", "versus", "call"]
    assert sorted(set(table["point"])) == [0, 1, 2, 3]
    assert set(table["design"]) == {"active_passive", "refined"}
    assert set(table["n"]) <= {0, 2}  # 0: not measured for that design (a role it lacks)
    headline = table[table["call"].notna()]
    assert set(headline["kpi"]) == {"total_cost", "frt_p90_h", "logo_churn", "nrr"}
    measured = table[table["n"] == 2]
    assert (measured["ci_low"] <= measured["mean"]).all() and (measured["mean"] <= measured["ci_high"]).all()
    manifest = json.loads((study["one"] / "manifest.json").read_text())
    assert (manifest["points"], manifest["tasks_run"], manifest["tasks_reused"]) == (4, TASKS, 0)
    assert len(list((study["one"] / "tasks").rglob("*.json"))) == TASKS


def test_the_same_sweep_csv_on_a_real_dask_local_cluster(study, tmp_path):
    done = _orgsim("sweep", study["scenario"], *SWEEP, "--executor", "dask", "--jobs", "2",
                   "--out", tmp_path / "dask")
    assert done.returncode == 0, done.stderr
    for name in ("sweep.csv", "points.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (study["one"] / name).read_bytes()


def test_an_interrupted_sweep_resumes_on_two_workers_to_the_same_sweep_csv(study, tmp_path):
    out = tmp_path / "cut"
    process = subprocess.Popen([str(ORGSIM), "sweep", str(study["scenario"]), *SWEEP, "--jobs", "1",
                                "--out", str(out)], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.rglob("tasks/*/*.json"))) < 3:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    kept = len(list(out.rglob("tasks/*/*.json")))
    assert process.returncode == 130, err
    assert "rerun the same command to resume" in err and "Traceback" not in err
    assert not (out / "sweep.csv").exists() and not list(out.rglob("*.partial"))
    assert 3 <= kept < TASKS
    done = _orgsim("sweep", study["scenario"], *SWEEP, "--jobs", "2", "--out", out)
    assert done.returncode == 0, done.stderr
    assert (out / "sweep.csv").read_bytes() == (study["one"] / "sweep.csv").read_bytes()
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["tasks_reused"], manifest["tasks_run"]) == (kept, TASKS - kept)


def test_a_one_point_sweep_agrees_with_orgsim_run(study, tmp_path):
    """The same scenario, seeds and replications: the sweep's means are the run's summary.csv means
    and its choice is verdict.json's (the sweep computes them by another path)."""
    sweep = _here("sweep", study["scenario"], "--vary", "health.decay_per_month=4", "-r", "2",
                  "--designs", "active_passive,refined", "--basis", "given", "--out", tmp_path / "s")
    run = _here("run", study["scenario"], "-r", "2", "--designs", "active_passive,refined",
                "--basis", "given", "--out", tmp_path / "r")
    assert sweep.exit_code == 0 and run.exit_code == 0, sweep.output + run.output
    run_dir = Path(run.stdout.strip().splitlines()[-1])
    summary = pd.read_csv(run_dir / "summary.csv", keep_default_na=False, na_values=[""])
    whole = summary[(summary["segment"] == "all") & (summary["window"] == "all")]
    ours = pd.read_csv(tmp_path / "s" / "sweep.csv", keep_default_na=False, na_values=[""])
    merged = whole.merge(ours, on=["design", "kpi"], suffixes=("_run", "_sweep"))
    assert len(merged) == len(ours) > 40
    pd.testing.assert_series_equal(merged["mean_run"], merged["mean_sweep"], check_names=False)
    verdict = json.loads((run_dir / "verdict.json").read_text())
    assert set(ours["choice"]) == {verdict["choice"] or "no clear choice"}


@pytest.mark.parametrize(("args", "says"), [
    (["--vary", "cs_ops.eficiency_gain=0,0.1"], "did you mean 'cs_ops.efficiency_gain'"),
    (["--vary", "cs_ops.efficiency_gain=0.1,2"], "[cs_ops.efficiency_gain=2]: cs_ops.efficiency_gain:"),
    (["--vary", "cs_ops.efficiency_gain=0:1"], "needs --sample"),
    (["--vary", "cs_ops.efficiency_gain=0:1", "--sample", "lhs:x"], "expected lhs:N"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(study, tmp_path, args, says):
    done = _here("sweep", study["scenario"], *args, "--out", tmp_path / "bad")
    assert done.exit_code == 2
    assert len(done.stderr.strip().splitlines()) == 1 and says in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "bad").exists()


def test_the_report_draws_the_decision_map_and_the_surfaces(study):
    page = (study["one"] / "report.html").read_text()
    assert "<h2>Decision map</h2>" in page and "<h2>Cost, churn and response surfaces</h2>" in page
    assert page.count("data:image/png;base64,") == 2
    assert "2 replications per design and point" in page


def test_auto_replications_grow_each_point_in_batches_on_the_same_seeds(study, tmp_path):
    """Undecided points grow 5 → 6 replications (the cap); a fixed count of 6 in the same folder
    then finds every task in the store and writes the same sweep.csv."""
    out = tmp_path / "auto"
    common = ["sweep", study["scenario"], "--vary", "health.decay_per_month=2,4", "--designs",
              "active_passive,refined", "--basis", "given", "--out", out]
    grown = _here(*common, "--replications", "auto", "--max-replications", "6")
    assert grown.exit_code == 0, grown.output
    first = (out / "sweep.csv").read_bytes()
    points = pd.read_csv(out / "points.csv", keep_default_na=False, na_values=[""])
    assert set(points["replications"]) <= {5, 6}
    fixed = _here(*common, "--replications", "6")
    assert fixed.exit_code == 0, fixed.output
    manifest = json.loads((out / "manifest.json").read_text())
    if set(points["replications"]) == {6}:
        assert manifest["tasks_run"] == 0 and (out / "sweep.csv").read_bytes() == first
    assert manifest["tasks_reused"] == sum(points["replications"]) * 2
