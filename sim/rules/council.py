"""Laoyou council formation, election and legitimacy (ODD §7.7; E16, E25).

Seats follow one representative per ≈22.6 households (E25). Candidates self-select by intention,
with a boost for mobilised party members; voters spread their ballots by a softmax over tie strength,
party bonus and standing in the network. Legitimacy combines turnout, party share and certification
(registration with the street office and certificates, E16). Ostrom (1990): recognition of the right
to organise and nested enterprises.
"""

from __future__ import annotations

import numpy as np

ELIGIBLE_I = 0.6
ELIGIBLE_PBC = 0.25
MIN_TURNOUT = 0.3
RETRY_WEEKS = 4
GIVE_UP_WEEKS = 26
PARTY_SHARE_REF = 0.28
MIN_MEMBERS = 3  # a council that cannot keep three representatives dissolves


def seats(n_households: int) -> int:
    """clip(round(N / 22.6), 3, 15)."""
    return int(min(15, max(3, round(n_households / 22.6))))


def candidacy_probability(I, party, b_party, avail=1.0, kappa=0.5):
    """κ·I·avail·(1 + b_party·party) for an eligible household (capped at 1).

    Standing for a seat is an act of intention (κ, Sheeran 2002) that commits time (``avail``, Verba,
    Schlozman & Brady 1995); mobilised party members stand more readily (b_party, E16).
    """
    return np.minimum(1.0, kappa * I * avail * (1.0 + b_party * party))


def ballot_weights(tie_w, party, strength, party_bonus):
    """Softmax numerators exp(2·(w_ij + bonus·party_j + strength_j)) of voter i for candidate j."""
    return np.exp(2.0 * (tie_w + party_bonus * party + strength))


def forms(n_candidates: int, n_seats: int, turnout: float) -> bool:
    """A council forms with at least max(3, 0.6·seats) candidates and turnout >= 0.3."""
    return n_candidates >= max(MIN_MEMBERS, 0.6 * n_seats) and turnout >= MIN_TURNOUT


def legitimacy(turnout: float, party_share: float, certified: float = 1.0) -> float:
    """Leg = 0.4·min(1, turnout/0.5) + 0.3·min(1, party share/0.28) + 0.3·certified, capped at 1."""
    leg = 0.4 * min(1.0, turnout / 0.5) + 0.3 * min(1.0, party_share / PARTY_SHARE_REF) + 0.3 * certified
    return min(1.0, leg)
