"""KPIs as a table: name, unit, which way is better, whether per segment, and how computed.

`measure(record, scenario)` turns one replication's record into `{(segment, kpi): value}`;
`segment` is "all" for the whole book. Summary, report and optimizer read the same table.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulate.domain.bands import BAND_NAMES
from simulate.domain.roles import QUEUED_ROLES
from simulate.domain.work import PROACTIVE
from simulate.model.health import band_of
from simulate.model.record import CHURN_OPT_OUT, SAVE, WIN, FinalAccount, Record
from simulate.model.streams import ORIGIN_REFERRED
from simulate.scenario.schema import Scenario

NAN = float("nan")


class Facts:
    """The record as numpy arrays over the measured window, with per-segment masks."""

    def __init__(self, record: Record, scenario: Scenario):
        self.record = record
        self.scenario = scenario
        self.segments = list(scenario.segments)
        hpy = scenario.hours_per_year
        self.w0, self.horizon = record.window_start, record.horizon
        self.years = (self.horizon - self.w0) / hpy
        self.hours_per_day = scenario.calendar.hours_per_day
        log = record.tickets
        created = np.frombuffer(log.created, dtype=float) if len(log) else np.zeros(0)
        keep = created >= self.w0
        end = self.horizon

        def column(values: object, dtype: type) -> np.ndarray:
            return np.frombuffer(values, dtype=dtype)[keep] if len(log) else np.zeros(0, dtype)

        created = created[keep]
        self.t_seg = column(log.segment, np.int32)
        first = column(log.first_response, float)
        resolved = column(log.resolved, float)
        escalated = column(log.escalated, float)
        # Unanswered or unresolved at the horizon: their age so far (a lower bound).
        self.frt = np.where(first >= 0, first, end) - created
        self.resolution = np.where(resolved >= 0, resolved, end) - created
        esc = escalated >= 0
        self.esc_seg = self.t_seg[esc]
        self.escalation = np.where(resolved[esc] >= 0, resolved[esc], end) - escalated[esc]
        monthly = [m for m in record.monthly if m["month"] * scenario.hours_per_month > self.w0]
        self.monthly = monthly or record.monthly[-1:]

    def tickets(self, seg: int | None) -> np.ndarray:
        return np.ones(len(self.t_seg), bool) if seg is None else self.t_seg == seg

    def in_window(self, rows: list[Any], seg: int | None) -> list[Any]:
        """Rows (with `at` and `segment`) from the start of the window, of one segment or all."""
        return [r for r in rows if r.at >= self.w0 and (seg is None or r.segment == seg)]

    def mean_series(self, name: str, seg: int | None = None) -> float:
        key = name if seg is None else f"{name}_{self.segments[seg]}"
        values = [m[key] for m in self.monthly]
        return float(np.mean(values)) if values else NAN


def _pct(values: np.ndarray, q: float) -> float:
    return float(np.percentile(values, q)) if len(values) else NAN


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else NAN


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 else NAN


def cs_cost(f: Facts, seg: int | None = None) -> float:
    """Staff cost per year over the window: each person's annual cost × time employed."""
    hpy = f.scenario.hours_per_year
    total = 0.0
    for p in f.record.staff:
        employed = max(0.0, f.horizon - max(p.hired, f.w0)) / hpy
        total += f.scenario.roles[p.role].annual_cost * employed
    return total / f.years


def total_cost(f: Facts, seg: int | None = None) -> float:
    engineering = f.record.engineering_hours * f.scenario.engineering.hourly_cost / f.years
    return cs_cost(f) + engineering


def _frt(f: Facts, seg: int | None) -> np.ndarray:
    return f.frt[f.tickets(seg)]


def _resolution(f: Facts, seg: int | None) -> np.ndarray:
    return f.resolution[f.tickets(seg)]


def sla_met(f: Facts, seg: int | None) -> float:
    frt = _frt(f, seg)
    return float((frt <= f.scenario.sla.first_response_hours).mean()) if len(frt) else NAN


def escalation_p90(f: Facts, seg: int | None) -> float:
    values = f.escalation if seg is None else f.escalation[f.esc_seg == seg]
    return _pct(values, 90)


def time_to_live_days(f: Facts, seg: int | None) -> float:
    rows = [r for r in f.record.go_lives if r.arrived >= f.w0 and (seg is None or r.segment == seg)]
    return _ratio(sum(r.live - r.arrived for r in rows), len(rows)) / f.hours_per_day


def touches_on_time(f: Facts, seg: int | None = None) -> float:
    """Due touches done within one cadence of falling due; missed ones count against."""
    cadence = [_cadence(f, s) for s in range(len(f.segments))]
    due = [t for t in f.record.touches if t.due >= f.w0]
    done = [t for t in due if t.done >= 0]
    on_time = sum(1 for t in done if t.done - t.due <= cadence[t.segment])
    missed = sum(1 for t in due if t.done < 0 and f.horizon - t.due > cadence[t.segment])
    return _ratio(on_time, len(done) + missed)


