"""Deliberation: plan meetings, bounded-confidence convergence and plan votes (ODD §7.8; E12, E18).

Every second week a meeting is held. Attendees' item valuations move toward the meeting mean when
they are within the confidence bound (Deffuant et al. 2000; Hegselmann & Krause 2002), whose width
and speed grow with facilitator training (``tau_train``); those outside it may clash. Once
``meetings_before_vote`` meetings have been held and the spread is small enough (or ``max_meetings``
is reached) the plan goes to a vote of the owners under co-decision, or is adopted by the organiser
otherwise. A failed vote drops the least supported item; ``max_vote_rounds`` failures stall the
project. The consensus time is counted from the start of the consensus clock.
"""

from __future__ import annotations

import math

import numpy as np

from sim import items, rng
from sim.constants import SPEAKERS_PER_MEETING
from sim.kernels import meetings
from sim.ladder import Rung, reach
from sim.rng import Purpose
from sim.rules import deliberation as delib
from sim.rules import participation
from sim.stages import Stage


def init_state(c) -> None:
    """Meetings held, whether a vote is called, the valuation spread, vote rounds and their record."""
    c.meetings = 0
    c.vote_called = False
    c.spread = math.nan
    c.rounds = 0
    c.consensus_week = math.nan
    c.last_vote = None
    c.opened = {"meeting": False, "vote": False}
    c.conflicts = 0  # attendees who clashed at a meeting, summed over the run


def reset(c) -> None:
    """A new project's deliberation starts afresh (city mode: a second project)."""
    c.meetings, c.rounds, c.vote_called, c.spread = 0, 0, False, math.nan
    c.last_vote, c.clock_start, c.consensus_week = None, None, math.nan
    c.model.hh.proposal[c.sl] = -1


def canvassers(c) -> np.ndarray:
    """The council's members canvass for the plan vote; without a council, the initiators (or staff)."""
    if c.council_active:
        return c.council.members
    return c.team


def act(c, t: int) -> None:
    """DELIBERATION: the canvassers go round for the plan vote, then the week's meeting (if any)."""
    c.canvass(t, canvassers(c))
    meeting_week(c, t)


def meeting_week(c, t: int) -> None:
    """The plan meeting of the week, if one is held: positions converge, proposals, the draft and the vote."""
    h, p = c.model.hh, c.p
    if not c.opened["meeting"]:
        return
    att = np.flatnonzero(h.att_meeting[c.sl]) + c.lo
    h.met[att] = True
    k = c.menu[~c.dropped[c.menu]]
    if att.size:
        _converge(c, att, k, t)
        propose(c, att, k, t)
    c.meetings += 1
    voted = c.opened["vote"]
    if c.meetings >= p.meetings_before_vote and (
        delib.converged(c.spread, p.consensus_spread) or c.meetings >= p.max_meetings
    ):
        c.vote_called = True
    if p.co_decision < 0.5:
        if c.vote_called:
            c.plan[:] = False
            c.plan[draft(c, att, k)] = True
            consensus(c, t)
        return
    if not voted:
        return
    c.plan[:] = False
    c.plan[draft(c, att, k)] = True
    vote(c, t)


def _converge(c, att, k, t: int) -> None:
    """Attendees within the confidence bound move toward the mean; others may clash (ODD §7.8).

    Bounded confidence (Deffuant et al. 2000): an attendee's valuation of an item within ε of the
    meeting's mean moves μ of the way to it; one further away clashes with probability
    ``conflict_probability``. ε, μ and the clash probability come from training (τ_train). The
    arithmetic is compiled (:func:`sim.kernels.meetings.converge`).
    """
    h, p = c.model.hh, c.p
    clash = np.zeros(att.size, dtype=bool)
    spread = meetings.converge(
        h.v,
        att,
        k,
        h.key[att],
        np.uint64(t),
        np.uint64(Purpose.CONFLICT),
        delib.confidence_bound(p.tau_train),
        delib.convergence_rate(p.tau_train),
        delib.conflict_probability(p.tau_train),
        clash,
    )
    c.spread = float(spread)
    h.conflict[att[clash]] = True
    c.conflicts += int(clash.sum())


