"""Weekly processes of the whole batch outside the project stages (ODD §7.1, §7.11).

Events strengthen co-attendees' ties and form new ones; households move out each quarter and
newcomers arrive with a few weak ties; social capital is the share of households with a strong tie;
facilities wear and are maintained. Each acts on all compounds of a model at once.
"""

from __future__ import annotations

import numpy as np

from sim import rng
from sim.households import REP
from sim.kernels import csr
from sim.kernels import ties as tie_kernels
from sim.network import NEW_TIE_WEIGHT, NEWCOMER_TIES, NEWCOMER_WEIGHT, STRONG_TIE
from sim.rng import Purpose
from sim.rules import participation
from sim.rules.council import MIN_MEMBERS
from sim.rules.maintenance import maintenance_step
from sim.stages import Stage


def maintain(model) -> None:
    """Weekly facility upkeep of every compound (§7.11), vectorised over compounds."""
    tab = model.compound_table
    tab.M[:] = maintenance_step(tab.M, tab.social_capital, tab.fee_year, tab.body() * 1.0, model.p)


def book_complaints(model) -> None:
    """Give each compound this week's complaints and escalations from its households (§7.12)."""
    h, K = model.hh, len(model.compounds)
    tab = model.compound_table
    tab.week_complaints[:] = np.bincount(h.comp[h.complained], minlength=K)
    tab.week_escalated[:] = np.bincount(h.comp[h.escalated], minlength=K)


def seat_attendees(model, t: int) -> None:
    """Seat the households that want to attend this week's meetings and events (§7.3).

    A meeting has ``meeting_seats`` places, representatives first; an event ``event_places``. The
    rest are turned away in the order of a draw, so capacity, not intention, bounds turnout in large
    compounds.
    """
    h, p = model.hh, model.p
    for name, capacity, j in (("att_meeting", p.meeting_seats, 0), ("att_event", p.event_places, 1)):
        want = getattr(h, name)
        idx = np.flatnonzero(want)
        if idx.size <= capacity:
            continue  # fewer wishes in the whole batch than one compound's places
        # only where a compound has more wishes than places is anyone turned away (or drawn for)
        crowded = np.bincount(h.comp[idx], minlength=len(model.compounds)) > capacity
        idx = idx[crowded[h.comp[idx]]]
        if idx.size == 0:
            continue
        priority = h.role[idx] == REP if name == "att_meeting" else np.zeros(idx.size, dtype=bool)
        order = rng.uniform(h.key[idx], t, Purpose.SEAT + j)
        want[idx] = participation.seat(np.ones(idx.size, dtype=bool), h.comp[idx], priority, order, capacity)


def event_ties(model, t: int) -> bool:
    """Garden / anti-epidemic events: co-attendees' ties strengthen, some new ties form (§7.1).

    Returns whether a tie was added (the tie matrix must then be rebuilt).
    """
    h, p = model.hh, model.p
    model.ties.strengthen(h.att_event, p.delta_ev)
    # every pair of co-attendees of each compound, drawn and kept in one compiled pass
    s, d = tie_kernels.event_pairs(
        h.att_event, model.bounds, h.key, model.slot_mix, np.uint64(t), np.uint64(Purpose.EVENT_TIE), p.p_new_tie
    )
    if s.size == 0:
        return False
    fresh = ~model.ties.has(s, d)
    if not fresh.any():
        return False
    model.ties.add(s[fresh], d[fresh], np.full(int(fresh.sum()), NEW_TIE_WEIGHT))
    return True


def turnover(model, t: int) -> bool:
    """Households move out each quarter (owners 3 %/yr, renters 15 %/yr); newcomers get 2 weak ties.

    Returns whether anyone moved (the tie matrix must then be rebuilt).
    """
    h, p = model.hh, model.p
    rate = np.where(h.owner, p.turnover_owner, p.turnover_renter)
    quarterly = 1.0 - (1.0 - rate) ** (1.0 / 4.0)
    movers = np.flatnonzero(rng.uniform(h.key, t, Purpose.MOVE_OUT) < quarterly)
    if movers.size == 0:
        return False
    move_out(model, movers, t)
    return True


def move_out(model, movers: np.ndarray, t: int) -> None:
    """Households ``movers`` leave; a newcomer with fresh attributes and two weak ties takes each home.

    What they reached on the participation ladder stays in their compound's counts (§9); a
    representative's seat falls vacant (§7.7). Call :meth:`sim.network.Ties.rebuild` afterwards.
    """
    h, p = model.hh, model.p
    model.ladder.moving_out(h, movers)
    reps = movers[h.role[movers] == REP]
    losing = []
    for c in model.compounds:
        if c.council is not None and reps.size:
            mine = reps[(reps >= c.lo) & (reps < c.hi)]
            if mine.size:
                c.council.lose_member(mine)
                losing.append(c)
    model.ties.cut(movers)
    h.draw_attributes(movers, t, p, model.mu_theta)
    h.candidate[movers] = False
    for c in losing:
        # during the project a council short of members fills its seats at once; after completion at
        # its next quarterly meeting (sim.compound.management.renew)
        if c.council_active and c.stage != Stage.LONG_TERM and c.council.members.size < MIN_MEMBERS:
            c.council.by_election(t)
    comp = h.comp[movers]
    bounds = model.bounds
    src, dst = [], []
    for j in range(NEWCOMER_TIES):
        u = rng.uniform(h.key[movers], t, Purpose.NEW_TIE + j)
        n = np.diff(bounds)[comp]
        pick = np.floor(u * (n - 1)).astype(np.int64)
        local = movers - bounds[comp]
        other = np.where(pick >= local, pick + 1, pick) + bounds[comp]
        src.append(movers)
        dst.append(other)
    s, d = np.concatenate(src), np.concatenate(dst)
    lo, hi = np.minimum(s, d), np.maximum(s, d)
    code = np.unique(lo * h.n + hi)
    lo, hi = code // h.n, code % h.n
    fresh = ~model.ties.has(lo, hi)
    model.ties.add(lo[fresh], hi[fresh], np.full(int(fresh.sum()), NEWCOMER_WEIGHT))
    for c in model.compounds:
        if c.stage == Stage.FUNDRAISING:
            sl = slice(c.lo, c.hi)
            h.owed[sl] = c.required * h.area[sl] / h.area[sl].sum()


def social_capital(model) -> None:
    """Share of each compound's households with at least one strong tie (§7.1)."""
    T = model.ties
    strong = csr.row_reaches(T.indptr, T.W.data, STRONG_TIE)  # W.max(axis=1) >= 0.5, without the max
    model.compound_table.social_capital[:] = np.bincount(model.hh.comp, strong * 1.0, len(model.compounds)) / np.diff(
        model.bounds
    )
