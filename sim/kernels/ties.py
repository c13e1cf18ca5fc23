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
def cut(src, dst, gone, w):
    """In place: every tie with an end in ``gone`` (households that moved out) dies."""
    for e in range(w.size):
        if gone[src[e]] or gone[dst[e]]:
            w[e] = 0.0


@jit
def event_pairs(attended, bounds, keys, slot_mix, tick, purpose, p_new):
    """Pairs ``(i, j)``, ``i < j``, of co-attendees of a compound's event who form a new tie.

    Pairs are visited compound by compound, then ``i`` and ``j`` ascending (the order of
    ``np.triu_indices``); pair ``(i, j)`` forms a tie when its uniform
    ``uniform(combine_mixed(key[i], slot_mix[j]), tick, purpose)`` is below ``p_new``. The draws of
    one ``i`` against all later co-attendees are hashed and counted in one branch-free loop (it
    vectorises), then kept.
    """
    mt, mp = mix1(tick), mix1(purpose)
    out_i = np.empty(1024, dtype=np.int64)
    out_j = np.empty(1024, dtype=np.int64)
    n = np.int64(0)  # typed, not the literal 0: _grow then compiles once, not once per literal
    att = np.empty(attended.size, dtype=np.int64)
    partner = np.empty(attended.size, dtype=np.uint64)  # slot_mix of each co-attendee, contiguous
    u = np.empty(attended.size)
    for k in range(bounds.size - 1):
        m = 0
        for i in range(bounds[k], bounds[k + 1]):
            if attended[i]:
                att[m], partner[m] = i, slot_mix[i]
                m += 1
        for a in range(m - 1):
            ki = keys[att[a]]
            picks = 0
            for b in range(a + 1, m):
                u[b] = unit1(mix1(mix1(mix1(ki ^ partner[b]) ^ mt) ^ mp))
                picks += u[b] < p_new
            if picks == 0:
                continue
            if n + picks > out_i.size:  # room for this household's picks, grown outside the inner loop
                size = max(2 * out_i.size, n + picks)
                out_i, out_j = _grow(out_i, n, size), _grow(out_j, n, size)
            for b in range(a + 1, m):
                if u[b] < p_new:
                    out_i[n], out_j[n] = att[a], att[b]
                    n += 1
    return _grow(out_i, n, n), _grow(out_j, n, n)


@jit
def _grow(a, n, size):
    """A new array of ``size`` holding the first ``n`` elements of ``a`` (a loop, quick to compile)."""
    b = np.empty(size, dtype=np.int64)
    for i in range(n):
        b[i] = a[i]
    return b
