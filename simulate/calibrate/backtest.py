"""`--check`: the fitted scenario simulated over the export's last 12 months under the company's
current design, against what the exports show happened, side by side with 95% intervals.

The back-test starts from the book of 12 months before the as-of date (its customers then, per
segment), runs 12 months without warm-up, and compares tickets a month, first response p50/p90
(business hours), time to live (business days) and annual logo churn of that book. Observed
intervals: t over the 12 months, binomial order statistics for quantiles, t for the mean time to
live, Wilson for churn; simulated: t over replications.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulate.calibrate.accounts import customers_at
from simulate.calibrate.business import business_days, business_hours
from simulate.calibrate.estimates import Estimate, count_text, mean, proportion, quantile
from simulate.calibrate.exports import Exports
from simulate.calibrate.fitted import WINDOW_MONTHS, number, window_start
from simulate.designs import Design
from simulate.runner import Outcome, run
from simulate.scenario.schema import Scenario

WHOLE = "all"
MEASURES = (  # (kpi, what people read, unit)
    ("tickets_per_month", "tickets a month", "tickets"),
    ("frt_p50_h", "first response p50", "business h"),
    ("frt_p90_h", "first response p90", "business h"),
    ("time_to_live_days", "time to live", "business days"),
    ("logo_churn", "annual logo churn", "share"),
)


@dataclass(frozen=True)
class Comparison:
    """One measure for one segment: what happened, and what the fitted scenario simulates."""

    kpi: str
    segment: str
    observed: Estimate
    simulated: Estimate

    @property
    def agrees(self) -> bool:
        """Whether the two intervals overlap."""
        return not (self.observed.high < self.simulated.low or self.simulated.high < self.observed.low)


def observed(exports: Exports, hours_per_day: float) -> dict[tuple[str, str], Estimate]:
    """The measures over the export's last 12 months, per segment and for the whole book."""
    as_of, accounts, tickets = exports.as_of, exports.accounts, exports.tickets
    start = window_start(as_of, min(accounts["signed_date"].min(), tickets["created_at"].min()))
    segment_of = accounts.set_index("account_id")["segment"]
    recent = tickets[tickets["created_at"] > start]
    recent_segment = recent["account_id"].map(segment_of)
    found: dict[tuple[str, str], Estimate] = {}
    for segment in [WHOLE, *sorted(accounts["segment"].unique())]:
        mine = recent if segment == WHOLE else recent[recent_segment == segment]
        if segment == WHOLE:
            monthly = mine.groupby(mine["created_at"].dt.to_period("M")).size()
            monthly = monthly.reindex(pd.period_range(start, as_of, freq="M")[-WINDOW_MONTHS:], fill_value=0)
            found[("tickets_per_month", segment)] = mean(monthly.to_numpy(dtype=float),
                                                         f"{len(monthly)} months")
        if "first_response_at" in mine:
            frt = business_hours(mine["created_at"], mine["first_response_at"], hours_per_day)
            answered = frt[~np.isnan(frt)]
            basis = count_text(len(answered), "answered tickets")
            found[("frt_p50_h", segment)] = quantile(answered, 0.5, basis)
            found[("frt_p90_h", segment)] = quantile(answered, 0.9, basis)
        rows = accounts if segment == WHOLE else accounts[accounts["segment"] == segment]
        new = rows[(rows["signed_date"] > start) & rows["live_date"].notna()]
        found[("time_to_live_days", segment)] = mean(
            business_days(new["signed_date"], new["live_date"]), count_text(len(new), "go-lives"))
        book = rows[customers_at(rows, start)]
        lost = int((book["ended_date"] <= as_of).sum())
        found[("logo_churn", segment)] = proportion(lost, len(book), f"{lost:,} of {len(book):,} lost")
    return found


def backtest_scenario(fitted: Scenario, exports: Exports, replications: int) -> Scenario:
    """The fitted scenario started from the book of 12 months before the as-of date, run 12
    months without warm-up."""
    start = window_start(exports.as_of, exports.accounts["signed_date"].min())
    book = exports.accounts[customers_at(exports.accounts, start)]
    counts = book["segment"].value_counts()
    segments = {name: seg.model_copy(update={"initial_accounts": int(counts.get(name, 0))})
                for name, seg in fitted.segments.items()}
    return fitted.model_copy(update={"segments": segments, "horizon_months": WINDOW_MONTHS,
                                     "warmup_months": 0, "replications": replications})


def _simulated(outcomes: list[Outcome], kpi: str, segment: str) -> Estimate:
    if kpi == "tickets_per_month":
        values = np.array([np.mean([row["tickets"] for row in o.monthly if row["month"] > 0])
                           for o in outcomes]) if segment == WHOLE else np.array([])
    else:
        values = np.array([o.kpi(kpi, segment) for o in outcomes])
    values = values[np.isfinite(values)]
    return mean(values, count_text(len(values), "replications"))


def backtest(fitted: Scenario, exports: Exports, design: Design, replications: int, seed: int,
             jobs: int) -> list[Comparison]:
    """Simulate and compare; rows in MEASURES order, the whole book first."""
    scenario = backtest_scenario(fitted, exports, replications)
    outcomes = run(scenario, [design], replications=replications, seed=seed, jobs=jobs)
    seen = observed(exports, fitted.calendar.hours_per_day)
    return [Comparison(kpi, segment, seen[(kpi, segment)], _simulated(outcomes, kpi, segment))
            for kpi, _, _ in MEASURES for segment in [WHOLE, *fitted.segments]
            if (kpi, segment) in seen and (kpi != "tickets_per_month" or segment == WHOLE)]


def _shown(e: Estimate, unit: str) -> str:
    if not math.isfinite(e.value):
        return "n/a"
    if unit == "share":
        return f"{e.value:.1%} ({e.low:.1%}–{e.high:.1%})"
    return f"{number(e.value)} ({number(e.low)}–{number(e.high)})"


def lines(rows: list[Comparison], design: str) -> list[str]:
    """The back-test as a plain table, one row per measure and segment, with its bases."""
    units = {kpi: (label, unit) for kpi, label, unit in MEASURES}
    table = [("measure", "segment", "observed (95% CI)", "simulated (95% CI)", "", "observed basis")]
    for row in rows:
        label, unit = units[row.kpi]
        table.append((f"{label}, {unit}", row.segment, _shown(row.observed, unit),
                      _shown(row.simulated, unit), "" if row.agrees else "differs", row.observed.basis))
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    out = [f"Back-test under {design}: the last 12 months, observed against simulated "
           f"({rows[0].simulated.basis if rows else 'no rows'})"]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table]
    return out
