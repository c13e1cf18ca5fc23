"""One renovation compound: its stage, its collective actors and what happens to it each week.

The per-household rule lives in :mod:`sim.household`; this module holds the collective procedures
(ODD §4 steps 3–6) that act on the household arrays of one compound: the initiators' consent drive
(§7.5), approvals (§7.6), the council's election (§7.7), plan meetings and votes (§7.8), the
co-funding drive and fees (§7.9), construction (§7.10) and long-term management (§7.11). They are
shared by both executors.
"""

from __future__ import annotations

import math

import numpy as np

from agents.contractor import Contractor
from agents.council import Council, CouncilStatus
from agents.street_office import StreetOffice
from sim import items, rng
from sim.households import INITIATOR, NONE, REP
from sim.rng import Purpose
from sim.rules import council as council_rules
from sim.rules import deliberation as delib
from sim.rules import maintenance as maint
from sim.rules import payment
from sim.rules.intention import transaction_cost
from sim.stages import PROJECT_STAGES, TERMINAL, Stage

CANVASS_PER_PERSON = 10
TEAM_SIZE = 3
LEADER_I, LEADER_PBC = 0.7, 0.3
DRIVE_WEEKS = 26
RETRY_WEEKS = 26
SIGN_PROB = 0.9
QUARTER = 13


