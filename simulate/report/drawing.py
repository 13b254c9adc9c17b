"""What every chart of the report is drawn with: matplotlib's object API on an Agg canvas, one
style, one colour per design, names drawn as written (`text.parse_math` off: "$\\foo{$" is a name,
not a formula), axes formatted in the KPI's unit, and the PNG inlined as base64."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from simulate import units
from simulate.report import fmt

DPI = 100
STYLE = {
    "text.parse_math": False,  # "$\\foo{$" is a name, not mathtext
    "text.usetex": False,
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": 8,
    "legend.frameon": False,
}
BANDS = (("green", "#2e7d32"), ("yellow_green", "#9ccc65"), ("yellow", "#fbc02d"), ("red", "#d32f2f"))
PROACTIVE, REACTIVE = "#1565c0", "#ef6c00"
BAND_Q = (0.1, 0.9)  # the band across replications: 10–90% (min–max with a few)
RESPONSE_TITLE = "How fast tickets are answered and resolved"


LEGEND_HIDES = "_"  # matplotlib leaves artists whose label starts with this out of legends


def label(name: str) -> str:
    """A name (design, segment) as a chart draws it: as written, with a zero-width space before
    a leading underscore so that a legend keeps it."""
    name = str(name)
    return "\u200b" + name if name.startswith(LEGEND_HIDES) else name


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    caption: str
    png: str  # base64

    @property
    def data_uri(self) -> str:
        return f"data:image/png;base64,{self.png}"


def palette(designs: list[str]) -> dict[str, str]:
    """One colour per design, the same in every chart."""
    colors = mpl.colormaps["tab10"].colors
    return {d: mpl.colors.to_hex(colors[i % len(colors)]) for i, d in enumerate(designs)}


@contextmanager
def _figure(width: float, height: float) -> Iterator[Figure]:
    with mpl.rc_context(STYLE):
        yield Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _errors(stat: object) -> float:
    low, high = stat.low, stat.high  # type: ignore[attr-defined]
    return (high - low) / 2 if units.finite(low) and units.finite(high) else 0.0


def _axis_format(ax: Axes, kpi: str, axis: str) -> None:
    target = ax.xaxis if axis == "x" else ax.yaxis
    unit = units.BY_NAME[fmt.unit(kpi)]
    if unit.tick is not None:
        tick = unit.tick
        target.set_major_formatter(FuncFormatter(lambda v, _pos: tick(v)))
    elif unit.share:
        target.set_major_formatter(PercentFormatter(1.0))


def _axis_label(kpi: str) -> str:
    name = fmt.label(kpi)
    return units.BY_NAME[fmt.unit(kpi)].axis.format(name[0].upper() + name[1:])
