"""The report on runs nobody designed it for (issue 13): a scenario whose customers raise no
tickets, KPIs that are NaN, and design and segment names that matplotlib reads as a formula
(`$\\foo{$`), that HTML reads as markup (`<b>&`), that a legend hides (`_x`) or that collide
with HTML's own entities (`amp`)."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from matplotlib.figure import Figure

from simulate.cli import main
from simulate.consistency import parse
from simulate.designs import compared
from simulate.report import REPORT, render_report
from simulate.report.cells import designs_bold
from simulate.report.charts import CHARTS, STYLE
from simulate.report.data import load_run
from simulate.results import tables, write_run
from simulate.runner import run
from simulate.stats import summarize

from conftest import TINY

FORMULA, MARKUP, HIDDEN, SCRIPT = "$\\foo{$", "<b>&", "_x", "<script>x</script>"


class Visible(HTMLParser):
    """The text a browser shows: character references decoded within text, tags dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible(page: str) -> str:
    parser = Visible()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def cli_run(doc: dict[str, Any], tmp_path: Path) -> Path:
    """`orgsim run` on `doc` through click; the run directory (re-raising what broke it)."""
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    done = CliRunner().invoke(main, ["run", str(path), "--out", str(tmp_path / "results")])
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        raise done.exception
    assert done.exit_code == 0, done.output
    return Path(done.stdout.strip().splitlines()[-1])


def run_files(doc: dict[str, Any], out: Path) -> Path:
    """The run directory `orgsim run` writes, without its report."""
    sc = parse(doc, "<odd>")
    designs = compared(sc)
    outcomes = run(sc, designs, replications=sc.replications, seed=sc.seed, jobs=1)
    return write_run(out, sc, tables(outcomes, [d.name for d in designs]), {})


# --- No tickets ---------------------------------------------------------------------------------

def ticketless() -> dict[str, Any]:
    doc = copy.deepcopy(TINY)
    doc["name"] = "ticketless"
    for segment in doc["segments"].values():
        segment["tickets_per_month"] = 0
    return doc


def says_no_tickets(page: str) -> None:
    text = visible(page)
    if "id=calls" in page:  # the first screen of verdict.json: response is not called
        calls = text[text.index("Calls"):text.index("What the differences say")]
        assert "Not measured in this run: p90 first response" in calls
        assert "p90 first response matters beyond" not in calls
    else:  # a run written before verdict.json: the headline cards
        cards = text[text.index("Cost ·"):text.index("What the differences say")]
        assert "Responsiveness no tickets" in cards
        assert "Responsiveness: no tickets were raised in this run" in text
    assert "How fast tickets are answered and resolved No tickets were raised in this run" in text
    assert "<figure id=response>" not in page
    assert "<figure id=tradeoff>" in page  # cost against churn is still drawn


def test_a_run_whose_customers_raise_no_tickets_writes_a_report_that_says_so(tmp_path: Path):
    path = cli_run(ticketless(), tmp_path)
    says_no_tickets((path / REPORT).read_text(encoding="utf-8"))


@pytest.mark.parametrize("distributions", ["absent", "header only"])
def test_the_report_of_a_ticketless_run_says_no_tickets_instead_of_drawing(tmp_path: Path,
                                                                           distributions: str):
    path = run_files(ticketless(), tmp_path)
    if distributions == "absent":  # a run from before distributions.csv: its manifest lacks it
        (path / "distributions.csv").unlink()
        manifest = json.loads((path / "manifest.json").read_text())
        manifest["files"].remove("distributions.csv")
        (path / "manifest.json").write_text(json.dumps(manifest))
    else:
        (path / "distributions.csv").write_text("design,replication,metric,percentile,value\n")
    says_no_tickets(render_report(path))


def hand_made(tmp_path: Path, values: dict[str, dict[str, list[float]]]) -> Path:
    """summary.csv and replications.csv for these per-replication values."""
    rows = [{"design": d, "replication": r, "segment": "all", "kpi": k, "value": v}
            for d, kpis in values.items() for k, vs in kpis.items() for r, v in enumerate(vs)]
    long = pd.DataFrame(rows)
    summarize(long, list(values)).to_csv(tmp_path / "summary.csv", index=False)
    wide = long.pivot_table(index=["design", "replication"], columns="kpi", values="value",
                            dropna=False).reset_index()
    wide.to_csv(tmp_path / "replications.csv", index=False)
    return tmp_path


