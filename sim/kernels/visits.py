"""Door-to-door visits of many compounds in one loop: follow-up visits about unpaid bills, and the
consent drives' canvassing rounds and signatures.

The rules and their reasons are :mod:`sim.compound.followup`'s, :mod:`sim.compound.canvassing`'s and
:func:`sim.compound.application.consent_drive`'s; this is their arithmetic. Visit weights are
constants (1, or the party representative's weight) and a round's reach is a count, so there is no
summation order to keep; a signature's probability and draw are the numpy expressions' operations.
"""

from __future__ import annotations

import numpy as np

from sim.kernels import jit
from sim.kernels.csr import knows
from sim.kernels.hashing import mix1, unit1


@jit
def follow_up(weight, paid, party, bounds, order, order_ptr, n, visitors, visitor_ptr, party_weight):
    """Follow-up visits of compounds ``r`` (household ranges ``bounds[r]``): clear their visit
    weights, then visit the first ``n[r]`` households not ``paid`` in the order
    ``order[order_ptr[r]:order_ptr[r + 1]]``. Visitors ``visitors[visitor_ptr[r]:visitor_ptr[r + 1]]``
    take them in turn; a visit by a ``party`` member weighs ``party_weight[r]``, any other 1 (so does
    the manager's, with no visitors listed).
    """
    for r in range(n.size):
        weight[bounds[r, 0] : bounds[r, 1]] = 0.0
        nv = visitor_ptr[r + 1] - visitor_ptr[r]
        done = 0
        for j in range(order_ptr[r], order_ptr[r + 1]):
            if done >= n[r]:
                break
            i = order[j]
            if paid[i]:
                continue
            w = 1.0
            if nv > 0 and party[visitors[visitor_ptr[r] + done % nv]]:
                w = party_weight[r]
            weight[i] = w
            done += 1


@jit
def _frontier(indptr, indices, data, lo, hi, canvasser, reached, A, supports):
    """:func:`sim.compound.canvassing._frontier`: households not yet visited this round with a live
    tie to a canvasser or to a supportive household visited earlier in it (local ids)."""
    n = hi - lo
    relay = np.empty(n, dtype=np.bool_)
    for i in range(n):
        relay[i] = canvasser[i] or (reached[i] and A[lo + i] > supports)
    known = knows(indptr, indices, data, lo, hi, relay)
    for i in range(n):
        known[i] = known[i] and not canvasser[i] and not reached[i]
    return known


@jit
def _tie_round(indptr, indices, data, lo, hi, canvasser, reached, rank, A, supports, n_visits):
    """:func:`sim.compound.canvassing.visit` along ties: this week's visits of one compound (a mask
    of local ids). The ``n_visits`` households of the frontier earliest in the round's order are
    visited; with no frontier the round restarts from the canvassers."""
    frontier = _frontier(indptr, indices, data, lo, hi, canvasser, reached, A, supports)
    if not frontier.any():
        reached[:] = False
        frontier = _frontier(indptr, indices, data, lo, hi, canvasser, reached, A, supports)
    pick = np.flatnonzero(frontier)
    chosen = pick[np.argsort(rank[pick], kind="mergesort")[:n_visits]]  # stable: ties by id
    visited = np.zeros(hi - lo, dtype=np.bool_)
    for i in chosen:
        reached[i] = True
        visited[i] = True
    return visited


@jit
def tie_rounds(rows, bounds, canvassers, canvassers_ptr, t, ties, A, reached, rank, canvassed, per_person, supports):
    """:func:`sim.compound.canvassing.visit` along ties for compounds ``rows``: the canvassers of
    ``rows[r]`` are ``canvassers[canvassers_ptr[r]:canvassers_ptr[r + 1]]``, each visiting up to
    ``per_person`` households; visited households get week ``t`` in ``canvassed``."""
    indptr, indices, data = ties
    for r in range(rows.size):
        lo, hi = bounds[rows[r]], bounds[rows[r] + 1]
        canvasser = np.zeros(hi - lo, dtype=np.bool_)
        for j in range(canvassers_ptr[r], canvassers_ptr[r + 1]):
            canvasser[canvassers[j] - lo] = True
        n_visits = per_person * (canvassers_ptr[r + 1] - canvassers_ptr[r])  # canvassers.size, as visit()
        visited = _tie_round(indptr, indices, data, lo, hi, canvasser, reached[lo:hi], rank[lo:hi], A, supports,
                             n_visits)  # fmt: skip
        for i in range(lo, hi):
            if visited[i - lo]:
                canvassed[i] = t


@jit
def consent_drives(rows, bounds, team, team_ptr, conv, q_apply, t, ties, hh, constants, sign_purpose):
    """One week of the consent drives of compounds ``rows``; returns whether each reached its quorum.

    For compound ``rows[r]``: its collectors are the team ``team[team_ptr[r]:team_ptr[r + 1]]`` and
    the signers who could lead (``I``, ``PBC`` at the leaders' thresholds); each visits up to
    ``per_person`` households along its ties (:func:`_tie_round`); a visited owner who supports the
    project signs with probability ``conv[r]·I_proc`` (:func:`sim.rules.participation.sign_probability`)
    against its draw; a new signature is a consulted act. The quorum is ``q_apply[r]`` of the owners.
    """
    indptr, indices, data = ties
    signed, I, I_proc, PBC, A, owner, key, canvassed, reached, rank, rung_week, last_act = hh
    leader_i, leader_pbc, per_person, supports = constants
    mt = mix1(np.uint64(t))
    quorum = np.zeros(rows.size, dtype=np.bool_)
    for r in range(rows.size):
        lo, hi = bounds[rows[r]], bounds[rows[r] + 1]
        canvasser = np.zeros(hi - lo, dtype=np.bool_)
        for j in range(team_ptr[r], team_ptr[r + 1]):
            canvasser[team[j] - lo] = True
        for i in range(lo, hi):
            if signed[i] and I[i] >= leader_i and PBC[i] >= leader_pbc:
                canvasser[i - lo] = True
        n_visits = per_person * canvasser.sum()
        visited = _tie_round(indptr, indices, data, lo, hi, canvasser, reached[lo:hi], rank[lo:hi], A, supports,
                             n_visits)  # fmt: skip
        owners = 0
        n_signed = 0
        for i in range(lo, hi):
            if visited[i - lo]:
                canvassed[i] = t
                prob = conv[r] * I_proc[i] * 1.0 if owner[i] and A[i] > 0.5 else 0.0
                if unit1(mix1(mix1(key[i] ^ mt) ^ sign_purpose)) < prob and not signed[i]:
                    signed[i] = True
                    rung_week[i, 0] = t  # a consulted act (sim.ladder.reach)
                    rung_week[i, 1] = t
                    last_act[i] = t
            owners += owner[i]
            n_signed += signed[i]
        quorum[r] = n_signed >= q_apply[r] * owners
    return quorum


@jit
def leader_counts(rows, bounds, owner, I, PBC, party, leader_i, leader_pbc):
    """Owners of each compound ``rows[r]`` who could lead a team (``I``, ``PBC`` at the thresholds),
    and how many of them are party members."""
    out = np.zeros((rows.size, 2), dtype=np.int64)
    for r in range(rows.size):
        for i in range(bounds[rows[r]], bounds[rows[r] + 1]):
            if owner[i] and I[i] >= leader_i and PBC[i] >= leader_pbc:
                out[r, 0] += 1
                out[r, 1] += party[i]
    return out


__all__ = ["consent_drives", "follow_up", "leader_counts", "tie_rounds"]
