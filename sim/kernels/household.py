"""The weekly household rule over every household due this week, compiled (ODD §4 step 2; §7.2–§7.4, §7.12).

:func:`sim.household.intend_and_act` and :func:`sim.household.complain` applied household by
household in one loop instead of some forty numpy passes with their temporaries. The formulas are
not copied here: the loops call the very functions of :mod:`sim.rules` (compiled for one
household's floats, :mod:`sim.kernels.dual`), in the order ``sim/household.py`` calls them, and
draw each household's uniforms from the counter-based keys in the loop (:mod:`sim.kernels.hashing`),
only where a draw can change the outcome (a draw is a pure function of its key, so skipping one
changes no other). Both executors agree to the bit (``tests/test_model.py``).

The logistic intention is the one step left to numpy between the two loops (:func:`decide`):
numpy's vectorised ``exp`` and the C library's (what compiled code calls) differ in the last bit
for about 5 % of arguments on machines with AVX-512, and the numbers must not move.
"""

from __future__ import annotations

from typing import NamedTuple, get_type_hints

import numpy as np

from sim import parallel
from sim.kernels import dual, jit, jit_using
from sim.kernels.csr import unsigned
from sim.kernels.hashing import mix1, unit1
from sim.rng import Purpose, mix_int
from sim.rules import attitude, complaints, participation
from sim.rules import intention as tpb

_compiled_with_rules = jit_using(tpb, participation, attitude, complaints, dual)


class RuleParams(NamedTuple):
    """The parameters the compiled rule reads, as plain numbers (a pydantic model cannot enter a kernel)."""

    m_cc: int
    gamma_cc: float
    n0: float
    omega_net: float
    omega_vis: float
    omega_lead: float
    w_A: float
    w_N: float
    w_P: float
    renter_stake: float
    procedural_effort: float
    kappa: float
    prompt: float
    recruit: float
    eta_c: float
    eta_e: float
    eta_x: float
    deterministic: bool
    activity_lapse: bool

    @classmethod
    def of(cls, p) -> RuleParams:
        return cls(*(typ(getattr(p, name)) for name, typ in _FIELD_TYPES))


_FIELD_TYPES = tuple(get_type_hints(RuleParams).items())


_CUE = participation.CUE_WINDOW


def _hashed(purpose: int) -> np.uint64:
    return np.uint64(mix_int(purpose))


# each purpose hashed once, as a module constant: numba freezes global numbers (not a class's attributes)
_MEETING, _EVENT, _VOTE = _hashed(Purpose.ATTEND_MEETING), _hashed(Purpose.ATTEND_EVENT), _hashed(Purpose.ATTEND_VOTE)
_OPINION, _REACH, _VOICE = _hashed(Purpose.OPINION), _hashed(Purpose.CAMPAIGN_REACH), _hashed(Purpose.VOICE)
_COMPLAINT, _RESOLVED = _hashed(Purpose.COMPLAINT), _hashed(Purpose.COMPLAINT_RESOLVED)


@_compiled_with_rules
def _scores(who, comp, t, p, own, inf, ctx, z, zp, PBC):
    """Pass 1: the intention score z, the procedural score and PBC of each household ``who[r]``."""
    A, cap, theta, owner, canvassed = own
    num, den, strong, lead_nb = inf
    vis, xbar, tc, eff = ctx
    for r in range(who.size):
        i = unsigned(who[r])
        k = unsigned(comp[i])
        D = tpb.exposure(num[r], den[r], strong[r], p)
        lead = ((t - canvassed[i]) <= _CUE) or lead_nb[r]
        N = tpb.subjective_norm(D, vis[k], xbar[k], lead, p)
        pbc = tpb.perceived_control(cap[i], tc[k], eff[k])
        PBC[i] = pbc
        z[r] = tpb.intention_score(A[i], N, pbc, theta[i], p, tpb.stake(owner[i], p))
        zp[r] = participation.procedural_score(z[r], theta[i], p)


@jit
def _draw(tk, mixed_purpose):
    """:func:`sim.rng.draw` of one household: its tick key folded with a purpose hashed beforehand."""
    return unit1(mix1(tk ^ mixed_purpose))