def test_nan_kpis_and_nan_ticket_times_are_left_out_not_drawn(tmp_path: Path):
    nan = float("nan")
    run_dir = hand_made(tmp_path, {
        "a": {"total_cost": [1e6, 1.1e6], "frt_p90_h": [nan, nan], "logo_churn": [0.2, 0.25],
              "utilization_support_agent": [nan, nan], "csm_proactive_share": [nan, nan]},
        "b": {"total_cost": [nan, nan], "frt_p90_h": [2.0, nan], "logo_churn": [nan, 0.1],
              "utilization_support_agent": [0.5, 0.6], "csm_proactive_share": [0.4, nan]},
    })
    rows = [{"design": d, "replication": r, "metric": m, "percentile": p, "value": nan}
            for d in "ab" for r in range(2) for m in ("frt_h", "resolution_h") for p in range(101)]
    pd.DataFrame(rows).to_csv(run_dir / "distributions.csv", index=False)
    months = [{"design": d, "replication": r, "month": m, "arr": nan, "accounts": nan,
               "headcount_csm": 2, "green_share": nan, "yellow_green_share": nan,
               "yellow_share": nan, "red_share": nan, "tickets": 0}
              for d in "ab" for r in range(2) for m in range(1, 7)]
    pd.DataFrame(months).to_csv(run_dir / "monthly.csv", index=False)
    (run_dir / "scenario.yaml").write_text(yaml.safe_dump({"warmup_months": 1, "horizon_months": 6}))
    page = render_report(run_dir)
    assert not re.search(r"\bnan\b", visible(page), re.I)
    assert "<figure id=response>" not in page and "<figure id=health>" not in page


# --- Names --------------------------------------------------------------------------------------

def odd_names(names: tuple[str, ...], segments: tuple[str, str]) -> dict[str, Any]:
    """The tiny scenario with its designs (based on the built-in four, in order) and segments
    renamed."""
    doc = copy.deepcopy(TINY)
    doc["name"] = "odd_names"
    doc["segments"] = dict(zip(segments, doc["segments"].values(), strict=True))
    bases = list(doc["compare"])[:len(names)]
    doc["designs"] = {name: {"base": base} for name, base in zip(names, bases, strict=True)}
    doc["staffing"] = {**{k: v for k, v in doc["staffing"].items() if k not in bases},
                       **{name: doc["staffing"][base] for name, base in zip(names, bases, strict=True)}}
    doc["compare"] = list(names)
    return doc


def test_names_matplotlib_or_html_would_read_as_code_go_through_run_and_report(tmp_path: Path):
    names = (FORMULA, MARKUP, HIDDEN, "amp")
    path = cli_run(odd_names(names, (FORMULA, SCRIPT)), tmp_path)
    page = (path / REPORT).read_text(encoding="utf-8")
    assert "<script" not in page and "&<" not in page
    text = visible(page)  # a name shows as written only if it was escaped
    for name in names:
        assert f"{name} " in text, name
    assert f"Segment {FORMULA}: account-facing KPIs" in text
    assert f"Segment {SCRIPT}: account-facing KPIs" in text
    assert page.count("<img") == 7  # the six charts and the hiring plan (plan.csv)
    assert json.loads((path / "manifest.json").read_text())["designs"] == list(names)


def test_a_design_and_a_segment_named_na_go_through_the_report(tmp_path: Path):
    path = cli_run(odd_names(("NA", FORMULA), ("NA", MARKUP)), tmp_path)
    text = visible((path / REPORT).read_text(encoding="utf-8"))
    assert "Segment NA: account-facing KPIs" in text and "NA " in text


@pytest.fixture(scope="module")
def odd_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_files(odd_names((FORMULA, MARKUP, HIDDEN), ("a", "b")), tmp_path_factory.mktemp("odd"))


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.__name__)
def test_every_chart_draws_names_as_they_are_written(odd_run: Path, chart):
    """Each chart of a real run of odd names draws (none parses a name as mathtext)."""
    drawn = chart(load_run(odd_run))
    assert drawn is not None and len(drawn.png) > 1000


def test_a_name_starting_with_an_underscore_keeps_its_legend_entry():
    import matplotlib as mpl

    from simulate.report.charts import label

    with mpl.rc_context(STYLE):
        fig = Figure()
        ax = fig.subplots()
        for name in (FORMULA, HIDDEN):
            ax.plot([0, 1], [0, 1], label=label(name))
        legend = ax.legend()
        fig.canvas.draw()
    assert [t.get_text().lstrip("\u200b") for t in legend.get_texts()] == [FORMULA, HIDDEN]


@pytest.mark.parametrize("designs", [["amp"], ["lt", "gt"], ["quot"], ["x27"], ["b"]])
def test_design_names_in_bold_never_break_an_entity(designs: list[str]):
    text = "a < b & c \" ' amp lt gt quot x27 b"
    assert visible(designs_bold(text, designs)) == " ".join(text.split())


def test_names_pandas_would_read_as_missing_are_read_back_as_written(tmp_path: Path):
    """`NA`, `null`, `nan`, `None` are names in a run directory, in every file read back."""
    names = ["NA", "null", "None"]
    rows = [{"design": d, "replication": r, "segment": s, "window": "all", "kpi": "frt_mean_h",
             "value": 1.0 + r}
            for d in names for r in range(2) for s in ("all", "nan")]
    summarize(pd.DataFrame(rows), names).to_csv(tmp_path / "summary.csv", index=False)
    pd.DataFrame([{"design": d, "replication": r, "metric": "frt_h", "percentile": 0, "value": 1.0}
                  for d in names for r in range(2)]).to_csv(tmp_path / "distributions.csv", index=False)
    run = load_run(tmp_path)
    assert run.designs == names and run.segments == ["nan"]
    assert run.stat("null", "frt_mean_h", segment="nan").mean == pytest.approx(1.5)
    assert list(dict.fromkeys(run.distributions["design"])) == names
