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
def segment_bills(area, paid, fee, bounds, rows):
    """Each compound's month: ``bill.sum()`` and ``(bill * paid).sum()`` with ``bill = fee * area``.

    For compound ``rows[r]`` the bills ``fee[r] * area[i]`` of its households and the paid ones
    (``paid`` a boolean: the bill or 0) are summed in numpy's pairwise order, so each pair has the bits
    of the per-compound numpy expressions (:func:`sim.compound.management.bill_month`).
    """
    billed = np.empty(rows.size)
    collected = np.empty(rows.size)
    # household-indexed buffers, so pairwise_sum is called with the argument types segment_means
    # uses: numba's disk cache mislinks a recursive kernel compiled for two signatures (a segfault)
    bill = np.empty(area.size)
    got = np.empty(area.size)
    for r in range(rows.size):
        lo, hi = bounds[rows[r]], bounds[rows[r] + 1]
        for i in range(lo, hi):
            bill[i] = fee[r] * area[i]
            got[i] = bill[i] * (1.0 if paid[i] else 0.0)
        billed[r] = pairwise_sum(bill, lo, hi - lo)
        collected[r] = pairwise_sum(got, lo, hi - lo)
    return billed, collected


@jit
def python_sum(x, start, n):
    """``sum(x[start:start + n])`` of Python floats (n >= 1) as Python 3.12+ adds them.

    Python's built-in ``sum`` compensates each addition (Neumaier's improvement of Kahan summation),
    so a plain loop would differ from it in the last bits.
    """
    f = x[start]
    c = 0.0
    for j in range(start + 1, start + n):
        v = x[j]
        t = f + v
        if abs(f) >= abs(v):
            c += (f - t) + v
        else:
            c += (v - t) + f
        f = t
    if c != 0.0 and np.isfinite(c):
        f += c
    return f


@jit
def ring_means(ring, counts, rows):
    """Python's mean of each row's last ``min(count, width)`` values of a ring, oldest first.

    Row ``k`` of ``ring`` holds value number ``m`` (counting from 0) at column ``m % width``; ``counts[k]``
    values were written. The mean is ``sum(values) / len(values)`` over them as Python floats
    (:func:`python_sum`), the monthly fee rates' yearly mean of :func:`sim.compound.management.bill_month`.
    """
    width = ring.shape[1]
    out = np.empty(rows.size)
    buf = np.empty(width)
    for r in range(rows.size):
        k = rows[r]
        m = counts[k]
        n = min(m, width)
        for j in range(n):
            buf[j] = ring[k, (m - n + j) % width]
        out[r] = python_sum(buf, 0, n) / n
    return out


@jit
def nan_means(rows):
    """``np.nanmean`` of each row of a 2-D array, NaN for a row with no finite value.

    The NaNs are left out of the count and summed as zeros in numpy's pairwise order, as
    ``np.nanmean`` does, so each mean has its bits.
    """
    M, K = rows.shape
    out = np.empty(M)
    buf = np.empty(M * K)
    for r in range(M):
        lo = r * K
        count = 0
        finite = False
        for j in range(K):
            v = rows[r, j]
            if np.isnan(v):
                buf[lo + j] = 0.0
            else:
                buf[lo + j] = v
                count += 1
                finite = finite or np.isfinite(v)
        out[r] = pairwise_sum(buf, lo, K) / count if finite else np.nan
    return out


@jit
def weekly_counts(bounds, t, window, last_act, rung_week, I, A, out):
    """Households of each compound that are active, reached each rung lately, are willing, support.

    Rows of ``out`` (7): acted within ``window`` weeks of ``t`` (``last_act``), reached at least rung
    1..4 within it (the four ``rung_week`` columns), ``I > 0.5``, ``A > 0.5``; columns: compounds, whose
    households are the rows ``bounds[k]:bounds[k + 1]``. Counts are whole numbers, so counting them
    in integers gives the bits of the ``np.bincount`` over 0/1 weights they replace. (The caller
    allocates ``out``: array constructors are slow to compile on a first run.)
    """
    for k in range(bounds.size - 1):
        active = willing = support = r1 = r2 = r3 = r4 = 0
        for i in range(bounds[k], bounds[k + 1]):
            active += t - last_act[i] < window
            r1 += t - rung_week[i, 0] < window
            r2 += t - rung_week[i, 1] < window
            r3 += t - rung_week[i, 2] < window
            r4 += t - rung_week[i, 3] < window
            willing += I[i] > 0.5
            support += A[i] > 0.5
        out[0, k] = active
        out[1, k], out[2, k], out[3, k], out[4, k] = r1, r2, r3, r4
        out[5, k] = willing
        out[6, k] = support


__all__ = ["nan_means", "pairwise_sum", "python_sum", "ring_means", "segment_bills", "segment_means", "weekly_counts"]
