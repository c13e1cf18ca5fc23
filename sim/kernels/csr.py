"""Kernels over the tie network's CSR mirror: building it, finding a pair, and gathering over neighbours.

Indices are read as unsigned integers inside the loops (:func:`unsigned`), which spares numba's check
for negative indices. The mirror holds each undirected tie twice (once in each endpoint's row), columns sorted within a
row, with ``perm[k]`` the edge-list id of entry ``k``. Gathers add row by row in column order —
the order of scipy's ``csr_matvec`` (``W @ x``) — with the same products, so every sum has the
same bits as the sparse mat-vec it replaces (DESIGN.md §3: the vector and agents executors agree).
"""

from __future__ import annotations

import numpy as np

from sim.kernels import jit
from sim.kernels.sums import pairwise_sum

U1 = np.uint64(1)


@jit
def unsigned(i):
    """An index as uint64: numba then skips the negative-index wrap-around check (a third faster)."""
    return np.uint64(i)


@jit
def build(src, dst, indptr, indices, perm):
    """Fill ``indptr, indices, perm`` with the symmetric CSR of the edges ``src[e]–dst[e]``.

    ``indptr`` has one slot per node plus one; ``indices`` and ``perm`` two per edge (the caller
    picks their integer width). Two stable counting sorts of the directed entries — by column, then
    by row — leave every row sorted by column; ``perm`` holds edge ids. O(nodes + edges).
    """
    m, n = src.size, indptr.size - 1
    count = _counts(n + 1)
    for e in range(m):
        count[src[e] + 1] += 1
        count[dst[e] + 1] += 1
    for i in range(n):
        count[i + 1] += count[i]
    nxt = np.empty(n + 1, dtype=np.int64)
    for i in range(n + 1):
        indptr[i] = nxt[i] = count[i]
    # pass 1: directed entries by column (entry e < m is src -> dst, e >= m is dst -> src)
    by_col = np.empty(2 * m, dtype=np.int64)
    for e in range(2 * m):
        col = dst[e] if e < m else src[e - m]
        by_col[nxt[col]] = e
        nxt[col] += 1
    # pass 2: stable by row, so that columns stay ascending within each row
    for i in range(n + 1):
        nxt[i] = count[i]
    for q in range(2 * m):
        e = by_col[q]
        f = e if e < m else e - m
        row = src[f] if e < m else dst[f]
        indices[nxt[row]] = dst[f] if e < m else src[f]
        perm[nxt[row]] = f
        nxt[row] += 1


@jit
def _counts(size):
    """A zeroed int64 array (a loop: numba compiles ``np.zeros`` and slice copies slowly)."""
    out = np.empty(size, dtype=np.int64)
    for i in range(size):
        out[i] = 0
    return out


@jit
def find(indptr, indices, rows, cols):
    """CSR position of each pair ``(rows[q], cols[q])``, or -1 if absent (binary search in the row)."""
    out = np.empty(rows.size, dtype=np.int64)
    for q in range(rows.size):
        out[q] = -1
        lo, hi = indptr[rows[q]], indptr[rows[q] + 1]
        c = cols[q]
        while lo < hi:
            mid = (lo + hi) // 2
            if indices[mid] < c:
                lo = mid + 1
            else:
                hi = mid
        if lo < indptr[rows[q] + 1] and indices[lo] == c:
            out[q] = lo
    return out


@jit
def influence(indptr, indices, data, rows, sx, s, x, leader, cue):
    """Neighbour sums of the household rule (ODD §7.2) for households ``rows``, in one pass.

    ``num = W @ sx``, ``den = W @ s``, ``strong = S @ x`` and ``lead = (S @ leader) > 0`` where ``S``
    holds 1.0 for ties of weight ``>= cue`` and 0.0 otherwise — the same products and the same
    order as the four sparse mat-vecs, so the same bits.
    """
    k = rows.size
    num, den, strong = np.empty(k), np.empty(k), np.empty(k)
    lead = np.empty(k, dtype=np.bool_)
    for r in range(k):
        i = unsigned(rows[r])
        a = b = c = d = 0.0
        for jj in range(unsigned(indptr[i]), unsigned(indptr[i + U1])):
            j = unsigned(indices[jj])
            w = data[jj]
            cue_w = 1.0 if w >= cue else 0.0  # a select, not a branch
            a += w * sx[j]
            b += w * s[j]
            c += cue_w * x[j]
            d += cue_w * leader[j]
        num[r], den[r], strong[r], lead[r] = a, b, c, d > 0
    return num, den, strong, lead


@jit
def row_sums(indptr, data, rows, out):
    """``out[r] = W[rows[r]].sum()``: each row's stored weights summed as scipy sums them.

    scipy calls numpy's ``add.reduceat``, which starts from a segment's first value and adds the
    pairwise sum of the rest (:func:`sim.kernels.sums.pairwise_sum`); an empty row sums to 0. (The
    caller allocates ``out``: array constructors are slow to compile on a first run.)
    """
    for r in range(rows.size):
        i = rows[r]
        lo = np.int64(indptr[i])  # int64 arguments: the recursive sum is compiled for one signature
        n = np.int64(indptr[i + 1]) - lo
        out[r] = data[lo] + pairwise_sum(data, lo + 1, n - 1) if n > 0 else 0.0


