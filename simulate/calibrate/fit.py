"""One calibration: every fit, in order, over checked exports and a base scenario."""

from __future__ import annotations

from simulate.calibrate.accounts import fit_accounts, template_segments
from simulate.calibrate.exports import Exports
from simulate.calibrate.fitted import Calibration
from simulate.calibrate.mix import band_mix
from simulate.calibrate.tickets import fit_tickets
from simulate.domain.designs import Design
from simulate.scenario.schema import Scenario


def calibrate(exports: Exports, base: Scenario, base_name: str, design: Design) -> Calibration:
    """Fit what the exports allow; everything else stays the base scenario's, listed as kept.
    Segments are ordered by mean ACV; `design` is the company's current org (who onboards)."""
    acv = exports.accounts.groupby("segment")["acv"].mean()
    segments = list(acv.sort_values().index)
    cal = Calibration(base_name, segments, template_segments(segments, acv.to_dict(), base))
    for segment, source in cal.template.items():
        if segment != source:
            cal.warnings.append(f"segment {segment} is not in base scenario {base_name}: its unfitted "
                                f"values come from {source}, the nearest in mean ACV")
    mix = band_mix(base, base_name)
    cal.figures["mix"] = mix
    cal.figures["accounts"] = exports.accounts
    cal.facts.append(("as of", f"{exports.as_of:%Y-%m-%d}"))
    cal.facts.append(("segments from", exports.segmented_by))
    cal.facts.append((f"band mix assumed ({base_name}'s health.initial)",
                      ", ".join(f"{s:.0%}" for s in mix.shares)))
    fit_accounts(exports, cal, base, design, mix)
    fit_tickets(exports, cal, base, mix)
    return cal
