"""Per-compound sums: means in numpy's own summation order (pairwise summation), weekly head counts.

``values[lo:hi].mean()`` sums with numpy's pairwise algorithm (runs of 8 partial sums in blocks of
at most 128, halves above that) and divides by the count. :func:`segment_means` does the same for
many compounds in one compiled pass, so a mean over each compound's households has the bits of the
per-compound ``mean()`` it replaces (a sequential sum, e.g. ``np.bincount``, does not).
"""

from __future__ import annotations

import numpy as np

from sim.kernels import jit


@jit
def pairwise_sum(a, lo, n):
    """``a[lo:lo + n].sum()`` in numpy's order."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[lo + i]
        return res
    if n <= 128:  # numpy's PW_BLOCKSIZE
        r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
        r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
        i = 8
        while i < n - (n % 8):
            q = lo + i
            r0 += a[q]
            r1 += a[q + 1]
            r2 += a[q + 2]
            r3 += a[q + 3]
            r4 += a[q + 4]
            r5 += a[q + 5]
            r6 += a[q + 6]
            r7 += a[q + 7]
            i += 8
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            res += a[lo + i]
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return pairwise_sum(a, lo, n2) + pairwise_sum(a, lo + n2, n - n2)


@jit
def segment_means(values, bounds, rows):
    """``values[bounds[k]:bounds[k + 1]].mean()`` for each compound ``k`` of ``rows``."""
    out = np.empty(rows.size)
    for r in range(rows.size):
        k = rows[r]
        lo, hi = bounds[k], bounds[k + 1]
        out[r] = pairwise_sum(values, lo, hi - lo) / (hi - lo)
    return out


@jit
def weekly_counts(comp, n_compounds, t, window, last_act, rung_week, I, A):
    """Households of each compound that are active, reached each rung lately, are willing, support.

    Rows: acted within ``window`` weeks of ``t`` (``last_act``), reached at least rung 1..4 within it
    (``rung_week`` columns), ``I > 0.5``, ``A > 0.5``. Counts are whole numbers, so summing them in
    any order gives the bits of the ``np.bincount`` over 0/1 weights they replace.
    """
    R = rung_week.shape[1]
    out = np.zeros((R + 3, n_compounds))
    for i in range(comp.size):
        k = comp[i]
        if t - last_act[i] < window:
            out[0, k] += 1.0
        for r in range(R):
            if t - rung_week[i, r] < window:
                out[1 + r, k] += 1.0
        if I[i] > 0.5:
            out[R + 1, k] += 1.0
        if A[i] > 0.5:
            out[R + 2, k] += 1.0
    return out


__all__ = ["pairwise_sum", "segment_means", "weekly_counts"]
