"""The points of a sweep: `--vary PATH=V1,V2,…` axes crossed in full (a factorial), or
`--vary PATH=LOW:HIGH` ranges sampled by a Latin hypercube of N points (`--sample lhs:N`).

Values are read as YAML 1.2 scalars (`010` is ten, `true` a flag, anything else text), as in a
scenario file. A Latin hypercube is drawn from the scenario's seed, so the same command gives
the same points; its values keep six significant digits (the CSV stays readable), and a range
whose bounds are both whole numbers gives whole numbers (a count stays a count).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import yaml

from simulate.scenario.yaml12 import CoreLoader

Value = int | float | str | bool
LHS = re.compile(r"^lhs:(\d+)$")
MAX_POINTS = 100_000  # a sweep past this is a typo, not a study
DIGITS = 6


class SweepError(ValueError):
    """Bad sweep input; `problems` holds one line each, naming the option and what was expected."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Axis:
    """One varied path: its grid `values`, or a `low`–`high` range for a Latin hypercube."""

    path: str
    values: tuple[Value, ...] = ()
    low: float | None = None
    high: float | None = None

    @property
    def ranged(self) -> bool:
        return self.low is not None


@dataclass(frozen=True)
class Point:
    """One point of a sweep: its index and one value per axis, in the axes' order."""

    index: int
    values: tuple[Value, ...]

    def setting(self, axes: tuple[Axis, ...]) -> dict[str, Value]:
        """path → value at this point."""
        return {a.path: v for a, v in zip(axes, self.values, strict=True)}


def scalar(text: str) -> Value:
    """A value as a scenario file would read it (YAML 1.2 core schema)."""
    try:
        value = yaml.load(text, Loader=CoreLoader)  # CoreLoader is a SafeLoader
    except yaml.YAMLError:
        return text
    return value if isinstance(value, int | float | str | bool) else text


def _number(text: str, option: str) -> float | int:
    value = scalar(text.strip())
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SweepError([f"{option}: expected a number for a range bound (got {text.strip()!r})"])
    return value


def parse_axis(spec: str) -> Axis:
    """`PATH=V1,V2,…` or `PATH=LOW:HIGH`."""
    option = f"--vary {spec!r}"
    path, sep, rest = spec.partition("=")
    path = path.strip()
    if not sep or not path or not rest.strip() or not re.fullmatch(r"[^\s=]+", path):
        raise SweepError([f"{option}: expected PATH=V1,V2,… or PATH=LOW:HIGH "
                          "(e.g. health.decay_per_month=1,1.5,2)"])
    if ":" in rest and "," not in rest:
        low_text, high_text = rest.split(":", 1)
        low, high = _number(low_text, option), _number(high_text, option)
        if not low < high:
            raise SweepError([f"{option}: expected LOW < HIGH (got {low} and {high})"])
        return Axis(path, low=low, high=high)
    texts = [t.strip() for t in rest.split(",")]
    if any(not t for t in texts):
        raise SweepError([f"{option}: an empty value (expected PATH=V1,V2,…)"])
    values = tuple(scalar(t) for t in texts)
    if len(set(map(repr, values))) < len(values):
        raise SweepError([f"{option}: a value is listed twice"])
    return Axis(path, values=values)


def parse_sample(spec: str | None) -> int | None:
    """`lhs:N` → N (None: a full factorial)."""
    if spec is None:
        return None
    found = LHS.match(spec.strip())
    if not found or not 1 <= int(found[1]) <= MAX_POINTS:
        raise SweepError([f"--sample {spec!r}: expected lhs:N with N from 1 to {MAX_POINTS:,}"])
    return int(found[1])


def axes_of(specs: list[str], sample: int | None) -> tuple[Axis, ...]:
    """The axes of `--vary` options, checked together: distinct paths, ranges exactly when
    sampling."""
    if not specs:
        raise SweepError(["--vary: give at least one PATH=V1,V2,… (or PATH=LOW:HIGH with --sample)"])
    problems: list[str] = []
    axes: list[Axis] = []
    for spec in specs:
        try:
            axes.append(parse_axis(spec))
        except SweepError as err:
            problems.extend(err.problems)
    seen = [a.path for a in axes]
    twice = sorted({p for p in seen if seen.count(p) > 1})
    problems += [f"--vary {p}: the path is varied twice" for p in twice]
    for a in axes:
        if sample is None and a.ranged:
            problems.append(f"--vary {a.path}={a.low}:{a.high}: a range needs --sample lhs:N "
                            "(or list the values: PATH=V1,V2,…)")
        if sample is not None and not a.ranged:
            problems.append(f"--vary {a.path}: with --sample lhs:N give a range PATH=LOW:HIGH")
    if problems:
        raise SweepError(problems)
    return tuple(axes)


def points(axes: tuple[Axis, ...], sample: int | None = None, seed: int = 0) -> list[Point]:
    """Every point: the factorial of the axes' values (the last axis fastest), or `sample`
    Latin-hypercube points over their ranges."""
    if sample is None:
        size = 1
        for a in axes:
            size *= len(a.values)
        if size > MAX_POINTS:
            raise SweepError([f"--vary: {size:,} points is more than a sweep takes ({MAX_POINTS:,})"])
        grid = itertools.product(*(a.values for a in axes))
        return [Point(i, tuple(values)) for i, values in enumerate(grid)]
    return [Point(i, values) for i, values in enumerate(hypercube(axes, sample, seed))]


def hypercube(axes: tuple[Axis, ...], n: int, seed: int) -> list[tuple[Value, ...]]:
    """`n` points of a Latin hypercube over the axes' ranges, drawn from `seed`."""
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(axes), rng=seed).random(n)
    rows = []
    for u in unit:
        row: list[Value] = []
        for a, x in zip(axes, u, strict=True):
            assert a.low is not None and a.high is not None
            value = a.low + float(x) * (a.high - a.low)
            whole = isinstance(a.low, int) and isinstance(a.high, int)
            row.append(round(value) if whole else float(f"{value:.{DIGITS}g}"))
        rows.append(tuple(row))
    return rows
