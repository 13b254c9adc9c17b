"""Pay: fixed pay for time employed, and variable pay (issue 16; seed 002) — each role's bonus on
the book's logo renewal rate, dollar renewal rate and active rate, reviewed per period through
the payout curve; commission on expansion; sales' commission on renewals and early expansion,
and the cost of sales' hours where it owns renewals. docs/kpis.md gives each formula.

Bonus attainment is measured over the whole book, per review period, and paid to every person of
the role for the time they were employed in it (a team bonus: with a curve that bends, a
person-by-person bonus on their own book would differ by how books vary).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simulate.domain.bands import BAND_NAMES
from simulate.domain.routes import OUTSIDE, route
from simulate.kpis.facts import EPS, NAN, Window
from simulate.model.record import CHURN_OPT_OUT, Staff
from simulate.scenario.compensation import Compensation, RolePay

# The bands read as "active" for the monthly active rate: healthy and sub-healthy (seed 002
# names active use; health is the model's measure of it).
ACTIVE_BANDS: tuple[str, ...] = BAND_NAMES[:2]
NO_PAY = Compensation()  # a scenario without compensation: no variable pay, sales at its defaults


def employed_hours(person: Staff, start: float, end: float) -> float:
    """Hours of [start, end) the person was on the payroll (from hire until they left)."""
    return max(0.0, min(end, person.left) - max(person.hired, start))


def _pay(w: Window) -> Compensation:
    return w.facts.scenario.compensation or NO_PAY


def _periods(w: Window, months: int) -> list[tuple[float, float]]:
    """Review periods of `months` business months from the window's start; the last ends with it."""
    step = months * w.facts.hours_per_month
    starts = np.arange(w.start, w.end - EPS, step)
    return [(float(a), float(min(a + step, w.end))) for a in starts]


def _person_years(w: Window, role: str, start: float, end: float) -> float:
    return sum(employed_hours(p, start, end) for p in w.facts.record.staff
               if p.role == role) / w.facts.hours_per_year


def _targets(w: Window, pay: RolePay) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per renewal and per opt-out: the logo and dollar renewal targets (the account's tier's
    where tiers are set; NaN for a tier without one)."""
    facts = w.facts
    tiers = facts.scenario.tiers
    out = []
    for table in (facts.renewals, facts.churns):
        n = table.size
        if tiers is None:
            out += [np.full(n, pay.targets.get("logo_renewal_rate", NAN)),
                    np.full(n, pay.targets.get("dollar_renewal_rate", NAN))]
            continue
        by_rank = np.array([NAN if t.renewal_target is None else t.renewal_target
                            for t in tiers.levels.values()])
        ranks = [facts.record.tiers.get(int(a), 0) for a in table["account"]]
        target = by_rank[np.array(ranks, dtype=int)] if n else np.zeros(0)
        out += [target, target]
    return out[0], out[1], out[2], out[3]


def _renewal_attainment(w: Window, pay: RolePay, start: float, end: float) -> dict[str, float]:
    """Logo and dollar renewal attainment over [start, end): actual ÷ target, the targets summed
    over the renewals due (opt-outs due and lost); renewals without a target left out; 1 where
    nothing with a target fell due (the KPI pays at target)."""
    facts = w.facts
    logo_t, dollar_t, opt_logo_t, opt_dollar_t = _targets(w, pay)
    r, c = facts.renewals, facts.churns
    rows = (r["at"] >= start) & (r["at"] < end) & ~np.isnan(logo_t)
    opts = (c["at"] >= start) & (c["at"] < end) & (c["cause"] == CHURN_OPT_OUT) & ~np.isnan(opt_logo_t)
    renewed = r["renewed"][rows] > 0
    due = r["acv_due"][rows]
    logo_goal = float(logo_t[rows].sum() + opt_logo_t[opts].sum())
    dollar_goal = float((dollar_t[rows] * due).sum() + (opt_dollar_t[opts] * c["acv"][opts]).sum())
    dollar = float((due + r["expansion"][rows])[renewed].sum())
    return {"logo_renewal_rate": float(renewed.sum()) / logo_goal if logo_goal > 0 else 1.0,
            "dollar_renewal_rate": dollar / dollar_goal if dollar_goal > 0 else 1.0}


def _active_attainment(w: Window, pay: RolePay, start: float, end: float) -> float:
    """Mean share of live accounts in the active bands at the period's month ends ÷ target."""
    facts = w.facts
    ends = facts.month_ends
    at = (ends > start + EPS) & (ends <= end + EPS)
    share = sum(facts.series(f"{band}_share")[at] for band in ACTIVE_BANDS)
    target = pay.targets.get("active_rate", NAN)
    return float(np.mean(share)) / target if at.any() and target > 0 else 1.0


