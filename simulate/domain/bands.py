"""Health bands, best first: green, yellow_green, yellow, red (seed 002's healthy, sub-healthy,
unhealthy, at risk), with the scenario defaults that are one number per band."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    """One band: its default lower bound (None for the last, red, which has none), and the
    defaults of the per-band parameters (docs/calibration.md gives their sources)."""

    name: str
    label: str
    lower_bound: float | None
    renewal_probability: float
    expansion_probability: float
    contraction_probability: float


BAND_ROWS: tuple[Band, ...] = (
    Band("green", "healthy", 75, 0.92, 0.30, 0.0),
    Band("yellow_green", "sub-healthy", 60, 0.896, 0.15, 0.05),
    Band("yellow", "unhealthy", 40, 0.864, 0.05, 0.10),
    Band("red", "at risk", None, 0.824, 0.0, 0.15),
)
BAND_NAMES: tuple[str, ...] = tuple(b.name for b in BAND_ROWS)
BOUNDED: tuple[str, ...] = tuple(b.name for b in BAND_ROWS if b.lower_bound is not None)
GREEN, YELLOW_GREEN, YELLOW, RED = range(len(BAND_ROWS))
