"""Several runs' summaries side by side (rows KPI, columns run × design, cells mean ± half the 95%
interval), and each later run's difference to the first, design by design: B − A.

The difference is paired where it can be. A run's replication k is seeded from the run's seed
alone, so two runs of one seed and replication count share their replication seeds, and with
them — streams being named by purpose and entity — their customers, tickets and shocks (common
random numbers). B − A is then estimated from the per-replication differences with a paired t
interval, far narrower than two independent intervals. Runs of different seeds (or replication
counts, or without replications.csv) get an unpaired Welch interval instead, and a one-line
warning says so; so do runs of different scenarios, which pair by seed but share only what their
scenarios have in common.

Runs are labelled by scenario name, or — among runs of one scenario — by the shortest part of
their paths that tells them apart (the --out folder, or the run id's short hash); the user may
give labels instead. Every KPI is read over the whole measured period (window "all") unless
another window is asked for.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from simulate import units
from simulate.formats import Document
from simulate.kpis import BY_NAME, KPIS
from simulate.layout import Field, Grid, Record
from simulate.report import fmt
from simulate.report.data import RunData, Stat
from simulate.stats import LEVEL, WHOLE, t_interval

PAIRED, WELCH = "paired", "welch"
TIDY = ("run", "design", "segment", "window", "kpi", "unit", "mean", "ci_low", "ci_high", "n",
        "diff_mean", "diff_low", "diff_high", "diff_method")


@dataclass(frozen=True)
class Column:
    run: str
    design: str


@dataclass(frozen=True)
class Difference:
    """B − A for one design and KPI: mean, 95% interval, replications it rests on, and how it was
    estimated (PAIRED by replication, or WELCH, unpaired)."""

    mean: float
    low: float
    high: float
    n: int
    method: str


@dataclass(frozen=True)
class Pairing:
    """How a later run (`other`) is set against the first (`base`); `warning` is "" or one line."""

    base: str
    other: str
    paired: bool
    warning: str = ""


@dataclass
class Comparison:
    segment: str
    window: str
    columns: list[Column]
    kpis: list[str]
    cells: dict[tuple[str, Column], Stat]
    pairings: list[Pairing] = field(default_factory=list)
    differences: dict[tuple[str, str, str], Difference] = field(default_factory=dict)  # run, design, kpi

    def cell(self, kpi: str, column: Column) -> str:
        s = self.cells.get((kpi, column))
        return units.MISSING if s is None else units.spread(s.mean, s.low, s.high, fmt.unit(kpi))


# --- Labels -----------------------------------------------------------------------------------


def _telling(runs: list[RunData]) -> list[str]:
    """For distinct runs of one scenario: the shortest part of their paths that differs between
    every two of them — the run id's short hash, or a folder above the run (the --out directory)."""
    options = [[r.run_id.rsplit("-", 1)[-1] for r in runs]]
    above = [r.path.resolve().parts[:-1] for r in runs]
    options += [[parts[-i] for parts in above] for i in range(1, min(map(len, above)) + 1)]
    telling = [o for o in options if len(set(o)) == len(o)]
    return min(telling, key=lambda o: max(map(len, o))) if telling else [r.run_id for r in runs]


def labels(runs: list[RunData]) -> list[str]:
    """One distinct, short label per run: its scenario name where that is unique; among runs of
    one scenario, the part of the path that tells them apart (alone if every run is of that
    scenario, else after the name); "#1", "#2" for a directory given twice."""
    names = Counter(r.name for r in runs)
    text: dict[object, str] = {}
    for name in names:
        distinct = list({r.path.resolve(): r for r in runs if r.name == name}.values())
        parts = _telling(distinct) if len(distinct) > 1 else [name]
        for run, part in zip(distinct, parts, strict=True):
            alone = len(distinct) == 1 or len(names) == 1
            text[run.path.resolve()] = part if alone else f"{name} {part}"
    out = [text[r.path.resolve()] for r in runs]
    totals, seen = Counter(out), Counter[str]()
    unique = []
    for label in out:
        seen[label] += 1
        unique.append(f"{label}#{seen[label]}" if totals[label] > 1 else label)
    return unique


# --- B − A --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One design's KPI in one run: mean, standard deviation across replications, count."""

    mean: float
    sd: float
    n: int


@cache
def _t(level: float, dof: float) -> float:
    from scipy import stats  # slow to import; only differences need it

    return float(stats.t.ppf((1 + level) / 2, dof))


