"""The weekly household rule (ODD §4 step 2; §7.2–§7.4, §7.9, §7.12), written once.

:func:`intend_and_act`, :func:`pay` and :func:`complain` take a household's own state, what it
gathered from its neighbours at t−1 and its compound's context, and return its new state. Every
argument may be a scalar (one resident, ``agents/resident.py``'s ``Resident.decide``) or an array
(:func:`pay` over the billed households in :func:`sim.executors.vector_step`). The vector executor
runs :func:`intend_and_act` and :func:`complain` as one compiled loop over households
(:mod:`sim.kernels.household`) that calls the same formulas of :mod:`sim.rules` in the same order,
so both executors give identical numbers (a change here belongs there too; ``tests/test_kernel_household.py``
compares the two). Random draws are passed in as a function ``u(purpose)`` of the household's
counter-based key, never consumed from a stream.

Synchronous updating (DESIGN.md §3): neighbours' activity, influence and payments are read from a
snapshot taken before any household acts, never from this week's updates.
"""

from __future__ import annotations

import numpy as np

from sim.rng import Purpose
from sim.rules import attitude, complaints, participation, payment
from sim.rules import intention as tpb


def intend_and_act(h, g, c, u, t, p):
    """Intention (TPB + complex contagion), this week's participation acts and attitude change.

    Parameters
    ----------
    h : mapping of the household's own state — ``A, cap, theta, trust, is_rep, owner, canvassed,
        last_act, conflict`` (from last week's meeting), ``att_event`` (last week's event), ``sat``,
        ``avail``, ``informed_week`` (the last week it was informed, :mod:`sim.ladder`).
    g : mapping of neighbour sums — ``num, den, strong_active, lead`` (§7.2).
    c : mapping of the compound context — ``vis, xbar, tc, eff, meeting, event, vote, vote_owners,
        consult, campaign, completed, tau_info, p_reach``.
    u : callable, ``u(purpose) -> uniform`` for this household at tick ``t``.

    Returns the new state and this week's acts. ``att_meeting`` and ``att_event`` are the wish to
    attend: the compound then seats those it has room for (:func:`sim.rules.participation.seat`).
    """
    D = tpb.exposure(g["num"], g["den"], g["strong_active"], p)
    canvassed_recently = (t - h["canvassed"]) <= participation.CUE_WINDOW
    lead = canvassed_recently | g["lead"]
    N = tpb.subjective_norm(D, c["vis"], c["xbar"], lead, p)
    PBC = tpb.perceived_control(h["cap"], c["tc"], c["eff"])
    z = tpb.intention_score(h["A"], N, PBC, h["theta"], p, tpb.stake(h["owner"], p))
    I = tpb.intention(z, p)
    # a ballot, a signature or an opinion asks minutes, not evenings: its bar is lower (§7.3)
    I_proc = participation.procedural_intention(z, h["theta"], p)

    recruited = g["strong_active"] >= p.m_cc  # brought along by close neighbours (§7.3)
    pa = participation.attend_probability(I, h["avail"], h["is_rep"], recruited, p)
    meeting = c["meeting"] & (u(Purpose.ATTEND_MEETING) < pa)
    event = c["event"] & (u(Purpose.ATTEND_EVENT) < pa)
    pv = participation.vote_probability(I_proc, canvassed_recently, recruited, c["tau_info"], p)
    vote = c["vote"] & (h["owner"] | ~c["vote_owners"]) & (u(Purpose.ATTEND_VOTE) < pv)
    # a consultation is answered by those who know of it: asked at the door, or informed lately
    knows = canvassed_recently | ((t - h["informed_week"]) <= participation.CUE_WINDOW)
    po = participation.opinion_probability(I_proc, canvassed_recently, c["tau_info"], p)
    opinion = c["consult"] & knows & (u(Purpose.OPINION) < po)
    # under the linear-threshold limit adoption itself is the act, and activity does not lapse (§7.3)
    adopt = participation.acts_on_intention(I, p) | participation.stays_active(h["last_act"], t, p)
    informed = c["campaign"] & (u(Purpose.CAMPAIGN_REACH) < c["p_reach"])
    # attitude answers last week's event: who attended is known once the compound has seated them
    A = attitude.update_attitude(h["A"], informed, h["att_event"], h["conflict"], c["completed"], h["sat"], p)
    return {
        "I": I,
        "I_proc": I_proc,
        "PBC": PBC,
        "att_meeting": meeting,
        "att_event": event,
        "att_vote": vote,
        "att_opinion": opinion,
        "att_adopt": adopt,
        "informed": informed,
        "A": A,
    }


