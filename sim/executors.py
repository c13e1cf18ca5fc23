"""The two executors of the household phase (DESIGN.md §3).

``vector`` gathers over neighbours with compiled CSR kernels (:mod:`sim.kernels.csr`, the sums of
the sparse mat-vecs ``W @ x`` in their order) and applies the rules of
:mod:`sim.household` to all households at once; ``agents`` asks each Mesa ``Resident`` to
``decide()``, gathering over its own ties in a Python loop. Both read the same snapshot of t−1 and
the same counter-based draws, so they produce identical numbers.
"""

from __future__ import annotations

import numpy as np

from sim import household, parallel, rng
from sim.households import REP
from sim.kernels import csr, weekly
from sim.kernels import household as hh_kernel
from sim.network import CUE_TIE
from sim.rules import participation


def snapshot(model, t: int) -> dict:
    """What neighbours can see of each household at the end of t−1.

    ``x`` active at t−1 (:func:`sim.rules.participation.is_active`); ``s`` the salience of a
    representative or of a party member of a mobilised compound (``Compound.mobilised``: its party
    multiplier above 1), else 1; ``leader`` an active one of those; ``att_event`` last week's event,
    seated (attitude answers it, §7.4); ``informed_week`` who knows of a consultation
    (:mod:`sim.ladder`). One compiled pass (:func:`sim.kernels.weekly.snapshot`).
    """
    h = model.hh
    n = h.n
    snap = {name: np.empty(n) for name in ("x", "s", "sx", "leader", "paid_cofund", "paid_month")}
    snap["is_rep"] = np.empty(n, dtype=bool)
    snap["att_event"] = np.empty(n, dtype=bool)
    snap["informed_week"] = np.empty(n, dtype=h.rung_week.dtype)
    own = (h.last_act, h.role, h.party, h.comp)
    paid = (h.paid_cofund, h.paid_month, h.att_event, h.rung_week)
    out = tuple(snap.values())
    mu_party = model.compound_table.mu_party

    def piece(lo: int, hi: int) -> None:  # each household's entries from its own: pieces on threads
        weekly.snapshot(t, participation.ACTIVE_WINDOW, REP, *(a[lo:hi] for a in own), mu_party,
                        *(a[lo:hi] for a in paid), tuple(a[lo:hi] for a in out))  # fmt: skip

    parallel.over(n, piece, weekly.MIN_SPLIT)
    return snap


# this week's acts and events of each household (sim.households.ARRAYS)
WEEK_FLAGS = (
    "att_meeting",
    "att_event",
    "att_vote",
    "att_opinion",
    "att_adopt",
    "informed",
    "complained",
    "escalated",
    "voiced",
)


def clear_week(h) -> None:
    """This week's acts start empty: households not due this week (city mode) take none."""
    for name in WEEK_FLAGS:
        getattr(h, name)[:] = False


def vector_step(model, t: int, ctx: dict, snap: dict) -> None:
    """Apply the household rule to every household due this week, with array kernels."""
    h, p, T = model.hh, model.p, model.ties
    rows = model.due_rows(t)  # a slice (everyone) or the households of compounds due this week
    clear_week(h)
    if not isinstance(rows, slice) and rows.size == 0:
        return
    who = np.arange(h.n) if isinstance(rows, slice) else rows
    for cofund in (True, False):
        billed = ctx["cofund_open"] if cofund else ctx["fee_month"]
        if not billed.any():
            continue
        idx = np.flatnonzero(billed[h.comp])
        paid_key = "paid_cofund" if cofund else "paid_month"
        nb_paid, nb_count = csr.payments(T.indptr, T.indices, T.W.data, idx, snap[paid_key])
        gp = {"nb_paid": nb_paid, "nb_count": nb_count}
        hp, cp = household.pay_inputs(h, model.bill_ratio, ctx, idx, h.comp[idx], cofund)
        tki = rng.tick_keys(h.key[idx], t)
        res = household.pay(hp, gp, cp, lambda purpose, tki=tki: rng.draw(tki, purpose), t, p)
        h.belief[idx] = res["belief"]
        if cofund:
            h.paid_cofund[idx] |= res["pays"]
        else:
            h.paid_month[idx] = res["pays"]

    def influence(lo: int, hi: int):
        # neighbour sums over t−1's snapshot and the ties, which the bills above do not touch
        return csr.influence(T.indptr, T.indices, T.W.data, who[lo:hi], snap["sx"], snap["s"], snap["x"],
                             snap["leader"], CUE_TIE)  # fmt: skip

    # the household rule itself, after the bills: paying reads the trust that complaints then move
    hh_kernel.decide(h, who, t, p, influence, ctx, snap)


def agents_step(model, t: int, ctx: dict, snap: dict) -> None:
    """Ask every Mesa resident due this week to decide, one at a time (order does not matter)."""
    due = model.due_compounds(t)
    clear_week(model.hh)
    h = model.hh
    for agent in model.residents:
        if due is None or due[h.comp[agent.idx]]:
            agent.decide(t, ctx, snap)