@jit
def block(indptr, indices, data, rows, cols, out):
    """``out[r, q]`` = the weight of the tie from ``rows[r]`` to ``cols[q]`` (``W[rows][:, cols]``); ``out``
    comes zeroed."""
    for r in range(rows.size):
        a, b = indptr[rows[r]], indptr[rows[r] + 1]
        for q in range(cols.size):
            lo, hi, c = a, b, cols[q]
            while lo < hi:  # binary search of the row's sorted columns, as find()
                mid = (lo + hi) // 2
                if indices[mid] < c:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < b and indices[lo] == c:
                out[r, q] = data[lo]


@jit
def payments(indptr, indices, data, rows, paid):
    """``A[rows] @ paid`` and ``A[rows] @ 1`` with ``A`` = 1.0 on live ties (w > 0): who paid, of how many."""
    k = rows.size
    nb_paid, nb_count = np.empty(k), np.empty(k)
    for r in range(k):
        i = unsigned(rows[r])
        a = b = 0.0
        for jj in range(unsigned(indptr[i]), unsigned(indptr[i + U1])):
            live = 1.0 if data[jj] > 0 else 0.0
            a += live * paid[unsigned(indices[jj])]
            b += live * 1.0
        nb_paid[r], nb_count[r] = a, b
    return nb_paid, nb_count


@jit
def knows(indptr, indices, data, lo, hi, relay):
    """``(W[lo:hi, lo:hi] @ relay) > 0`` for a boolean ``relay`` over households ``lo..hi-1``.

    Weights are never negative (a dead tie has weight 0), so the product is positive exactly when a
    live tie (w > 0) reaches a relaying household: the same answer as the sparse mat-vec, without
    slicing the matrix.
    """
    out = np.empty(hi - lo, dtype=np.bool_)
    for i in range(lo, hi):
        hit = False
        for jj in range(indptr[i], indptr[i + 1]):
            j = indices[jj]
            if data[jj] > 0 and j >= lo and j < hi and relay[j - lo]:
                hit = True
                break
        out[i - lo] = hit
    return out


@jit
def row_reaches(indptr, data, level):
    """Whether each row holds an entry ``>= level`` (for ``level > 0``: ``W.max(axis=1) >= level``)."""
    n = indptr.size - 1
    out = np.empty(n, dtype=np.bool_)
    for i in range(n):
        out[i] = False
        for jj in range(indptr[i], indptr[i + 1]):
            if data[jj] >= level:
                out[i] = True
                break
    return out


@jit
def merge(indptr, indices, perm, src, dst, first_new, new_id, out_indptr, out_indices, out_perm):
    """The mirror after structural change, from the old one in a single linear pass.

    The old mirror holds edges ``< first_new``; edges ``>= first_new`` (``src``/``dst`` of the edge
    list) are new. ``new_id[e]`` is edge ``e``'s id afterwards, or -1 if it is dropped (a dead tie at
    the yearly rebuild). Each row is the merge of its kept old entries and its new ones, both sorted
    by column, so the result equals :func:`build` over the kept edges.
    """
    n = indptr.size - 1
    # the new entries as a small CSR of their own, rows sorted by column (insertion sort: few per row)
    count = _counts(n + 1)
    for e in range(first_new, src.size):
        if new_id[e] >= 0:
            count[src[e] + 1] += 1
            count[dst[e] + 1] += 1
    for i in range(n):
        count[i + 1] += count[i]
    k = count[n]
    add_col = np.empty(k, dtype=np.int64)
    add_eid = np.empty(k, dtype=np.int64)
    nxt = np.empty(n, dtype=np.int64)
    for i in range(n):
        nxt[i] = count[i]
    for e in range(first_new, src.size):
        if new_id[e] >= 0:
            _insert(add_col, add_eid, count, nxt, src[e], dst[e], new_id[e])
            _insert(add_col, add_eid, count, nxt, dst[e], src[e], new_id[e])
    # merge row by row (with nothing dropped, an old entry keeps its edge id: no lookup)
    renumber = False
    for e in range(first_new):
        if new_id[e] != e:
            renumber = True
            break
    out = 0
    out_indptr[0] = 0
    for i in range(n):
        a, a_end = indptr[i], indptr[i + 1]
        b, b_end = count[i], count[i + 1]
        if b == b_end and not renumber:  # most rows: nothing new, nothing dropped — a straight copy
            for q in range(a, a_end):
                out_indices[out + q - a], out_perm[out + q - a] = indices[q], perm[q]
            out += a_end - a
            out_indptr[i + 1] = out
            continue
        while a < a_end or b < b_end:
            eid = new_id[unsigned(perm[a])] if renumber and a < a_end else -1
            if renumber and a < a_end and eid < 0:
                a += 1  # a dead tie leaves the mirror
                continue
            if b >= b_end or (a < a_end and indices[a] < add_col[b]):
                out_indices[out], out_perm[out] = indices[a], eid if renumber else perm[a]
                a += 1
            else:
                out_indices[out], out_perm[out] = add_col[b], add_eid[b]
                b += 1
            out += 1
        out_indptr[i + 1] = out


@jit
def _insert(col_of, eid_of, start, nxt, row, col, eid):
    """Put entry (col, eid) into ``row`` of a CSR being filled, keeping the row sorted by column."""
    q = nxt[row]
    while q > start[row] and col_of[q - 1] > col:
        col_of[q], eid_of[q] = col_of[q - 1], eid_of[q - 1]
        q -= 1
    col_of[q], eid_of[q] = col, eid
    nxt[row] += 1


@jit
def gather(values, perm, out):
    """``out[k] = values[perm[k]]``: the mirror's weights from the edge list."""
    for k in range(perm.size):
        out[k] = values[unsigned(perm[k])]
