"""SplitMix64 hashing of draw keys, compiled: one pass per call instead of a dozen numpy temporaries.

The arithmetic is :mod:`sim.rng`'s (Steele, Lea & Flood 2014, the SplitMix64 finaliser; Salmon et al.
2011 for counter-based generators): uint64 addition, multiplication and shifts wrap modulo 2**64 in
numba as in numpy, and the constants are typed ``uint64`` so that no operand is promoted to a signed
or floating type. :func:`mix1` and :func:`unit1` are the scalar forms for use inside other kernels
(:mod:`sim.kernels.ties`); :func:`mix`, :func:`combine`, :func:`combine_mixed`, :func:`uniform` and
:func:`draw` take uint64 arrays or scalars and broadcast like numpy. (Plain compiled loops rather than
numba ufuncs: a cached ufunc still costs ~0.2 s to set up at every import, a cached loop ~5 ms at its
first call.)
"""

from __future__ import annotations

import numpy as np

from sim.kernels import jit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TO_UNIT = 1.0 / float(1 << 53)


@jit
def mix1(z):
    """SplitMix64 finaliser of ``z + golden`` for one uint64."""
    z = z + _GOLDEN
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@jit
def unit1(h):
    """The top 53 bits of a hash as a float in [0, 1) (exact: 53 bits fit a float64 mantissa)."""
    return np.float64(h >> _S11) * _TO_UNIT


# The loops take flat arrays: the first argument element by element and the others either as one
# element each (the common case: one tick, one purpose, hashed once outside the loop, which lets
# the loop vectorise) or element by element too (see _flat).
@jit
def _mix(x, out):
    for i in range(out.size):
        out[i] = mix1(x[i])


@jit
def _combine(key, value, mixed, out):
    if value.size == 1:
        v = value[0] if mixed else mix1(value[0])
        for i in range(out.size):
            out[i] = mix1(key[i] ^ v)
    else:
        for i in range(out.size):
            out[i] = mix1(key[i] ^ (value[i] if mixed else mix1(value[i])))


@jit
def _uniform(key, tick, purpose, out):
    if tick.size == 1 and purpose.size == 1:
        t, p = mix1(tick[0]), mix1(purpose[0])
        for i in range(out.size):
            out[i] = unit1(mix1(mix1(key[i] ^ t) ^ p))
    else:
        for i in range(out.size):
            out[i] = unit1(mix1(mix1(key[i] ^ mix1(tick[i])) ^ mix1(purpose[i])))


@jit
def _draw(tick_key, purpose, out):
    if purpose.size == 1:
        p = mix1(purpose[0])
        for i in range(out.size):
            out[i] = unit1(mix1(tick_key[i] ^ p))
    else:
        for i in range(out.size):
            out[i] = unit1(mix1(tick_key[i] ^ mix1(purpose[i])))


def _flat(args):
    """The broadcast shape of uint64 ``args``, and the arguments as the loops take them.

    The first is flattened to the full size; the others stay one element each if all of them are
    single values, else every argument is broadcast to the full size.
    """
    arrays = [a if type(a) is np.ndarray and a.dtype == np.uint64 else np.asarray(a, dtype=np.uint64) for a in args]
    first = arrays[0]
    if all(a.size == 1 and a.ndim <= first.ndim for a in arrays[1:]):  # the common case, quickly
        # contiguous: a strided view (keys[::-1]) would be another numba type, compiled again
        return first.shape, _writable([np.ascontiguousarray(first).reshape(-1)] + [a.reshape(1) for a in arrays[1:]])
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    if all(a.size == 1 for a in arrays[1:]):
        return shape, _writable([_spread(first, shape)] + [a.reshape(1) for a in arrays[1:]])
    return shape, _writable([_spread(a, shape) for a in arrays])


def _spread(a, shape):
    """``a`` broadcast to ``shape`` and flattened; a view of ``a`` itself when it already has that shape."""
    return (a if a.shape == shape else np.broadcast_to(a, shape)).ravel()


def _writable(arrays):
    # numba compiles a kernel once per argument type, and a read-only array is another type (a
    # broadcast view, an array loaded read-only): copies keep every call on the writable signatures,
    # each compiled once on the first run instead of up to five times
    return [a if a.flags.writeable else a.copy() for a in arrays]


def _shaped(out, shape):
    return out.reshape(shape)[()] if shape == () else out.reshape(shape)


def mix(x):
    """:func:`sim.rng.mix` over an array."""
    shape, (a,) = _flat((x,))
    out = np.empty(a.size, dtype=np.uint64)
    _mix(a, out)
    return _shaped(out, shape)


def combine(key, value, mixed: bool = False):
    """``mix(key ^ mix(value))``, or ``mix(key ^ value)`` when ``value`` is already mixed."""
    shape, (k, v) = _flat((key, value))
    out = np.empty(k.size, dtype=np.uint64)
    _combine(k, v, mixed, out)
    return _shaped(out, shape)


def uniform(key, tick, purpose):
    """The uniform draw of ``key`` at ``tick`` for ``purpose``: ``combine(combine(key, tick), purpose)``."""
    shape, (k, t, p) = _flat((key, tick, purpose))
    out = np.empty(k.size, dtype=np.float64)
    _uniform(k, t, p, out)
    return _shaped(out, shape)


def draw(tick_key, purpose):
    """The uniform draw for ``purpose`` from a key already folded with the tick."""
    shape, (k, p) = _flat((tick_key, purpose))
    out = np.empty(k.size, dtype=np.float64)
    _draw(k, p, out)
    return _shaped(out, shape)
