"""An account's life: health, touches, renewals, opt-out, expansion, referrals, churn.

Every random draw an account makes comes from its own named streams, so the same account
meets the same shocks, renewal uniforms and ticket draws in every design.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulate.model import health as hp
from simulate.model.account_work import Intervention, RenewalWork, Touch
from simulate.model.clock import INF, Clock, call
from simulate.model.health import GREEN, RED, Trend, band_of, next_crossing, score_at
from simulate.model.record import CHURN_OPT_OUT, CHURN_RENEWAL, SAVE, WIN, account_id
from simulate.model.streams import (
    CLOCKS,
    RENEWALS,
    SHOCKS,
    TICKETS,
    TOUCHES,
    Draws,
    exponentials,
    uniform_pairs,
)

NONE = -1  # no win or save waiting to hold
STILL = Trend(0.0, 0.0, 0.0)  # an account still onboarding: its score waits for go-live

if TYPE_CHECKING:
    from simulate.model.segments import SegmentModel
    from simulate.model.staff import Person
    from simulate.model.world import World


class Account:
    """A customer account: contract, health score and the clocks its state drives."""

    __slots__ = (
        "acv",
        "arrived",
        "band",
        "cross_at",
        "csm",
        "hold_version",
        "holding",
        "id",
        "intervention_pending",
        "key",
        "level",
        "live",
        "live_at",
        "load",
        "opt_out",
        "params",
        "referral",
        "remaining_onboarding",
        "renewal_at",
        "renewal_draws",
        "renewal_version",
        "renewal_worked",
        "rescued",
        "score",
        "score_at",
        "segment",
        "shock_gaps",
        "ticket_clock",
        "ticket_draws",
        "tier",
        "touch_draws",
        "touch_due",
        "touch_every",
        "touch_version",
        "trend",
        "uid",
        "upcoming",
        "world",
    )

    def __init__(self, world: World, segment: SegmentModel, key: tuple[int, ...], acv: float,
                 opt_out_u: float, level_z: float = 0.0):
        self.world = world
        params = self.params = world.params
        self.segment = segment
        self.key = key
        self.id = account_id(key)
        self.uid = world.next_uid()
        self.acv = acv
        self.arrived = world.env.now
        self.live = True
        self.live_at: float | None = None
        self.csm: Person | None = None
        self.load = segment.weight + segment.onboarding_weight  # on its CSM's book
        self.score = params.health.go_live
        self.score_at = world.env.now
        rules = params.health
        self.level = min(100.0, max(0.0, segment.health_level + rules.level_sd * level_z))
        self.trend = STILL  # until go-live
        self.holding = NONE  # a win or save waiting to hold for health.hold_days
        self.hold_version = 0
        self.band = band_of(self.score, params.health.bounds)
        self.cross_at = INF
        self.intervention_pending = False
        self.rescued = False
        self.remaining_onboarding = segment.onboarding_hours
        self.renewal_at = INF
        self.renewal_version = 0
        self.renewal_worked = False
        self.touch_due = INF
        self.touch_version = 0
        self.tier = 0  # rank of its tier (simulate.model.tiers); 0 where no tiers are set
        self.touch_every = segment.touch_every  # hours between touches, or None
        streams = world.streams
        self.ticket_draws = Draws(streams, (TICKETS, *key, 0), params.ticket_mix.block,
                                  segment.ticket_block)
        self.upcoming: list[list[float]] = []  # drawn tickets whose clock target is pending
        self.ticket_clock = Clock(world.env, self._next_ticket_gap, self._ticket)
        self.touch_draws = Draws(streams, (TOUCHES, *key, 0), uniform_pairs, segment.touch_block)
        self.renewal_draws = Draws(streams, (RENEWALS, *key, 0), uniform_pairs, 4)
        self.opt_out: Clock | None = None
        if opt_out_u < params.opt_out_share and params.opt_out_rate > 0:
            draws = Draws(streams, (CLOCKS, *key, 0), exponentials, 2)
            self.opt_out = Clock(world.env, draws.next, self._opt_out)
        self.referral: Clock | None = None
        if params.referral_rate > 0:
            draws = Draws(streams, (CLOCKS, *key, 1), exponentials, 4)
            self.referral = Clock(world.env, draws.next, self._refer)
        self.shock_gaps: Draws | None = None
        if params.shock_mean_gap > 0:
            self.shock_gaps = Draws(streams, (SHOCKS, *key, 0), exponentials, 4)
            call(world.env, self.shock_gaps.next() * params.shock_mean_gap, self._shock)

    # --- Health -------------------------------------------------------------------------

    def health(self) -> float:
        """The score now (its trend evaluated lazily)."""
        return score_at(self.score, self.score_at, self.trend, self.world.env.now)

    def refresh(self) -> None:
        """Bring the stored score up to now; a band crossed by its trend takes effect."""
        now = self.world.env.now
        self.score = score_at(self.score, self.score_at, self.trend, now)
        self.score_at = now
        band = band_of(self.score, self.params.health.bounds)
        if band != self.band:
            self._band_changed(band, cs_work=False)

    def move(self, points: float, cs_work: bool) -> None:
        """Add `points` (negative to subtract); `cs_work` marks wins and saves."""
        self.refresh()
        score = self.score + points
        self.score = 0.0 if score < 0.0 else 100.0 if score > 100.0 else score
        band = band_of(self.score, self.params.health.bounds)
        if band != self.band:
            self._band_changed(band, cs_work)
        self.watch_drift()

    def set_trend(self, trend: Trend) -> None:
        self.refresh()
        self.trend = trend
        self.watch_drift()

    def watch_drift(self) -> None:
        """Put the next band crossing by the trend on the calendar, unless an earlier check waits."""
        hours = next_crossing(self.score, self.trend, self.band, self.params.health.bounds)
        if hours == INF:
            return
        now = self.world.env.now
        at = now + hours * (1 + 1e-12) + 1e-9
        if now < self.cross_at <= at:
            return  # the pending check comes first and will look again
        self.cross_at = at
        call(self.world.env, at - now, self._crossing, at)

    def _crossing(self, at: float) -> None:
        if at != self.cross_at or not self.live:
            return
        self.cross_at = INF
        self.refresh()
        self.watch_drift()

    def _band_changed(self, band: int, cs_work: bool) -> None:
        old, self.band = self.band, band
        params = self.params
        if (self.holding == WIN and band != GREEN) or (self.holding == SAVE and band == RED):
            self.holding = NONE  # it did not hold
            self.hold_version += 1
        if cs_work and self.live_at is not None:
            if hp.is_win(old, band):
                self._hold(WIN)
            elif hp.is_save(old, band):
                self._hold(SAVE)
        if not self.live:
            return
        self.ticket_clock.set_rate(self.ticket_rate())
        if self.opt_out is not None and (old == RED) != (band == RED):
            self.opt_out.set_rate(params.opt_out_rate if band == RED else 0.0)
        if self.referral is not None and (old == GREEN) != (band == GREEN):
            self.referral.set_rate(params.referral_rate if band == GREEN else 0.0)
        if hp.is_warning(old, band) and params.design.early_warning:
            self.warn()

    def _hold(self, kind: int) -> None:
        """A win or save counts once the band has held for health.hold_days."""
        self.holding = kind
        self.hold_version += 1
        call(self.world.env, self.params.health.hold_hours, self._held, self.hold_version)

    def _held(self, version: int) -> None:
        if version != self.hold_version or not self.live:
            return
        kind, self.holding = self.holding, NONE
        self.world.rescue(self, kind)

    def ticket_rate(self) -> float:
        rate = self.segment.ticket_rate * self.params.band_factor[self.band]
        return rate if self.live_at is not None else rate * self.params.onboarding_factor

    def start_clocks(self) -> None:
        """Start the clocks that depend on the band, once the account exists."""
        self.ticket_clock.set_rate(self.ticket_rate())
        if self.opt_out is not None and self.band == RED:
            self.opt_out.set_rate(self.params.opt_out_rate)
        if self.referral is not None and self.band == GREEN:
            self.referral.set_rate(self.params.referral_rate)

    # --- Events -------------------------------------------------------------------------

    def _next_ticket_gap(self) -> float:
        row = self.ticket_draws.next()
        self.upcoming.append(row)
        return row[0]

    def _ticket(self) -> None:
        self.world.raise_ticket(self, self.upcoming.pop(0))

    def _shock(self, _: Any = None) -> None:
        if not self.live:
            return
        self.move(-self.params.health.shock_points, cs_work=False)
        call(self.world.env, self.shock_gaps.next() * self.params.shock_mean_gap, self._shock)

    def _opt_out(self) -> None:
        if self.live:
            self.churn(CHURN_OPT_OUT)

    def _refer(self) -> None:
        if self.live:
            self.world.refer(self.segment)

    def go_live(self) -> None:
        """Onboarding done: health set by lateness; touches and decay begin."""
        world = self.world
        rules = self.params.health
        now = world.env.now
        self.live_at = now
        world.record.go_live(self.arrived, now, self.segment.index, self.id)
        if self.csm is not None:
            self.csm.book.reweigh(self, self.segment.weight)
        if not self.live:
            return
        late_days = max(0.0, now - self.arrived - self.segment.target_hours) / self.params.hours_per_day
        self.refresh()
        self.score = max(0.0, rules.go_live - rules.late_go_live_per_day * late_days)
        self.trend = world.trend_for(self)
        self.band = band_of(self.score, rules.bounds)
        self.start_clocks()
        self.watch_drift()
        if self.touch_every is not None:
            self.set_touch_due(now + self.touch_every)

    def set_tier(self, rank: int, touch_factor: float) -> None:
        """Its tier, set once when signed: the touch cadence scales by the tier's factor."""
        self.tier = rank
        if self.touch_every is not None:
            self.touch_every *= touch_factor

    def set_touch_due(self, due: float) -> None:
        self.touch_due = due
        self.touch_version += 1
        if self.csm is not None:
            self.csm.book.schedule_touch(self)

    def touched(self) -> None:
        """A CSM touch (routine or intervention): health, CSQL, and the next touch due."""
        world = self.world
        params = self.params
        now = world.env.now
        was_green = self.band == GREEN
        self.move(params.health.touch, cs_work=True)
        if self.touch_every is not None:
            if self.touch_due <= now:
                world.record.touch(self.touch_due, now, self.segment.index, self.tier)
            self.set_touch_due(now + self.touch_every)
        u_lead, u_win = self.touch_draws.next()
        if was_green and u_lead < params.csql_per_touch and u_win < params.csql_win_rate:
            world.expand(self, self.acv * params.csql_size)

    def touch_work(self) -> Touch:
        return Touch(self)

    def warn(self) -> None:
        """Early warning: an intervention goes on the owner CSM's list at once."""
        if self.intervention_pending or self.live_at is None or self.csm is None:
            return
        self.intervention_pending = True
        self.csm.own.push(Intervention(self))

    # --- Contract -----------------------------------------------------------------------

    def schedule_renewal(self, at: float) -> None:
        """The next renewal date; its CSM work falls due `lead` before it."""
        world = self.world
        now = world.env.now
        self.renewal_at = at
        self.renewal_version += 1
        self.renewal_worked = self.segment.renewal_hours <= 0
        call(world.env, at - now, self._renew, self.renewal_version)
        if not self.renewal_worked:
            call(world.env, max(0.0, at - self.params.renewal_lead - now), self._renewal_due,
                 self.renewal_version)

    def _renewal_due(self, version: int) -> None:
        if version == self.renewal_version and self.live and self.csm is not None:
            self.world.route.renewal(RenewalWork(self, version))

    def _renew(self, version: int) -> None:
        if version != self.renewal_version or not self.live:
            return
        world = self.world
        params = self.params
        self.refresh()
        u_renew, u_change = self.renewal_draws.next()
        band = self.band
        segment = self.segment
        risk = segment.renewal_risk * (1.0 - params.renew_probability[band])
        if segment.acv_elasticity and segment.acv_mean > 0 and self.acv > 0:
            risk *= (self.acv / segment.acv_mean) ** -segment.acv_elasticity
        p = 1.0 - risk
        if not self.renewal_worked:
            p *= params.unworked_factor
        due = self.acv
        if u_renew >= p:
            world.record.renewal(world.env.now, segment.index, due, False, 0.0, self.rescued, self.id)
            self.churn(CHURN_RENEWAL)
            return
        change = 0.0  # one uniform decides: expand, down-sell, or renew as is
        if u_change < params.expansion_probability[band]:
            change = due * params.expansion_size
        elif u_change >= 1.0 - params.contraction_probability[band]:
            change = -due * params.contraction_size
        world.record.renewal(world.env.now, segment.index, due, True, change, self.rescued, self.id)
        if change:
            self.acv += change
            world.ledger.grow(change)
        self.rescued = False
        self.schedule_renewal(self.renewal_at + self.segment.contract_hours)

    def churn(self, cause: int) -> None:
        """The account leaves: its ARR is lost and its clocks stop."""
        world = self.world
        self.live = False
        self.ticket_clock.set_rate(0.0)
        if self.opt_out is not None:
            self.opt_out.set_rate(0.0)
        if self.referral is not None:
            self.referral.set_rate(0.0)
        self.renewal_version += 1
        self.touch_version += 1
        if self.csm is not None:
            self.csm.book.remove(self)
        world.lose(self, cause)
