"""Staffing (simulate/model/staffing.py): headcount policies and the hiring plan with its lag."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulate.domain.drivers import DRIVER_ROWS
from simulate.model.staffing import Drivers, Plan, headcount
from simulate.scenario.schema import RatioPolicy

LAG = 320.0  # hours


def drivers(**values: float) -> Drivers:
    base = dict(arr=0.0, accounts=0.0, tickets_per_month=0.0, new_accounts_per_month=0.0,
                escalations_per_month=0.0)
    return Drivers(**(base | values))


class FakeCalendar:
    """Stands in for the event calendar: records what is scheduled and fires it on demand."""

    def __init__(self) -> None:
        self.waiting: list[tuple[float, Callable[[str], None], str]] = []
        self.delays: list[float] = []

    def schedule(self, delay: float, action: Callable[[str], None], role: str) -> None:
        self.delays.append(delay)
        self.waiting.append((delay, action, role))

    def fire(self, n: int | None = None) -> None:
        """Let the first `n` (default: all) scheduled hires arrive."""
        due, self.waiting = self.waiting[:n], self.waiting[len(self.waiting[:n]):]
        for _, action, role in due:
            action(role)


class Hires(list):
    def __call__(self, role: str) -> None:
        self.append(role)


def plan(**policies) -> tuple[Plan, Hires, FakeCalendar]:
    hires, calendar = Hires(), FakeCalendar()
    return Plan(policies, hires, calendar.schedule, LAG), hires, calendar


# --- headcount ------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 7])
def test_fixed_count_is_the_headcount_whatever_the_drivers(count):
    assert headcount(count, drivers(arr=1e9, accounts=1e5)) == count


def test_every_driver_row_is_a_policy_key_and_a_measure_reviews_read():
    assert {f.name for f in fields(Drivers)} == {d.measure for d in DRIVER_ROWS}
    assert set(RatioPolicy.model_fields) == {d.key for d in DRIVER_ROWS} | {"min"}


SPREAD = drivers(arr=6.5, accounts=4.2, tickets_per_month=3.1, new_accounts_per_month=2.7,
                 escalations_per_month=1.01)


@pytest.mark.parametrize(
    ("driver", "wanted"),
    [
        ("per_arr", 7),
        ("per_accounts", 5),
        ("per_tickets_per_month", 4),
        ("per_new_accounts_per_month", 3),
        ("per_escalations_per_month", 2),
    ],
)
def test_ratio_policy_reads_its_own_driver_and_rounds_up(driver, wanted):
    assert headcount(RatioPolicy(**{driver: 1.0}), SPREAD) == wanted


@pytest.mark.parametrize(
    ("policy", "d", "wanted"),
    [
        (RatioPolicy(per_arr=1_000_000), drivers(arr=18_200_000), 19),
        (RatioPolicy(per_accounts=250), drivers(accounts=1001), 5),
        (RatioPolicy(per_tickets_per_month=250), drivers(tickets_per_month=600), 3),
        (RatioPolicy(per_new_accounts_per_month=12), drivers(new_accounts_per_month=40), 4),
        (RatioPolicy(per_escalations_per_month=35), drivers(escalations_per_month=36), 2),
    ],
)
def test_ratio_policy_asks_for_the_ceiling(policy, d, wanted):
    assert headcount(policy, d) == wanted


@pytest.mark.parametrize(
    ("policy", "d", "wanted"),
    [
        (RatioPolicy(per_arr=1_000_000), drivers(arr=3_000_000), 3),
        (RatioPolicy(per_arr=1_300_000), drivers(arr=3_900_000), 3),
        (RatioPolicy(per_accounts=0.1), drivers(accounts=1.1), 11),  # 1.1/0.1 = 11.000000000000002
        (RatioPolicy(per_tickets_per_month=250), drivers(tickets_per_month=750), 3),
        (RatioPolicy(per_escalations_per_month=0.7), drivers(escalations_per_month=2.1), 3),
    ],
)
def test_exact_multiple_is_not_rounded_up(policy, d, wanted):
    assert headcount(policy, d) == wanted


def test_just_above_an_exact_multiple_rounds_up():
    assert headcount(RatioPolicy(per_arr=1_000_000), drivers(arr=3_000_001)) == 4


def test_minimum_applies_when_the_driver_asks_for_fewer():
    policy = RatioPolicy(per_arr=1_000_000, min=2)
    assert headcount(policy, drivers(arr=0)) == 2
    assert headcount(policy, drivers(arr=1_500_000)) == 2


def test_minimum_does_not_cap_a_larger_need():
    assert headcount(RatioPolicy(per_arr=1_000_000, min=2), drivers(arr=5_500_000)) == 6


def test_zero_driver_without_minimum_asks_for_nobody():
    assert headcount(RatioPolicy(per_accounts=100), drivers(accounts=0)) == 0


@given(
    value=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    ratio=st.floats(min_value=1e-3, max_value=1e7, allow_nan=False),
    minimum=st.integers(min_value=0, max_value=20),
)
def test_headcount_covers_the_driver_with_at_most_one_spare_seat(value, ratio, minimum):
    n = headcount(RatioPolicy(per_accounts=ratio, min=minimum), drivers(accounts=value))
    wanted = value / ratio
    assert n >= minimum
    assert n >= wanted - 1e-9  # a rounding hair below a whole seat is not an extra seat
    assert n == minimum or n - 1 < wanted


# --- Plan -----------------------------------------------------------------------------------


def test_open_staffs_every_role_at_its_time_zero_count():
    p, hires, calendar = plan(
        csm=RatioPolicy(per_arr=1_000_000, min=2),
        support_agent=RatioPolicy(per_tickets_per_month=250, min=1),
        cs_ops=1,
    )
    p.open(drivers(arr=4_500_000, tickets_per_month=600))
    assert p.staffed == {"csm": 5, "support_agent": 3, "cs_ops": 1}
    assert sorted(hires) == ["cs_ops"] + ["csm"] * 5 + ["support_agent"] * 3
    assert calendar.delays == []  # the initial team is there at once
    assert p.pending == {"csm": 0, "support_agent": 0, "cs_ops": 0}


def test_open_with_a_zero_count_hires_nobody_for_that_role():
    p, hires, _ = plan(csm=1, tech_support=0)
    p.open(drivers())
    assert p.staffed == {"csm": 1, "tech_support": 0}
    assert hires == ["csm"]


def test_review_hires_only_the_gap_after_the_lag():
    p, hires, calendar = plan(csm=RatioPolicy(per_arr=1_000_000))
    p.open(drivers(arr=3_000_000))
    hires.clear()
    p.review(drivers(arr=5_000_000))
    assert calendar.delays == [LAG, LAG]
    assert p.pending == {"csm": 2}
    assert p.staffed == {"csm": 3}  # not yet: they start after the lag
    assert hires == []


def test_hires_join_when_the_lag_has_passed():
    p, hires, calendar = plan(csm=RatioPolicy(per_arr=1_000_000))
    p.open(drivers(arr=3_000_000))
    hires.clear()
    p.review(drivers(arr=5_000_000))
    calendar.fire()
    assert p.staffed == {"csm": 5}
    assert p.pending == {"csm": 0}
    assert hires == ["csm", "csm"]


def test_pending_hires_count_toward_the_next_review():
    p, _, calendar = plan(csm=RatioPolicy(per_arr=1_000_000))
    p.open(drivers(arr=3_000_000))
    p.review(drivers(arr=5_000_000))
    p.review(drivers(arr=5_000_000))
    assert len(calendar.delays) == 2
    p.review(drivers(arr=6_000_000))
    assert len(calendar.delays) == 3
    assert p.pending == {"csm": 3}


def test_review_after_some_hires_arrived_asks_only_for_the_rest():
    p, _, calendar = plan(support_agent=RatioPolicy(per_tickets_per_month=100))
    p.open(drivers(tickets_per_month=100))
    p.review(drivers(tickets_per_month=400))  # wants 4: 3 hires
    calendar.fire(1)
    assert p.staffed["support_agent"] == 2
    assert p.pending["support_agent"] == 2
    p.review(drivers(tickets_per_month=500))  # wants 5: one more
    assert len(calendar.delays) == 4
    calendar.fire()
    assert p.staffed["support_agent"] == 5
    assert p.pending["support_agent"] == 0


def test_nobody_is_laid_off_when_the_driver_falls():
    p, hires, calendar = plan(csm=RatioPolicy(per_arr=1_000_000, min=1))
    p.open(drivers(arr=5_000_000))
    p.review(drivers(arr=1_000_000))
    p.review(drivers(arr=0))
    assert p.staffed == {"csm": 5}
    assert calendar.delays == []
    assert len(hires) == 5


def test_fixed_count_is_never_reviewed_upward():
    p, _, calendar = plan(cs_ops=2)
    p.open(drivers())
    p.review(drivers(arr=1e9, accounts=1e6))
    assert p.staffed == {"cs_ops": 2}
    assert calendar.delays == []


def test_review_treats_each_role_separately():
    p, _, calendar = plan(
        csm=RatioPolicy(per_accounts=100),
        support_agent=RatioPolicy(per_tickets_per_month=100),
    )
    p.open(drivers(accounts=100, tickets_per_month=100))
    p.review(drivers(accounts=300, tickets_per_month=100))
    assert [role for _, _, role in calendar.waiting] == ["csm", "csm"]
    assert p.pending == {"csm": 2, "support_agent": 0}


def test_zero_lag_is_passed_to_the_calendar_as_is():
    hires, calendar = Hires(), FakeCalendar()
    p = Plan({"csm": RatioPolicy(per_accounts=10)}, hires, calendar.schedule, 0.0)
    p.open(drivers(accounts=10))
    p.review(drivers(accounts=20))
    assert calendar.delays == [0.0]
