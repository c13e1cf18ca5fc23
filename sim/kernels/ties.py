"""Tie dynamics, compiled (ODD §7.1): weekly relaxation, strengthening of co-attendees, event ties.

Each kernel is the arithmetic of :class:`sim.network.Ties` and :func:`sim.dynamics.event_ties` as
first written with numpy, element by element in place, so the weights keep their bits: relaxation
``w + δ_w(c − w)`` (Burt 2000), strengthening ``w + δ(1 − w)`` of live ties between co-attendees,
and the new-tie draw of every pair of event co-attendees keyed by (household, partner's slot, week).
"""

from __future__ import annotations

import numpy as np

from sim.kernels import jit
from sim.kernels.csr import U1, unsigned
from sim.kernels.hashing import mix1, unit1


@jit
def decay(w, base, delta, drop):
    """In place: live ties relax toward their contact level ``base``; ties that fall below ``drop`` die."""
    for e in range(w.size):
        if w[e] > 0:
            v = w[e] + delta * (base[e] - w[e])
            w[e] = 0.0 if v < drop else v


@jit
def strengthen(indptr, indices, perm, w, mask, rows, src, dst, first_pending, delta):
    """In place: ``w += δ(1 − w)`` on live ties whose two ends both satisfy ``mask``.

    Ties in the CSR mirror are met from their lower end's row (``rows``: the households in
    ``mask``), so each once; ties added since the last rebuild (edge ids ``>= first_pending``) are
    not in the mirror yet and are checked on the edge list.
    """
    for r in range(rows.size):
        i = unsigned(rows[r])
        for jj in range(unsigned(indptr[i]), unsigned(indptr[i + U1])):
            j = unsigned(indices[jj])
            if j > i and mask[j]:
                e = unsigned(perm[jj])
                if w[e] > 0:
                    w[e] = w[e] + delta * (1.0 - w[e])
    for e in range(first_pending, w.size):
        if mask[src[e]] and mask[dst[e]] and w[e] > 0:
            w[e] = w[e] + delta * (1.0 - w[e])


@jit
def event_pairs(attended, bounds, keys, slot_mix, tick, purpose, p_new):
    """Pairs ``(i, j)``, ``i < j``, of co-attendees of a compound's event who form a new tie.

    Pairs are visited compound by compound, then ``i`` and ``j`` ascending (the order of
    ``np.triu_indices``); pair ``(i, j)`` forms a tie when its uniform
    ``uniform(combine_mixed(key[i], slot_mix[j]), tick, purpose)`` is below ``p_new``.
    """
    mt, mp = mix1(tick), mix1(purpose)
    cap = 1024
    out_i = np.empty(cap, dtype=np.int64)
    out_j = np.empty(cap, dtype=np.int64)
    n = 0
    att = np.empty(attended.size, dtype=np.int64)
    for k in range(bounds.size - 1):
        m = 0
        for i in range(bounds[k], bounds[k + 1]):
            if attended[i]:
                att[m] = i
                m += 1
        for a in range(m - 1):
            i = att[a]
            ki = keys[i]
            for b in range(a + 1, m):
                j = att[b]
                if unit1(mix1(mix1(mix1(ki ^ slot_mix[j]) ^ mt) ^ mp)) < p_new:
                    if n == cap:
                        cap *= 2
                        out_i = _grow(out_i, cap)
                        out_j = _grow(out_j, cap)
                    out_i[n], out_j[n] = i, j
                    n += 1
    return out_i[:n].copy(), out_j[:n].copy()


@jit
def _grow(a, cap):
    b = np.empty(cap, dtype=a.dtype)
    b[: a.size] = a
    return b
