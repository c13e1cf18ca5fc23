"""Counter-based random numbers: every draw is a pure function of its key.

A draw is keyed by ``(run seed, compound id, household slot, tick, purpose)`` and computed by chained
SplitMix64 finalisers (Steele, Lea & Flood 2014), the construction behind counter-based generators
such as Philox (Salmon et al. 2011, *Parallel random numbers: as easy as 1, 2, 3*). Because a draw
does not depend on how many draws came before it, the two executors, any batch size, any process
count and any backend see the same dice; and because the regime is not part of the key, two regimes
run on the same seed share residents, network and dice (common random numbers, DESIGN.md §4).

All functions accept numpy ``uint64`` arrays (or scalars) and broadcast; integer arithmetic wraps
modulo 2**64, which is exactly what SplitMix64 needs. The hashing itself runs as compiled loops
(:mod:`sim.kernels.hashing`), one pass over the keys however many hashes a draw chains.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from sim import parallel
from sim.kernels import hashing as _hash

_TO_UNIT = 1.0 / float(1 << 53)

# Household slots at or above this number key compound-level draws (council, contractor, ...).
COMPOUND_SLOT = 1 << 40


def mix(x):
    """SplitMix64 finaliser of ``x + golden`` (a bijection on uint64; compiled, :mod:`sim.kernels.hashing`)."""
    return _hash.mix(x)


def combine(key, value):
    """Fold ``value`` into ``key``: ``mix(key ^ mix(value))`` (broadcasting)."""
    return _hash.combine(key, value)


_MASK = (1 << 64) - 1
_G, _P1, _P2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB


def mix_int(x: int) -> int:
    """:func:`mix` on one Python int (bit-identical; for compound-level scalar draws)."""
    z = (x + _G) & _MASK
    z = ((z ^ (z >> 30)) * _P1) & _MASK
    z = ((z ^ (z >> 27)) * _P2) & _MASK
    return z ^ (z >> 31)


def uniform_int(key: int, tick: int, purpose: int) -> float:
    """:func:`uniform` for one Python-int key (bit-identical, without numpy overhead)."""
    h = mix_int(mix_int(key ^ mix_int(tick & _MASK)) ^ mix_int(purpose & _MASK))
    return (h >> 11) * _TO_UNIT


def combine_mixed(key, mixed_value):
    """:func:`combine` with ``mix(value)`` already computed (same bits, one hash fewer)."""
    return _hash.combine(key, mixed_value, mixed=True)


def compound_key(seed: int, compound: int) -> np.uint64:
    """The key of one compound of one run; its households' keys derive from it."""
    return combine(mix(np.uint64(seed)), np.uint64(compound))


def slot_keys(ckey, slots):
    """Keys of household slots (or compound-level slots) within one compound."""
    return combine(ckey, np.asarray(slots, dtype=np.uint64))


def uniform(keys, tick, purpose):
    """Uniform draws in [0, 1) for ``keys`` at ``tick`` for ``purpose``.

    ``purpose`` is a small integer from :class:`sim.rng.Purpose` (optionally plus a sub-index).
    """
    return _hash.uniform(keys, tick, purpose)


def normal(keys, tick, purpose):
    """Standard normal draws by inversion (keeps one uniform per draw)."""
    u = uniform(keys, tick, purpose)
    return special.ndtri(np.clip(u, 1e-16, 1 - 1e-16))


def beta(keys, tick, purpose, a, b):
    """Beta(a, b) draws by inversion of the regularised incomplete beta function.

    The inversion (about 1 µs a draw) runs on the cores this process may use (:mod:`sim.parallel`).
    """
    return parallel.elementwise(special.betaincinv, a, b, uniform(keys, tick, purpose))


#: Keys per inversion in :func:`betas`: bounds its temporaries (three arrays of draws x keys).
BETAS_BLOCK = 1 << 15


