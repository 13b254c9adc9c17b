"""How big a run is before it runs — wall time, peak memory and headcount — from the scenario
alone, in about a millisecond (simulate.workload.limits says what is too big).

Volumes are the expected ones, read analytically as in the rest of this package: accounts,
tickets, touches and the headcount each staffing policy asks for, over the horizon, for one
replication of each design; a command multiplies them by its replications and spreads them over
its worker processes.

The estimate is an upper bound of the right order, not a forecast: accounts accumulate without
churn (at the shipped calibrations churn outweighs referrals), headcount is what each policy
asks for at the horizon's volumes. Every count is a float clamped to CEILING, so absurd inputs
give comparable numbers instead of overflow or NaN.

Costs are in *events*: one event is what the engine spends on one ticket of the M/M/c bench
scenario (`make bench`, benchmarks/mmc.py), EVENT_SECONDS on this machine; the other kinds of
work weigh a multiple of it. The weights were fitted (non-negative least squares, relative
error) to single replications of sixteen variants of the shipped scenarios (thirteen below), run
(2 shared cores, 23 GB) on 2026-12-01; simulation time, then peak RSS, measured and estimated:

| variant (one replication)                        | simulated | estimate | peak RSS | estimate |
|--------------------------------------------------|----------:|---------:|---------:|---------:|
| baseline, active_passive, 36 months              |     3.9 s |    4.9 s |   166 MB |   170 MB |
| baseline, integrated (digital touches)           |     3.7 s |    5.1 s |   166 MB |   170 MB |
| baseline, 120 months                             |    33.5 s |   26.3 s |   251 MB |   252 MB |
| baseline, 10× tickets, 12 months                 |     7.1 s |    5.6 s |   162 MB |   170 MB |
| baseline, 5× touches, 12 months                  |     3.4 s |    2.4 s |   152 MB |   160 MB |
| baseline, integrated, 12 months                  |     3.6 s |    1.9 s |   151 MB |   156 MB |
| baseline ×10 accounts (10,000), 6 months         |    13.3 s |   14.9 s |   217 MB |   228 MB |
| baseline ×50 accounts (50,000), 6 months         |     118 s |    122 s |   571 MB |   557 MB |
| baseline ×50 accounts, 12 months                 |     197 s |    232 s |   728 MB |   701 MB |
| full_stack at 1 CSM per $20,000 (1,489 people)   |     9.3 s |    9.9 s |   155 MB |   161 MB |
| full_stack at 1 CSM per $2,000 (14,746 people)   |     156 s |    154 s |   201 MB |   206 MB |
| smb_scale, 24 months                             |    10.5 s |   13.3 s |   199 MB |   215 MB |
| complex_product, integrated, 24 months           |     3.7 s |    1.9 s |   151 MB |   153 MB |

Within a factor of two either way, which is what a limit of hours needs; measuring the KPIs
adds MEASURE_SHARE. The whole baseline (4 designs × 20 replications) is estimated at 248 s on
`--jobs 2`; measured 162–176 s (README, 2026-12-01).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from simulate.domain.designs import Design
from simulate.domain.drivers import DRIVER
from simulate.domain.roles import ROLE
from simulate.scenario.schema import RatioPolicy, Scenario
from simulate.workload import OCCUPANCY, monthly_hours, segment_load

CEILING = 1e30  # every count is clamped here: far past any limit, far from float overflow

# --- what work costs on this machine --------------------------------------------------------
EVENT_SECONDS = 20e-6  # the engine's time per bench ticket here: 16.3 µs best of 3 (make bench,
# 2026-12-01, shared machine), 22.1–24.3 µs earlier the same day (README); per event, in events:
TICKET_EVENTS = 1.5  # a ticket: raised, queued, handled, maybe escalated, health moved
TOUCH_EVENTS = 1.0  # a CSM touch
DIGITAL_EVENTS = 0.25  # a digital touch: a health event, no one's time
CROWD = 10_000.0  # live accounts at which each of those costs twice as much (a larger calendar)
ACCOUNT_EVENTS = 40.0  # an account's streams, clocks and book place, set up once
PERSON_MONTH_EVENTS = 25.0  # a person on the staff for a month
PERSON_PAIR_EVENTS = 0.025  # each hire rebalances books across the staff: quadratic in people
MEASURE_SHARE = 0.25  # measuring a replication's KPIs, on top of simulating it (README: 1 s per 3.8 s)
SEED_SECONDS = 30e-6  # spawning one replication's seed (simulate.runner.replication_seeds)

MIB = 2.0**20
PROCESS_BYTES = 85 * MIB  # a worker's Python with numpy, SimPy and the model imported
TASK_BYTES = 56e6  # one task's fixed part: its world, measurement, KPI tables
ACCOUNT_BYTES = 5600.0  # an account, its streams and its records
ITEM_BYTES = 134.0  # a recorded ticket or touch
PERSON_BYTES = 4000.0  # a person, their queue and time away
ACCOUNT_MONTH_BYTES = 31.0  # a live account in a month-end book snapshot and its cohort KPIs
MONTH_BYTES = 2 * 1024  # one monthly row of one task, kept by the parent until written
WINDOW_BYTES = 40 * 1024  # every KPI of one 12-month window of one task, kept by the parent
SEED_BYTES = 500.0  # one spawned seed sequence


def clamp(x: float | int) -> float:
    """`x` as a float in [0, CEILING]; NaN (inf × 0 and the like) and ints too big for a float
    read as CEILING. Every count here goes through it, so nothing overflows or turns NaN."""
    try:
        x = float(x)
    except OverflowError:
        return CEILING
    return CEILING if math.isnan(x) else min(max(x, 0.0), CEILING)


@dataclass(frozen=True)
class TaskSize:
    """Expected volumes of one replication of one design, over the whole horizon."""

    design: str
    months: float
    accounts: float  # accounts that are ever live: the initial book and every arrival
    account_months: float  # live accounts summed over the months
    tickets: float
    touches: float  # CSM touches
    digital: float  # digital touches (cs_ops): no one's time, a health event each
    people: dict[str, float]  # headcount by role at the horizon (nobody is laid off: the peak)

    @property
    def headcount(self) -> float:
        return clamp(sum(self.people.values()))

    @property
    def events(self) -> float:
        live = self.account_months / self.months if self.months > 0 else self.accounts
        crowded = 1 + live / CROWD
        person_months = self.headcount * self.months
        return clamp((TICKET_EVENTS * self.tickets + TOUCH_EVENTS * self.touches
                      + DIGITAL_EVENTS * self.digital) * crowded
                     + ACCOUNT_EVENTS * self.accounts + PERSON_MONTH_EVENTS * person_months
                     + PERSON_PAIR_EVENTS * self.headcount * self.headcount)

    @property
    def seconds(self) -> float:
        """Simulating and measuring the task, on this machine."""
        return clamp(self.events * EVENT_SECONDS * (1 + MEASURE_SHARE))

    @property
    def bytes(self) -> float:
        """Peak memory of the task itself, in the process that runs it."""
        return clamp(TASK_BYTES + ACCOUNT_BYTES * self.accounts
                     + ITEM_BYTES * (self.tickets + self.touches) + PERSON_BYTES * self.headcount
                     + ACCOUNT_MONTH_BYTES * self.account_months)

    @property
    def kept_bytes(self) -> float:
        """What the parent keeps of the finished task until the run is written."""
        return clamp(MONTH_BYTES * self.months + WINDOW_BYTES * (self.months / 12 + 1))


def task_size(scenario: Scenario, design: Design, people: dict[str, float] | None = None) -> TaskSize:
    """One replication of `design`; `people`, if given, replaces the scenario's staffing."""
    months = clamp(scenario.horizon_months)
    days_per_month = clamp(scenario.calendar.days_per_year) / 12
    staffed = scenario.staffing.plans.get(design.name, {})
    digital = "cs_ops" in (people or staffed)
    accounts = account_months = tickets = touches = digital_touches = 0.0
    arr = tickets_end = new = 0.0
    for segment in scenario.segments.values():
        start, inflow = clamp(segment.initial_accounts), clamp(segment.new_per_month)
        end = clamp(start + inflow * months)
        lived = clamp(start * months + inflow * months * months / 2)
        accounts = clamp(accounts + end)
        account_months = clamp(account_months + lived)
        tickets = clamp(tickets + lived * clamp(segment.tickets_per_month))
        if segment.touch_every_days:
            touches = clamp(touches + lived * clamp(days_per_month / segment.touch_every_days))
        if segment.digital_touch and digital:
            every = scenario.cs_ops.digital_touch_every_days
            digital_touches = clamp(digital_touches + lived * clamp(days_per_month / every))
        arr = clamp(arr + end * clamp(segment.acv.expected))
        tickets_end = clamp(tickets_end + end * clamp(segment.tickets_per_month))
        new = clamp(new + inflow)
    if people is None:
        drivers = {"arr": arr, "accounts": accounts, "tickets_per_month": tickets_end,
                   "new_accounts_per_month": new,
                   "escalations_per_month": tickets_end * scenario.tickets.escalation_share}
        heads = {role: _heads(policy, drivers) for role, policy in staffed.items()}
    else:
        heads = {role: clamp(n) for role, n in people.items()}
    return TaskSize(design.name, months, accounts, account_months, tickets, touches,
                    digital_touches, heads)


