"""The participation ladder: how far up each household went (ODD §9; Arnstein 1969, the IAP2 spectrum).

Every act a household takes, or a staff member takes toward it, lands on one rung:

==============  =====================================================================================
rung            what the household did (or what was done for it)
==============  =====================================================================================
informed        received a notice, a canvassing or follow-up visit, a campaign or a platform push
consulted       gave its view: an opinion in a consultation, a consent signature, a ballot, a petition
involved        took part in person: a plan or management meeting, an event, the supervision team, or
                stood for the council
co_deciding     held decision power: an initiator or representative, or a proposal it made at a meeting
                that went into the adopted plan
==============  =====================================================================================

Informed is done *to* a household; the three rungs above it are its own acts, so the headline
participation outcome (``participation_rate``) is the share that reached at least *consulted*: the
share that took part at all. Arnstein's lower rungs (informing, consultation) are what she called
tokenism; field studies of Chinese neighbourhood renewal find participation concentrated there
(Chen et al. 2022, Land 11:790).

State: ``Households.rung_week[i, r - 1]`` is the last week household ``i`` reached at least rung ``r``
(reaching a rung reaches every rung below it, so the columns never increase from left to right). The
highest rung reached since week ``s`` is then the number of columns at or after ``s``. Shares are
counted over every household that lived in the compound during a phase — the project phase (up to
completion) and the management phase after it — movers included: a :class:`LadderBook` keeps what
the households that moved out had reached.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from sim.households import NONE
from sim.kernels import weekly
from sim.rng import Purpose, mix_int


class Rung(IntEnum):
    NONE = 0
    INFORMED = 1
    CONSULTED = 2
    INVOLVED = 3
    CO_DECIDING = 4

    @property
    def label(self) -> str:
        return self.name.lower()


RUNGS = (Rung.INFORMED, Rung.CONSULTED, Rung.INVOLVED, Rung.CO_DECIDING)
NAMES = tuple(r.label for r in RUNGS)
HEADLINE = Rung.CONSULTED  # participation_rate: the share that took part at all (ODD §9)
PHASES = ("project", "mgmt")
PROJECT, MGMT = 0, 1
# groups the shares are broken down by; "all" first
GROUPS = ("all", "owner", "renter", "elderly", "party")
NOTICE_PURPOSE = np.uint64(mix_int(Purpose.NOTICE))  # the notice draw's purpose, mixed once


def reach(h, idx, rung: Rung, t: int) -> None:
    """Household(s) ``idx`` reached ``rung`` in week ``t`` (and so every rung below it).

    An own act (consulted or higher) is also the household's latest participation act, which its
    neighbours see as activity (``last_act``, ODD §7.2–7.3).
    """
    h.rung_week[idx, : int(rung)] = t
    if rung >= Rung.CONSULTED:
        h.last_act[idx] = t


def highest(rung_week: np.ndarray, since) -> np.ndarray:
    """Highest rung reached at or after week ``since`` (a scalar or one week per row); 0 if none."""
    since = np.asarray(since)
    if since.ndim:
        since = since[:, None]
    return (rung_week >= since).sum(axis=1)


def recent(rung_week: np.ndarray, t: int, window: int) -> np.ndarray:
    """Whether each household reached at least each rung in the ``window`` weeks up to week ``t``."""
    return (t - rung_week) < window


def group_masks(h, idx) -> np.ndarray:
    """Membership of households ``idx`` in :data:`GROUPS` (groups × households)."""
    owner = h.owner[idx].astype(bool)
    groups = [np.ones(owner.shape, dtype=bool), owner, ~owner, h.elderly[idx], h.party[idx]]
    return np.stack(groups).astype(bool)


def tally(comp: np.ndarray, rung: np.ndarray, groups: np.ndarray, n_compounds: int) -> np.ndarray:
    """Counts of households by compound, group and highest rung: (compounds × groups × 5)."""
    out = np.zeros((n_compounds, len(GROUPS), len(Rung)), dtype=np.int64)
    for g in range(len(GROUPS)):
        m = groups[g]
        np.add.at(out[:, g, :], (comp[m], rung[m]), 1)
    return out


def at_least(counts: np.ndarray) -> np.ndarray:
    """Shares reaching at least each rung of :data:`RUNGS` from counts by rung (last axis); NaN if empty."""
    counts = np.asarray(counts, dtype=float)
    total = counts.sum(axis=-1, keepdims=True)
    above = np.cumsum(counts[..., ::-1], axis=-1)[..., ::-1][..., 1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, above / np.where(total > 0, total, 1.0), np.nan)


def record_week(model, t: int, ctx: dict) -> None:
    """Put this week's acts of every household on the ladder (after the compounds have acted).

    The acts of the household phase (:func:`sim.household.intend_and_act`, :func:`~sim.household.complain`)
    and the office holders are read here; acts that belong to one stage are put on the ladder by
    that stage's procedure (a consent signature, standing for the council, the supervision rota, an
    adopted proposal).
    """
    h = model.hh
    flags = (h.informed, h.att_vote, h.att_opinion, h.voiced, h.att_adopt, h.att_meeting, h.att_event)
    # the rungs' acts as listed in the module's table; a visit (canvassing or follow-up) informs, and
    # a notice informs whom it reaches (a draw, :data:`NOTICE_PURPOSE`); office holders co-decide
    weekly.ladder_week(t, NONE, h.comp, flags, h.canvassed, h.visit_weight, h.role, h.key, ctx["notice"],
                       ctx["tau_info"], model.p.notice_reach, NOTICE_PURPOSE, h.rung_week, h.last_act)  # fmt: skip


class LadderBook:
    """Each compound's ladder counts over the households that lived there in a phase, movers included.

    ``start[k]`` is the week compound ``k``'s project phase began (0 in compound mode; a city
    compound's current project), ``handover[k]`` the week its management phase began (or -1).
    ``moved[k, phase]`` counts the movers of a phase by group and highest rung; ``frozen[k]`` holds
    the project phase's counts of the households present at hand-over.
    """

    def __init__(self, n_compounds: int):
        K = n_compounds
        self.start = np.zeros(K, dtype=np.int64)
        self.handover = np.full(K, -1, dtype=np.int64)
        self.moved = np.zeros((K, 2, len(GROUPS), len(Rung)), dtype=np.int64)
        self.frozen = np.zeros((K, len(GROUPS), len(Rung)), dtype=np.int64)

    def phase_start(self, k) -> np.ndarray:
        """The week the current phase of compound(s) ``k`` began."""
        return np.where(self.handover[k] >= 0, self.handover[k], self.start[k])

    def new_project(self, k: int, t: int) -> None:
        """A project starts (city mode: a second project after a top-down one): counts start afresh."""
        self.start[k], self.handover[k] = t, -1
        self.moved[k] = 0
        self.frozen[k] = 0

    def moving_out(self, h, movers: np.ndarray) -> None:
        """Book what households about to move out had reached in their compound's current phase."""
        k = h.comp[movers]
        rung = highest(h.rung_week[movers], self.phase_start(k))
        phase = (self.handover[k] >= 0).astype(np.int64)
        g = group_masks(h, movers)
        for p in (PROJECT, MGMT):
            sel = phase == p
            if sel.any():
                self.moved[:, p] += tally(k[sel], rung[sel], g[:, sel], self.moved.shape[0])

    def hand_over(self, h, k: int, lo: int, hi: int, t: int) -> None:
        """Compound ``k`` completed: freeze its project counts; the management phase starts."""
        idx = np.arange(lo, hi)
        rung = highest(h.rung_week[idx], self.start[k])
        self.frozen[k] = tally(np.zeros(idx.size, dtype=np.int64), rung, group_masks(h, idx), 1)[0]
        self.handover[k] = t

    def counts(self, h, k: int, lo: int, hi: int) -> np.ndarray:
        """(phase × group × rung) counts of compound ``k`` as of now."""
        idx = np.arange(lo, hi)
        g = group_masks(h, idx)
        out = self.moved[k].copy()
        now = tally(np.zeros(idx.size, dtype=np.int64), highest(h.rung_week[idx], self.phase_start(k)), g, 1)[0]
        if self.handover[k] >= 0:
            out[PROJECT] += self.frozen[k]
            out[MGMT] += now
        else:
            out[PROJECT] += now
        return out


__all__ = [
    "GROUPS",
    "HEADLINE",
    "LadderBook",
    "MGMT",
    "NAMES",
    "PHASES",
    "PROJECT",
    "RUNGS",
    "Rung",
    "at_least",
    "group_masks",
    "highest",
    "reach",
    "recent",
    "record_week",
    "tally",
]
