"""Participation acts and the activity state (ODD §7.3).

Households take each opportunity (meeting, event, vote, survey or signature, supervision rota) with
probability κ·I — the intention–behaviour gap of Sheeran (2002) and Sheeran & Webb (2016), where
intentions become action about half the time. Representatives attend with probability 0.9.
"""

from __future__ import annotations

import numpy as np

ACTIVE_WINDOW = 13  # weeks: a household is active if it acted in the last quarter
REP_ATTENDANCE = 0.9
CANVASSED_BALLOT = 0.9
CUE_WINDOW = 4  # weeks a canvassing visit counts as a leadership cue or a collected ballot


def attend_probability(I, is_rep, p, recruited=False):
    """P(take one opportunity) = 1 − (1 − κ·I)(1 − ρ·recruited), or 0.9 for a representative.

    ``recruited``: at least m_cc close neighbours (w ≥ 0.3) are active (acted in the last 13 weeks) and bring the
    household along. Most people who take part are asked by someone they know (Snow, Zurcher &
    Ekland-Olson 1980; Klandermans & Oegema 1987; McAdam & Paulsen 1993), and being asked by two
    or more is what moves them (complex contagion, Centola & Macy 2007), so recruitment runs along
    close ties and needs reinforcement: this is where the network's structure, not only its
    degree, shapes who takes part.
    """
    own = p.kappa * I
    return np.where(is_rep, REP_ATTENDANCE, 1.0 - (1.0 - own) * (1.0 - p.recruit * recruited))


def vote_probability(I, is_rep, canvassed_recently, tau_info, p, recruited=False):
    """P(cast a ballot): the attendance probability plus τ_info for online votes; 0.9 if canvassed (§7.7, §7.8)."""
    base = np.minimum(1.0, attend_probability(I, is_rep, p, recruited) + tau_info)
    return np.where(canvassed_recently, np.maximum(base, CANVASSED_BALLOT), base)


def is_active(last_act, t):
    """x = 1 if the household acted in the last 13 weeks."""
    return (t - last_act) < ACTIVE_WINDOW


def stays_active(last_act, t, p):
    """Without lapse (``activity_lapse`` false) a household active at t−1 renews its activity at t.

    This is the monotone activation of the linear-threshold model (Granovetter 1978; Watts 2002):
    once active, always active. With lapse (the default) activity ends 13 weeks after the last act.
    """
    return (not p.activity_lapse) & is_active(last_act, t - 1)


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