def betas(keys, tick, draws):
    """Several Beta draws per key in one inversion: row ``i`` equals ``beta(keys, tick, *draws[i])`` to the bit.

    ``draws`` is a sequence of ``(purpose, a, b)`` (``a`` and ``b`` scalars or arrays shaped like
    ``keys``). A newcomer's attributes are a score of Beta draws over a thousand or so households a
    quarter: together they are long enough to run on threads (:mod:`sim.parallel`), one by one not.
    Each element is still inverted alone, so the bits are those of one :func:`beta` per row.
    """
    keys = np.asarray(keys)
    m, n = len(draws), keys.size
    out = np.empty((m, n))
    for lo in range(0, n, BETAS_BLOCK):
        hi = min(n, lo + BETAS_BLOCK)
        # key by key, every draw of a key side by side: the draws' costs differ with (a, b), and
        # each thread's piece then holds its share of every kind
        u = np.empty((hi - lo, m))
        a, b = np.empty_like(u), np.empty_like(u)
        for i, (purpose, ai, bi) in enumerate(draws):
            u[:, i] = uniform(keys[lo:hi], tick, purpose)
            a[:, i] = ai if np.ndim(ai) == 0 else ai[lo:hi]
            b[:, i] = bi if np.ndim(bi) == 0 else bi[lo:hi]
        out[:, lo:hi] = parallel.elementwise(special.betaincinv, a.ravel(), b.ravel(), u.ravel()).reshape(u.shape).T
    return out


def exponential(keys, tick, purpose, mean=1.0):
    """Exponential draws with the given mean."""
    return -mean * np.log1p(-uniform(keys, tick, purpose))


def poisson_small(keys, tick, purpose, lam):
    """Poisson(lam) draws by inversion; intended for small ``lam`` (< 10)."""
    u = uniform(keys, tick, purpose)
    k = np.zeros(np.shape(u), dtype=np.int64)
    p = np.exp(-lam) * np.ones(np.shape(u))
    cdf = p.copy()
    for i in range(1, 60):
        more = u >= cdf
        if not np.any(more):
            break
        k = k + more
        p = p * lam / i
        cdf = cdf + p
    return k


class Purpose:
    """Purpose codes: one per kind of draw, so that no two mechanisms share a die.

    Values are spaced by 256 so that a mechanism can take sub-draws ``purpose + j``.
    """

    # initialisation
    OWNER = 1 << 8
    PARTY = 2 << 8
    ELDERLY = 3 << 8
    INCOME = 4 << 8
    AREA = 5 << 8
    ATTITUDE = 6 << 8
    CAPACITY = 7 << 8
    THRESHOLD = 8 << 8
    TRUST = 9 << 8
    COOP = 10 << 8
    VALUATION = 11 << 8
    CROSS_TIES = 12 << 8
    CROSS_TARGET = 13 << 8
    TIE_WEIGHT = 14 << 8
    MAINT0 = 15 << 8
    NETWORK_SEED = 16 << 8
    AVAIL = 17 << 8
    REWIRE = 18 << 8
    # weekly household rule
    ATTEND_MEETING = 20 << 8
    ATTEND_EVENT = 21 << 8
    ATTEND_VOTE = 22 << 8
    ATTEND_OTHER = 23 << 8
    CAMPAIGN_REACH = 24 << 8
    PAY = 25 << 8
    COMPLAINT = 26 << 8
    COMPLAINT_RESOLVED = 27 << 8
    SIGN = 28 << 8
    CANDIDATE = 29 << 8
    BALLOT = 30 << 8
    CONFLICT = 31 << 8
    MOVE_OUT = 32 << 8
    NEW_TIE = 33 << 8
    EVENT_TIE = 34 << 8
    QUIT = 35 << 8
    CANVASS = 36 << 8
    NOTICE = 37 << 8
    OPINION = 38 << 8
    VOICE = 39 << 8
    # compound level
    TEAM = 40 << 8
    DELAY = 41 << 8
    FALLBACK = 42 << 8
    DEFECT = 43 << 8
    DETECT = 44 << 8
    MGMT_BODY = 45 << 8
    CONVERSION = 46 << 8
    EVENT_PAIRS = 47 << 8
    TURNOVER_TIES = 48 << 8
    EXISTING_OC = 49 << 8
    SEAT = 50 << 8
    SPEAK = 51 << 8
    VOLUNTEER = 52 << 8
    ELECTION = 53 << 8


def tick_keys(keys, tick):
    """Keys folded with a tick once, so that several purposes can be drawn cheaply."""
    return _hash.combine(keys, tick)


def draw(tkeys, purpose):
    """Uniform draws for ``purpose`` from keys already folded with the tick (same as :func:`uniform`)."""
    return _hash.draw(tkeys, purpose)
