"""Business time between two timestamps, as the model counts it (DESIGN.md §2): Monday to Friday,
`hours_per_day` hours a day from the opening hour, nothing at nights or weekends.

A timestamp's position is the business hours from an epoch to it (a moment outside business hours
counts as the next opening); a duration is the difference of two positions. Vectorised with
numpy's business-day calendar, so a million tickets take milliseconds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

OPENS_AT_HOUR = 9.0  # business hours start at 09:00 local time (the exports' own clock)
EPOCH = np.datetime64("1970-01-05", "D")  # a Monday


def position(stamps: pd.Series, hours_per_day: float) -> np.ndarray:
    """Business hours from the epoch to each timestamp (NaN where missing)."""
    values = stamps.to_numpy(dtype="datetime64[ns]")
    missing = np.isnat(values)
    safe = np.where(missing, np.datetime64("2000-01-03", "ns"), values)
    day = safe.astype("datetime64[D]")
    days = np.busday_count(EPOCH, day).astype(float)
    into_day = (safe - day.astype("datetime64[ns]")).astype("timedelta64[s]").astype(float) / 3600.0
    within = np.clip(into_day - OPENS_AT_HOUR, 0.0, hours_per_day)
    hours = days * hours_per_day + np.where(np.is_busday(day), within, 0.0)
    return np.where(missing, np.nan, hours)


def business_hours(start: pd.Series, end: pd.Series, hours_per_day: float) -> np.ndarray:
    """Business hours from `start` to `end`, row by row (NaN where either is missing)."""
    return position(end, hours_per_day) - position(start, hours_per_day)


def business_days(start: pd.Series, end: pd.Series) -> np.ndarray:
    """Whole business days from `start`'s date to `end`'s date (NaN where either is missing)."""
    a = start.to_numpy(dtype="datetime64[ns]")
    b = end.to_numpy(dtype="datetime64[ns]")
    missing = np.isnat(a) | np.isnat(b)
    filler = np.datetime64("2000-01-03", "ns")
    days = np.busday_count(np.where(missing, filler, a).astype("datetime64[D]"),
                           np.where(missing, filler, b).astype("datetime64[D]")).astype(float)
    return np.where(missing, np.nan, days)
