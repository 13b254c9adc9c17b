"""Fits from the tickets export over its last 12 months: tickets per account-month by segment
(before the band factor), the onboarding factor, type shares, handle time and escalation rate
per type. Account-months come from the accounts export: onboarding from signing to go-live,
live from go-live to the end (or the as-of date)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from simulate.calibrate.distributions import fit_positive
from simulate.calibrate.estimates import count_text, poisson_rate, proportion
from simulate.calibrate.exports import Exports
from simulate.calibrate.fitted import FEW_TICKETS, Calibration, fitted_source, number, sig, window_start
from simulate.calibrate.mix import BandMix
from simulate.scenario.schema import Scenario

MONTH = pd.Timedelta(days=365.25 / 12)
UNTYPED = "untyped"


def type_name(text: str) -> str:
    """A help desk's type label as a scenario name: lower case, words joined by underscores."""
    name = re.sub(r"[^0-9a-z]+", "_", text.strip().lower()).strip("_")
    return name or UNTYPED


def exposure(accounts: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Each account's onboarding and live months within [start, end]."""
    stop = accounts["ended_date"].fillna(end).clip(upper=end)
    begin = accounts["signed_date"].clip(lower=start)
    live_from = accounts["live_date"].fillna(stop).clip(lower=start)  # not live: onboarding to the end
    onboarding = (np.minimum(live_from, stop) - begin).clip(lower=pd.Timedelta(0)) / MONTH
    live = (stop - live_from.clip(upper=stop)).clip(lower=pd.Timedelta(0)) / MONTH
    return pd.DataFrame({"segment": accounts["segment"], "onboarding": onboarding, "live": live})


def in_window(exports: Exports) -> tuple[pd.DataFrame, pd.Timestamp]:
    """The tickets of the export's last 12 months, with their account's segment and phase."""
    tickets = exports.tickets
    start = window_start(exports.as_of, tickets["created_at"].min()) if len(tickets) else exports.as_of
    chosen = tickets[tickets["created_at"] >= start].copy()
    accounts = exports.accounts.set_index("account_id")
    chosen["segment"] = chosen["account_id"].map(accounts["segment"])
    live = chosen["account_id"].map(accounts["live_date"])
    chosen["live"] = live.notna() & (chosen["created_at"] >= live)
    return chosen, start


def fit_tickets(exports: Exports, cal: Calibration, base: Scenario, mix: BandMix) -> None:
    """Add every ticket fit to `cal`."""
    tickets, start = in_window(exports)
    months = exposure(exports.accounts, start, exports.as_of)
    cal.figures["tickets"] = tickets
    expected_onboarding = 0.0
    for segment in cal.segments:
        mine = tickets[tickets["segment"] == segment]
        live = int(mine["live"].sum())
        exposed = months.loc[months["segment"] == segment]
        rate = poisson_rate(live, float(exposed["live"].sum()),
                            f"{count_text(live, 'tickets')} over {number(exposed['live'].sum())} "
                            "live account-months")
        if live == 0:
            cal.keep(f"segments.{segment}.tickets_per_month", "no tickets from its live accounts")
            continue
        per_month = rate.scaled(1 / mix.ticket_factor)
        cal.add(("segments", segment, "tickets_per_month"), sig(per_month.value, 3),
                f"{fitted_source(per_month)}; observed {number(rate.value)} ÷ {mix.ticket_factor:.3f}, "
                f"the band factor over {mix.source}'s band mix", per_month)
        expected_onboarding += rate.value * float(exposed["onboarding"].sum())
    onboarding = int((~tickets["live"]).sum())
    if expected_onboarding > 0 and onboarding > 0:
        factor = poisson_rate(onboarding, expected_onboarding,
                              f"{count_text(onboarding, 'tickets')} before go-live")
        cal.add(("tickets", "onboarding_factor"), sig(factor.value, 3),
                f"{fitted_source(factor)}; against the live rate over the same account-months", factor)
    else:
        cal.keep("tickets.onboarding_factor", "no onboarding account-months with tickets")
    _types(tickets, cal, base)


def _types(tickets: pd.DataFrame, cal: Calibration, base: Scenario) -> None:
    if "type" not in tickets or tickets.empty:
        cal.keep("tickets.types", "the export has no type column")
        return
    kinds = tickets["type"].map(type_name)
    counts = kinds.value_counts()
    n = int(counts.sum())
    shares = {name: round(int(c) / n, 4) for name, c in counts.items()}
    first = next(iter(shares))
    shares[first] = round(1.0 - sum(v for k, v in shares.items() if k != first), 4)
    for name, count in counts.items():
        rows = tickets[kinds == name]
        where = ("tickets", "types", name)
        share = proportion(int(count), n, f"{count_text(count, 'tickets')} of {n:,}")
        cal.add((*where, "share"), shares[name], fitted_source(share), share)
        if count < FEW_TICKETS:
            cal.warnings.append(f"ticket type {name}: only {count} tickets (fewer than {FEW_TICKETS})")
        _handle(rows, cal, base, name)
        _escalation(rows, cal, base, name)


def _handle(rows: pd.DataFrame, cal: Calibration, base: Scenario, name: str) -> None:
    where = ("tickets", "types", name, "handle_hours")
    minutes = (rows["handle_minutes"].dropna().to_numpy(dtype=float) if "handle_minutes" in rows
               else np.array([]))
    found = fit_positive(minutes / 60.0, count_text(len(minutes), "tickets with handle_minutes"))
    if found is None:
        default = base.tickets.types.get(name)
        value = (default.handle_hours.model_dump(exclude_none=True) if default is not None
                 else {"dist": "lognormal", "mean": sig(base.tickets.mean_handle_hours), "cv": 0.8})
        origin = f"from base scenario {cal.base_name}"
        origin += "" if default is not None else ", its mean over types"
        cal.add(where, value, f"{origin} (fewer than 3 handle times of this type)")
        return
    if found.n < FEW_TICKETS:
        cal.warnings.append(f"ticket type {name}: only {found.n} handle times (fewer than {FEW_TICKETS})")
    cal.add(where, found.quantity(),
            f"fitted: {found.dist} by ML (KS {found.ks:.3f}), mean 95% CI {number(found.mean.low)}–"
            f"{number(found.mean.high)} h, cv {number(found.cv.low)}–{number(found.cv.high)}; "
            f"{found.mean.basis}",
            found.mean)
    cal.figures[f"handle:{name}"] = (found, minutes / 60.0)


def _escalation(rows: pd.DataFrame, cal: Calibration, base: Scenario, name: str) -> None:
    where = ("tickets", "types", name, "escalation_rate")
    flags = rows["escalated"].dropna() if "escalated" in rows else pd.Series(dtype=bool)
    if flags.empty:
        default = base.tickets.types.get(name)
        cal.add(where, default.escalation_rate if default is not None else 0.0,
                f"from base scenario {cal.base_name} (no escalated flags)" if default is not None
                else "no escalated flags in the export, none assumed")
        return
    rate = proportion(int(flags.sum()), len(flags), f"{count_text(len(flags), 'tickets')}")
    cal.add(where, sig(rate.value, 3), fitted_source(rate), rate)
