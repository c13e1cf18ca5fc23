"""The weekly household rule (ODD §4 step 2; §7.2–§7.4, §7.9, §7.12), written once.

:func:`intend_and_act`, :func:`pay` and :func:`complain` take a household's own state, what it
gathered from its neighbours at t−1 and its compound's context, and return its new state. Every
argument may be a scalar (one resident, ``agents/resident.py``'s ``Resident.decide``) or an array (all
residents, :func:`sim.executors.vector_step`), and the formulas are the same expressions either way, so
both executors give identical numbers. Random draws are passed in as a function ``u(purpose)`` of the
household's counter-based key, never consumed from a stream.

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
        last_act, conflict`` (conflict from last week's meeting), ``sat``.
    g : mapping of neighbour sums — ``num, den, strong_active, lead`` (§7.2).
    c : mapping of the compound context — ``vis, xbar, tc, eff, meeting, event, vote, vote_owners,
        other, campaign, completed, tau_info, p_reach``.
    u : callable, ``u(purpose) -> uniform`` for this household at tick ``t``.
    """
    D = tpb.exposure(g["num"], g["den"], g["strong_active"], p)
    canvassed_recently = (t - h["canvassed"]) <= participation.CUE_WINDOW
    lead = canvassed_recently | g["lead"]
    N = tpb.subjective_norm(D, c["vis"], c["xbar"], lead, p)
    PBC = tpb.perceived_control(h["cap"], c["tc"], c["eff"])
    I = tpb.intention(tpb.intention_score(h["A"], N, PBC, h["theta"], p), p)

    recruited = g["strong_active"] >= p.m_cc  # brought along by close neighbours (§7.3)
    pa = participation.attend_probability(I, h["is_rep"], p, recruited)
    meeting = c["meeting"] & (u(Purpose.ATTEND_MEETING) < pa)
    event = c["event"] & (u(Purpose.ATTEND_EVENT) < pa)
    pv = participation.vote_probability(I, h["is_rep"], canvassed_recently, c["tau_info"], p, recruited)
    vote = c["vote"] & (h["owner"] | ~c["vote_owners"]) & (u(Purpose.ATTEND_VOTE) < pv)
    other = c["other"] & (u(Purpose.ATTEND_OTHER) < pa)
    # under the linear-threshold limit adoption itself is the act, and activity does not lapse (§7.3)
    acted = meeting | event | vote | other | participation.acts_on_intention(I, p)
    acted = acted | participation.stays_active(h["last_act"], t, p)
    reached = c["campaign"] & (u(Purpose.CAMPAIGN_REACH) < c["p_reach"])
    A = attitude.update_attitude(h["A"], reached, event, h["conflict"], c["completed"], h["sat"], p)
    return {
        "I": I,
        "PBC": PBC,
        "att_meeting": meeting,
        "att_event": event,
        "att_vote": vote,
        "att_other": other,
        "last_act": np.where(acted, t, h["last_act"]),
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
    """Weekly complaint, its resolution by the council, and trust (ODD §7.12, §7.4).

    ``h``: ``sat, unmet, trust, conflict``; ``c``: ``disruption, council, M, leg, delivered``.
    """
    pc = complaints.complaint_probability(h["sat"], c["disruption"], c["council"], c["M"], h["unmet"])
    complained = u(Purpose.COMPLAINT) < pc
    resolved = complained & (u(Purpose.COMPLAINT_RESOLVED) < complaints.resolve_probability(c["leg"]))
    escalated = complained & ~resolved
    bad = h["conflict"] * 1.0 + escalated * 1.0
    trust = attitude.update_trust(h["trust"], c["delivered"], bad)
    return {"complained": complained, "escalated": escalated, "trust": trust}