def bonus(w: Window, role: str) -> float:
    """The role's bonus paid over the window (USD, not per year): per KPI and review period,
    bonus at target × weight × payout(attainment) × person-years employed in the period."""
    comp = _pay(w)
    pay = comp.roles.get(role)  # type: ignore[call-overload]
    if pay is None or pay.bonus_at_target <= 0:
        return 0.0
    xs, ys = zip(*comp.payout, strict=True)
    total = 0.0
    for start, end in _periods(w, comp.renewal_review_months):
        years = _person_years(w, role, start, end)
        if years > 0:
            for kpi, att in _renewal_attainment(w, pay, start, end).items():
                total += pay.weights.get(kpi, 0.0) * float(np.interp(att, xs, ys)) * years
    weight = pay.weights.get("active_rate", 0.0)
    if weight > 0:
        for start, end in _periods(w, comp.activity_review_months):
            years = _person_years(w, role, start, end)
            if years > 0:
                total += weight * float(np.interp(_active_attainment(w, pay, start, end), xs, ys)) * years
    return pay.bonus_at_target * total


def _expansions(w: Window) -> tuple[np.ndarray, np.ndarray]:
    """The window's expansion ARR (at renewal, and converted CS-qualified leads) and, for each,
    whether it fell within sales' window after signing (accounts of the initial book were signed
    before time 0, long enough ago)."""
    facts = w.facts
    r, e = facts.renewals, facts.expansions
    at_renewal = w.rows(r, None) & (r["renewed"] > 0) & (r["expansion"] > 0)
    leads = w.rows(e, None)
    amount = np.concatenate((r["expansion"][at_renewal], e["amount"][leads]))
    ids = np.concatenate((r["account"][at_renewal], e["account"][leads]))
    times = np.concatenate((r["at"][at_renewal], e["at"][leads]))
    if "signed" not in facts.cache:
        a = facts.arrivals
        facts.cache["signed"] = dict(zip(a["account"].tolist(), a["at"].tolist(), strict=True))
    signed = facts.cache["signed"]
    window = _pay(w).sales.expansion_window_months * facts.hours_per_month
    early = np.array([t - signed.get(i, -np.inf) <= window for i, t in zip(ids.tolist(), times.tolist(),
                                                                           strict=True)], bool)
    return amount, early


def _owner(w: Window) -> tuple[str | None, bool]:
    """The design's renewal owner as a CS role (None for sales), and whether sales owns it."""
    owner = route("renewal_owner", w.facts.record.renewal_owner)
    return owner.role, owner.target == OUTSIDE


def commission(w: Window, role: str) -> float:
    """The role's commission on the expansion it owns over the window (USD): expansion after
    sales' window, where the design makes the role the renewal owner."""
    pay = _pay(w).roles.get(role)  # type: ignore[call-overload]
    if pay is None or pay.expansion_commission <= 0 or _owner(w)[0] != role:
        return 0.0
    amount, early = _expansions(w)
    return pay.expansion_commission * float(amount[~early].sum())


def variable_pay_of(role: str) -> Callable[[Window, int | None], float]:
    def compute(w: Window, seg: int | None = None) -> float:
        """One role's bonus and commission per year."""
        if w.facts.scenario.compensation is None:
            return 0.0
        return w.per_year(bonus(w, role) + commission(w, role))

    return compute


def variable_pay(w: Window, seg: int | None = None) -> float:
    """Every CS role's bonus and commission per year: what cs_cost adds to fixed pay."""
    comp = w.facts.scenario.compensation
    if comp is None:
        return 0.0
    if "variable_pay" not in w.cache:
        w.cache["variable_pay"] = sum(variable_pay_of(role)(w) for role in comp.roles)
    return w.cache["variable_pay"]


def _sales_rate(w: Window) -> float:
    sales = _pay(w).sales
    return sales.new_deal_rate * (sales.owner_share if _owner(w)[1] else sales.renewal_share)


def sales_renewal_commission(w: Window, seg: int | None = None) -> float:
    """Sales' commission on the ARR renewed per year (the accounts it signed)."""
    if w.facts.scenario.compensation is None:
        return 0.0
    r = w.facts.renewals
    rows = w.rows(r, None) & (r["renewed"] > 0)
    return w.per_year(_sales_rate(w) * float(r["acv_due"][rows].sum()))


def sales_commission(w: Window, seg: int | None = None) -> float:
    """All sales' commission per year: on renewals, on expansion within its window at the new-deal
    rate and on later expansion at its renewal rate."""
    if w.facts.scenario.compensation is None:
        return 0.0
    amount, early = _expansions(w)
    on_expansion = (_pay(w).sales.new_deal_rate * float(amount[early].sum())
                    + _sales_rate(w) * float(amount[~early].sum()))
    return sales_renewal_commission(w) + w.per_year(on_expansion)


def sales_renewal_cost(w: Window, seg: int | None = None) -> float:
    """Sales hours of renewal work falling due in the window, at sales' hourly cost, per year."""
    hours = sum(s.hours for s in w.facts.record.sales_work if w.start <= s.at < w.end)
    return w.per_year(hours * _pay(w).sales.hourly_cost) if hours else 0.0
