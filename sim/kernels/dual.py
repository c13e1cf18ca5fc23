"""Rules written once, run three ways: on numpy arrays, on one resident's scalars, and compiled.

A function of :mod:`sim.rules` decorated with :func:`rule` stays the plain Python function it is
(numpy on arrays for the vector executor's array passes and the stage procedures, numpy scalars
for ``Resident.decide``) and can also be called from a compiled kernel
(:mod:`sim.kernels.household`), where numba compiles the same source for one household's floats.
The rule's formulas are therefore in one place whatever runs them.

Two numpy calls do not mean the same for scalars in compiled code: ``np.where`` and ``np.clip``
there return 0-d arrays (an allocation per household). :func:`where` and :func:`clip` are numpy's on
arrays and plain comparisons on scalars when compiled; the arithmetic, and so every bit of the
result, is the same (no ``fastmath``; ``clip`` is ``minimum(maximum(x, lo), hi)`` as numpy's).
Transcendental functions (``exp``, ``**`` with a non-integer exponent) are not compiled: numpy's
vectorised ones and the C library's differ in the last bit for a few per cent of arguments on
machines with AVX-512, so kernels leave them to numpy (see :mod:`sim.kernels.household`).
"""

from __future__ import annotations

import numpy as np
from numba import types
from numba.extending import overload, register_jitable


def rule(fn):
    """Mark a rule's formula as callable from compiled kernels too (it stays the Python function)."""
    return register_jitable(fn)


def where(cond, a, b):
    """``np.where(cond, a, b)``; on scalars in compiled code, ``a if cond else b``."""
    return np.where(cond, a, b)


def clip(x, lo, hi):
    """``np.clip(x, lo, hi)``; on scalars in compiled code, ``minimum(maximum(x, lo), hi)``."""
    return np.clip(x, lo, hi)


def _scalars(*args) -> bool:
    return all(isinstance(a, types.Number | types.Boolean) for a in args)


@overload(where)
def _where(cond, a, b):
    if _scalars(cond, a, b):
        return lambda cond, a, b: a if cond else b
    return lambda cond, a, b: np.where(cond, a, b)


@overload(clip)
def _clip(x, lo, hi):
    if _scalars(x, lo, hi):
        return lambda x, lo, hi: np.minimum(np.maximum(x, lo), hi)
    return lambda x, lo, hi: np.clip(x, lo, hi)


__all__ = ["clip", "rule", "where"]
