"""Plan approval and the co-funding drive (ODD §7.6, §7.9; E7, E11).

Once the office has signed the plan off, residents are billed ``s_res`` of its cost, split by floor
area. The window lasts ``COFUND_WEEKS``, extended once by ``COFUND_EXTENSION`` if less than
``COFUND_TARGET`` has come in; representatives follow up unpaid households meanwhile (a mobilised
party representative's visit weighs more). Who pays each week is the household rule
(:func:`sim.household.pay`, :mod:`sim.rules.payment`). A shortfall is scaled down or topped up by the
government (``shortfall_policy``). Without a bill the works start at once.
"""

from __future__ import annotations

import math

import numpy as np

from sim import items
from sim.compound import construction, deliberation, followup
from sim.rng import Purpose
from sim.rules import payment
from sim.stages import Stage


def init_state(c) -> None:
    """The bill, the window, the share paid so far and the final collection and top-up."""
    c.required = 0.0
    c.window_start = 0
    c.window_len = payment.COFUND_WEEKS
    c.extended = False
    c.cofund_share = 0.0
    c.cofunding_collection = math.nan
    c.topup = 0.0
    c.visit_order = np.zeros(0, dtype=np.int64)


def reset(c) -> None:
    """A new project's bill starts afresh (city mode: a second project)."""
    c.required, c.cofund_share, c.cofunding_collection, c.extended = 0.0, 0.0, math.nan, False
    c.topup = 0.0


def plan_cost(c) -> float:
    return float(c.cost[c.plan].sum())


def plan_approval(c, t: int) -> None:
    """PLAN_APPROVAL: the office's sign-offs run down; then billing starts."""
    c.remaining -= c.office.progress_for(c)
    if c.remaining <= 0:
        plan_approved(c, t)


def plan_approved(c, t: int) -> None:
    h, p = c.model.hh, c.p
    sl = c.sl
    if c.top_down:
        deliberation.record_unmet(c)  # the bureau's plan, never voted on
    if p.s_res > 0:
        area = h.area[sl]
        c.required = p.s_res * plan_cost(c) * c.n
        h.owed[sl] = c.required * area / area.sum()
        c.model.bill_ratio[sl] = h.owed[sl] / h.owed[sl].mean()
        h.paid_cofund[sl] = False
        c.window_start, c.window_len, c.extended = t + 1, payment.COFUND_WEEKS, False
        c.visit_order = c.shuffle(t, Purpose.CANVASS + 4)
        c.enter(Stage.FUNDRAISING, t)
    else:
        construction.start(c, t)


def follow_up_all(model, compounds: list) -> None:
    """This week's follow-up visits of many open co-funding windows at once (each as in :func:`fundraise`).

    The visits read who has paid and write only visit weights, which nothing else in a window's week
    reads, so making them before the windows' tallies changes nothing.
    """
    per_visitor = np.full(len(compounds), payment.REP_VISITS_PER_WEEK, dtype=np.int64)
    followup.follow_up(model, compounds, model.hh.paid_cofund, per_visitor)


def fundraise(c, t: int, followed_up: bool = False) -> None:
    """FUNDRAISING: tally payments, follow up, close the window.

    Paying is contributing, not taking part in a decision: it is measured by the collection rate,
    not on the participation ladder (:mod:`sim.ladder`). ``followed_up``: this week's follow-up
    visits were already made (the weekly pass makes many windows' visits at once, :func:`follow_up_all`).
    """
    h, p = c.model.hh, c.p
    sl = c.sl
    paid = h.paid_cofund[sl]
    c.cofund_share = float((h.owed[sl] * paid).sum() / c.required)
    h.paid_amount[sl] = np.where(paid, h.owed[sl], 0.0)
    if not followed_up:
        followup.visit_unpaid(c, h.paid_cofund, payment.REP_VISITS_PER_WEEK)
    if t - c.window_start + 1 < c.window_len:
        return
    if c.cofund_share < payment.COFUND_TARGET and not c.extended:
        c.extended = True
        c.window_len += payment.COFUND_EXTENSION
        return
    c.cofunding_collection = c.cofund_share
    collected = c.cofund_share * c.required
    if c.cofund_share < payment.COFUND_TARGET and p.shortfall_policy == "scale_down":
        for cat in (items.ENHANCEMENT, items.IMPROVEMENT):
            if collected >= payment.COFUND_TARGET * p.s_res * plan_cost(c) * c.n:
                break
            c.plan[items.CATEGORY == cat] = False
    c.topup = max(0.0, p.s_res * plan_cost(c) * c.n - collected)
    h.visit_weight[sl] = 0.0
    construction.start(c, t)
