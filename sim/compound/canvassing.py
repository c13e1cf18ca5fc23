"""Canvassing: door-to-door rounds that travel along the canvassers' ties (ODD §7.5, §7.7, §7.8).

The consent drive, the ballot collection before an election and the collection before a plan vote
are rounds of door-to-door visits. A canvasser does not knock on strangers' doors: each visits up to
``CANVASS_PER_PERSON`` households a week among those someone can introduce them to — the
canvassers' own neighbours, and the neighbours of households visited earlier in the round who
support the project (A > 0.5) and pass the canvasser on. The chain therefore advances one
introduction a week, along live ties, and stops at households no supporter knows.

This is recruitment through pre-existing ties (Snow, Zurcher & Ekland-Olson 1980; McAdam &
Paulsen 1993) run as chain referral: how far and how fast a round spreads is a simple contagion on
the tie network, so it reaches further and sooner on networks with short paths (Watts & Strogatz
1998; Granovetter 1973 on bridges), and a compound whose initiators are poorly connected collects
few signatures. In Nanning the initiators, party members and building heads canvass their own
neighbours (Gao 2022 §三).

When the frontier is empty — everyone reachable has been visited, or the chain is blocked — the
round ends and a new one starts from the canvassers. When no household canvasses (the street office
leads deliberation after a failed council), staff visit households in the round's random order, as
strangers do; ``canvass_ties: false`` makes every canvasser do so (the knock-out of this channel).
"""

from __future__ import annotations

import numpy as np

from sim.constants import CANVASS_PER_PERSON
from sim.kernels import csr, visits

SUPPORTS = 0.5  # a household introduces the canvasser on when its attitude is supportive (A > 0.5)
# rounds of fewer compounds in a week are visited one by one: a run of a compound or two never
# compiles the batched loop (seconds on its first run), which pays only across many compounds
BATCH_MIN = 4


def init_state(c) -> None:
    """The round: a shuffled order (priority among reachable households) and who was visited.

    The priority and the visited flags are the compound's rows of the household columns
    ``canvass_rank`` and ``reached`` (:func:`rank`, :func:`reached`), which :func:`visit_many`
    reads for many compounds at once.
    """
    c.order = np.zeros(0, dtype=np.int64)
    c.canvass_pos = 0


def rank(c) -> np.ndarray:
    """Each household's place in the round's order (a view of the compound's rows)."""
    return c.model.hh.canvass_rank[c.lo : c.hi]


def reached(c) -> np.ndarray:
    """Who was visited in the current round (a view of the compound's rows)."""
    return c.model.hh.reached[c.lo : c.hi]


def new_round(c, order: np.ndarray) -> None:
    """Start a round in ``order`` (global ids): nobody visited yet."""
    c.order, c.canvass_pos = order, 0
    rank(c)[order - c.lo] = np.arange(order.size)
    reached(c)[:] = False


def visit(c, t: int, canvassers: np.ndarray) -> np.ndarray:
    """This week's visits by household ``canvassers`` (global ids); returns who was visited.

    Visited households get the week in ``canvassed`` (a leadership cue and a collected ballot for
    ``CUE_WINDOW`` weeks, §7.2–7.3).
    """
    if c.order.size == 0:
        return np.zeros(0, dtype=np.int64)
    if canvassers.size == 0:
        return _visit_cold(c, t, CANVASS_PER_PERSON)
    if not c.p.canvass_ties:
        return _visit_cold(c, t, CANVASS_PER_PERSON * canvassers.size)
    n = CANVASS_PER_PERSON * canvassers.size
    local = canvassers - c.lo
    frontier = _frontier(c, local)
    if not frontier.any():
        reached(c)[:] = False  # the round is over: a new one starts from the canvassers
        frontier = _frontier(c, local)
    pick = np.flatnonzero(frontier)
    pick = pick[np.argsort(rank(c)[pick], kind="stable")[:n]]
    reached(c)[pick] = True
    batch = np.sort(pick) + c.lo
    c.model.hh.canvassed[batch] = t
    return batch


def visit_many(model, t: int, rows: np.ndarray, canvassers: list, visited: np.ndarray | None = None) -> None:
    """:func:`visit` for compounds ``rows`` (in compound order) with their ``canvassers``; who was
    visited is marked in ``visited`` (a household mask) if given. Rounds along ties run in one
    compiled loop (:func:`sim.kernels.visits.tie_rounds`) when there are at least
    :data:`BATCH_MIN`; a round with no order, no canvassers, or canvassers without ties
    (``canvass_ties: false``) is visited here one compound at a time. Each compound's households and
    round are its own, so the order changes nothing.
    """
    compounds = model.compounds
    out = np.zeros(0, dtype=bool) if visited is None else visited
    fast = np.zeros(rows.size, dtype=bool)
    if rows.size >= BATCH_MIN:
        fast[:] = [along_ties(compounds[k], canvassers[r]) for r, k in enumerate(rows.tolist())]
    for r in np.flatnonzero(~fast).tolist():
        batch = visit(compounds[int(rows[r])], t, canvassers[r])
        if out.size:
            out[batch] = True
    if fast.any():
        mine = [np.asarray(canvassers[r], dtype=np.int64) for r in np.flatnonzero(fast).tolist()]
        ptr = np.concatenate([[0], np.cumsum([a.size for a in mine])]).astype(np.int64)
        h, T = model.hh, model.ties
        visits.tie_rounds(rows[fast], model.bounds, np.concatenate(mine), ptr, t, (T.indptr, T.indices, T.W.data),
                          h.A, h.reached, h.canvass_rank, h.canvassed, CANVASS_PER_PERSON, SUPPORTS, out)  # fmt: skip


def along_ties(c, canvassers: np.ndarray) -> bool:
    """Whether :func:`visit` takes the round along ties: an order, canvassers, and ``canvass_ties``."""
    return c.order.size > 0 and canvassers.size > 0 and bool(c.p.canvass_ties)


def _frontier(c, local: np.ndarray) -> np.ndarray:
    """Households not yet visited this round with a live tie to a canvasser or a supportive visitee.

    Ties are read as they stood at the end of last week (the synchronous snapshot, DESIGN.md §3).
    """
    visited = reached(c)
    relay = visited & (c.model.hh.A[c.sl] > SUPPORTS)
    relay[local] = True
    T = c.model.ties
    known = csr.knows(T.indptr, T.indices, T.W.data, c.lo, c.hi, relay)
    known[local] = False
    return known & ~visited


def _visit_cold(c, t: int, n: int) -> np.ndarray:
    """The next ``n`` households of the round's order, wrapping round (canvassers without ties)."""
    out = []
    while n > 0:
        if c.canvass_pos >= c.order.size:
            c.canvass_pos = 0
        take = c.order[c.canvass_pos : c.canvass_pos + n]
        c.canvass_pos += take.size
        n -= take.size
        out.append(take)
        if take.size == 0:
            break
    batch = np.unique(np.concatenate(out))
    c.model.hh.canvassed[batch] = t
    return batch