class Compound:
    """State and weekly procedures of one compound (households ``lo..hi-1`` of the model)."""

    def __init__(
        self, model, index: int, seed: int, cid: int, lo: int, hi: int, office=None, params=None, dormant=False
    ):
        self.model = model
        self.index, self.seed, self.cid = index, seed, cid
        self.key = rng.compound_key(seed, cid)
        self._keys = [int(k) for k in rng.slot_keys(self.key, rng.COMPOUND_SLOT + 100 + np.arange(8))]
        self.lo, self.hi, self.n = lo, hi, hi - lo
        # the lever settings this compound's project runs under (city mode: the regime at admission)
        self.p = params if params is not None else model.p
        p = self.p
        self.top_down = not p.self_application and not p.council_first and p.co_decision < 0.5
        self.office = office if office is not None else StreetOffice(model)
        self.staff_hours = 0.0
        self.contractor = Contractor(model, self)
        self.council = Council(model, self) if p.council_first else None
        self.M = float(rng.uniform(rng.slot_keys(self.key, rng.COMPOUND_SLOT), 0, Purpose.MAINT0)) * 0.2 + 0.1
        self.plan = np.zeros(items.N_ITEMS, dtype=bool)
        self.dropped = np.zeros(items.N_ITEMS, dtype=bool)
        self._set_menu(p)
        self.team = np.zeros(0, dtype=np.int64)
        self.order = np.zeros(0, dtype=np.int64)
        self.pos = 0
        self.cooldown_until = 0
        self.drive_start = 0
        self.remaining = 0.0
        self.delay_total = 0.0
        self.n_approvals = 0
        self.formation_start = 0
        self.next_attempt = 0
        self.meetings = 0
        self.vote_called = False
        self.spread = math.nan
        self.rounds = 0
        self.clock_start: int | None = None
        self.consensus_week: float = math.nan
        self.last_vote: dict | None = None
        self.required = 0.0
        self.window_start = 0
        self.window_len = payment.COFUND_WEEKS
        self.extended = False
        self.cofund_share = 0.0
        self.cofunding_collection = math.nan
        self.completion_week: float = math.nan
        self.mgmt = "none"
        self.mgmt_leg = 0.0
        self.fee_billed = 0.0
        self.fee_collected = 0.0
        self.fee_rates: list[float] = []
        self.fee_year = 0.0
        self.last_fee_rate = 0.0
        self.complaints = 0
        self.escalated = 0
        self.conflicts = 0
        self.topup = 0.0
        self.social_capital = 0.0
        self.council_ever = False
        # city mode: an owners' committee already exists and leads the project instead of a new
        # council (the paper counts 486 *newly founded* councils for 514 compounds, E25)
        self.existing_oc = False
        self.visit_order = np.zeros(0, dtype=np.int64)
        self.stage = Stage.AWARE
        self.stage_week = 0
        self.delivered = False
        self.opened = {"meeting": False, "vote": False}
        # city mode: the compound waits for the bureau (top-down) or to learn it can apply
        self.dormant = dormant
        self.aware = not dormant
        self._quiet: dict | None = None
        self.phase1_done = False
        self.admitted_regime: str | None = None
        self.admitted_year: int | None = None
        if dormant:
            self.top_down = False
            self._enter(Stage.AWARE, 0)
        elif self.top_down:
            self._enter(Stage.PLAN_APPROVAL, 0)
            self.plan[self.menu] = True
            self.remaining = self.office.approval_delay(self, 0)
            self.delay_total += self.remaining
        elif p.self_application:
            self._enter(Stage.AWARE, 0)
        else:
            self._start_project(0)

    # ------------------------------------------------------------------ city mode
    def _set_menu(self, p) -> None:
        self.menu = items.menu(p.menu)
        self.cost = items.costs(p.menu)
        self.mean_cost = items.mean_cost(p.menu)
        self.phi = items.value_factor(p.menu)

    def _new_project(self, p) -> None:
        """Reset the project's state (city mode: a second project after a top-down one)."""
        self.p = p
        self._set_menu(p)
        self.top_down = not p.self_application and not p.council_first and p.co_decision < 0.5
        self.plan[:] = False
        self.dropped[:] = False
        self.meetings, self.rounds, self.vote_called, self.spread = 0, 0, False, math.nan
        self.last_vote, self.clock_start, self.consensus_week = None, None, math.nan
        self.required, self.cofund_share, self.cofunding_collection, self.extended = 0.0, 0.0, math.nan, False
        self.topup, self.completion_week = 0.0, math.nan
        if p.council_first and (self.council is None or not self.council.active):
            self.council = Council(self.model, self)

    def start_top_down(self, t: int, p) -> None:
        """Selected by the bureau (2014–2018): its own light plan, no council, no vote (E4–E6)."""
        self._new_project(p)
        self.top_down = True
        self.plan[self.menu] = True
        self._approval(t)
        self._enter(Stage.PLAN_APPROVAL, t)

    def become_aware(self, t: int, p) -> None:
        """The compound learns it can apply (city mode); a phase-1 compound starts a new project."""
        self.aware = True
        self._quiet = None
        self._new_project(p)
        if self.stage != Stage.AWARE:
            self._enter(Stage.AWARE, t)

    def admit(self, t: int, p, regime: str) -> None:
        """The bureau admits the queued application under the regime now in force."""
        self.p = p
        self._set_menu(p)
        if p.council_first and self.council is None:
            self.council = Council(self.model, self)
        self.admitted_regime = regime
        self.admitted_year = self.model.year
        self._approval(t)
        self._enter(Stage.APPLICATION_REVIEW, t)

    # ------------------------------------------------------------------ helpers
    @property
    def sl(self) -> slice:
        return slice(self.lo, self.hi)

    @property
    def mobilised(self) -> bool:
        """Party members act as core actors (μ_party > 1) under this compound's levers."""
        return self.p.mu_party > 1.0

    @property
    def council_active(self) -> bool:
        council = self.council
        return council is not None and council.active

    @property
    def new_council(self) -> bool:
        """A newly founded council has led the project (not an owners' committee that existed, E25)."""
        return self.council_ever and not self.existing_oc

    @property
    def leg(self) -> float:
        return self.council.legitimacy if self.council_active else 0.0

    @property
    def body(self) -> bool:
        return self.mgmt != "none"

    def _enter(self, stage: Stage, t: int) -> None:
        self.stage = stage
        self.stage_week = t

    def _draw(self, j: int, t: int, purpose: int) -> float:
        """A compound-level uniform draw (stream ``j``), keyed like every other draw."""
        return rng.uniform_int(self._keys[j], t, purpose)

    def _canvass(self, t: int, n: int) -> np.ndarray:
        """Visit the next ``n`` households of a shuffled round (sets the leadership cue)."""
        if self.order.size == 0 or n <= 0:
            return np.zeros(0, dtype=np.int64)
        out = []
        while n > 0:
            if self.pos >= self.order.size:
                self.pos = 0
            take = self.order[self.pos : self.pos + n]
            self.pos += take.size
            n -= take.size
            out.append(take)
            if take.size == 0:
                break
        batch = np.unique(np.concatenate(out))
        self.model.hh.canvassed[batch] = t
        return batch

    def _shuffle(self, t: int, purpose: int) -> np.ndarray:
        h = self.model.hh
        u = rng.uniform(h.key[self.sl], t, purpose)
        return np.lexsort((np.arange(self.n), u)) + self.lo

    def _approval(self, t: int) -> None:
        self.remaining = self.office.approval_delay(self, self.n_approvals)
        self.delay_total += self.remaining
        self.n_approvals += 1

    def _start_project(self, t: int) -> None:
        """Bureau-selected compound without self-application: form a council or deliberate."""
        if self.p.council_first:
            self._enter(Stage.COUNCIL_FORMATION, t)
            self.formation_start, self.next_attempt = t, t + 1
            self.order, self.pos = self._shuffle(t, Purpose.CANVASS + 1), 0
        else:
            self._enter(Stage.DELIBERATION, t)
            self.clock_start = t
            self.order, self.pos = self._shuffle(t, Purpose.CANVASS + 2), 0

    # ------------------------------------------------------------------ context (before households act)
    def quiet(self, t: int) -> bool:
        """Waiting for the bureau, with its unchanging context already computed (city mode)."""
        return self._quiet is not None and t > 0 and self.dormant and not self.aware and self.stage == Stage.AWARE

    def context(self, t: int, model) -> dict:
        """What this compound offers and shows its households this week (ODD §4 step 1)."""
        p = self.p
        st = self.stage
        if self.quiet(t):
            # a compound waiting for the bureau offers nothing: only its facilities change
            quiet = dict(self._quiet)
            quiet["M"] = self.M
            return quiet
        council = self.council_active
        meeting = vote = other = False
        vote_owners = False
        if t == 0:
            other = True  # the baseline survey (E10)
        if st == Stage.COUNCIL_FORMATION and t == self.next_attempt:
            vote = True
        elif st == Stage.DELIBERATION and (t - self.stage_week) % 2 == 0:
            meeting = True
            if p.co_decision >= 0.5 and self.vote_called:
                vote, vote_owners = True, True
        elif st == Stage.CONSTRUCTION and council and (t - self.stage_week) % 4 == 0:
            other = True  # supervision rota
        elif st == Stage.LONG_TERM and (council or self.mgmt == "OC") and (t - self.stage_week) % QUARTER == 0:
            meeting = True
        self.opened = {"meeting": meeting, "vote": vote}
        chan = 1.0 if (p.self_application or council) else 0.0
        seats = self.council.seats if council else 1
        fee_month = st == Stage.LONG_TERM and self.body and model.new_month
        elapsed = (t - self.window_start + 1) / self.window_len if st == Stage.FUNDRAISING else 1.0
        share = payment.run_rate(self.cofund_share, elapsed) if st == Stage.FUNDRAISING else self.last_fee_rate
        leg_pay = payment.collector_legitimacy(self.leg if council else self._manager_leg(), p.transparency)
        ctx = {
            "vis": 1.0 if (council or p.tau_info > 0) else 0.3,
            "tc": transaction_cost(p.tau_info, p.tau_train, p.tau_mon, chan),
            "eff": min(1.0, (25.0 / (self.n / seats)) ** 0.1),
            "meeting": meeting,
            "event": model.scheduled(t, p.events_per_yr, event=True) and self.aware,
            "vote": vote,
            "vote_owners": vote_owners,
            "other": other,
            "campaign": model.scheduled(t, p.campaigns_per_yr) and self.aware,
            "completed": st == Stage.LONG_TERM,
            "tau_info": p.tau_info,
            "p_reach": p.p_reach,
            "cofund_open": st == Stage.FUNDRAISING,
            "fee_month": fee_month,
            "leg": leg_pay if st in (Stage.FUNDRAISING, Stage.LONG_TERM) else self.leg,
            "tau_tr": payment.observed_share_weight(p.transparency, 1.0 if council else 0.0),
            "share": float(share),
            "elapsed": float(elapsed),
            "disruption": 1.0 if st == Stage.CONSTRUCTION else 0.0,
            "council": 1.0 if council else 0.0,
            "M": self.M,
            "delivered": self.delivered,
        }
        if self.dormant and not self.aware and st == Stage.AWARE and t > 0:
            self._quiet = ctx
        return ctx

    # ------------------------------------------------------------------ collective acts (after households act)
    def act(self, t: int, complaints: int, escalated: int) -> None:
        """This week's collective procedures for the current stage (ODD §4 steps 3–6)."""
        self.delivered = False
        self.complaints += complaints
        self.escalated += escalated
        self.office.week(self, self.stage in PROJECT_STAGES, escalated)
        st = self.stage
        if st == Stage.AWARE:
            self._try_team(t)
        elif st == Stage.CONSENT_DRIVE:
            self._consent_drive(t)
        elif st == Stage.APPLICATION_REVIEW:
            self.remaining -= self.office.progress_for(self)
            if self.remaining <= 0:
                self._start_project(t)
        elif st == Stage.COUNCIL_FORMATION:
            self._formation(t)
        elif st == Stage.DELIBERATION:
            self._deliberate(t)
        elif st == Stage.PLAN_APPROVAL:
            self.remaining -= self.office.progress_for(self)
            if self.remaining <= 0:
                self._plan_approved(t)
        elif st == Stage.FUNDRAISING:
            self._fundraise(t)
        elif st == Stage.CONSTRUCTION:
            if self.contractor.work(t):
                self._complete(t)
        elif st == Stage.LONG_TERM:
            self._long_term(t)

    def _mask(self, arr) -> np.ndarray:
        mask = np.zeros(self.model.hh.n, dtype=bool)
        mask[self.sl] = arr[self.sl]
        return mask

    # --- application (§7.5)
    def _try_team(self, t: int) -> None:
        h, p = self.model.hh, self.p
        if t < self.cooldown_until or not self.aware or (self.dormant and not p.self_application):
            return
        sl = self.sl
        leaders = np.flatnonzero(h.owner[sl] & (h.I[sl] >= LEADER_I) & (h.PBC[sl] >= LEADER_PBC)) + self.lo
        has_party = bool(h.party[leaders].any())
        if leaders.size < TEAM_SIZE or (p.party_rule and not has_party):
            return
        u = self._draw(0, t, Purpose.TEAM)
        if u >= 1 - math.exp(-0.1 * leaders.size):
            return
        ranked = leaders[np.lexsort((leaders, -h.I[leaders]))]
        if p.party_rule:
            first_party = ranked[h.party[ranked]][0]
            ranked = np.concatenate([[first_party], ranked[ranked != first_party]])
        self.team = np.sort(ranked[:TEAM_SIZE])
        h.role[self.team] = INITIATOR
        h.signed[sl] = False
        self.order, self.pos = self._shuffle(t, Purpose.CANVASS), 0
        self.drive_start = t
        self.clock_start = t
        self._enter(Stage.CONSENT_DRIVE, t)

    def _consent_drive(self, t: int) -> None:
        h, p = self.model.hh, self.p
        batch = self._canvass(t, CANVASS_PER_PERSON * self.team.size)
        signs = h.owner[batch] & (h.A[batch] > 0.5) & (rng.uniform(h.key[batch], t, Purpose.SIGN) < SIGN_PROB)
        newly = batch[signs & ~h.signed[batch]]
        h.signed[newly] = True
        h.last_act[newly] = t  # a signature is a participation act
        h.acted_before_completion[newly] = True
        owners = int(h.owner[self.sl].sum())
        if h.signed[self.sl].sum() >= p.q_apply * owners:
            if self.dormant:  # city mode: wait for the bureau's quota
                self._enter(Stage.QUEUED, t)
                self.model.enqueue(self)
            else:
                self._approval(t)
                self._enter(Stage.APPLICATION_REVIEW, t)
        elif t - self.drive_start >= DRIVE_WEEKS:
            h.role[self.team[h.role[self.team] == INITIATOR]] = NONE
            self.team = np.zeros(0, dtype=np.int64)
            self.cooldown_until = t + RETRY_WEEKS
            self._enter(Stage.AWARE, t)

    # --- council formation (§7.7)
    def _formation(self, t: int) -> None:
        p = self.p
        canvassers = max(1, self.team.size)
        self._canvass(t, CANVASS_PER_PERSON * canvassers)
        if t != self.next_attempt:
            return
        self.council.add_candidates(t)
        if self.council.hold_election(t):
            self.council_ever = True
            h = self.model.hh
            h.role[self.team[h.role[self.team] == INITIATOR]] = NONE
            self.clock_start = t
            self._enter(Stage.DELIBERATION, t)
            self.order, self.pos = self._shuffle(t, Purpose.CANVASS + 3), 0
            return
        self.next_attempt = t + council_rules.RETRY_WEEKS
        if t - self.formation_start >= council_rules.GIVE_UP_WEEKS:
            u = self._draw(1, t, Purpose.FALLBACK)
            if u < p.p_fallback:
                self.council.status = CouncilStatus.DISSOLVED
                self.clock_start = t
                self._enter(Stage.DELIBERATION, t)
            else:
                self._enter(Stage.ABANDONED, t)

    # --- deliberation and votes (§7.8)
    def _canvassers(self) -> int:
        if self.council_active:
            return self.council.members.size
        return max(1, self.team.size)

    def _deliberate(self, t: int) -> None:
        h, p = self.model.hh, self.p
        self._canvass(t, CANVASS_PER_PERSON * self._canvassers())
        if not self.opened["meeting"]:
            return
        sl = self.sl
        att = np.flatnonzero(h.att_meeting[sl]) + self.lo
        h.met[att] = True
        k = self.menu[~self.dropped[self.menu]]
        if att.size:
            v = h.v[np.ix_(att, k)]
            vbar = v.mean(axis=0)
            eps, mu = delib.confidence_bound(p.tau_train), delib.convergence_rate(p.tau_train)
            close = np.abs(v - vbar) < eps
            v = np.where(close, v + mu * (vbar - v), v)
            h.v[np.ix_(att, k)] = v
            self.spread = float(np.abs(v - v.mean(axis=0)).mean())
            draws = rng.uniform(h.key[att][:, None], t, Purpose.CONFLICT + k[None, :])
            clash = (~close & (draws < delib.conflict_probability(p.tau_train))).any(axis=1)
            h.conflict[att[clash]] = True
            self.conflicts += int(clash.sum())
        self.meetings += 1
        voted = self.opened["vote"]
        if self.meetings >= p.meetings_before_vote and (
            delib.converged(self.spread, p.consensus_spread) or self.meetings >= p.max_meetings
        ):
            self.vote_called = True
        if p.co_decision < 0.5:
            if self.vote_called:
                self.plan[:] = False
                self.plan[self._draft(att, k)] = True
                self._consensus(t)
            return
        if not voted:
            return
        self.plan[:] = False
        self.plan[self._draft(att, k)] = True
        self._vote(t)

    def _psi(self, idx):
        h = self.model.hh
        return delib.price_sensitivity(h.income[idx], h.elderly[idx], self.p)

    def _net(self, idx) -> np.ndarray:
        h, p = self.model.hh, self.p
        return delib.net_values(h.v[idx], self._psi(idx), p.s_res, self.cost, self.mean_cost)

    def _draft(self, att, k) -> np.ndarray:
        """Items with a positive score among those still on the table."""
        p = self.p
        who = att if att.size else np.flatnonzero(self.model.hh.owner[self.sl]) + self.lo
        ubar = self._net(who)[:, k].mean(axis=0) if who.size else np.zeros(k.size)
        score = delib.item_scores(ubar, items.bureau_priority()[k], p.co_decision)
        return k[score > 0]

    def _vote(self, t: int) -> None:
        h, p = self.model.hh, self.p
        sl = self.sl
        voters = np.flatnonzero(h.att_vote[sl] & h.owner[sl]) + self.lo
        owners = int(h.owner[sl].sum())
        u = self._net(voters)
        yes = delib.votes_yes(u[:, self.plan].sum(axis=1)) if voters.size else np.zeros(0, dtype=bool)
        quorum, passed = delib.vote_passes(voters.size, int(yes.sum()), owners, p.approval_rule)
        passed = passed and bool(self.plan.any())
        self.rounds += 1
        self.last_vote = {
            "week": t,
            "round": self.rounds,
            "turnout": voters.size / max(1, owners),
            "yes_share": float(yes.mean()) if voters.size else 0.0,
            "passed": passed,
            "quorum": quorum,
        }
        if passed:
            self._consensus(t)
            return
        if quorum and self.plan.any():
            support = (u[:, self.plan] > 0).mean(axis=0)
            on_plan = np.flatnonzero(self.plan)
            self.dropped[on_plan[np.argmin(support)]] = True
        if self.rounds >= p.max_vote_rounds:
            self._enter(Stage.STALLED, t)

    def _consensus(self, t: int) -> None:
        start = self.clock_start if self.clock_start is not None else self.stage_week
        self.consensus_week = float(t - start)
        h = self.model.hh
        sl = self.sl
        dem = delib.demanded(h.v[sl], self._psi(np.arange(self.lo, self.hi)), self.p.s_res, self.cost, self.mean_cost)
        n_dem = dem.sum(axis=1)
        missing = (dem & ~self.plan[None, :]).sum(axis=1)
        h.unmet[sl] = np.where(n_dem > 0, missing / np.maximum(n_dem, 1), 0.0)
        self._approval(t)
        self._enter(Stage.PLAN_APPROVAL, t)

    # --- co-funding (§7.9)
    def _plan_approved(self, t: int) -> None:
        h, p = self.model.hh, self.p
        sl = self.sl
        if self.top_down:
            dem = delib.demanded(h.v[sl], self._psi(np.arange(self.lo, self.hi)), p.s_res, self.cost, self.mean_cost)
            n_dem = dem.sum(axis=1)
            h.unmet[sl] = np.where(n_dem > 0, (dem & ~self.plan[None, :]).sum(axis=1) / np.maximum(n_dem, 1), 0.0)
        if p.s_res > 0:
            area = h.area[sl]
            self.required = p.s_res * self.plan_cost * self.n
            h.owed[sl] = self.required * area / area.sum()
            self.model.bill_ratio[sl] = h.owed[sl] / h.owed[sl].mean()
            h.paid_cofund[sl] = False
            self.window_start, self.window_len, self.extended = t + 1, payment.COFUND_WEEKS, False
            self.visit_order = self._shuffle(t, Purpose.CANVASS + 4)
            self._enter(Stage.FUNDRAISING, t)
        else:
            self._start_construction(t)

    @property
    def plan_cost(self) -> float:
        return float(self.cost[self.plan].sum())

    def _visit_unpaid(self, unpaid_mask_fn, per_visitor: int) -> None:
        """Representatives follow up unpaid households; a party representative's visit weighs 1.5."""
        h = self.model.hh
        h.visit_weight[self.sl] = 0.0
        visitors = self.council.visitors() if self.council is not None else np.zeros(0, dtype=np.int64)
        if self.council_active and visitors.size:
            n = per_visitor * visitors.size
        elif self.body and self.stage == Stage.LONG_TERM:
            n, visitors = per_visitor, np.zeros(0, dtype=np.int64)
        else:
            return
        order = self.visit_order if self.visit_order.size else self._shuffle(0, Purpose.CANVASS + 5)
        unpaid = order[unpaid_mask_fn(order)][:n]
        if visitors.size:
            who = visitors[np.arange(unpaid.size) % visitors.size]
            h.visit_weight[unpaid] = np.where(h.party[who] & self.mobilised, payment.PARTY_VISIT_WEIGHT, 1.0)
        else:
            h.visit_weight[unpaid] = 1.0

    def _fundraise(self, t: int) -> None:
        h, p = self.model.hh, self.p
        sl = self.sl
        paid = h.paid_cofund[sl]
        self.cofund_share = float((h.owed[sl] * paid).sum() / self.required)
        payers = self.lo + np.flatnonzero(paid & (h.paid_amount[sl] == 0))
        h.last_act[payers] = t  # paying one's share is a participation act
        h.acted_before_completion[payers] = True
        h.paid_amount[sl] = np.where(paid, h.owed[sl], 0.0)
        self._visit_unpaid(lambda idx: ~h.paid_cofund[idx], payment.REP_VISITS_PER_WEEK)
        if t - self.window_start + 1 < self.window_len:
            return
        if self.cofund_share < payment.COFUND_TARGET and not self.extended:
            self.extended = True
            self.window_len += payment.COFUND_EXTENSION
            return
        self.cofunding_collection = self.cofund_share
        collected = self.cofund_share * self.required
        if self.cofund_share < payment.COFUND_TARGET and p.shortfall_policy == "scale_down":
            for cat in (items.ENHANCEMENT, items.IMPROVEMENT):
                if collected >= payment.COFUND_TARGET * p.s_res * self.plan_cost * self.n:
                    break
                self.plan[items.CATEGORY == cat] = False
        self.topup = max(0.0, p.s_res * self.plan_cost * self.n - collected)
        h.visit_weight[sl] = 0.0
        self._start_construction(t)

    # --- construction (§7.10)
    def _start_construction(self, t: int) -> None:
        self.contractor.start(int(self.plan.sum()), self.leg, self.council_active)
        p = self.p
        self.model.bureau.fund(self.index, (1 - p.s_res) * self.plan_cost * self.n + self.topup)
        self._enter(Stage.CONSTRUCTION, t)

    def _complete(self, t: int) -> None:
        h, p = self.model.hh, self.p
        sl = self.sl
        q = self.contractor.quality
        self.M = q
        self.completion_week = float(t)
        if self.top_down and self.dormant:
            self.phase1_done = True
            self.aware = False
        psi = self._psi(np.arange(self.lo, self.hi))
        dem = delib.demanded(h.v[sl], psi, p.s_res, self.cost, self.mean_cost)
        val = h.v[sl] * dem
        delivered = (val * (self.phi * self.plan)[None, :]).sum(axis=1)
        from sim.rules.attitude import satisfaction

        h.sat[sl] = satisfaction(q, delivered, val.sum(axis=1))
        self.delivered = p.transparency > 0 or self.council_active
        if self.council_active and self.council.status == CouncilStatus.OC:
            self.mgmt, self.mgmt_leg = "OC", self.leg
        elif self.council_active and self.leg >= maint.LEG_MANAGE:
            self.mgmt, self.mgmt_leg = "self", self.leg
        elif self._draw(2, t, Purpose.MGMT_BODY) < p.p_mgmt_body:
            self.mgmt = "company"
            self.mgmt_leg = self._manager_leg()
        self.model.bill_ratio[sl] = h.area[sl] / h.area[sl].mean()
        h.paid_month[sl] = False
        self.visit_order = self._shuffle(t, Purpose.CANVASS + 6)
        self._enter(Stage.LONG_TERM, t)

    def _manager_leg(self) -> float:
        """A company's legitimacy from the compound's state (§7.11); 0 without a body."""
        if not self.body:
            return 0.0
        return float(maint.manager_legitimacy(self.model.hh.trust[self.sl].mean(), self.M))

    # --- long-term management (§7.11)
    def _long_term(self, t: int) -> None:
        h, p = self.model.hh, self.p
        sl = self.sl
        if self.body and self.model.new_month:
            bill = p.fee_per_m2 * h.area[sl]
            paid = (bill * h.paid_month[sl]).sum()
            rate = float(paid / bill.sum())
            self.fee_billed += float(bill.sum())
            self.fee_collected += float(paid)
            self.fee_rates.append(rate)
            self.fee_year = sum(self.fee_rates[-12:]) / len(self.fee_rates[-12:])
            self.last_fee_rate = rate
            self._visit_unpaid(
                lambda idx: ~h.paid_month[idx],
                payment.MANAGER_VISITS_PER_MONTH
                if not self.council_active
                else max(1, payment.MANAGER_VISITS_PER_MONTH // max(1, self.council.members.size)),
            )
        since = t - self.stage_week
        if since > 0 and since % 52 == 0:
            if self.council_active:
                self.council.by_election(t)
            if self.council_active and self.mgmt != "OC":
                prob = maint.conversion_probability(p.p_conv, self.leg, self.fee_year, self.M)
                if self._draw(3, t, Purpose.CONVERSION) < prob:
                    self.mgmt = "OC"
                    self.council.status = CouncilStatus.OC
                    self.council.legitimacy = min(1.0, self.council.legitimacy + maint.OC_LEG_GAIN)

    def yearly(self, t: int) -> None:
        """Representative turnover before completion (after completion it runs in _long_term)."""
        if self.council_active and self.stage != Stage.LONG_TERM and self.stage not in TERMINAL:
            self.council.by_election(t)

    @property
    def representatives(self) -> int:
        return int(self.council.members.size) if self.council_active else 0

    def status(self) -> dict:
        """Plain facts for status lines (visualisation)."""
        return {
            "stage": self.stage.label,
            "week": self.model.week,
            "council_formed": self.council_active,
            "representatives": self.representatives,
            "last_vote": dict(self.last_vote) if self.last_vote else None,
            "cofunding_collection": None if math.isnan(self.cofunding_collection) else self.cofunding_collection,
            "cofund_share_so_far": self.cofund_share,
            "fee_collection": self.last_fee_rate if self.fee_rates else None,
            "maintenance": self.M,
            "complaints": self.complaints,
            "management": self.mgmt,
        }


__all__ = ["Compound", "REP"]