@_compiled_with_rules
def _acts(who, comp, t, p, key, I, Ip, own, snap, strong, ctx, out):
    """Pass 2: this week's acts, attitude, complaint and trust of each household ``who[r]``."""
    A, owner, canvassed, last_act, conflict, sat, avail, unmet, trust = own
    is_rep, att_event_before, informed_week = snap
    meeting_on, event_on, vote_on, vote_owners, consult, campaign, completed, tau_info, p_reach = ctx[:9]
    disruption, council, M, leg, delivered = ctx[9:]
    att_meeting, att_event, att_vote, att_opinion, att_adopt, informed, complained, escalated, voiced = out
    mt = mix1(np.uint64(t))
    for r in range(who.size):
        i = unsigned(who[r])
        k = unsigned(comp[i])
        tk = mix1(key[i] ^ mt)
        canvassed_recently = (t - canvassed[i]) <= _CUE
        recruited = strong[r] >= p.m_cc
        pa = participation.attend_probability(I[r], avail[i], is_rep[i], recruited, p)
        att_meeting[i] = meeting_on[k] and _draw(tk, _MEETING) < pa
        att_event[i] = event_on[k] and _draw(tk, _EVENT) < pa
        vote = False
        if vote_on[k] and (owner[i] or not vote_owners[k]):
            pv = participation.vote_probability(Ip[r], canvassed_recently, recruited, tau_info[k], p)
            vote = _draw(tk, _VOTE) < pv
        att_vote[i] = vote
        # a consultation is answered by those who know of it: asked at the door, or informed lately
        opinion = False
        if consult[k] and (canvassed_recently or (t - informed_week[i]) <= _CUE):
            po = participation.opinion_probability(Ip[r], canvassed_recently, tau_info[k], p)
            opinion = _draw(tk, _OPINION) < po
        att_opinion[i] = opinion
        att_adopt[i] = participation.acts_on_intention(I[r], p) or participation.stays_active(last_act[i], t, p)
        reached = campaign[k] and _draw(tk, _REACH) < p_reach[k]
        informed[i] = reached
        A[i] = attitude.update_attitude(A[i], reached, att_event_before[i], conflict[i], completed[k], sat[i], p)

        pc = complaints.complaint_probability(sat[i], disruption[k], council[k], M[k], unmet[i])
        c = _draw(tk, _COMPLAINT) < pc
        esc = c and not _draw(tk, _RESOLVED) < complaints.resolve_probability(leg[k])
        complained[i] = c
        escalated[i] = esc
        voiced[i] = c and _draw(tk, _VOICE) < participation.voice_probability(Ip[r], p)
        trust[i] = attitude.update_trust(trust[i], delivered[k], conflict[i] * 1.0 + esc * 1.0)


#: The fewest households a thread's piece of :func:`decide` gets: about 40 ns a household, so a piece
#: of 8,192 is ~0.3 ms against a hand-off of some tens of microseconds.
MIN_SPLIT = 8_192

_ACT_CTX = ("meeting", "event", "vote", "vote_owners", "consult", "campaign", "completed", "tau_info", "p_reach")
_ACT_CTX += ("disruption", "council", "M", "leg", "delivered")


def decide(h, who, t: int, p, inf, ctx: dict, snap: dict) -> None:
    """Intention, acts, attitude, complaints and trust of households ``who``, written into ``h``.

    ``inf(lo, hi)`` gives the neighbour sums ``num, den, strong_active, lead`` of ``who[lo:hi]``
    (:func:`sim.kernels.csr.influence`); ``ctx`` the compounds' context columns, ``snap`` the t−1
    snapshot (:func:`sim.executors.snapshot`). The week's act flags of ``who`` are written whatever
    their value (the caller clears the rest).

    Each household reads t−1's snapshot and its own state and writes only its own entries, so the
    households are cut in pieces run on threads (:func:`sim.parallel.over`) with the same bits.
    """
    rp = RuleParams.of(p)
    scores_own = (h.A, h.cap, h.theta, h.owner, h.canvassed)
    scores_ctx = (ctx["vis"], ctx["xbar"], ctx["tc"], ctx["eff"])
    own = (h.A, h.owner, h.canvassed, h.last_act, h.conflict, h.sat, h.avail, h.unmet, h.trust)
    seen = (snap["is_rep"], snap["att_event"], snap["informed_week"])
    acts_ctx = tuple(ctx[name] for name in _ACT_CTX)
    out = (h.att_meeting, h.att_event, h.att_vote, h.att_opinion, h.att_adopt, h.informed)
    out += (h.complained, h.escalated, h.voiced)

    def piece(lo: int, hi: int) -> None:
        rows = who[lo:hi]
        sums = inf(lo, hi)
        z, zp = np.empty(rows.size), np.empty(rows.size)
        _scores(rows, h.comp, t, rp, scores_own, sums, scores_ctx, z, zp, h.PBC)
        # numpy's exp, as the agents executor's (see the module's docstring)
        I, Ip = tpb.intention(z, p), tpb.intention(zp, p)
        h.I[rows], h.I_proc[rows] = I, Ip
        _acts(rows, h.comp, t, rp, h.key, I, Ip, own, seen, sums[2], acts_ctx, out)

    parallel.over(who.size, piece, MIN_SPLIT)
