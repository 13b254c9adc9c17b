"""FITTED.fit.html: per fitted quantity, the data against the fit, its sample size and interval,
what was kept from the base scenario, and warnings (few tickets of a type, small segments)."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from simulate.calibrate import charts
from simulate.calibrate.distributions import aic_text
from simulate.calibrate.fitted import Calibration, window_start

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}}
table{{border-collapse:collapse;font-size:13px}}td,th{{border-bottom:1px solid #ddd;padding:3px 8px;
text-align:left;vertical-align:top}}.warn{{color:#b00020}}figure{{margin:1em 0}}
figcaption{{font-size:13px;color:#555}}</style></head><body>
{body}
</body></html>
"""


def _e(text: Any) -> str:
    return html.escape(str(text))


def _figure(title: str, caption: str, image: str) -> str:
    return (f"<figure><h3>{_e(title)}</h3><img alt=\"{_e(title)}\" src=\"data:image/png;base64,{image}\">"
            f"<figcaption>{_e(caption)}</figcaption></figure>")


def _fitted(title: str, counted: str, aic: str, fit: Any, values: Any, unit: str) -> str:
    """A fitted distribution's figure: histogram with the fitted density beside its QQ plot."""
    return _figure(title, f"{fit.n:,} {counted}; {fit.dist} kept by AIC{aic}, KS {fit.ks:.3f}. "
                          "Left: histogram and fitted density; right: QQ plot.",
                   charts.distribution(fit, values, unit))


def _table(rows: list[tuple[str, ...]], head: tuple[str, ...]) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return "<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + f"</tr>{cells}</table>"


def _monthly(frame: pd.DataFrame, column: str, start: pd.Timestamp) -> pd.DataFrame:
    chosen = frame[frame[column] > start]
    month = chosen[column].dt.to_period("M")
    return chosen.groupby([month, chosen["segment"]]).size().unstack(fill_value=0)


def figures(cal: Calibration, as_of: pd.Timestamp) -> list[str]:
    """Every figure of the report, in the order of the scenario."""
    out: list[str] = []
    accounts: pd.DataFrame = cal.figures["accounts"]
    start = window_start(as_of, accounts["signed_date"].min())
    signed = _monthly(accounts, "signed_date", start)
    rates = {s: cal.value("segments", s, "new_per_month") for s in cal.segments
             if cal.estimate("segments", s, "new_per_month") is not None}
    if not signed.empty:
        out.append(_figure("New accounts a month", "Accounts signed per calendar month over the last 12 "
                           "months; dashed: the fitted Poisson rate.",
                           charts.monthly(signed, rates, "accounts")))
    for segment in cal.segments:
        found = cal.figures.get(f"acv:{segment}")
        if found:
            out.append(_fitted(f"ACV, {segment}", "accounts", f" ({aic_text(found[0])})", *found,
                               "USD a year"))
    rated = [(s, cal.estimate("segments", s, "tickets_per_month")) for s in cal.segments]
    rated = [(s, e) for s, e in rated if e is not None]
    factor = cal.estimate("tickets", "onboarding_factor")
    if rated:
        names = [s for s, _ in rated] + (["onboarding factor"] if factor else [])
        out.append(_figure("Tickets per account-month", "Fitted tickets_per_month (before the band "
                           "factor) per segment, and the onboarding factor, with 95% intervals.",
                           charts.intervals(names, [e for _, e in rated] + ([factor] if factor else []),
                                            "tickets a month / ratio")))
    tickets: pd.DataFrame = cal.figures.get("tickets", pd.DataFrame())
    if not tickets.empty:
        out.append(_figure("Tickets a month", "Tickets created per calendar month by segment.",
                           charts.monthly(_monthly(tickets, "created_at", start), {}, "tickets")))
    types = sorted({f.path[2] for f in cal.values if f.path[:2] == ("tickets", "types")})
    for what, unit in (("share", "share of tickets"), ("escalation_rate", "share escalated")):
        found = [(t, cal.estimate("tickets", "types", t, what)) for t in types]
        found = [(t, e) for t, e in found if e is not None]
        if found:
            out.append(_figure(f"Ticket types: {what}", f"{unit} per type, Wilson 95% intervals.",
                               charts.intervals([t for t, _ in found], [e for _, e in found], unit)))
    for kind in types:
        found = cal.figures.get(f"handle:{kind}")
        if found:
            out.append(_fitted(f"Handle time, {kind}", "tickets with handle_minutes", "", *found, "hours"))
    ttl = {s: cal.figures[f"ttl:{s}"] for s in cal.segments if f"ttl:{s}" in cal.figures}
    if any(len(v) for v in ttl.values()):
        out.append(_figure("Time to live", "Business days from signing to go-live, per segment (accounts "
                           "still onboarding left out).", charts.ecdf(ttl, "business days")))
    for segment in cal.segments:
        found = cal.figures.get(f"renewal:{segment}")
        if found:
            out.append(_figure(f"Renewal, {segment}", f"{found.renewals:,} renewals, {found.churned:,} not "
                               "renewed: share not renewed by ACV band (95% CI) against the model's rule "
                               f"with renewal_risk {found.risk.value:.3g}, "
                               f"elasticity {found.elasticity.value:.3g}.",
                               charts.renewal(found)))
    return out


def report_html(cal: Calibration, as_of: pd.Timestamp, title: str, header: list[str]) -> str:
    """The whole page."""
    body = [f"<h1>{_e(title)}</h1>", *(f"<p>{_e(line)}</p>" for line in header)]
    if cal.warnings:
        body.append("<h2>Warnings</h2><ul>" + "".join(f"<li class=warn>{_e(w)}</li>" for w in cal.warnings)
                    + "</ul>")
    body.append("<h2>Fitted values</h2>")
    body.append(_table([(".".join(f.path), _flat(f.value), f.source) for f in cal.values],
                       ("field", "value", "source")))
    body.append("<h2>Facts</h2>" + _table(list(cal.facts), ("what", "value")))
    if cal.kept:
        body.append(f"<h2>Kept from base scenario {_e(cal.base_name)}</h2><ul>"
                    + "".join(f"<li>{_e(k)}</li>" for k in cal.kept) + "</ul>")
    body.append("<h2>Data against fit</h2>")
    body.extend(figures(cal, as_of))
    return PAGE.format(title=_e(title), body="\n".join(body))


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return str(value)
