"""The decision report: report.html built from a small real run (and from hand-made runs whose
differences are known), self-contained, with the headline, the findings, every chart as a
decodable image, the KPI tables and the assumptions; `orgsim report` rebuilds it in place."""

from __future__ import annotations

import base64
import copy
import html
import io
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from matplotlib import image as mpimg

from simulate.cli import main
from simulate.report import REPORT, RunDirError, render_report, write_report
from simulate.report.data import load_run
from simulate.report.findings import headline
from simulate.stats import summarize

from conftest import TINY, Run, orgsim, run_tiny

# Two segments, the four built-in designs, three replications over six months (one warm-up).
REPORT_SCENARIO = {**copy.deepcopy(TINY), "name": "report", "replications": 3, "seed": 777}
CHARTS = ("tradeoff", "response", "monthly", "health", "csm_time", "utilization", "plan")
RUN_FILES = ("summary.csv", "replications.csv", "monthly.csv", "distributions.csv", "scenario.yaml",
             "manifest.json", "verdict.json", "plan.csv")


@pytest.fixture(scope="session")
def report_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """A real `orgsim run` of the report scenario, once a session."""
    base = tmp_path_factory.mktemp("report_run")
    scenario = base / "report.yaml"
    scenario.write_text(yaml.safe_dump(REPORT_SCENARIO, sort_keys=False))
    return run_tiny(scenario, base / "results")


def copy_run(run: Path, to: Path, files: tuple[str, ...] = RUN_FILES) -> Path:
    """The run's own files (not any report it already has) in a fresh directory."""
    to.mkdir(parents=True)
    for name in files:
        shutil.copy(run / name, to / name)
    return to


@pytest.fixture(scope="module")
def built(report_run: Run, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """write_report on a copy of the run directory: (the run directory, the page)."""
    run_dir = copy_run(report_run.path, tmp_path_factory.mktemp("built") / "run")
    path = write_report(run_dir)
    assert path == run_dir / REPORT
    return run_dir, path.read_text(encoding="utf-8")


def text_of(page: str) -> str:
    """The page's visible text, tags dropped and entities decoded, whitespace collapsed."""
    inline = re.sub(r"</?(b|i|span|small)\b[^>]*>", "", re.sub(r"<img[^>]*>", " ", page))
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def section(page: str, element_id: str) -> str:
    """Text of the element with this id up to the next element with an id (enough for tests)."""
    start = page.index(f"id={element_id}")
    nxt = re.compile(r"\sid=").search(page, start + 4)
    return text_of(page[start:nxt.start() if nxt else len(page)])


def images(page: str) -> dict[str, np.ndarray]:
    """Every inline image, decoded, keyed by its figure's id."""
    found = {}
    for figure_id, data in re.findall(r"<figure id=(\w+)><img[^>]*src='data:image/png;base64,([^']+)'",
                                      page):
        found[figure_id] = mpimg.imread(io.BytesIO(base64.b64decode(data, validate=True)), format="png")
    return found


# --- A real run --------------------------------------------------------------------------------


def test_the_report_is_one_self_contained_file(built: tuple[Path, str]):
    _, page = built
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert "@import" not in page and "url(" not in page
    sources = re.findall(r"<img[^>]*\ssrc='([^']*)'", page)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)


def test_every_chart_is_a_decodable_image(built: tuple[Path, str]):
    decoded = images(built[1])
    assert set(decoded) == set(CHARTS)
    for name, pixels in decoded.items():
        height, width = pixels.shape[:2]
        assert width >= 300 and height >= 150, name
        assert float(pixels[..., :3].std()) > 0.02, f"{name} is blank"
    assert built[1].count("<img") == len(CHARTS)