def sample(run: RunData, design: str, kpi: str, segment: str = WHOLE, window: str = WHOLE) -> Sample:
    """From replications.csv where it has the KPI; else recovered from the summary's interval
    (half-width = t · sd / √n)."""
    values = run.values(design, kpi, segment, window)
    if values is not None:
        v = values.to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        return Sample(float(v.mean()) if len(v) else math.nan,
                      float(v.std(ddof=1)) if len(v) > 1 else math.nan, len(v))
    s = run.stat(design, kpi, segment, window)
    if s is None:
        return Sample(math.nan, math.nan, 0)
    half = (s.high - s.low) / 2
    sd = half * math.sqrt(s.n) / _t(LEVEL, s.n - 1) if s.n > 1 and units.finite(half) else math.nan
    return Sample(s.mean, sd, s.n)


def welch(a: Sample, b: Sample, level: float = LEVEL) -> Difference:
    """b − a from two independent samples: Welch's t interval (Satterthwaite's degrees of freedom)."""
    mean, n = b.mean - a.mean, min(a.n, b.n)
    if n < 2 or not (units.finite(a.sd) and units.finite(b.sd)):
        return Difference(mean, math.nan, math.nan, n, WELCH)
    va, vb = a.sd ** 2 / a.n, b.sd ** 2 / b.n
    if va + vb == 0:
        return Difference(mean, mean, mean, n, WELCH)
    dof = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1))
    half = _t(level, dof) * math.sqrt(va + vb)
    return Difference(mean, mean - half, mean + half, n, WELCH)


def difference(a: RunData, b: RunData, design: str, kpi: str, segment: str = WHOLE,
               window: str = WHOLE, *, paired: bool) -> Difference:
    """b − a for one design and KPI: paired by replication when `paired` and both runs have the
    values per replication; unpaired (Welch) otherwise."""
    if paired:
        va, vb = a.values(design, kpi, segment, window), b.values(design, kpi, segment, window)
        if va is not None and vb is not None:
            mean, low, high, n = t_interval((vb - va).to_numpy(dtype=float))  # aligned by replication
            return Difference(mean, low, high, n, PAIRED)
    return welch(sample(a, design, kpi, segment, window), sample(b, design, kpi, segment, window))


def seeds(run: RunData) -> tuple[tuple[int, int], ...] | None:
    """(replication, seed) pairs from replications.csv; None without it."""
    reps = run.replications
    if reps is None or not {"replication", "seed"} <= set(reps.columns):
        return None
    pairs = reps[["replication", "seed"]].apply(pd.to_numeric, errors="coerce").dropna()
    return tuple(sorted({(int(r), int(s)) for r, s in pairs.itertuples(index=False)}))


def pairing(base: str, a: RunData, other: str, b: RunData) -> Pairing:
    """Whether `other` − `base` pairs by replication: when both runs have the same replication
    seeds (same seed, same number of replications). A warning where they do not, or where they
    are runs of different scenarios."""
    reasons = [f"different scenarios ({b.name} vs {a.name})"] if a.name != b.name else []
    sa, sb = seeds(a), seeds(b)
    unpaired = []
    if sa is None or sb is None:
        unpaired.append(f"no replications.csv in {other if sb is None else base}")
    elif sa != sb:
        seed_a, seed_b = a.manifest.get("seed"), b.manifest.get("seed")
        if seed_a != seed_b:
            unpaired.append(f"seeds differ ({seed_b} vs {seed_a})")
        if len(sa) != len(sb):
            unpaired.append(f"replications differ ({len(sb)} vs {len(sa)})")
        unpaired = unpaired or ["replication seeds differ"]
    if not reasons and not unpaired:
        return Pairing(base, other, True)
    how = f"{other} − {base} is unpaired (Welch interval)" if unpaired else \
        f"{other} − {base} is paired by replication seed"
    return Pairing(base, other, not unpaired,
                   f"orgsim compare: {other} vs {base}: {'; '.join(reasons + unpaired)}: {how}")


# --- The comparison -----------------------------------------------------------------------------


def segments(runs: list[RunData]) -> list[str]:
    return list(dict.fromkeys(s for r in runs for s in r.segments))


def windows(runs: list[RunData]) -> list[str]:
    """The year windows some run measured ("year1", …), in order."""
    return list(dict.fromkeys(w for r in runs for w in r.windows))


