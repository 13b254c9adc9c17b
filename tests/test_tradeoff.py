"""The trade-off chart (issue 11): designs on one spot stay told apart, and a gap smaller than
its practical margin is not zoomed to fill the axis — the caption says so."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import pandas as pd
import pytest

from simulate.decision.margins import DEFAULTS
from simulate.report import tradeoff as chart
from simulate.report.data import RunData

mpl.use("Agg")


def run_of(points: dict[str, tuple[float, float, float]], tmp_path: Path) -> RunData:
    """A run whose designs have (total_cost, logo_churn, frt_p90_h) means, with narrow intervals."""
    rows = []
    for design, values in points.items():
        for kpi, mean in zip(("total_cost", "logo_churn", "frt_p90_h"), values, strict=True):
            rows.append({"design": design, "segment": "all", "window": "all", "kpi": kpi, "mean": mean,
                         "ci_low": mean * 0.999, "ci_high": mean * 1.001, "n": 10, "diff_mean": 0.0,
                         "diff_low": 0.0, "diff_high": 0.0})
    return RunData(tmp_path, pd.DataFrame(rows))


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[float, float]]]:
    """Each axis' limits as the chart leaves them (x of the first panel, then y, …)."""
    seen: list[tuple[str, tuple[float, float]]] = []
    real = chart._png

    def spy(fig):
        for ax in fig.axes:
            seen.append((ax.get_title(), ax.get_xlim()))
            seen.append((ax.get_title(), ax.get_ylim()))
        return real(fig)

    monkeypatch.setattr(chart, "_png", spy)
    return seen


def test_a_cost_gap_within_its_margin_is_drawn_on_an_axis_spanning_the_margin(tmp_path: Path, limits):
    run = run_of({"refined": (4.000e6, 0.150, 0.30), "integrated": (4.008e6, 0.120, 0.25)}, tmp_path)
    drawn = chart.tradeoff(run)
    assert drawn is not None
    x_low, x_high = limits[0][1]
    assert x_high - x_low >= 2 * DEFAULTS["total_cost"].size * 4.004e6 * 0.999  # ± 2% around the mean
    assert "within the margin that matters" in drawn.caption
    assert "total cost" in drawn.caption.lower()


def test_gaps_beyond_their_margin_are_drawn_as_measured(tmp_path: Path, limits):
    run = run_of({"refined": (3.0e6, 0.15, 0.30), "integrated": (4.0e6, 0.10, 0.60)}, tmp_path)
    drawn = chart.tradeoff(run)
    assert "within the margin" not in drawn.caption
    x_low, x_high = limits[0][1]
    assert x_high - x_low < 2.0e6  # fitted to the data (with matplotlib's own margins)


def test_designs_on_the_same_spot_get_their_own_shapes_and_say_they_coincide(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch):
    texts: list[str] = []
    real = chart._labels

    def spy(ax, pts, names, colors):
        real(ax, pts, names, colors)
        texts.extend(t.get_text() for t in ax.texts)

    monkeypatch.setattr(chart, "_labels", spy)
    run = run_of({"refined": (4.0e6, 0.15, 0.3), "integrated": (4.0e6, 0.15, 0.3),
                  "full_stack": (5.0e6, 0.2, 4.0)}, tmp_path)
    assert chart.tradeoff(run) is not None
    assert "integrated (= refined)" in texts
    shapes = {d: chart.MARKERS[i] for i, d in enumerate(run.designs)}
    assert len(set(shapes.values())) == len(run.designs)