def _heads(policy: object, drivers: dict[str, float]) -> float:
    """What a staffing policy asks for at these volumes (a float: it may be absurd)."""
    if not isinstance(policy, RatioPolicy):
        return clamp(policy)  # type: ignore[arg-type]
    wanted = clamp(drivers[DRIVER[policy.driver].measure] / policy.ratio)
    return max(clamp(policy.min), float(math.ceil(wanted)))


@dataclass(frozen=True)
class Repeats:
    """How often each design is simulated by one part of a command (a run's replications; the
    optimizer's search), and how many replication seeds that part spawns."""

    field: str  # what the user changes to have fewer: "replications", "--replications"
    value: float  # its value, as the user gave it
    runs: float  # simulations of each design
    seeds: float


@dataclass(frozen=True)
class RunSize:
    """A whole command's simulations: every design's replications over `workers` processes."""

    tasks: tuple[TaskSize, ...]  # one replication of each design
    repeats: tuple[Repeats, ...]
    workers: float  # processes simulating at once (math.inf: a cluster of unknown size)

    @property
    def runs(self) -> float:
        return clamp(sum(r.runs for r in self.repeats))

    @property
    def seconds(self) -> float:
        """Wall time: the seeds, then every task spread over the workers (never less than the
        longest task)."""
        work = clamp(sum(t.seconds for t in self.tasks) * self.runs)
        longest = max(t.seconds for t in self.tasks)
        seeds = clamp(sum(r.seeds for r in self.repeats) * SEED_SECONDS)
        return clamp(seeds + max(work / max(self.workers, 1.0), longest))

    @property
    def bytes(self) -> float:
        """Peak memory: the parent with everything it keeps, and each busy worker."""
        at_once = min(self.workers, clamp(len(self.tasks) * self.runs))
        task = max(t.bytes for t in self.tasks)
        workers = task if at_once <= 1 else clamp(at_once * (PROCESS_BYTES + task))
        kept = clamp(sum(t.kept_bytes for t in self.tasks) * self.runs)
        seeds = clamp(sum(r.seeds for r in self.repeats) * SEED_BYTES)
        return clamp(PROCESS_BYTES + kept + seeds + workers)

    @property
    def largest(self) -> TaskSize:
        """The design with the most people."""
        return max(self.tasks, key=lambda t: t.headcount)