def _cadence(f: Facts, seg: int) -> float:
    days = f.scenario.segments[f.segments[seg]].touch_every_days
    return f.scenario.days(days) if days else math.inf


def _busy(f: Facts, role: str, kinds: tuple[str, ...] | None = None) -> float:
    return sum(sum(v for k, v in p.busy.items() if kinds is None or k in kinds)
               for p in f.record.staff if p.role == role)


def csm_proactive_share(f: Facts, seg: int | None = None) -> float:
    return _ratio(_busy(f, "csm", PROACTIVE), _busy(f, "csm"))


def utilization(role: str) -> Callable[[Facts, int | None], float]:
    def compute(f: Facts, seg: int | None = None) -> float:
        productive = sum(p.productive_hours for p in f.record.staff if p.role == role and p.queued)
        return _ratio(_busy(f, role), productive)

    return compute


def _mean_accounts(f: Facts, seg: int | None) -> float:
    return f.mean_series("accounts", seg)


def logo_churn(f: Facts, seg: int | None) -> float:
    lost = len(f.in_window(f.record.churns, seg))
    return _ratio(lost / f.years, _mean_accounts(f, seg))


def _retention(f: Facts, seg: int | None) -> tuple[float, float, float, int, int]:
    """(ARR due, ARR renewed before expansion, expansion, renewed count, due count)."""
    renewals = f.in_window(f.record.renewals, seg)
    opt_outs = [r for r in f.in_window(f.record.churns, seg) if r.cause == CHURN_OPT_OUT]
    due = sum(r.acv_due for r in renewals) + sum(r.acv for r in opt_outs)
    renewed = sum(r.acv_due for r in renewals if r.renewed)
    expansion = (sum(r.expansion for r in renewals)
                 + sum(r.amount for r in f.in_window(f.record.expansions, seg)))
    count = sum(1 for r in renewals if r.renewed)
    return due, renewed, expansion, count, len(renewals) + len(opt_outs)


def logo_renewal_rate(f: Facts, seg: int | None) -> float:
    _, _, _, renewed, due = _retention(f, seg)
    return _ratio(renewed, due)


def grr(f: Facts, seg: int | None) -> float:
    due, renewed, _, _, _ = _retention(f, seg)
    return _ratio(renewed, due)


def nrr(f: Facts, seg: int | None) -> float:
    due, renewed, expansion, _, _ = _retention(f, seg)
    return _ratio(renewed + expansion, due)


def _final(f: Facts, seg: int | None) -> list[FinalAccount]:
    return [r for r in f.record.final if seg is None or r.segment == seg]


def arr_end(f: Facts, seg: int | None) -> float:
    return f.record.arr_end if seg is None else sum(r.acv for r in _final(f, seg))


def accounts_end(f: Facts, seg: int | None) -> float:
    return f.record.accounts_end if seg is None else len(_final(f, seg))


def band_share(band: int) -> Callable[[Facts, int | None], float]:
    def compute(f: Facts, seg: int | None) -> float:
        scores = [r.health for r in _final(f, seg)]
        bounds = f.scenario.health.bands.as_tuple()
        return _ratio(sum(1 for s in scores if band_of(s, bounds) == band), len(scores))

    return compute


def _per_year(count: float, f: Facts) -> float:
    return count / f.years


def rescues(kind: int) -> Callable[[Facts, int | None], float]:
    def compute(f: Facts, seg: int | None = None) -> float:
        return _per_year(sum(1 for r in f.in_window(f.record.rescues, seg) if r.kind == kind), f)

    return compute


def saved_arr_renewed(f: Facts, seg: int | None = None) -> float:
    return _per_year(sum(r.acv_due for r in f.in_window(f.record.renewals, seg)
                         if r.renewed and r.rescued), f)


def expansion_arr(f: Facts, seg: int | None = None) -> float:
    return _per_year(_retention(f, seg)[2], f)


def referral_accounts(f: Facts, seg: int | None = None) -> float:
    rows = [r for r in f.in_window(f.record.arrivals, seg) if r.origin == ORIGIN_REFERRED]
    return _per_year(len(rows), f)


@dataclass(frozen=True)
class Kpi:
    """One KPI: how it reads and how it is computed from a replication's facts."""

    name: str
    unit: str
    better: str  # "lower", "higher" or "" (neither)
    per_segment: bool
    compute: Callable[[Facts, int | None], float]
    headline: bool = False