def propose(c, att, k, t: int) -> None:
    """Up to ``SPEAKERS_PER_MEETING`` attendees who have not yet proposed speak up for the item they
    value most (§7.8).

    Floor time is short, so a meeting hears a few proposals; who takes the floor is drawn with weight
    PBC, the confidence and civic skill of perceived control
    (:func:`sim.rules.participation.speak_probability`). A proposal that ends in the adopted plan makes
    its proposer a co-decider (:func:`consensus`).
    """
    h = c.model.hh
    fresh = att[h.proposal[att] < 0]
    if fresh.size == 0 or k.size == 0:
        return
    u = rng.uniform(h.key[fresh], t, Purpose.SPEAK)
    speaks = u < participation.speak_probability(h.PBC[fresh])
    who = fresh[speaks][np.argsort(u[speaks], kind="stable")][:SPEAKERS_PER_MEETING]
    if who.size:
        h.proposal[who] = k[np.argmax(net_values(c, who)[:, k], axis=1)]


def price_sensitivity(c, idx):
    h = c.model.hh
    return delib.price_sensitivity(h.income[idx], h.elderly[idx], c.p)


def net_values(c, idx) -> np.ndarray:
    """Each household's value of each item net of its price (§7.8)."""
    return delib.net_values(c.model.hh.v[idx], price_sensitivity(c, idx), c.p.s_res, c.cost, c.mean_cost)


def demanded(c) -> np.ndarray:
    """Which items each household of the compound demands (households × items)."""
    idx = np.arange(c.lo, c.hi)
    return delib.demanded(c.model.hh.v[c.sl], price_sensitivity(c, idx), c.p.s_res, c.cost, c.mean_cost)


def record_unmet(c) -> None:
    """Each household's share of its demanded items left off the plan (a complaint driver, §7.12)."""
    dem = demanded(c)
    n_dem = dem.sum(axis=1)
    missing = (dem & ~c.plan[None, :]).sum(axis=1)
    c.model.hh.unmet[c.sl] = np.where(n_dem > 0, missing / np.maximum(n_dem, 1), 0.0)


def draft(c, att, k) -> np.ndarray:
    """Items with a positive score among those still on the table."""
    who = att if att.size else np.flatnonzero(c.model.hh.owner[c.sl]) + c.lo
    ubar = net_values(c, who)[:, k].mean(axis=0) if who.size else np.zeros(k.size)
    score = delib.item_scores(ubar, items.bureau_priority()[k], c.p.co_decision)
    return k[score > 0]


def vote(c, t: int) -> None:
    """The owners' plan vote under ``approval_rule`` (§7.8)."""
    h, p = c.model.hh, c.p
    sl = c.sl
    voters = np.flatnonzero(h.att_vote[sl] & h.owner[sl]) + c.lo
    owners = int(h.owner[sl].sum())
    u = net_values(c, voters)
    yes = delib.votes_yes(u[:, c.plan].sum(axis=1)) if voters.size else np.zeros(0, dtype=bool)
    quorum, passed = delib.vote_passes(voters.size, int(yes.sum()), owners, p.approval_rule)
    passed = passed and bool(c.plan.any())
    c.rounds += 1
    c.last_vote = {
        "week": t,
        "round": c.rounds,
        "turnout": voters.size / max(1, owners),
        "yes_share": float(yes.mean()) if voters.size else 0.0,
        "passed": passed,
        "quorum": quorum,
    }
    if passed:
        consensus(c, t)
        return
    if quorum and c.plan.any():
        support = (u[:, c.plan] > 0).mean(axis=0)
        on_plan = np.flatnonzero(c.plan)
        c.dropped[on_plan[np.argmin(support)]] = True
    if c.rounds >= p.max_vote_rounds:
        c.enter(Stage.STALLED, t)


def consensus(c, t: int) -> None:
    """The plan is agreed: stop the consensus clock and submit the plan for approval (§7.6).

    Where residents co-decide the plan (``co_decision`` >= 0.5), each proposal the plan adopted makes
    its proposer a co-decider (the top rung of :mod:`sim.ladder`); under the bureau's plan a proposal
    is only heard.
    """
    start = c.clock_start if c.clock_start is not None else c.stage_week
    c.consensus_week = float(t - start)
    h = c.model.hh
    if c.p.co_decision >= 0.5:
        sl = c.sl
        adopted = (h.proposal[sl] >= 0) & c.plan[np.maximum(h.proposal[sl], 0)]
        reach(h, np.flatnonzero(adopted) + c.lo, Rung.CO_DECIDING, t)
    record_unmet(c)
    c.approval(t)
    c.enter(Stage.PLAN_APPROVAL, t)
