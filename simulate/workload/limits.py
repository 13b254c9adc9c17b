"""The limits a run must stay within before it starts, unless the user forces it, and the
one line that refuses it: what it would need, and the fields that drive that.

A typo can make a run that never ends or exhausts memory: `horizon_months: 1000000`, a
`per_arr: 1` policy (one CSM per dollar of ARR), 100,000 new accounts a month, or
`--replications 100000000`. simulate.workload.size estimates a run in about a millisecond;
here the estimate meets the limits, and each field it depends on is tried at a tenth of its
value, so the refusal can name the ones that, lowered, would cut the run most.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from simulate.domain.designs import Design
from simulate.scenario.schema import RatioPolicy, Scenario
from simulate.workload.size import CEILING, Repeats, RunSize, clamp, run_size

# --- the limits, and why --------------------------------------------------------------------
# Two hours: the longest shipped use, `orgsim optimize smb_scale` on one worker, is estimated at
# 1.3 h; the runaways this is for (a typo in the horizon, a ratio, an inflow, the replications)
# come to days or millions of years, so where exactly the line lies matters little.
LIMIT_SECONDS = 2 * 3600.0
LIMIT_MEMORY_SHARE = 0.5  # of RAM: the rest for the system; past RAM the run swaps or is killed
LIMIT_PEOPLE = 100_000.0  # in one design: $200B of ARR at the $2M-per-CSM rule, no CS org's size


# Where a container's memory limit is kept (cgroup v2, then v1); absent or "max" where none is set.
CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def memory_total() -> float:
    """The RAM this process may use, in bytes: the machine's, or a container's limit if lower
    (0 where neither can be read)."""
    try:
        ram = float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        ram = 0.0
    for path in CGROUP_LIMITS:
        try:
            limit = float(Path(path).read_text().strip())
        except (OSError, ValueError):  # no such file, or "max": no limit there
            continue
        ram = min(ram, limit) if ram > 0 else limit
    return ram


@dataclass(frozen=True)
class Limits:
    """What a run may need before it is refused without --force."""

    seconds: float = LIMIT_SECONDS
    bytes: float = 0.0  # 0: LIMIT_MEMORY_SHARE of this machine's RAM
    people: float = LIMIT_PEOPLE

    def memory(self) -> float:
        ram = memory_total()
        return self.bytes or (ram * LIMIT_MEMORY_SHARE if ram > 0 else math.inf)

    def excess(self, size: RunSize) -> float:
        """How many times over its worst limit `size` is (≤ 1: within every limit)."""
        return max(size.seconds / self.seconds, size.bytes / self.memory(),
                   size.largest.headcount / self.people)

    def exceeded(self, size: RunSize) -> list[str]:
        """Each limit `size` goes past, with the estimate, in words."""
        found = []
        if size.seconds > self.seconds:
            found.append(f"about {_duration(size.seconds)} of simulation on this machine "
                         f"(limit {_duration(self.seconds)})")
        if size.bytes > self.memory():
            why = "" if self.bytes else ", half the RAM"
            found.append(f"about {_bytes(size.bytes)} of memory (limit {_bytes(self.memory())}{why})")
        largest = size.largest
        if largest.headcount > self.people:
            found.append(f"{_count(largest.headcount)} people in {largest.design} "
                         f"(limit {_count(self.people)})")
        return found


LIMITS = Limits()


# --- what to change -------------------------------------------------------------------------
SHRINK = 10.0  # each field the estimate depends on is tried at a tenth of its size
DRIVES = 3.0  # a field drives the size when a tenth of it cuts the excess at least this much
CLOSE = 0.6  # …and, on a log scale, at least this share as much as the field that cuts it most


@dataclass(frozen=True)
class Oversize:
    """A run past its limits: what it would need and the fields that drive it."""

    exceeded: list[str]
    fields: list[str]  # "horizon_months: 1000000", …

    def message(self) -> str:
        """One line: the estimate, the fields to change, and the way out."""
        return f"too big to run here: {self._why()}; lower {self._what()}, or add --force to run anyway"

    def warning(self) -> str:
        return f"warning: {self._why()}; running anyway (--force)"

    def _why(self) -> str:
        driven = f", mostly from {', '.join(self.fields)}" if self.fields else ""
        needs = self.exceeded[0] if len(self.exceeded) == 1 else \
            ", ".join(self.exceeded[:-1]) + " and " + self.exceeded[-1]
        return needs + driven

    def _what(self) -> str:
        if not self.fields:
            return "the horizon, the segments' accounts, the staffing or the replications"
        return "it" if len(self.fields) == 1 else "them"


def oversize(scenario: Scenario, designs: list[Design], repeats: list[Repeats], workers: float,
             people: dict[str, dict[str, float]] | None = None,
             limits: Limits = LIMITS) -> Oversize | None:
    """None when simulating `designs` as `repeats` say stays within `limits`; else what it
    would need, and the fields that, lowered, would cut it most."""
    size = run_size(scenario, designs, repeats, workers, people)
    excess = limits.excess(size)
    if excess <= 1:
        return None
    cuts = []
    for field, smaller in _smaller(scenario, repeats, [] if people else [d.name for d in designs]):
        scenario_, repeats_ = smaller
        cut = excess / max(limits.excess(run_size(scenario_, designs, repeats_, workers, people)),
                           1 / CEILING)
        cuts.append((cut, field))
    cuts.sort(key=lambda c: -c[0])
    best = cuts[0][0] if cuts else 1.0
    fields = [f for cut, f in cuts if cut >= max(DRIVES, best**CLOSE)][:3]
    return Oversize(limits.exceeded(size), fields)


Smaller = tuple[Scenario, list[Repeats]]


def _smaller(scenario: Scenario, repeats: list[Repeats],
             staffed: list[str]) -> Iterator[tuple[str, Smaller]]:
    """Each field the size depends on ("field: value"), with the scenario (or the repeats) at a
    tenth of it: horizon, accounts, tickets and touches by segment, staffing, replications."""

    def changed(**update: object) -> Smaller:
        return scenario.model_copy(update=update), repeats

    yield f"horizon_months: {_number(scenario.horizon_months)}", changed(
        horizon_months=scenario.horizon_months / SHRINK)
    for name, segment in scenario.segments.items():
        for key in ("initial_accounts", "new_per_month", "tickets_per_month"):
            value = getattr(segment, key)
            if value:
                fewer = segment.model_copy(update={key: clamp(value) / SHRINK})
                segments = {**scenario.segments, name: fewer}
                yield f"segments.{name}.{key}: {_number(value)}", changed(segments=segments)
        if segment.touch_every_days:
            smaller = segment.model_copy(update={"touch_every_days": segment.touch_every_days * SHRINK})
            yield (f"segments.{name}.touch_every_days: {_number(segment.touch_every_days)}",
                   changed(segments={**scenario.segments, name: smaller}))
    for design in staffed:
        plan = scenario.staffing.plans.get(design, {})
        for role, policy in plan.items():
            for key, value, fewer in _policy_knobs(policy):
                staff = scenario.staffing.model_copy(update={design: {**plan, role: fewer}})
                yield f"staffing.{design}.{role}{key}: {_number(value)}", changed(staffing=staff)
    for i, r in enumerate(repeats):
        fewer = Repeats(r.field, r.value / SHRINK, r.runs / SHRINK, r.seeds / SHRINK)
        said = f"{r.field} {_number(r.value)}" if r.field.startswith("--") else \
            f"{r.field}: {_number(r.value)}"  # an option as typed, or a field as in the file
        yield said, (scenario, [*repeats[:i], fewer, *repeats[i + 1:]])


def _policy_knobs(policy: object) -> Iterator[tuple[str, float | int, object]]:
    """A policy's numbers at a tenth of the headcount they ask for: (".key" or "", value, policy)."""
    if not isinstance(policy, RatioPolicy):
        yield "", policy, clamp(policy) / SHRINK  # type: ignore[misc]
        return
    yield f".{policy.driver}", policy.ratio, policy.model_copy(
        update={policy.driver: policy.ratio * SHRINK})
    if policy.min:
        yield ".min", policy.min, policy.model_copy(update={"min": policy.min / SHRINK})


def _number(x: float | int) -> str:
    """A field's value as it would be typed: 1000000, 0.5, 1e+40 (and 1e+400, an int no float holds)."""
    if isinstance(x, int) and abs(x) >= 10**15:
        digits = str(abs(x))
        return f"{digits[0]}e+{len(digits) - 1}"
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else f"{x:g}"


def _count(n: float) -> str:
    """A headcount: 39,300,000, or 1.0e+30 past what anyone reads digit by digit."""
    return f"{n:,.0f}" if n < 1e12 else f"{n:.1e}"


def _duration(seconds: float) -> str:
    """Seconds in the unit a person reads them in: 40 s, 12 min, 3 h, 9 days, 58 years."""
    for unit, size, up_to in (("s", 1, 90), ("min", 60, 3600), ("h", 3600, 48 * 3600),
                              ("days", 86400, 365 * 86400)):
        if seconds < up_to:
            return f"{seconds / size:.0f} {unit}"
    years = seconds / (365 * 86400)
    return f"{years:,.0f} years" if years < 1e6 else f"{years:.1e} years"


def _bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            break
        n /= 1000
    return f"{n:.1f} {unit}" if n < 1e6 else f"{n:.1e} {unit}"
