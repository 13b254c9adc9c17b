"""Per-segment fits from the accounts export: the book at the as-of date, new accounts a month,
the ACV distribution, contract length, time to live (and the session spacing it implies) and
renewal outcomes through the model's renewal rule (simulate.calibrate.renewal)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from simulate.calibrate.business import business_days
from simulate.calibrate.distributions import aic_text, fit_positive
from simulate.calibrate.estimates import Estimate, count_text, mean, poisson_rate
from simulate.calibrate.exports import Exports
from simulate.calibrate.fitted import (
    FEW_ACCOUNTS,
    Calibration,
    fitted_source,
    months_between,
    number,
    sig,
    window_start,
)
from simulate.calibrate.mix import BandMix
from simulate.calibrate.renewal import anniversaries, fit_renewal, midterm_exits
from simulate.domain.designs import Design
from simulate.scenario.advice import fastest_onboarding
from simulate.scenario.schema import Scenario


def customers_at(accounts: pd.DataFrame, when: pd.Timestamp) -> pd.Series:
    """Mask of accounts signed by `when` and not ended by then."""
    ended = accounts["ended_date"]
    return (accounts["signed_date"] <= when) & (ended.isna() | (ended > when))


def contract_terms(accounts: pd.DataFrame, cal: Calibration, base: Scenario) -> np.ndarray:
    """Each account's contract months: its own, else its segment's fitted or base value."""
    by_segment = accounts["segment"].map(
        lambda s: _contract(cal, s, base)).astype(float).to_numpy()
    if "contract_months" not in accounts:
        return by_segment
    own = accounts["contract_months"].to_numpy(dtype=float)
    return np.where(np.isnan(own), by_segment, own)


def _contract(cal: Calibration, segment: str, base: Scenario) -> float:
    found = [f.value for f in cal.values if f.path == ("segments", segment, "contract_months")]
    return float(found[0]) if found else float(base.segments[cal.template[segment]].contract_months)


def fit_accounts(exports: Exports, cal: Calibration, base: Scenario, design: Design, mix: BandMix) -> None:
    """Add every per-segment account fit to `cal`."""
    accounts, as_of = exports.accounts, exports.as_of
    start = window_start(as_of, accounts["signed_date"].min())
    span = months_between(start, as_of)
    for segment in cal.segments:
        rows = accounts[accounts["segment"] == segment]
        where = ("segments", segment)
        if len(rows) < FEW_ACCOUNTS:
            cal.warnings.append(f"segment {segment}: only {len(rows)} accounts (fewer than "
                                f"{FEW_ACCOUNTS}): its fits are rough")
        live = int(customers_at(rows, as_of).sum())
        cal.add((*where, "initial_accounts"), live,
                f"counted: customers on {as_of:%Y-%m-%d} (signed, not ended)")
        new = int((rows["signed_date"] > start).sum())
        rate = poisson_rate(new, span, f"{count_text(new, 'accounts')} signed in {number(span)} months")
        cal.add((*where, "new_per_month"), sig(rate.value),
                fitted_source(rate, "a month") + ", Poisson", rate)
        acv = fit_positive(rows["acv"].to_numpy(dtype=float), count_text(len(rows), "accounts"))
        if acv is None:
            cal.keep(f"segments.{segment}.acv", "fewer than 3 distinct positive ACVs")
        else:
            cal.add((*where, "acv"), acv.quantity(),
                    f"fitted: {acv.dist} by ML (AIC {aic_text(acv)}), "
                    f"KS {acv.ks:.3f}; mean 95% CI {number(acv.mean.low)}–{number(acv.mean.high)} USD, "
                    f"cv {number(acv.cv.low)}–{number(acv.cv.high)}; {acv.mean.basis}", acv.mean)
            cal.figures[f"acv:{segment}"] = (acv, rows["acv"].to_numpy(dtype=float))
        _contract_fit(rows, cal, segment)
        _time_to_live(rows, cal, segment, base, design, as_of)
    _renewals(accounts, cal, base, mix, as_of)


def _contract_fit(rows: pd.DataFrame, cal: Calibration, segment: str) -> None:
    terms = rows["contract_months"].dropna() if "contract_months" in rows else pd.Series(dtype=float)
    if terms.empty:
        cal.keep(f"segments.{segment}.contract_months", "the export has no contract_months")
        return
    mode = terms.round().mode()
    value = int(mode.min())
    share = float((terms.round() == value).mean())
    cal.add(("segments", segment, "contract_months"), value,
            f"fitted: the most common term of {count_text(len(terms), 'accounts')} ({share:.0%} of them)")


def _time_to_live(rows: pd.DataFrame, cal: Calibration, segment: str, base: Scenario,
                  design: Design, as_of: pd.Timestamp) -> None:
    """Business days from signing to go-live; their mean sets days_between_sessions."""
    went_live = rows[rows["live_date"].notna()]
    days = business_days(went_live["signed_date"], went_live["live_date"])
    onboarding = int((rows["live_date"].isna() & customers_at(rows, as_of)).sum())
    basis = f"{count_text(len(days), 'go-lives')} ({onboarding:,} still onboarding, left out)"
    ttl = mean(days, basis)
    cal.figures[f"ttl:{segment}"] = days
    cal.facts.append((f"{segment}: time to live, business days (mean)",
                      f"{number(ttl.value)} (95% CI {number(ttl.low)}–{number(ttl.high)}; {basis})"))
    key = f"segments.{segment}.days_between_sessions"
    name = cal.template[segment]
    if len(days) < FEW_ACCOUNTS:
        cal.keep(key, f"fewer than {FEW_ACCOUNTS} go-lives to fit to")
        return
    fastest = fastest_onboarding(base, name, design)
    if fastest is None or fastest.sessions < 2:
        cal.keep(key, f"{design.name} onboards {segment} in cohorts or in one session: no spacing to fit")
        return
    worked = fastest.hours_worked / base.calendar.hours_per_day
    scale = 1.0 / (fastest.sessions - 1)
    est = Estimate(max(0.0, (ttl.value - worked) * scale), max(0.0, (ttl.low - worked) * scale),
                   max(0.0, (ttl.high - worked) * scale), basis)
    cal.add(("segments", segment, "days_between_sessions"), sig(est.value, 3),
            f"fitted: mean time to live {number(ttl.value)} business days less {fastest.sessions} "
            f"sessions' {number(fastest.hours_worked)} h under {design.name}, over "
            f"{fastest.sessions - 1} gaps (queueing taken as small; --check tests it); {basis}; "
            f"95% CI {number(est.low)}–{number(est.high)}", est)


def _renewals(accounts: pd.DataFrame, cal: Calibration, base: Scenario, mix: BandMix,
              as_of: pd.Timestamp) -> None:
    events = anniversaries(accounts, contract_terms(accounts, cal, base), as_of)
    exits = midterm_exits(accounts, events)
    segment_of = accounts["segment"].to_numpy()
    acv = accounts["acv"].to_numpy(dtype=float)
    for segment in cal.segments:
        mine = segment_of[events["account"].to_numpy()] == segment
        chosen = events[mine]
        where = f"segments.{segment}"
        left = int(exits[segment_of == segment].sum())
        if left:
            cal.facts.append((f"{segment}: accounts that left mid-term (opt-out; not fitted)", f"{left:,}"))
        mean_acv = _acv_mean(cal, segment, base)
        found = fit_renewal(acv[chosen["account"].to_numpy()], chosen["churned"].to_numpy(),
                            mean_acv, mix.non_renewal)
        if found is None or found.renewals < FEW_ACCOUNTS:
            reason = "no renewal fell due in the export" if not len(chosen) else (
                f"{len(chosen)} renewals, {int(chosen['churned'].sum())} not renewed: too few to fit")
            cal.keep(f"{where}.renewal_risk", reason)
            cal.keep(f"{where}.renewal_acv_elasticity", reason)
            continue
        assumption = (f"the model's renewal rule over {mix.source}'s band mix "
                      f"(mean non-renewal {mix.non_renewal:.3f}), renewal work done")
        cal.add(("segments", segment, "renewal_risk"), sig(found.risk.value, 3),
                f"{fitted_source(found.risk)}; ML through {assumption}", found.risk)
        cal.add(("segments", segment, "renewal_acv_elasticity"), sig(found.elasticity.value, 3),
                f"{fitted_source(found.elasticity)}; jointly with renewal_risk", found.elasticity)
        cal.figures[f"renewal:{segment}"] = found


def _acv_mean(cal: Calibration, segment: str, base: Scenario) -> float:
    """The segment's mean ACV as the fitted scenario will have it (the rule's reference point)."""
    found = [f.value for f in cal.values if f.path == ("segments", segment, "acv")]
    if found:
        return float(found[0]["mean"])
    return float(base.segments[cal.template[segment]].acv.expected)


def template_segments(segments: list[str], acv_means: dict[str, float], base: Scenario) -> dict[str, str]:
    """Each segment's base segment: the one of the same name, else the nearest in mean ACV."""
    chosen = {}
    for name in segments:
        if name in base.segments:
            chosen[name] = name
            continue
        target = math.log(max(acv_means.get(name, 1.0), 1.0))
        chosen[name] = min(base.segments, key=lambda s: abs(
            math.log(max(base.segments[s].acv.expected, 1.0)) - target))
    return chosen
