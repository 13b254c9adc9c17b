"""Write example exports (accounts.csv, tickets.csv) of a made-up company with known parameters.

`python examples/exports/generate.py [--seed S] [--out DIR] [--scale K]` writes them; the default
seed gives the files shipped beside this script. The parameters in TRUTH are what
`orgsim calibrate` should recover within its intervals (tests/test_calibrate_recovery.py).

The company follows the model's own rules (DESIGN.md §3), with each account's health band drawn
from the baseline scenario's `health.initial` mix (a hidden state the exports do not show):
Poisson sign-ups, lognormal ACVs, 12-month contracts that renew at each anniversary unless the
account churns with probability min(1, renewal_risk × (1 − p_band) × (ACV ÷ mean)^−elasticity),
a few mid-term exits, gamma-distributed business days to go-live, and over the last 12 months
Poisson tickets at tickets_per_month × the band's factor (× onboarding_factor before go-live),
created in business hours, answered after a lognormal number of business hours.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats

HERE = Path(__file__).resolve().parent
BASELINE = HERE.parents[1] / "scenarios" / "baseline.yaml"
AS_OF = pd.Timestamp("2025-06-30")
HISTORY_MONTHS = 36  # sign-ups over the last three years, and an older book before them
TICKET_MONTHS = 12  # the help desk export covers the last year
OPENS, HOURS = 9.0, 8.0  # business hours 09:00–17:00, Monday to Friday
MIDTERM_EXIT_PER_YEAR = 0.02
SEED = 20250630

TRUTH = {
    "segments": {
        "smb": {"old_book": 200, "new_per_month": 8.0, "acv_mean": 6000, "acv_cv": 0.6,
                "renewal_risk": 0.7, "renewal_acv_elasticity": 2.0, "tickets_per_month": 0.4,
                "time_to_live_days": 8.0},
        "mid_market": {"old_book": 80, "new_per_month": 3.0, "acv_mean": 30000, "acv_cv": 0.5,
                       "renewal_risk": 0.7, "renewal_acv_elasticity": 1.5, "tickets_per_month": 1.0,
                       "time_to_live_days": 22.0},
        "enterprise": {"old_book": 25, "new_per_month": 0.8, "acv_mean": 150000, "acv_cv": 0.5,
                       "renewal_risk": 0.8, "renewal_acv_elasticity": 0.7, "tickets_per_month": 2.5,
                       "time_to_live_days": 55.0},
    },
    "contract_months": 12,
    "onboarding_factor": 1.5,
    "types": {  # share, handle minutes (lognormal mean, cv), escalation rate
        "how_to": {"share": 0.60, "handle_minutes": 15.0, "cv": 0.8, "escalation_rate": 0.0},
        "complaint": {"share": 0.15, "handle_minutes": 30.0, "cv": 0.8, "escalation_rate": 0.05},
        "technical": {"share": 0.25, "handle_minutes": 45.0, "cv": 0.8, "escalation_rate": 0.4},
    },
    "first_response_hours": {"mean": 2.0, "cv": 1.2},
    "time_to_live_cv": 0.5,
}


def band_mix() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shares of the baseline's health bands under its `health.initial` (a normal), with each
    band's renewal probability and ticket factor: read from the file, computed here with scipy."""
    doc = yaml.safe_load(BASELINE.read_text())
    initial = doc["health"]["initial"]
    bounds = [doc["health"]["bands"][b] for b in ("green", "yellow_green", "yellow")]
    cdf = stats.norm(initial["mean"], initial["sd"]).cdf
    edges = [0.0, *(1 - cdf(b) for b in bounds), 1.0]  # P(score ≥ bound), green's first
    shares = np.diff(edges)
    names = ("green", "yellow_green", "yellow", "red")
    renew = np.array([doc["renewal"]["probability"][b] for b in names])
    factor = np.array([doc["tickets"]["band_factor"][b] for b in names])
    return shares / shares.sum(), renew, factor


def lognormal(gen: np.random.Generator, mean: float, cv: float, n: int) -> np.ndarray:
    s2 = math.log1p(cv * cv)
    return gen.lognormal(math.log(mean) - s2 / 2, math.sqrt(s2), n)