def test_the_first_screen_shows_verdict_json_basis_and_calls(built: tuple[Path, str], report_run: Run):
    """The verdict, the basis and the headline calls come from verdict.json (issue 11)."""
    doc = json.loads((report_run.path / "verdict.json").read_text())
    verdict = section(built[1], "verdict")
    assert "replications" in verdict and "Bonferroni" in verdict and f"Basis: {doc['basis']}" in verdict
    assert ("Choose " + doc["choice"]) in verdict if doc["choice"] else "No clear choice" in verdict
    basis = section(built[1], "basis")
    for design in REPORT_SCENARIO["compare"]:
        assert design in basis
    calls = section(built[1], "calls")
    for r in doc["comparisons"]:
        if r["headline"]:
            assert f"{r['design']} vs {r['versus']}" in calls
    headline = sum(r["headline"] for r in doc["comparisons"])
    assert sum(calls.count(word) for word in ("better", "worse", "equivalent", "undecided")) >= headline
    assert "significant" not in calls


def test_findings_compare_every_design_with_the_reference(built: tuple[Path, str]):
    findings = section(built[1], "findings")
    for design in REPORT_SCENARIO["compare"][1:]:
        assert f"{design} against {REPORT_SCENARIO['compare'][0]}:" in findings, design
    assert "[" in findings and "significant" not in findings


def test_the_kpi_table_has_intervals_for_the_book_and_each_segment(built: tuple[Path, str],
                                                                     report_run: Run):
    page = built[1]
    table = section(page, "kpis")
    summary = pd.read_csv(report_run.path / "summary.csv")
    whole = (summary["segment"] == "all") & (summary["window"] == "all") & (summary["n"] > 0)
    for kpi in summary.loc[whole, "kpi"].unique():
        assert kpi in table, kpi
    assert table.count(" ± ") > 50 and "Δ" in table
    for segment in REPORT_SCENARIO["segments"]:
        assert f"Segment {segment}: account-facing KPIs" in table


def test_the_assumptions_show_the_resolved_scenario(built: tuple[Path, str]):
    assumptions = section(built[1], "assumptions")
    for segment in REPORT_SCENARIO["segments"]:
        assert segment in assumptions
    assert "first_response_hours" in assumptions
    assert "1 per 20 accounts, min 2" in assumptions.replace("\xa0", " ")  # full_stack's CSM policy
    assert "lognormal: mean 6,000, cv 0.6" in assumptions