def build(runs: list[RunData], names: Sequence[str] = (), segment: str = WHOLE,
          headline: bool = False, window: str = WHOLE) -> Comparison:
    """The comparison of `runs` (labelled `names`, else `labels(runs)`) for one segment ("all":
    the whole book) in one window ("all": the whole measured period), with each later run's
    difference to the first."""
    names = list(names) or labels(runs)
    columns, cells = [], {}
    measured: set[str] = set()
    for label, run in zip(names, runs, strict=True):
        for design in run.designs:
            column = Column(label, design)
            columns.append(column)
            for kpi in run.kpis(segment, window):
                s = run.stat(design, kpi, segment, window)
                if s is not None:
                    cells[(kpi, column)] = s
                    measured.add(kpi)
    order = [k.name for k in KPIS if not headline or k.headline]
    extra = [] if headline else sorted(measured - set(BY_NAME))
    kpis = [k for k in order + extra if k in measured]
    c = Comparison(segment, window, columns, kpis, cells)
    for label, run in zip(names[1:], runs[1:], strict=True):
        p = pairing(names[0], runs[0], label, run)
        c.pairings.append(p)
        for design in (d for d in runs[0].designs if d in run.designs):
            for kpi in kpis:
                c.differences[(label, design, kpi)] = difference(runs[0], run, design, kpi, segment,
                                                                 window, paired=p.paired)
    return c


def _row_label(kpi: str) -> str:
    return kpi + {"lower": " ↓", "higher": " ↑"}.get(fmt.better(kpi), "")


def _where(c: Comparison) -> str:
    where = "whole book" if c.segment == WHOLE else f"segment {c.segment}"
    return where if c.window == WHOLE else f"{where}, {c.window}"


def _difference_cell(d: Difference | None, unit: str) -> str:
    """+$41k ± $12k, −4.2 pts ± 1.0 pts: the signed difference ± half its interval."""
    if d is None or not units.finite(d.mean):
        return units.MISSING
    if not (units.finite(d.low) and units.finite(d.high)):
        return units.signed(d.mean, unit)
    share = units.BY_NAME[unit].share
    half = (d.high - d.low) / 2
    spread = units.points(half) if share else units.value(half, unit)
    zero = not share and units.value(abs(d.mean), unit) == units.value(0.0, unit)
    mean = units.value(0.0, unit) if zero else units.signed(d.mean, unit)  # no "−0.00 h"
    return f"{mean} ± {spread}"


def _side_by_side(c: Comparison) -> Grid:
    fields = tuple(Field(_row_label(k)) for k in c.kpis)
    records = tuple(Record(col.design, tuple(c.cell(k, col) for k in c.kpis), group=col.run)
                    for col in c.columns)
    return Grid(f"{_where(c)}: mean ± half the 95% interval", fields, records, record_kind="design",
                field_kind="KPI")


def _differences(c: Comparison, p: Pairing) -> Grid:
    designs = list(dict.fromkeys(d for (run, d, _) in c.differences if run == p.other))
    how = "paired by replication" if p.paired else "unpaired (Welch)"
    records = tuple(Record(d, tuple(_difference_cell(c.differences.get((p.other, d, k)), fmt.unit(k))
                                    for k in c.kpis)) for d in designs)
    return Grid(f"{p.other} − {p.base}: {how}; mean ± half the 95% interval",
                tuple(Field(_row_label(k)) for k in c.kpis), records, record_kind="design",
                field_kind="KPI")


def _rows(c: Comparison) -> list[dict[str, object]]:
    rows = []
    for column in c.columns:
        for kpi in c.kpis:
            s = c.cells.get((kpi, column))
            if s is None:
                continue
            d = c.differences.get((column.run, column.design, kpi))
            rows.append({"run": column.run, "design": column.design, "segment": c.segment,
                         "window": c.window, "kpi": kpi, "unit": fmt.unit(kpi), "mean": s.mean,
                         "ci_low": s.low, "ci_high": s.high, "n": s.n,
                         "diff_mean": d.mean if d else None, "diff_low": d.low if d else None,
                         "diff_high": d.high if d else None, "diff_method": d.method if d else ""})
    return rows


def document(c: Comparison) -> Document:
    """The runs side by side, then each later run's difference to the first; as tidy rows, one
    per run × design × KPI with its difference to the same design in the first run."""
    grids = [_side_by_side(c)]
    lines = []
    for p in c.pairings:
        if any(run == p.other for run, _, _ in c.differences):
            grids.append(_differences(c, p))
        else:
            lines.append((f"{p.other} and {p.base} have no design in common: no differences", ""))
    return Document(tuple(grids), TIDY, tuple(_rows(c)), tuple(lines))
