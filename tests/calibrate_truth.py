"""The example exports' known parameters beside what `orgsim calibrate` fitted, for the recovery
tests: (what, fitted estimate with its 95% interval, the generator's true value)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import yaml

from simulate.calibrate.columns import DEFAULT_SEGMENTS, read_mapping
from simulate.calibrate.estimates import Estimate
from simulate.calibrate.exports import read_exports
from simulate.calibrate.fit import calibrate
from simulate.calibrate.fitted import Calibration
from simulate.consistency import load
from simulate.designs import resolve

from conftest import REPO

EXAMPLES = REPO / "examples" / "exports"


def generator() -> ModuleType:
    """examples/exports/generate.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("generate_exports", EXAMPLES / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def calibrated(folder: Path) -> Calibration:
    """The calibration of folder/accounts.csv and folder/tickets.csv against the baseline."""
    base = load(REPO / "scenarios" / "baseline.yaml")
    exports = read_exports(folder / "accounts.csv", folder / "tickets.csv", read_mapping(None), None,
                           DEFAULT_SEGMENTS)
    return calibrate(exports, base, "baseline", resolve(base, "active_passive"))


def recovered(cal: Calibration, truth: dict) -> list[tuple[str, Estimate, float]]:
    """Every fitted parameter the generator fixed, with its interval and the true value."""
    rows: list[tuple[str, Estimate, float]] = []
    for name, seg in truth["segments"].items():
        fitted = lambda key, n=name: cal.estimate("segments", n, key)  # noqa: E731
        acv_fit = cal.figures[f"acv:{name}"][0]
        rows += [(f"{name}.new_per_month", fitted("new_per_month"), seg["new_per_month"]),
                 (f"{name}.acv.mean", acv_fit.mean, seg["acv_mean"]),
                 (f"{name}.acv.cv", acv_fit.cv, seg["acv_cv"]),
                 (f"{name}.tickets_per_month", fitted("tickets_per_month"), seg["tickets_per_month"])]
        # The rule's reference point is the fitted scenario's mean ACV m̂, the generator's the true m:
        # risk × (a ÷ m)^−e = risk × (m̂ ÷ m)^e × (a ÷ m̂)^−e, so the fitted risk estimates the latter.
        m_hat = cal.value("segments", name, "acv")["mean"]
        e = seg["renewal_acv_elasticity"]
        rows += [(f"{name}.renewal_risk", fitted("renewal_risk"),
                  seg["renewal_risk"] * (m_hat / seg["acv_mean"]) ** e),
                 (f"{name}.renewal_acv_elasticity", fitted("renewal_acv_elasticity"), e)]
    rows.append(("tickets.onboarding_factor", cal.estimate("tickets", "onboarding_factor"),
                 truth["onboarding_factor"]))
    for kind, row in truth["types"].items():
        where = ("tickets", "types", kind)
        rows += [(f"{kind}.share", cal.estimate(*where, "share"), row["share"]),
                 (f"{kind}.handle_hours.mean", cal.estimate(*where, "handle_hours"),
                  row["handle_minutes"] / 60)]
        if row["escalation_rate"] > 0:
            rows.append((f"{kind}.escalation_rate", cal.estimate(*where, "escalation_rate"),
                         row["escalation_rate"]))
    return rows


def shipped_truth() -> dict:
    return generator().TRUTH


def contract_months(cal: Calibration) -> dict[str, int]:
    return {s: cal.value("segments", s, "contract_months") for s in cal.segments}


def fitted_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text())
