"""Tables laid out for the width they are printed at: the terminal's, else $COLUMNS, else 80 when
piped. A table that does not fit is split into blocks of designs (runs, segments) that do, so no
output line is wider than the width and no name or number is cut."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from rich.cells import cell_len

from simulate import layout
from simulate.cli import main

from conftest import TINY, Run, run_tiny

LONG = "active_passive_with_tech_support"  # a custom design with a long name
WIDTHS = (60, 80, 120)
ROLES = ("csm", "support_agent", "implementation", "cs_ops", "tech_support")


def wide_scenario() -> dict[str, Any]:
    """The tiny scenario, shorter, with a fifth design whose name is long."""
    doc = copy.deepcopy(TINY)
    doc.update(horizon_months=3, warmup_months=1, replications=2)
    doc["designs"] = {LONG: {"base": "active_passive", "escalation": "tech_support"}}
    doc["compare"] = [*doc["compare"], LONG]
    doc["staffing"][LONG] = {"csm": 2, "support_agent": 1, "tech_support": 1}
    doc["targets"] = {"sla_met": ">= 0.8"}
    return doc


@pytest.fixture(scope="module")
def wide_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wide") / "wide.yaml"
    path.write_text(yaml.safe_dump(wide_scenario(), sort_keys=False))
    return path


def invoke(width: int, *args: object) -> tuple[int, str, str]:
    """The command as a pipe sees it, with COLUMNS set to `width`."""
    result = CliRunner().invoke(main, [str(a) for a in args], env={"COLUMNS": str(width)})
    return result.exit_code, result.stdout, result.stderr


def too_wide(text: str, width: int) -> list[str]:
    """Lines wider than `width`, in characters or in terminal cells; a run directory's path, which
    a command prints last whole (a program reads it), aside."""
    lines = text.splitlines()
    if lines and lines[-1].startswith("/"):
        lines.pop()
    return [line for line in lines if max(len(line), cell_len(line)) > width]


def assert_laid_out(text: str, width: int, names: list[str]) -> None:
    assert too_wide(text, width) == []
    assert "…" not in text  # nothing cut with an ellipsis
    lines = text.splitlines()
    for name in names:  # whole, on one line
        assert any(name in line for line in lines), name


# --- Where the width comes from ---------------------------------------------------------------


class Stream(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_a_pipe_takes_its_width_from_columns():
    assert layout.width(Stream(tty=False), {"COLUMNS": "72"}) == 72


def test_a_pipe_without_columns_is_80_wide():
    assert layout.width(Stream(tty=False), {}) == 80
    assert layout.width(Stream(tty=False), {"COLUMNS": "wide"}) == 80
    assert layout.width(Stream(tty=False), {"COLUMNS": "0"}) == 80


def test_a_terminal_is_as_wide_as_it_is(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(layout.os, "get_terminal_size", lambda fd: layout.os.terminal_size((97, 30)))
    stream = Stream(tty=True)
    stream.fileno = lambda: 1  # type: ignore[method-assign]
    assert layout.width(stream, {"COLUMNS": "72"}) == 97


# --- A grid laid out --------------------------------------------------------------------------


def grid(designs: list[str]) -> layout.Grid:
    fields = tuple(layout.Field(k) for k in ("cs_cost ↓", "time_to_live_days ↓", "sla_met ↑"))
    records = tuple(layout.Record(d, ("$1.07M ± $54k", "15.1 d ± 2.0 d", "99.5% ± 0.9%"))
                    for d in designs)
    return layout.Grid("tiny: 3 replications, mean ± 95% CI", fields, records, record_kind="design",
                       field_kind="KPI")


def rendered(g: layout.Grid, width: int) -> str:
    out = io.StringIO()
    layout.show([g], width, out)
    return out.getvalue()


def test_a_grid_that_fits_is_one_table_with_a_column_per_design():
    text = rendered(grid(["full_stack", "refined"]), 120)
    header = next(line for line in text.splitlines() if "full_stack" in line)
    assert "refined" in header
    assert text.count("┏") == 1


@pytest.mark.parametrize("width", [40, *WIDTHS])
def test_a_grid_too_wide_is_split_into_blocks_and_cuts_nothing(width: int):
    designs = ["full_stack", "active_passive", "refined", "integrated", LONG]
    text = rendered(grid(designs), width)
    assert_laid_out(text, width, [*designs, "time_to_live_days ↓", "$1.07M ± $54k"])
    assert text.count("┏") + text.count("┌") > 1  # five designs fit in no single table so narrow
    assert text.count("tiny: 3 replications") == 1


def test_records_as_rows_turn_into_columns_when_too_wide():
    fields = tuple(layout.Field(f"measure {i}") for i in range(8))
    records = tuple(layout.Record(s, tuple(f"{i * 1000:,}" for i in range(8))) for s in ("smb", "mid"))
    g = layout.Grid("capacity", fields, records, record_kind="segment", records_across=False)
    assert rendered(g, 200).count("┏") == 1
    text = rendered(g, 40)
    assert_laid_out(text, 40, ["smb", "mid", "measure 7", "7,000"])


def staffing(width: int) -> str:
    fields = (layout.Field("headcount", numeric=False), layout.Field("cost/yr"),
              layout.Field("binding", numeric=False))
    heads = ("3 csm", "1 csm, 1 support_agent", "1 csm, 1 support_agent, 1 implementation, 1 tech_support")
    records = tuple(layout.Record(d, (h, "$0.39M", "sla_met ≥ 0.85"))
                    for d, h in zip(("full_stack", "active_passive", "integrated"), heads, strict=True))
    return rendered(layout.Grid("staffing", fields, records, record_kind="design",
                                records_across=False), width)


def test_text_cells_of_records_as_rows_wrap_at_spaces_before_the_table_turns():
    whole = staffing(120)
    assert "1 implementation, 1 tech_support" in whole and "┃ design" in whole
    wrapped = staffing(80)  # the headcount wraps onto a second line; the table keeps its shape
    assert "┃ design" in wrapped and wrapped.count("┏") == 1
    assert_laid_out(wrapped, 80, ["support_agent", "implementation", "tech_support", "sla_met ≥ 0.85"])
    turned = staffing(50)  # three lines or more per cell: a block per design reads better
    assert "┃ design" not in turned
    assert_laid_out(turned, 50, ["full_stack", "integrated", "support_agent", "tech_support"])


# --- The commands, as a pipe 60, 80 and 120 columns wide sees them -----------------------------


@pytest.fixture(scope="module")
def wide_runs(wide_path: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Run]:
    """Two runs of the wide scenario, to compare."""
    out = tmp_path_factory.mktemp("wide-results")
    return [run_tiny(wide_path, out, "--basis", "given"),
            run_tiny(wide_path, out, "--basis", "given", "--seed", "7")]


@pytest.mark.parametrize("width", WIDTHS)
def test_run_fits_the_width(width: int, wide_path: Path, tmp_path: Path):
    code, out, err = invoke(width, "run", wide_path, "--basis", "given", "--out", tmp_path)
    assert code == 0, err
    assert_laid_out(out, width, wide_scenario()["compare"])
    assert out.splitlines()[-1].startswith(str(tmp_path))  # the run directory, last


@pytest.mark.parametrize("width", WIDTHS)
def test_optimize_fits_the_width(width: int, wide_path: Path, tmp_path: Path):
    designs = [LONG, "integrated"]
    code, out, err = invoke(width, "optimize", wide_path, "--designs", ",".join(designs),
                            "--replications", "2", "--confirm", "2", "--fresh", "0", "--out", tmp_path)
    assert code == 0, err
    optimum = json.loads((Path(out.splitlines()[-1]) / "optimum.json").read_text())
    roles = {role for o in optimum.values() for role in o["policy"]}
    assert {"csm", "support_agent", "tech_support"} <= roles
    assert_laid_out(out, width, [*designs, *roles])


@pytest.mark.parametrize("width", WIDTHS)
def test_capacity_fits_the_width(width: int, wide_path: Path, tmp_path: Path):
    code, out, err = invoke(width, "capacity", wide_path, "--design", LONG, "--out", tmp_path)
    assert code == 0, err
    assert_laid_out(out, width, ["smb", "mid", LONG, "$2M rule", "$30,000"])


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_fits_the_width(width: int, wide_runs: list[Run]):
    from simulate.compare import labels
    from simulate.report.data import load_run

    code, out, err = invoke(width, "compare", *(r.path for r in wide_runs))
    assert code == 0, err
    names = labels([load_run(r.path) for r in wide_runs])
    assert_laid_out(out, width, [*wide_scenario()["compare"], *names])
