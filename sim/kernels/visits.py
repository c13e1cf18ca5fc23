"""Follow-up visits about unpaid bills, compiled: one loop over many compounds' visiting orders.

The rule and its reasons are :mod:`sim.compound.followup`'s; this is its arithmetic. Visit weights
are constants (1, or the party representative's weight), so there is no summation order to keep.
"""

from __future__ import annotations

from sim.kernels import jit


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


__all__ = ["follow_up"]