def pay_inputs(h, bill_ratio, ctx, i, k, cofund: bool):
    """The inputs of :func:`pay` for household(s) ``i`` of compound(s) ``k`` (scalars or arrays).

    Both executors build them here, so they hand :func:`pay` the very same values.
    """
    own = {
        "coop": h.coop[i],
        "belief": h.belief[i],
        "trust": h.trust[i],
        "visit_weight": h.visit_weight[i],
        "bill_ratio": bill_ratio[i],
        "met": h.met[i] * 1.0,
        "paid": h.paid_month[i] * 1.0,
        "owes": ~h.paid_cofund[i] if cofund else np.ones(np.shape(i), dtype=bool),
        "owed": h.owed[i],
        "area": h.area[i],
        "income": h.income[i],
        "elderly": h.elderly[i],
    }
    context = {name: ctx[name][k] for name in ("leg", "tau_tr", "share", "elapsed", "fee")}
    context["cofund"] = cofund
    return own, context


def pay(h, g, c, u, t, p):
    """Co-funding (weekly hazard over the window) or this month's fee (ODD §7.9).

    ``h``: ``coop, belief, trust, visit_weight, bill_ratio, met, paid`` (already paid this window /
    paid last month), ``owes``, and ``owed, area, income, elderly`` for the bill's weight in income.
    ``g``: ``nb_paid, nb_count``. ``c``: ``leg, tau_tr, share, elapsed, fee`` (per m², of whoever
    manages) and ``cofund`` (True during a co-funding window, False on a fee month).
    """
    nb_share = np.where(g["nb_count"] > 0, g["nb_paid"] / np.maximum(g["nb_count"], 1), c["share"])
    if c["cofund"]:
        nb_share = payment.run_rate(nb_share, c["elapsed"])
    belief = payment.update_belief(h["belief"], c["share"], nb_share, c["tau_tr"])
    habit = 0.0 if c["cofund"] else h["paid"]
    bill = h["owed"] if c["cofund"] else c["fee"] * h["area"]
    burden = payment.bill_burden(bill, h["income"], h["elderly"], p)
    prob = payment.pay_probability(
        h["coop"], belief, c["leg"], h["trust"], h["visit_weight"], h["bill_ratio"], h["met"], habit, burden, p.psi_pay
    )
    if c["cofund"]:
        prob = payment.weekly_hazard(prob)
    pays = h["owes"] & (u(Purpose.PAY) < prob)
    return {"belief": belief, "pays": pays}


def complain(h, c, u, t, p):
    """Weekly complaint, its resolution by the council, the voice it may find, and trust (§7.12, §7.4).

    ``h``: ``sat, unmet, trust, conflict, I_proc``; ``c``: ``disruption, council, M, leg, delivered``.
    A grievance arises from dissatisfaction whatever the household's intention; taking it further as a
    petition or formal opinion (``voiced``, a consulted act) is an act of intention like any other.
    """
    pc = complaints.complaint_probability(h["sat"], c["disruption"], c["council"], c["M"], h["unmet"])
    complained = u(Purpose.COMPLAINT) < pc
    resolved = complained & (u(Purpose.COMPLAINT_RESOLVED) < complaints.resolve_probability(c["leg"]))
    escalated = complained & ~resolved
    voiced = complained & (u(Purpose.VOICE) < participation.voice_probability(h["I_proc"], p))
    bad = h["conflict"] * 1.0 + escalated * 1.0
    trust = attitude.update_trust(h["trust"], c["delivered"], bad)
    return {"complained": complained, "escalated": escalated, "voiced": voiced, "trust": trust}
