"""Follow-up visits about unpaid bills, in the co-funding window and on fee months (ODD §7.9, §7.11).

Representatives (or, without a council, the manager) visit unpaid households in a shuffled order; a
visit raises the household's payment probability, and a mobilised party representative's visit
weighs more (E16: party members as the backbone of the councils).

:func:`follow_up` runs the visits of many compounds in one compiled pass (a fee month of every
compound that bills; the loop is :func:`sim.kernels.visits.follow_up`); :func:`visit_unpaid` is one
compound's.
"""

from __future__ import annotations

import numpy as np

from sim.kernels import visits
from sim.rng import Purpose
from sim.rules import payment
from sim.stages import Stage

_NONE = np.zeros(0, dtype=np.int64)


def visit_unpaid(c, paid: np.ndarray, per_visitor: int) -> None:
    """Compound ``c``'s representatives follow up its households not ``paid``; a party
    representative's visit weighs 1.5."""
    follow_up(c.model, [c], paid, np.array([per_visitor], dtype=np.int64))


def follow_up(model, compounds: list, paid: np.ndarray, per_visitor: np.ndarray) -> None:
    """The visits of each of ``compounds`` to its households not ``paid`` this week.

    Each compound's visit weights are cleared first. With an active council of at least one
    representative, ``per_visitor`` visits each, in turn; else, where someone bills after
    hand-over, the manager's ``per_visitor`` visits; else none. Unpaid households are visited in the
    compound's visiting order (the one drawn for the co-funding window or the works, or a fixed one).
    """
    visitors, orders, n = [], [], np.zeros(len(compounds), dtype=np.int64)
    party_weight = np.ones(len(compounds))
    for r, c in enumerate(compounds):
        reps = c.council.visitors() if c.council is not None else _NONE
        if c.council_active and reps.size:
            n[r] = per_visitor[r] * reps.size
            if c.mobilised:
                party_weight[r] = payment.PARTY_VISIT_WEIGHT
        elif c.bills and c.stage == Stage.LONG_TERM:
            n[r], reps = per_visitor[r], _NONE
        else:
            reps = _NONE
        visitors.append(reps)
        orders.append(c.visit_order if c.visit_order.size or not n[r] else c.shuffle(0, Purpose.CANVASS + 5))
    bounds = np.array([(c.lo, c.hi) for c in compounds], dtype=np.int64).reshape(-1, 2)
    visits.follow_up(
        model.hh.visit_weight,
        paid,
        model.hh.party,
        bounds,
        *_flat(orders),
        n,
        *_flat(visitors),
        party_weight,
    )


def _flat(arrays: list) -> tuple[np.ndarray, np.ndarray]:
    """Ragged arrays as one array and the offsets of each."""
    if len(arrays) == 1:  # one compound (a co-funding window's week): no copy
        a = arrays[0].astype(np.int64, copy=False)
        return a, np.array([0, a.size], dtype=np.int64)
    ptr = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum([a.size for a in arrays], out=ptr[1:])
    return (np.concatenate(arrays).astype(np.int64, copy=False) if arrays else _NONE), ptr