def test_orgsim_report_rebuilds_it_in_place(built: tuple[Path, str]):
    """In place, whole (no temporary file left behind) and the same page as before."""
    run_dir, page = built
    (run_dir / REPORT).write_text("stale")
    done = orgsim("report", run_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(run_dir / REPORT)
    assert (run_dir / REPORT).read_text(encoding="utf-8") == page
    assert sorted(p.name for p in run_dir.iterdir()) == sorted([*RUN_FILES, REPORT])


@pytest.mark.parametrize("make", [lambda d: d / "missing", lambda d: d])
def test_orgsim_report_on_a_bad_directory_exits_2_naming_it(tmp_path: Path, make):
    target = make(tmp_path)
    done = CliRunner().invoke(main, ["report", str(target)])
    assert done.exit_code == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(target) in lines[0] and "Traceback" not in done.stderr
    assert not (tmp_path / REPORT).exists()


def test_the_report_needs_only_the_summary(report_run: Run, tmp_path: Path):
    """Without monthly, distributions, scenario or manifest the report still builds, with the
    charts those files feed left out."""
    run_dir = copy_run(report_run.path, tmp_path / "run", ("summary.csv",))
    page = write_report(run_dir).read_text()
    assert set(images(page)) == {"tradeoff", "csm_time", "utilization"}
    assert "scenario.yaml is not in the run directory" in page
    assert "id=headline" in page


def test_a_summary_that_is_not_one_is_refused(tmp_path: Path):
    (tmp_path / "summary.csv").write_text("a,b\n1,2\n")
    with pytest.raises(RunDirError, match=r"summary\.csv: missing columns"):
        load_run(tmp_path)


# --- Hand-made runs: known differences, known words -------------------------------------------


def hand_made(tmp_path: Path, values: dict[str, dict[str, list[float]]]) -> Path:
    """A run directory with summary.csv and replications.csv for these per-replication values
    ({design: {kpi: [one value per replication]}}), summarised by the real statistics code."""
    rows = [{"design": d, "replication": r, "segment": "all", "kpi": k, "value": v}
            for d, kpis in values.items() for k, vs in kpis.items() for r, v in enumerate(vs)]
    long = pd.DataFrame(rows)
    summarize(long, list(values)).to_csv(tmp_path / "summary.csv", index=False)
    wide = long.pivot_table(index=["design", "replication"], columns="kpi", values="value").reset_index()
    wide.to_csv(tmp_path / "replications.csv", index=False)
    return tmp_path


def test_a_finding_reads_like_the_issue_asks(tmp_path: Path):
    """integrated cuts p90 resolution time by 40% at 8% more CS cost than refined."""
    noise = np.array([-1.0, 0.5, 0.5, 0.0])
    run = hand_made(tmp_path, {
        "refined": {"resolution_p90_h": list(10 + noise), "cs_cost": list(1e6 + 1e4 * noise)},
        "integrated": {"resolution_p90_h": list(6 + noise + 0.1 * noise ** 2),
                       "cs_cost": list(1.08e6 + 1e4 * noise + 1e3 * noise ** 2)},
    })
    text = text_of(render_report(run))
    assert re.search(r"integrated cuts p90 resolution time by 40% \(95% CI 39–40%\) at 8\.0% more CS "
                     r"cost \(95% CI [78]\.\d–8\.\d%\) than refined\.", text), text


def test_a_difference_whose_interval_includes_zero_is_called_a_tie(tmp_path: Path):
    run = hand_made(tmp_path, {
        "a": {"total_cost": [1.00e6, 1.02e6, 0.98e6, 1.00e6], "frt_p90_h": [2.0, 2.1, 1.9, 2.0],
              "logo_churn": [0.20, 0.21, 0.19, 0.20]},
        "b": {"total_cost": [1.01e6, 1.00e6, 0.99e6, 1.005e6], "frt_p90_h": [1.0, 1.1, 0.9, 1.0],
              "logo_churn": [0.10, 0.11, 0.09, 0.10]},
    })
    h = headline(load_run(run))
    cost, responsiveness, churn = h.verdicts
    assert not cost.significant and set(cost.tied) == {"a", "b"}
    assert "tie on total cost" in cost.sentence and "not significant" in cost.sentence
    assert responsiveness.significant and responsiveness.best.design == "b"
    assert churn.significant and churn.tied == ["b"]
    assert h.recommendation.startswith("Choose b: best or statistically tied on cost")
    text = text_of(render_report(run))
    assert "tie: not significant" in text
    assert re.search(r"b cuts p90 first response by 50% \(95% CI 50–50%\) and cuts logo churn by 50% .* "
                     r"compared with a, with no significant difference in total cost "
                     r"\(\+0\.1%, 95% CI −\d\.\d% to \+\d\.\d%\)\.", text), text


def test_one_replication_is_reported_without_claiming_significance(tmp_path: Path):
    run = hand_made(tmp_path, {"a": {"total_cost": [100.0], "logo_churn": [0.2]},
                               "b": {"total_cost": [90.0], "logo_churn": [0.1]}})
    text = text_of(render_report(run))
    assert "One replication" in text and "not judged" in text
    assert "— significant" not in text


def test_an_unstable_design_is_flagged_on_the_first_screen(tmp_path: Path):
    run = hand_made(tmp_path, {"a": {"total_cost": [1e6, 1.1e6], "frt_p90_h": [30.0, 50.0]},
                               "b": {"total_cost": [1.2e6, 1.3e6], "frt_p90_h": [1.0, 1.2]}})
    (run / "manifest.json").write_text(json.dumps({"unstable": {"a": {"support_agent": 2}}}))
    page = render_report(run)
    alert = text_of(page[page.index("id=headline"):page.index("id=findings")])
    assert "a unstable: support_agent queue grows without bound (2/2 replications)" in alert


def test_the_trend_section_follows_the_findings_and_says_why_a_short_run_has_no_trend(
        built: tuple[Path, str]):
    """Five measured months: no year window (tests/test_windows_results.py covers a longer run)."""
    page = built[1]
    assert page.index("id=findings") < page.index("id=trend") < page.index("id=kpis")
    assert "The measured period is too short for a year window" in section(page, "trend")
