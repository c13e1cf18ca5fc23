"""Household state as a struct of numpy arrays (ODD §3, §6), and its initialisation.

One slot per household, all compounds of a run side by side, numbered compound by compound. The Mesa
``Resident`` agents (agents/resident.py) are readable views onto these arrays. Attribute draws come
from the counter-based generator keyed by (seed, compound, slot, tick, purpose), so a replacement
household moving in at week t is drawn from its own dice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import special

from sim import diskcache, items, rng
from sim.errors import InputError
from sim.rng import Purpose
from sim.rules import intention as rules

INIT_TICK = 1 << 32  # tick used for the initial draws, never reached by a run
MEAN_AREA = 90.0  # m² per household in the 2019 stock (E8)
LOW, MID, HIGH = 0, 1, 2
NONE, INITIATOR, REP = 0, 1, 2
NEVER = -(10**9)


@dataclass(frozen=True)
class Array:
    """One household array: its name, dtype, starting value and meaning (ODD §3)."""

    name: str
    dtype: type
    meaning: str
    fill: float = 0
    columns: int = 0  # 0: one value per household; else a (households × columns) table


# every household array, declared once; the Resident agent and both executors read these names.
# Integers take the narrowest type that holds every value they can reach (memory per household):
# weeks and NEVER fit int32, category codes int8.
ARRAYS: tuple[Array, ...] = (
    Array("area", np.float64, "floor area of the dwelling (m²), sets the bill share"),
    Array("A", np.float64, "attitude toward the renovation (0–1), TPB"),
    Array("cap", np.float64, "capacity: time, health and skills to take part (0–1)"),
    Array("theta", np.float64, "participation threshold of the intention score"),
    Array("trust", np.float64, "trust in the organisers (0–1)"),
    Array("belief", np.float64, "belief about the share of others who pay (0–1)"),
    Array("I", np.float64, "intention to take part (0–1)"),
    Array("I_proc", np.float64, "intention to take a procedural act: a ballot, a signature, an opinion (0–1)"),
    Array("PBC", np.float64, "perceived behavioural control (0–1)"),
    Array("sat", np.float64, "satisfaction with what was delivered (0–1)"),
    Array("owed", np.float64, "the household's co-funding bill (yuan)"),
    Array("paid_amount", np.float64, "co-funding paid (yuan)"),
    Array("unmet", np.float64, "share of its demanded items left off the plan"),
    Array("visit_weight", np.float64, "weight of this week's follow-up visit about an unpaid bill (0 = none)"),
    Array("v", np.float64, "valuation of each renovation item", columns=items.N_ITEMS),
    Array("owner", np.bool_, "owner-occupier (else a renter)"),
    Array("party", np.bool_, "a CPC member lives here"),
    Array("elderly", np.bool_, "an elderly household"),
    Array("paid_cofund", np.bool_, "paid its co-funding share this window"),
    Array("paid_month", np.bool_, "paid this month's fee"),
    Array("visited", np.bool_, "visited about an unpaid bill"),
    Array("met", np.bool_, "attended a plan meeting"),
    Array("conflict", np.bool_, "clashed at last week's meeting"),
    Array("candidate", np.bool_, "in the council's candidate pool"),
    Array("signed", np.bool_, "signed the consent drive"),
    Array("ever_rep", np.bool_, "has been a representative"),
    Array("att_meeting", np.bool_, "attended this week's meeting"),
    Array("att_event", np.bool_, "attended this week's event"),
    Array("att_vote", np.bool_, "voted this week"),
    Array("att_opinion", np.bool_, "gave its view in a consultation this week"),
    Array("att_adopt", np.bool_, "acted on intention alone this week (the linear-threshold limit, §7.3)"),
    Array("informed", np.bool_, "a campaign reached it this week"),
    Array("voiced", np.bool_, "took this week's complaint further as a petition or formal opinion"),
    Array("supervisor", np.bool_, "serves on the residents' supervision team of the works"),
    Array("avail", np.float64, "chance the household is free at a scheduled time (meetings, events, rota)"),
    Array("complained", np.bool_, "complained this week"),
    Array("escalated", np.bool_, "this week's complaint went unresolved to the street office"),
    Array("last_act", np.int32, "week of its last own participation act (consulted or higher)", fill=NEVER),
    Array("rung_week", np.int32, "last week it reached at least each rung of the ladder", fill=NEVER, columns=4),
    Array("proposal", np.int32, "item it proposed at a plan meeting (-1: none)", fill=-1),
    Array("canvassed", np.int32, "week it was last canvassed", fill=NEVER),
    Array("role", np.int8, "NONE, INITIATOR or REP"),
    Array("income", np.int8, "income tier: LOW, MID or HIGH"),
    Array("coop", np.int8, "payment type (free rider, conditional, hump-shaped, unconditional)"),
    # its compound's canvassing round (sim.compound.canvassing): compound state kept per household,
    # so that the rounds of many compounds can be run in one pass
    Array("canvass_rank", np.int32, "its place in the visiting order of its compound's canvassing round"),
    Array("reached", np.bool_, "visited in its compound's current canvassing round"),
)


class Households:
    """Struct of arrays, one element per household: the :data:`ARRAYS` plus the fixed identity
    arrays ``comp`` (compound index), ``slot`` (place in the compound), ``key`` (its draw key) and
    ``building``."""

    def __init__(self, comp: np.ndarray, slot: np.ndarray, keys: np.ndarray, building: np.ndarray):
        n = comp.size
        self.n = n
        self.comp = comp
        self.slot = slot
        self.key = keys
        self.building = building
        self.pi_party: np.ndarray | None = None  # city stocks: each household's party probability (§7.13)
        for a in ARRAYS:
            shape = (n, a.columns) if a.columns else n
            setattr(self, a.name, np.full(shape, a.fill, dtype=a.dtype))

    def draw_attributes(self, idx, tick: int, p, mu_theta) -> None:
        """Draw fresh attributes for households ``idx`` (initialisation or a newcomer moving in)."""
        k = self.key[idx]
        if tick == INIT_TICK:
            # tenure belongs to the dwelling: a newcomer to a rented flat rents, to an owned flat owns
            self.owner[idx] = rng.uniform(k, tick, Purpose.OWNER) < p.p_owner
        pi = p.pi_party if self.pi_party is None else self.pi_party[idx]
        party = rng.uniform(k, tick, Purpose.PARTY) < pi
        self.party[idx] = party
        elderly = rng.uniform(k, tick, Purpose.ELDERLY) < p.p_elderly
        self.elderly[idx] = elderly
        u = rng.uniform(k, tick, Purpose.INCOME)
        self.income[idx] = np.where(u < 0.3, LOW, np.where(u < 0.8, MID, HIGH))
        self.area[idx] = MEAN_AREA * (1 + 0.3 * (2 * rng.uniform(k, tick, Purpose.AREA) - 1))
        # one inversion for every Beta attribute (sim.rng.betas): the four below, then the valuations
        named = [
            (Purpose.ATTITUDE, 4.0, 1.81),
            (Purpose.CAPACITY, 2.0, 2.0),
            (Purpose.TRUST, 2.0, 2.0),
            (Purpose.AVAIL, *availability_beta(elderly, p)),
        ]
        valuations = [(Purpose.VALUATION + j, items.BETA_A[j], items.BETA_B[j]) for j in range(items.N_ITEMS)]
        draws = rng.betas(k, tick, named + valuations)
        attitude, capacity, trust, avail = draws[: len(named)]
        self.A[idx] = np.minimum(1.0, attitude + 0.15 * party)
        self.cap[idx] = capacity * np.where(elderly, 0.8, 1.0)
        self.theta[idx] = draw_thresholds(k, tick, p, mu_theta, self.comp[idx]) * np.where(party, 0.7, 1.0)
        self.trust[idx] = trust
        self.avail[idx] = avail
        u = rng.uniform(k, tick, Purpose.COOP)
        c1 = p.share_free_rider
        c2 = c1 + p.share_hump
        c3 = c2 + p.share_unconditional
        self.coop[idx] = np.where(u < c1, 1, np.where(u < c2, 2, np.where(u < c3, 3, 0)))
        self.v[idx] = draws[len(named) :].T
        self.belief[idx] = p.belief0
        self.sat[idx] = 0.5
        self.I[idx] = 0.0
        self.PBC[idx] = 0.0
        for name in (
            "paid_cofund",
            "paid_month",
            "visited",
            "met",
            "conflict",
            "candidate",
            "signed",
            "ever_rep",
            "supervisor",
        ):
            getattr(self, name)[idx] = False
        self.role[idx] = NONE
        self.last_act[idx] = NEVER
        self.rung_week[idx] = NEVER
        self.proposal[idx] = -1
        self.canvassed[idx] = NEVER
        self.owed[idx] = 0.0
        self.paid_amount[idx] = 0.0
        self.unmet[idx] = 0.0
        self.visit_weight[idx] = 0.0


AVAIL_CONCENTRATION = 1.5  # a + b of the Beta availabilities: households differ widely in free time [A]


def availability_beta(elderly, p):
    """The (a, b) of each household's availability, the chance of being free at a scheduled time: a
    Beta with mean ``avail_elderly`` or ``avail_working``.

    Time is the resource in-person participation costs most (Verba, Schlozman & Brady 1995, the civic
    voluntarism model): working households are tied by hours of work (urban employees average ≈ 48
    hours a week in China's labour-force surveys), retirees have the time, and Chinese studies find
    older residents the most present at community meetings (Chen et al. 2022, Land 11:790). A fixed
    attribute, so the same households come meeting after meeting.
    """
    mean = np.where(elderly, p.avail_elderly, p.avail_working)
    c = AVAIL_CONCENTRATION
    return mean * c, (1.0 - mean) * c


def draw_thresholds(keys, tick: int, p, mu_theta, comp=None):
    """Thresholds θ by ``theta_dist`` (ODD §5): the distribution Granovetter (1978) shows decides cascades.

    ``normal``: N(μθ, σθ) truncated to [0, 1]. ``fixed``: every θ = μθ (Watts 2002's uniform
    threshold φ). ``uniform_grid``: at initialisation the households of a compound get θ = r/(n − 1)
    for r = 0..n−1 in a random order — Granovetter's uniform distribution, one household at each
    step, so that household r joins once r others have; a newcomer later draws θ ~ U(0, 1).
    """
    u = rng.uniform(keys, tick, Purpose.THRESHOLD)
    if p.theta_dist == "normal":
        return truncated_normal(u, mu_theta, p.sigma_theta)
    if p.theta_dist == "fixed":
        return np.full(np.shape(u), float(mu_theta))
    if tick != INIT_TICK or comp is None:
        return u
    theta = np.empty(np.shape(u))
    for c in np.unique(comp):
        mine = np.flatnonzero(comp == c)
        rank = np.empty(mine.size)
        rank[np.lexsort((mine, u[mine]))] = np.arange(mine.size)
        theta[mine] = rank / max(1, mine.size - 1)
    return theta


def seed_activists(h, ties, bounds, p) -> None:
    """Make ``initial_activists`` households of each compound active at t0 (ODD §5).

    ``random``: a random draw; ``party``: party members first (then random); ``degree``: the
    households with most ties first (Watts & Dodds 2007 on influentials; Kempe, Kleinberg & Tardos
    2003 for degree as a seeding heuristic). They count as having acted in week −1, so the
    neighbours of week 0 see them active.
    """
    n_act = int(p.initial_activists)
    if n_act <= 0:
        return
    degree = np.diff(ties.indptr).astype(float)
    u = rng.uniform(h.key, INIT_TICK, Purpose.THRESHOLD + 1)
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if p.initial_activist_targeting == "party":
            first = -h.party[lo:hi].astype(float)
        elif p.initial_activist_targeting == "degree":
            first = -degree[lo:hi]
        else:
            first = np.zeros(hi - lo)
        order = np.lexsort((np.arange(hi - lo), u[lo:hi], first))
        chosen = order[: min(n_act, hi - lo)] + lo
        h.last_act[chosen] = -1
        h.rung_week[chosen, :2] = -1  # consulted and informed (sim.ladder.reach, which imports this module)


def truncated_normal(u, mu, sigma):
    """N(μ, σ) truncated to [0, 1], by inversion of one uniform."""
    if sigma <= 0:
        return np.clip(np.full(np.shape(u), mu, dtype=float), 0.0, 1.0)
    a = special.ndtr((0.0 - mu) / sigma)
    b = special.ndtr((1.0 - mu) / sigma)
    q = np.clip(a + u * (b - a), 1e-15, 1 - 1e-15)
    return np.clip(mu + sigma * special.ndtri(q), 0.0, 1.0)


def baseline_score(A, cap, theta, n_households: int, p, owner=True):
    """z at t0, the survey baseline: nobody active, no channel, no levers (TC = 0.40), N = n0.

    The calibration (:func:`calibrate_mu_theta`) scores households as owners, since the survey asked
    owners (E10); ``owner`` gives renters their stake (:func:`sim.rules.intention.stake`).
    """
    tc0 = rules.transaction_cost(0.0, 0.0, 0.0, 0.0)
    pbc = rules.perceived_control(cap, tc0, rules.efficacy(n_households))
    return rules.intention_score(A, p.n0, pbc, theta, p, 1.0 if owner is True else rules.stake(owner, p))


_CAL_SAMPLES = 1 << 17


@lru_cache(maxsize=256)
def _calibrate(sizes: tuple, key: tuple) -> float:
    """The bisection's μθ, kept in this process and on disk (:mod:`sim.diskcache`): the same inputs
    and code give the same number, and later processes skip the draws."""
    return diskcache.cached_float("mu_theta", (sizes, key), lambda: _bisect(sizes, key))


def _bisect(sizes: tuple, key: tuple) -> float:
    p = _FrozenParams(key)
    keys = rng.slot_keys(rng.compound_key(0x5EED, 0), np.arange(_CAL_SAMPLES))
    party = rng.uniform(keys, 0, Purpose.PARTY) < p.pi_party
    elderly = rng.uniform(keys, 0, Purpose.ELDERLY) < p.p_elderly
    A = np.minimum(1.0, rng.beta(keys, 0, Purpose.ATTITUDE, 4.0, 1.81) + 0.15 * party)
    cap = rng.beta(keys, 0, Purpose.CAPACITY, 2.0, 2.0) * np.where(elderly, 0.8, 1.0)
    u_theta = rng.uniform(keys, 0, Purpose.THRESHOLD)
    if len(sizes) == 1:
        n = sizes[0]
    else:
        # a household-weighted draw of compound sizes: the survey sampled households city-wide
        arr = np.asarray(sizes, dtype=float)
        cdf = np.cumsum(arr) / arr.sum()
        pick = np.searchsorted(cdf, rng.uniform(keys, 0, Purpose.AREA), side="right")
        n = arr[np.minimum(pick, arr.size - 1)]
    lo, hi = -0.5, 1.5
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        theta = truncated_normal(u_theta, mid, p.sigma_theta) * np.where(party, 0.7, 1.0)
        share = np.mean(baseline_score(A, cap, theta, n, p) > 0)
        if share > p.target_willingness:
            lo = mid
        else:
            hi = mid
    return float(np.clip(0.5 * (lo + hi), 0.0, 1.0))


_CAL_FIELDS = ("pi_party", "p_elderly", "sigma_theta", "target_willingness", "w_A", "w_N", "w_P", "n0", "logit_T")


class _FrozenParams:
    def __init__(self, key: tuple):
        for name, value in zip(_CAL_FIELDS, key, strict=True):
            setattr(self, name, value)


def calibrate_mu_theta(n_households, p) -> float:
    """μθ that gives the survey's willingness (36 %, E13) at t0.

    Bisection over μθ on 131,072 fixed draws of the household attributes (ODD §6: 'calibrate it by
    bisection at start-up for the chosen compound size'). ``n_households`` is one compound size, or a
    sequence of sizes (city mode): then the target is the household-weighted willingness across them,
    as in a city-wide survey. Cached per sizes and parameter set.
    """
    if p.mu_theta is not None:
        return float(p.mu_theta)
    if p.theta_dist == "fixed":
        raise InputError("theta_dist = 'fixed' needs mu_theta (the common threshold); got mu_theta = null")
    if p.theta_dist != "normal":
        return math.nan  # uniform_grid does not use μθ
    sizes = (int(n_households),) if np.ndim(n_households) == 0 else tuple(int(x) for x in n_households)
    if len(set(sizes)) == 1:
        sizes = sizes[:1]
    return _calibrate(sizes, tuple(getattr(p, f) for f in _CAL_FIELDS))