def run_size(scenario: Scenario, designs: list[Design], repeats: list[Repeats], workers: float,
             people: dict[str, dict[str, float]] | None = None) -> RunSize:
    """The size of simulating `designs` as `repeats` say; `people` (design → role → count)
    replaces the scenario's staffing, as the optimizer's candidates do."""
    return RunSize(tuple(task_size(scenario, d, (people or {}).get(d.name)) for d in designs),
                   tuple(repeats), workers)


def optimizer_people(scenario: Scenario, design: Design, roles: tuple[str, ...]) -> dict[str, float]:
    """Headcount the optimizer's search starts from, as floats: each role's work at mid-horizon
    volumes over its productive hours (simulate.workload.estimate, without the Erlang C search,
    which an absurd ticket volume would keep busy). Inputs too big for a float ask for CEILING."""
    try:
        hours = monthly_hours(scenario, design)
        accounts = sum(segment_load(scenario, s).accounts for s in scenario.segments.values())
    except (OverflowError, ValueError, ZeroDivisionError):
        return dict.fromkeys(roles, CEILING)
    people = {}
    for role in roles:
        if ROLE[role].covers:
            people[role] = clamp(clamp(accounts) / scenario.cs_ops.accounts_per_ops)
        else:
            productive = scenario.hours_per_month * scenario.roles[role].productive_share * OCCUPANCY
            people[role] = max(1.0, clamp(clamp(hours.get(role, 0.0)) / productive))
    return people


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # no affinity on this platform
        return max(1, os.cpu_count() or 1)


def workers_here(jobs: int, remote: bool = False) -> float:
    """Processes that simulate at once: `--jobs`, at most one per usable CPU; a remote cluster's
    size is not known here (math.inf: only the longest task counts)."""
    return math.inf if remote else float(max(1, min(jobs, usable_cpus())))