KPIS: tuple[Kpi, ...] = (
    Kpi("cs_cost", "USD/yr", "lower", False, cs_cost, True),
    Kpi("total_cost", "USD/yr", "lower", False, total_cost, True),
    Kpi("cost_to_arr", "ratio", "lower", False,
        lambda f, s: _ratio(cs_cost(f), f.mean_series("arr")), True),
    Kpi("arr_per_csm", "USD", "", False,
        lambda f, s: _ratio(f.mean_series("arr"), f.mean_series("headcount_csm"))),
    Kpi("accounts_per_csm", "accounts", "", False,
        lambda f, s: _ratio(f.mean_series("accounts"), f.mean_series("headcount_csm"))),
    Kpi("frt_mean_h", "h", "lower", True, lambda f, s: _mean(_frt(f, s)), True),
    Kpi("frt_p50_h", "h", "lower", True, lambda f, s: _pct(_frt(f, s), 50)),
    Kpi("frt_p90_h", "h", "lower", True, lambda f, s: _pct(_frt(f, s), 90), True),
    Kpi("resolution_p50_h", "h", "lower", True, lambda f, s: _pct(_resolution(f, s), 50)),
    Kpi("resolution_p90_h", "h", "lower", True, lambda f, s: _pct(_resolution(f, s), 90), True),
    Kpi("sla_met", "share", "higher", True, sla_met, True),
    Kpi("escalation_p90_h", "h", "lower", True, escalation_p90),
    Kpi("time_to_live_days", "days", "lower", True, time_to_live_days, True),
    Kpi("touches_on_time", "share", "higher", False, touches_on_time),
    Kpi("csm_proactive_share", "share", "higher", False, csm_proactive_share),
    *(Kpi(f"utilization_{role}", "share", "", False, utilization(role)) for role in QUEUED_ROLES),
    Kpi("logo_churn", "per yr", "lower", True, logo_churn, True),
    Kpi("logo_renewal_rate", "share", "higher", True, logo_renewal_rate),
    Kpi("grr", "share", "higher", True, grr, True),
    Kpi("nrr", "share", "higher", True, nrr, True),
    Kpi("arr_end", "USD", "higher", True, arr_end),
    Kpi("accounts_end", "accounts", "higher", True, accounts_end),
    *(Kpi(f"{band}_share", "share", "higher" if i == 0 else "", True, band_share(i))
      for i, band in enumerate(BAND_NAMES)),
    Kpi("saves", "per yr", "higher", False, rescues(SAVE)),
    Kpi("wins", "per yr", "higher", False, rescues(WIN)),
    Kpi("saved_arr_renewed", "USD/yr", "higher", False, saved_arr_renewed),
    Kpi("expansion_arr", "USD/yr", "higher", False, expansion_arr),
    Kpi("referral_accounts", "per yr", "higher", False, referral_accounts),
)
BY_NAME = {k.name: k for k in KPIS}


QUANTILES = np.linspace(0, 100, 101)
SATURATED = 0.97  # utilization at which a growing queue means the role cannot keep up


def overloaded(record: Record, scenario: Scenario, facts: Facts | None = None) -> list[str]:
    """Roles whose queue grows without bound: saturated, and their queue at the horizon is
    at least twice as long as at the start of the window and longer than a month's arrivals
    could explain by chance (a stable queue fluctuates; an unstable one only climbs)."""
    facts = facts or Facts(record, scenario)
    months = facts.monthly
    if len(months) < 2:
        return []
    roles = []
    for role in QUEUED_ROLES:
        busy = utilization(role)(facts)
        start, end = months[0][f"queue_{role}"], months[-1][f"queue_{role}"]
        if math.isfinite(busy) and busy >= SATURATED and end >= max(2 * start, start + 20):
            roles.append(role)
    return roles


def distributions(record: Record, scenario: Scenario, facts: Facts | None = None) -> dict[str, list[float]]:
    """Percentiles 0–100 of first response and resolution (hours) over the window: what
    the report's ECDFs are drawn from without keeping every ticket."""
    facts = facts or Facts(record, scenario)
    return {name: (np.percentile(values, QUANTILES).tolist() if len(values) else [])
            for name, values in (("frt_h", facts.frt), ("resolution_h", facts.resolution))}


def measure(record: Record, scenario: Scenario, facts: Facts | None = None) -> dict[tuple[str, str], float]:
    """Every KPI of one replication: {("all" or segment, kpi): value}."""
    facts = facts or Facts(record, scenario)
    values: dict[tuple[str, str], float] = {}
    for kpi in KPIS:
        values[("all", kpi.name)] = float(kpi.compute(facts, None))
        if kpi.per_segment:
            for index, name in enumerate(facts.segments):
                values[(name, kpi.name)] = float(kpi.compute(facts, index))
    return values
