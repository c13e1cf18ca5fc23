"""SplitMix64 hashing of draw keys, compiled: one pass per call instead of a dozen numpy temporaries.

The arithmetic is :mod:`sim.rng`'s (Steele, Lea & Flood 2014, the SplitMix64 finaliser; Salmon et al.
2011 for counter-based generators): uint64 addition, multiplication and shifts wrap modulo 2**64 in
numba as in numpy, and the constants are typed ``uint64`` so that no operand is promoted to a signed
or floating type. The ufuncs broadcast like numpy's own; :func:`mix1` is the scalar form for use
inside other kernels (:mod:`sim.kernels.ties`).
"""

from __future__ import annotations

import numba
import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TO_UNIT = 1.0 / float(1 << 53)


@numba.njit(inline="always", cache=True)
def mix1(z):
    """SplitMix64 finaliser of ``z + golden`` for one uint64."""
    z = z + _GOLDEN
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@numba.njit(inline="always", cache=True)
def unit1(h):
    """The top 53 bits of a hash as a float in [0, 1) (exact: 53 bits fit a float64 mantissa)."""
    return np.float64(h >> _S11) * _TO_UNIT


@numba.vectorize(["uint64(uint64)"], cache=True)
def mix(x):
    """:func:`sim.rng.mix` as a ufunc."""
    return mix1(x)


@numba.vectorize(["uint64(uint64, uint64)"], cache=True)
def combine(key, value):
    """``mix(key ^ mix(value))``."""
    return mix1(key ^ mix1(value))


@numba.vectorize(["uint64(uint64, uint64)"], cache=True)
def combine_mixed(key, mixed):
    """``mix(key ^ mixed)``, with ``mix(value)`` already computed."""
    return mix1(key ^ mixed)


@numba.vectorize(["float64(uint64, uint64, uint64)"], cache=True)
def uniform(key, tick, purpose):
    """The uniform draw of ``key`` at ``tick`` for ``purpose``: ``combine(combine(key, tick), purpose)``."""
    return unit1(mix1(mix1(key ^ mix1(tick)) ^ mix1(purpose)))


@numba.vectorize(["float64(uint64, uint64)"], cache=True)
def draw(tick_key, purpose):
    """The uniform draw for ``purpose`` from a key already folded with the tick."""
    return unit1(mix1(tick_key ^ mix1(purpose)))