def months_after(dates: np.ndarray, months: int) -> np.ndarray:
    return (pd.DatetimeIndex(dates) + pd.DateOffset(months=months)).to_numpy()


def accounts_of(gen: np.random.Generator, name: str, p: dict, scale: float,
                mix: tuple[np.ndarray, np.ndarray, np.ndarray]) -> pd.DataFrame:
    shares, renew, _ = mix
    start = AS_OF - pd.DateOffset(months=HISTORY_MONTHS)
    span_days = (AS_OF - start).days
    n_new = gen.poisson(p["new_per_month"] * HISTORY_MONTHS * scale)
    new = start + pd.to_timedelta(np.sort(gen.uniform(0, span_days, n_new)), unit="D")
    n_old = int(p["old_book"] * scale)
    old = start - pd.to_timedelta(gen.uniform(1, 365, n_old), unit="D")
    signed = pd.DatetimeIndex(np.concatenate([old.values, new.values])).normalize()
    n = len(signed)
    acv = np.round(lognormal(gen, p["acv_mean"], p["acv_cv"], n), 2)
    ttl = stats.gamma(1 / TRUTH["time_to_live_cv"] ** 2,
                      scale=p["time_to_live_days"] * TRUTH["time_to_live_cv"] ** 2).rvs(n, random_state=gen)
    live = np.busday_offset(signed.values.astype("datetime64[D]"), np.round(ttl).astype(int), roll="forward")
    ended = np.full(n, np.datetime64("NaT"), "datetime64[ns]")
    risk = p["renewal_risk"] * (acv / p["acv_mean"]) ** -p["renewal_acv_elasticity"]
    gap_days = np.minimum(gen.exponential(365.25 / MIDTERM_EXIT_PER_YEAR, n), 36500.0)
    exit_at = signed.values + pd.to_timedelta(gap_days, unit="D").values
    for k in range(1, HISTORY_MONTHS // 12 + 3):
        due = months_after(signed.values, k * TRUTH["contract_months"])
        band = gen.choice(len(shares), size=n, p=shares)
        churn = gen.random(n) < np.minimum(1.0, risk * (1 - renew[band]))
        open_ = np.isnat(ended) & (due <= AS_OF.to_datetime64())
        gone_before = exit_at < due
        ended = np.where(open_ & gone_before, exit_at.astype("datetime64[ns]"), ended)
        ended = np.where(open_ & ~gone_before & churn, due.astype("datetime64[ns]"), ended)
    ended = np.where(ended > AS_OF.to_datetime64(), np.datetime64("NaT"), ended)
    live = live.astype("datetime64[ns]")
    not_yet = (live > AS_OF.to_datetime64()) | (~np.isnat(ended) & (live > ended))
    live = np.where(not_yet, np.datetime64("NaT"), live)
    return pd.DataFrame({"segment": name, "acv": acv, "signed_date": signed.values,
                         "live_date": live, "ended_date": ended,
                         "contract_months": TRUTH["contract_months"],
                         "band": gen.choice(len(shares), size=n, p=shares)})


def business_stamp(position: np.ndarray) -> np.ndarray:
    """The timestamp `position` business hours after Monday 1970-01-05 09:00."""
    day = np.floor(position / HOURS).astype(np.int64)
    hours = position - day * HOURS
    date = np.busday_offset(np.datetime64("1970-01-05", "D"), day, roll="forward").astype("datetime64[ns]")
    return date + ((OPENS + hours) * 3600e9).astype("timedelta64[ns]")


def tickets_of(gen: np.random.Generator, accounts: pd.DataFrame,
               mix: tuple[np.ndarray, np.ndarray, np.ndarray]) -> pd.DataFrame:
    _, _, factor = mix
    start = (AS_OF - pd.DateOffset(months=TICKET_MONTHS)).to_datetime64()
    end = AS_OF.to_datetime64()
    rate = accounts["segment"].map(lambda s: TRUTH["segments"][s]["tickets_per_month"]).to_numpy()
    rate = rate * factor[accounts["band"].to_numpy()] / (365.25 / 12)  # per calendar day
    begin = np.maximum(accounts["signed_date"].to_numpy(), start)
    stop = np.minimum(accounts["ended_date"].fillna(AS_OF).to_numpy(), end)
    live = accounts["live_date"].to_numpy()
    live = np.where(np.isnat(live), stop, np.clip(live, begin, stop))
    rows = []
    for a, b, mult in ((begin, live, TRUTH["onboarding_factor"]), (live, stop, 1.0)):
        days = np.maximum((b - a) / np.timedelta64(1, "D"), 0.0)
        counts = gen.poisson(rate * mult * days)
        owner = np.repeat(np.arange(len(accounts)), counts)
        at = a[owner] + (gen.random(owner.size) * days[owner] * 86400e9).astype("timedelta64[ns]")
        rows.append(pd.DataFrame({"owner": owner, "at": at}))
    found = pd.concat(rows).sort_values("at", ignore_index=True)
    # Created in business hours: the moment moved to the business hours of its day (or the next).
    from_epoch = (found["at"].to_numpy() - np.datetime64("1970-01-05", "ns")) / np.timedelta64(1, "D")
    day = np.busday_count(np.datetime64("1970-01-05", "D"), found["at"].to_numpy().astype("datetime64[D]"))
    created_pos = day * HOURS + (from_epoch % 1.0) * HOURS
    n = len(found)
    names = list(TRUTH["types"])
    kind = gen.choice(len(names), size=n, p=[TRUTH["types"][t]["share"] for t in names])
    handle = np.empty(n)
    for k, name in enumerate(names):
        mask = kind == k
        row = TRUTH["types"][name]
        handle[mask] = lognormal(gen, row["handle_minutes"], row["cv"], int(mask.sum()))
    escalated = gen.random(n) < np.array([TRUTH["types"][t]["escalation_rate"] for t in names])[kind]
    frt = lognormal(gen, TRUTH["first_response_hours"]["mean"], TRUTH["first_response_hours"]["cv"], n)
    solve = frt + handle / 60 + np.where(escalated, lognormal(gen, 24.0, 1.0, n), 0.0)
    created = business_stamp(created_pos)
    answered = business_stamp(created_pos + frt)
    solved = business_stamp(created_pos + solve)
    keep = solved <= end  # still open tickets keep their creation and, if any, their answer
    return pd.DataFrame({
        "ticket_id": [f"T{i:06d}" for i in range(1, n + 1)],
        "account_id": accounts["account_id"].to_numpy()[found["owner"].to_numpy()],
        "created_at": pd.DatetimeIndex(created).strftime("%Y-%m-%dT%H:%M"),
        "first_response_at": pd.Series(pd.DatetimeIndex(answered).strftime("%Y-%m-%dT%H:%M"))
        .where(answered <= end, ""),
        "solved_at": pd.Series(pd.DatetimeIndex(solved).strftime("%Y-%m-%dT%H:%M")).where(keep, ""),
        "type": np.array(names)[kind],
        "escalated": np.where(escalated, "true", "false"),
        "handle_minutes": np.round(handle, 1),
    })[lambda t: pd.to_datetime(t["created_at"]) <= AS_OF]


def generate(seed: int = SEED, scale: float = 1.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two exports for `seed`; `scale` multiplies the number of accounts (and so tickets)."""
    gen = np.random.default_rng(seed)
    mix = band_mix()
    parts = [accounts_of(gen, name, p, scale, mix) for name, p in TRUTH["segments"].items()]
    accounts = pd.concat(parts, ignore_index=True).sort_values("signed_date", ignore_index=True)
    accounts.insert(0, "account_id", [f"A{i:05d}" for i in range(1, len(accounts) + 1)])
    tickets = tickets_of(gen, accounts, mix)
    shown = accounts.drop(columns="band")
    for column in ("signed_date", "live_date", "ended_date"):
        shown[column] = pd.to_datetime(shown[column]).dt.strftime("%Y-%m-%d").fillna("")
    return shown, tickets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    accounts, tickets = generate(args.seed, args.scale)
    args.out.mkdir(parents=True, exist_ok=True)
    accounts.to_csv(args.out / "accounts.csv", index=False)
    tickets.to_csv(args.out / "tickets.csv", index=False)
    print(f"{len(accounts):,} accounts, {len(tickets):,} tickets → {args.out}")


if __name__ == "__main__":
    main()
