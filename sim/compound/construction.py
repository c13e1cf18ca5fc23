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

from agents.council import CouncilStatus
from sim.compound import deliberation, management
from sim.rng import Purpose
from sim.rules import maintenance as maint
from sim.rules.attitude import satisfaction
from sim.stages import Stage


def init_state(c) -> None:
    """The week the works were handed over."""
    c.completion_week = float("nan")


def start(c, t: int) -> None:
    c.contractor.start(int(c.plan.sum()), c.leg, c.council_active)
    p = c.p
    c.model.bureau.fund(c.index, (1 - p.s_res) * c.plan_cost * c.n + c.topup)
    c.enter(Stage.CONSTRUCTION, t)


def act(c, t: int) -> None:
    """CONSTRUCTION: one week of works."""
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
    c.delivered = p.transparency > 0 or c.council_active
    if c.council_active and c.council.status == CouncilStatus.OC:
        c.mgmt, c.mgmt_leg = "OC", c.leg
    elif c.council_active and c.leg >= maint.LEG_MANAGE:
        c.mgmt, c.mgmt_leg = "self", c.leg
    else:
        c.mgmt = "company" if management.company_enters(c, t) else management.CARETAKER
        c.mgmt_leg = management.manager_legitimacy(c)
    c.model.bill_ratio[sl] = h.area[sl] / h.area[sl].mean()
    h.paid_month[sl] = False
    c.visit_order = c.shuffle(t, Purpose.CANVASS + 6)
    c.enter(Stage.LONG_TERM, t)


__all__ = ["act", "complete", "init_state", "start"]
