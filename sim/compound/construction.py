"""Construction and hand-over (ODD §7.10; E9, E20).

The bureau funds the government's share (plus any top-up); the contractor
(:class:`agents.contractor.Contractor`) works with an effort that responds to monitoring by the
council and the platform (Holmström 1979). At hand-over the facility condition becomes the works'
quality, households judge what was delivered against what they wanted, and a management body is set
up: an owners' committee that led the project keeps managing, a legitimate council manages itself,
otherwise a property company comes in if the fees it expects to collect cover its cost
(:func:`sim.compound.management.company_enters`), and failing that the street office caretakes.
"""

from __future__ import annotations

import numpy as np

from agents.council import CouncilStatus
from sim import rng
from sim.compound import deliberation, management
from sim.constants import ROTA_WEEKS
from sim.households import REP
from sim.ladder import Rung, reach
from sim.rng import Purpose
from sim.rules import maintenance as maint
from sim.rules import participation
from sim.rules.attitude import satisfaction
from sim.stages import Stage


def init_state(c) -> None:
    """The week the works were handed over."""
    c.completion_week = float("nan")


def start(c, t: int) -> None:
    c.contractor.start(int(c.plan.sum()), c.leg, c.council_active)
    p = c.p
    c.model.bureau.fund(c.index, (1 - p.s_res) * c.plan_cost * c.n + c.topup)
    if c.council_active:
        form_supervision_team(c, t)
    c.enter(Stage.CONSTRUCTION, t)


def form_supervision_team(c, t: int) -> None:
    """The council recruits residents to supervise the works (居民监督小组, ODD §7.10).

    Volunteers come forward with :func:`sim.rules.participation.volunteer_probability` (intention,
    time, close neighbours who already take part); the team takes up to ``supervision_team`` of them in
    the order of a draw. Joining is an involved act, and so is each rota week served.
    """
    h, p = c.model.hh, c.p
    sl = c.sl
    snap_active = participation.is_active(h.last_act[sl], t - 1)
    recruited = c.model.ties.cue_sums(c.lo, c.hi, snap_active) >= p.m_cc
    prob = participation.volunteer_probability(h.I[sl], h.avail[sl], recruited, p)
    u = rng.uniform(h.key[sl], t, Purpose.VOLUNTEER)
    keen = np.flatnonzero((u < prob) & (h.role[sl] != REP))
    team = keen[np.argsort(rng.uniform(h.key[sl][keen], t, Purpose.VOLUNTEER + 1), kind="stable")]
    team = team[: p.supervision_team] + c.lo
    h.supervisor[team] = True
    reach(h, team, Rung.INVOLVED, t)


def act(c, t: int) -> None:
    """CONSTRUCTION: one week of works; the supervision team's rota."""
    if (t - c.stage_week) % ROTA_WEEKS == 0:
        h = c.model.hh
        reach(h, np.flatnonzero(h.supervisor[c.sl]) + c.lo, Rung.INVOLVED, t)
    if c.contractor.work(t):
        complete(c, t)


def complete(c, t: int) -> None:
    h, p = c.model.hh, c.p
    sl = c.sl
    q = c.contractor.quality
    c.M = q
    c.completion_week = float(t)
    c.completed(t)
    dem = deliberation.demanded(c)
    val = h.v[sl] * dem
    delivered = (val * (c.phi * c.plan)[None, :]).sum(axis=1)
    h.sat[sl] = satisfaction(q, delivered, val.sum(axis=1))
    h.supervisor[sl] = False
    c.model.ladder.hand_over(h, c.index, c.lo, c.hi, t)
    c.delivered = p.transparency > 0 or c.council_active
    if c.council_active and c.council.status == CouncilStatus.OC:
        c.mgmt = "OC"
    elif c.council_active and c.leg >= maint.LEG_MANAGE:
        c.mgmt = "self"
    else:
        c.mgmt = "company" if management.company_enters(c, t) else management.CARETAKER
    c.model.bill_ratio[sl] = h.area[sl] / h.area[sl].mean()
    h.paid_month[sl] = False
    c.visit_order = c.shuffle(t, Purpose.CANVASS + 6)
    c.enter(Stage.LONG_TERM, t)


__all__ = ["act", "complete", "init_state", "start"]
