"""Door-to-door visits of many compounds in one loop: follow-up visits about unpaid bills, and the
canvassing rounds along ties (consent drives, ballots before elections and plan votes).

The rules and their reasons are :mod:`sim.compound.followup`'s and :mod:`sim.compound.canvassing`'s;
this is their arithmetic. Visit weights are constants (1, or the party representative's weight) and
a round's reach is a count, so there is no summation order to keep.
"""

from __future__ import annotations

import numpy as np

from sim.kernels import jit, jit_using
from sim.kernels.csr import knows
from sim.rules import participation


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
    tie to a canvasser or to a supportive household visited earlier in it (local ids); and how many."""
    n = hi - lo
    relay = np.empty(n, dtype=np.bool_)
    for i in range(n):
        relay[i] = canvasser[i] or (reached[i] and A[lo + i] > supports)
    known = knows(indptr, indices, data, lo, hi, relay)
    size = 0
    for i in range(n):
        known[i] = known[i] and not canvasser[i] and not reached[i]
        size += known[i]
    return known, size


@jit
def _tie_round(indptr, indices, data, lo, hi, canvasser, reached, rank, A, supports, n_visits):
    """:func:`sim.compound.canvassing.visit` along ties: this week's visits of one compound (a mask
    of local ids). The ``n_visits`` households of the frontier earliest in the round's order are
    visited (ties in the order by id, as a stable sort); with no frontier the round restarts from
    the canvassers. Plain loops (a counting sort by rank) keep the first compilation short."""
    n = hi - lo
    frontier, size = _frontier(indptr, indices, data, lo, hi, canvasser, reached, A, supports)
    if size == 0:
        for i in range(n):
            reached[i] = False
        frontier, size = _frontier(indptr, indices, data, lo, hi, canvasser, reached, A, supports)
    top = 0
    for i in range(n):
        if frontier[i] and rank[i] + 1 > top:
            top = rank[i] + 1
    start = np.zeros(top + 1, dtype=np.int64)  # counting sort of the frontier by rank, stable in id
    for i in range(n):
        if frontier[i]:
            start[rank[i] + 1] += 1
    for v in range(top):
        start[v + 1] += start[v]
    ordered = np.empty(size, dtype=np.int64)
    for i in range(n):
        if frontier[i]:
            ordered[start[rank[i]]] = i
            start[rank[i]] += 1
    visited = np.zeros(n, dtype=np.bool_)
    for q in range(min(n_visits, size)):
        reached[ordered[q]] = True
        visited[ordered[q]] = True
    return visited


@jit
def tie_rounds(rows, bounds, canvassers, canvassers_ptr, t, ties, A, reached, rank, canvassed, per_person, supports,
               visited_out):  # fmt: skip
    """:func:`sim.compound.canvassing.visit` along ties for compounds ``rows``: the canvassers of
    ``rows[r]`` are ``canvassers[canvassers_ptr[r]:canvassers_ptr[r + 1]]``, each visiting up to
    ``per_person`` households; visited households get week ``t`` in ``canvassed`` (and True in
    ``visited_out``, if it is not empty)."""
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
                if visited_out.size:
                    visited_out[i] = True


@jit_using(participation)
def leader_counts(rows, bounds, owner, I, PBC, party):
    """Owners of each compound ``rows[r]`` who could lead a team
    (:func:`sim.rules.participation.could_lead`), and how many of them are party members."""
    out = np.zeros((rows.size, 2), dtype=np.int64)
    for r in range(rows.size):
        for i in range(bounds[rows[r]], bounds[rows[r] + 1]):
            if owner[i] and participation.could_lead(I[i], PBC[i]):
                out[r, 0] += 1
                out[r, 1] += party[i]
    return out


__all__ = ["follow_up", "leader_counts", "tie_rounds"]
