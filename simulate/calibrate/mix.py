"""The health-band mix the exports cannot show, taken from the base scenario.

Exports carry no health scores, but the model's ticket rate and renewal odds depend on each
account's band. The fits therefore marginalise over the band mix the base scenario implies for a
book: its `health.initial` distribution (scores clipped to 0–100) read through its band bounds.
The assumption is stated wherever a fit uses it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.scenario.sampling import draw
from simulate.scenario.schema import Scenario

DRAWS = 200_000
SEED = 14  # a fixed seed: the mix is a property of the base scenario, the same every time


@dataclass(frozen=True)
class BandMix:
    """Shares of accounts by band (band order), and what the model's rules average to over them."""

    shares: np.ndarray
    non_renewal: float  # Σ share × (1 − renewal probability of the band)
    ticket_factor: float  # Σ share × the band's ticket-rate factor
    source: str


def band_mix(scenario: Scenario, source: str) -> BandMix:
    """The band mix of `scenario`'s `health.initial` scores (`source` names the scenario)."""
    scores = np.clip(draw(scenario.health.initial, np.random.default_rng(SEED), DRAWS), 0, 100)
    bounds = np.array(scenario.health.bands.as_tuple())  # descending lower bounds; below: red
    band = np.searchsorted(-bounds, -scores, side="right")  # 0 green … len(bounds) red
    shares = np.bincount(band, minlength=len(bounds) + 1) / DRAWS
    renew = np.array(scenario.renewal.probability.as_tuple())
    factor = np.array(scenario.tickets.band_factor.as_tuple())
    return BandMix(shares, float(shares @ (1 - renew)), float(shares @ factor), source)
