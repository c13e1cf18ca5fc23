"""A plan meeting's bounded-confidence round, compiled (ODD §7.8; Deffuant et al. 2000).

:func:`converge` does what :func:`sim.compound.deliberation._converge` did with a dozen numpy passes
over the attendees × items block, in the same arithmetic and order: the meeting mean of each item is
numpy's ``mean(axis=0)`` (rows added one after another, then divided by their number), the spread
is numpy's ``mean()`` of the whole block (pairwise summation over the block in row order,
:func:`sim.kernels.sums.pairwise_sum`), and each clash draw is :func:`sim.rng.uniform` of the
attendee's key at the week for purpose ``conflict + item``.
"""

from __future__ import annotations

import numpy as np

from sim.kernels import jit
from sim.kernels.hashing import mix1, unit1
from sim.kernels.sums import pairwise_sum


@jit
def converge(v, att, items, keys, tick, conflict, eps, mu, p_clash, clash):
    """One meeting of attendees ``att`` (household ids) over ``items``: returns the spread after it.

    ``v`` (households × items, valuations) is updated in place: an attendee's valuation of an item
    within ``eps`` of the meeting mean moves ``mu`` of the way to it. ``clash[a]`` is set where
    attendee ``a`` was outside the bound on some item and drew below ``p_clash`` for it.
    """
    na, nk = att.size, items.size
    if na * nk == 0:  # nothing left on the table: nobody moves, nobody clashes, no spread
        for a in range(clash.size):  # loops rather than slice and array constructors: quicker to compile
            clash[a] = False
        return np.nan
    block = np.empty(na * nk)  # the attendees × items block, row by row
    for a in range(na):
        for j in range(nk):
            block[a * nk + j] = v[att[a], items[j]]
    vbar = _column_means(block, na, nk)
    t = mix1(tick)
    for a in range(na):
        clash[a] = False
        kt = mix1(keys[a] ^ t)
        for j in range(nk):
            x = block[a * nk + j]
            if abs(x - vbar[j]) < eps:
                x = x + mu * (vbar[j] - x)
                block[a * nk + j] = x
                v[att[a], items[j]] = x
            elif unit1(mix1(kt ^ mix1(conflict + np.uint64(items[j])))) < p_clash:
                clash[a] = True
    after = _column_means(block, na, nk)
    for a in range(na):
        for j in range(nk):
            block[a * nk + j] = abs(block[a * nk + j] - after[j])
    zero = na - na  # an int64 offset: one compiled signature of the recursive pairwise_sum
    return pairwise_sum(block, zero, na * nk) / (na * nk)


@jit
def _column_means(block, na, nk):
    """``mean(axis=0)`` of the block as numpy takes it: one item's column is a contiguous run, which
    numpy sums pairwise; with several items it adds the rows one after another."""
    out = np.empty(nk)
    if nk == 1:
        zero = na - na
        out[0] = pairwise_sum(block, zero, na) / na
        return out
    for j in range(nk):
        out[j] = 0.0
    for a in range(na):
        for j in range(nk):
            out[j] += block[a * nk + j]
    for j in range(nk):
        out[j] = out[j] / na
    return out


__all__ = ["converge"]
