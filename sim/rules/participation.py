"""Participation acts: willingness, capability and opportunity (ODD §7.3).

A household takes an opportunity with probability

    P(act) = κ_eff · I · avail,        κ_eff = min(1, κ · (1 + π·door + ρ·recruited + τ_info·online))

- **Willingness** is the intention I (§7.2). κ is the intention–behaviour conversion: intentions become
  action about half the time (Sheeran 2002; Sheeran & Webb 2016).
- **Opportunity** is what the regime offers this week (a consultation, a ballot, a meeting, an event, a
  seat on the supervision team) and how it is offered. A request in person — the ballot or the consent
  form brought to the door, a representative's notice of a meeting — raises the conversion by π
  (canvassing is the most effective mobilisation, Gerber & Green 2000; prompts close the
  intention–behaviour gap, Gollwitzer & Sheeran 2006); close active neighbours who bring a household
  along raise it by ρ (recruitment through ties: Snow, Zurcher & Ekland-Olson 1980; being asked by
  two or more, Centola & Macy 2007); the platform lets ballots and opinions be given online (τ_info).
  Every prompt multiplies κ, so without intention (κ = 0 or I = 0) no household acts.
- **Capability**: in-person acts at a fixed time (meetings, events, the supervision rota) need the
  household to be free, ``avail`` (Verba, Schlozman & Brady 1995: time is the resource participation
  costs most); seats, places and team sizes cap them (:func:`seat`). Ballots, signatures and opinions
  need no time slot.

The motivation–opportunity–ability reading (MacInnis, Moorman & Jaworski 1991) is the same three
factors. Procedural acts end up more common than deliberative ones because they are brought to the
door and need no free evening, not because a constant lifts them.
"""

from __future__ import annotations

import numpy as np

from sim.constants import LEADER_I, LEADER_PBC
from sim.kernels.dual import rule
from sim.rules import intention as tpb

ACTIVE_WINDOW = 13  # weeks: a household is active if it acted in the last quarter
CUE_WINDOW = 4  # weeks a canvassing visit counts as a leadership cue and a request to vote


def procedural_intention(z, theta, p):
    """Intention to take a procedural act — a ballot, a signature, an opinion: I(z + θ·(1 − e)).

    Intention is specific to the behaviour (Ajzen 1991): the threshold θ is the bar for taking part in
    the process in person (the survey's 36 % willing, E13), and an act that costs minutes at the door
    or online instead of evenings at meetings is cleared at ``procedural_effort`` e of it. The same
    attitude, norm and control drive it, so it answers willingness like every act; it is more common
    because it is easier (E11: 85 % support, 36 % willing to take part).
    """
    return tpb.intention(procedural_score(z, theta, p), p)


@rule
def procedural_score(z, theta, p):
    """The score of a procedural act, z + θ·(1 − e): the bar θ lowered to its share e (above)."""
    return z + theta * (1.0 - p.procedural_effort)


@rule
def conversion(p, door=False, recruited=False, online=0.0):
    """κ_eff = min(1, κ·(1 + π·door + ρ·recruited + online)): how readily intention becomes the act."""
    return np.minimum(1.0, p.kappa * (1.0 + p.prompt * door + p.recruit * recruited + online))


@rule
def act_probability(I, conv, avail=1.0):
    """P(act) = κ_eff · I · avail (``avail`` = 1 for acts that need no time slot)."""
    return conv * I * avail


@rule
def attend_probability(I, avail, is_rep, recruited, p):
    """A meeting or an event: in person, at a set time; representatives are asked in person (§7.3)."""
    return act_probability(I, conversion(p, door=is_rep, recruited=recruited), avail)


@rule
def vote_probability(I, canvassed_recently, recruited, tau_info, p):
    """A ballot: brought to the door by a canvasser, cast online on the platform, or at the ballot box."""
    return act_probability(I, conversion(p, door=canvassed_recently, recruited=recruited, online=tau_info))


@rule
def opinion_probability(I, canvassed_recently, tau_info, p):
    """An opinion in a consultation: asked at the door, given on the platform, or at the notice board."""
    return act_probability(I, conversion(p, door=canvassed_recently, online=tau_info))


def sign_probability(I, A, owner, p):
    """A consent signature: an owner who supports the renovation (A > 0.5), asked at the door (§7.5)."""
    return np.where(owner & (A > 0.5), act_probability(I, conversion(p, door=True)), 0.0)


@rule
def could_lead(I, PBC):
    """Who could lead a team of initiators or collect signatures for one (§7.5, E23): intention and
    perceived control at the leaders' thresholds (``LEADER_I``, ``LEADER_PBC``)."""
    return (I >= LEADER_I) & (PBC >= LEADER_PBC)


@rule
def voice_probability(I, p):
    """A grievance taken further as a petition or formal opinion (voice, Hirschman 1970)."""
    return act_probability(I, conversion(p))


def volunteer_probability(I, avail, recruited, p):
    """Volunteering for the supervision team of the works: a standing commitment of time (§7.10)."""
    return act_probability(I, conversion(p, recruited=recruited), avail)


def speak_probability(PBC):
    """An attendee puts a proposal to the meeting with probability PBC: the confidence and civic skill
    to speak up (Verba, Schlozman & Brady 1995), raised by training and low transaction costs (§7.8)."""
    return PBC


def seat(want: np.ndarray, comp: np.ndarray, priority: np.ndarray, order: np.ndarray, capacity: int) -> np.ndarray:
    """Who gets one of ``capacity`` places per compound among households that ``want`` one.

    Places go first to ``priority`` households (representatives at a meeting), then in the order of a
    uniform draw ``order``. Returns the seated mask. Capacity makes large compounds' meetings a
    smaller share of their households (Olson 1965 on group size).
    """
    idx = np.flatnonzero(want)
    if idx.size == 0:
        return want.copy()
    # within each compound: priority first, then the draw
    ranked = idx[np.lexsort((order[idx], ~priority[idx], comp[idx]))]
    c = comp[ranked]
    first = np.r_[0, np.flatnonzero(np.diff(c)) + 1]
    pos = np.arange(ranked.size) - np.repeat(first, np.diff(np.r_[first, ranked.size]))
    out = np.zeros_like(want)
    out[ranked[pos < capacity]] = True
    return out


@rule
def is_active(last_act, t):
    """x = 1 if the household acted (consulted or higher) in the last 13 weeks."""
    return (t - last_act) < ACTIVE_WINDOW


@rule
def stays_active(last_act, t, p):
    """Without lapse (``activity_lapse`` false) a household active at t−1 renews its activity at t.

    This is the monotone activation of the linear-threshold model (Granovetter 1978; Watts 2002):
    once active, always active. With lapse (the default) activity ends 13 weeks after the last act.
    """
    return (not p.activity_lapse) & is_active(last_act, t - 1)


@rule
def acts_on_intention(I, p):
    """Under ``deterministic`` a willing household (I = 1) acts every week: adoption is the act."""
    return p.deterministic & (I >= 0.5)


STATE_NAMES = ("unwilling", "willing", "active", "representative")


def resident_state(is_rep, last_act, intention, t):
    """The one definition of what a workshop sees of a resident at the end of week t (ODD §9).

    0 unwilling, 1 willing (I > 0.5), 2 active (acted in the 13 weeks up to and including week t),
    3 representative. The agents (``Resident.state``), ``network_view`` and the outputs all call it.
    """
    return np.where(is_rep, 3, np.where(is_active(last_act, t), 2, np.where(intention > 0.5, 1, 0)))
