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


def attend_probability(I, is_rep, p):
    """P(take one opportunity) = κ·I, or 0.9 for a representative."""
    return np.where(is_rep, REP_ATTENDANCE, p.kappa * I)


def vote_probability(I, is_rep, canvassed_recently, tau_info, p):
    """P(cast a ballot): κ·I plus τ_info for online votes; 0.9 if canvassed for a ballot (§7.7, §7.8)."""
    base = np.minimum(1.0, attend_probability(I, is_rep, p) + tau_info)
    return np.where(canvassed_recently, np.maximum(base, CANVASSED_BALLOT), base)


def is_active(last_act, t):
    """x = 1 if the household acted in the last 13 weeks."""
    return (t - last_act) < ACTIVE_WINDOW
