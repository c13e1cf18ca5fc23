"""Element-wise functions over large arrays split across threads, with the same bits.

scipy's inverse incomplete beta (``special.betaincinv``, what :func:`sim.rng.beta` draws by) costs
about a microsecond an element and is most of building a city's households and of every newcomer's
attributes. A numpy ufunc releases the GIL in its inner loop, so cutting the array in pieces and
running the pieces on threads uses the process's other cores; every element is still computed
alone by the same function, so the result is bit-identical to one call.

How many threads: ``RENOSIM_THREADS`` if set, else ``OMP_NUM_THREADS`` if set (the local process
pool's workers and Dask's nanny workers set it to 1, so processes that share the cores do not also
share them out again), else the cores this process may use. :func:`limited` caps it for a block of
work (``--workers 1`` means one core).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: The fewest elements a piece gets: below 2 × 2,048 Beta draws the hand-offs cost about what the
#: second thread saves (4,096 draws: 3.7-4.2 ms on two threads, 4.9-5.1 ms on one; 16,384: 1.8x).
MIN_SPLIT = 2_048


def cores() -> int:
    """The cores this process may use (its CPU affinity where the system has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _from_environment() -> int:
    for name in ("RENOSIM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) >= 1:
            return int(value)
    return cores()


_threads = _from_environment()
_cap = threading.local()  # limited()'s cap, per thread: a page server may run models on several threads
_pool: tuple[int, int, ThreadPoolExecutor] | None = None  # (pid that made it, size, pool): a forked child makes its own


def threads() -> int:
    """The threads an element-wise call made from this thread may use now."""
    return min(_threads, getattr(_cap, "n", _threads))


@contextmanager
def limited(n: int) -> Iterator[None]:
    """Use at most ``n`` threads inside the block, in this thread (restored after it)."""
    before = getattr(_cap, "n", None)
    _cap.n = max(1, min(threads(), int(n)))
    try:
        yield
    finally:
        if before is None:
            del _cap.n
        else:
            _cap.n = before


def _executor(n: int) -> ThreadPoolExecutor:
    """A pool of at least ``n`` threads, made once per process."""
    global _pool
    if _pool is None or _pool[0] != os.getpid() or _pool[1] < n:
        _pool = (os.getpid(), n, ThreadPoolExecutor(max_workers=n, thread_name_prefix="renosim-ufunc"))
    return _pool[2]


def over(n: int, piece: Callable[[int, int], None], min_split: int = MIN_SPLIT) -> None:
    """``piece(lo, hi)`` over consecutive pieces of ``range(n)``, on threads; ``piece(0, n)`` if short.

    For work whose elements are computed alone (a ufunc's elements, a compiled loop's households
    that each write only their own entries): the pieces give the same bits as one call. The calling
    thread runs the first piece itself; inside a piece further splitting is off, so pieces never
    wait on the pool they run in.
    """
    k = min(threads(), n // min_split)
    if k < 2:
        piece(0, n)
        return
    cuts = [n * j // k for j in range(k + 1)]

    def alone(lo: int, hi: int) -> None:
        with limited(1):
            piece(lo, hi)

    pool = _executor(k - 1)
    rest = [pool.submit(alone, cuts[j], cuts[j + 1]) for j in range(1, k)]
    try:
        alone(cuts[0], cuts[1])
    finally:
        for f in rest:
            f.result()


def elementwise(func: Callable, *args) -> np.ndarray:
    """``func(*args)`` for a float-valued numpy ufunc over 1-D arrays (or scalars) of one length, in pieces on threads.

    Equal to the single call to the bit (a ufunc computes each element alone); used only where
    the arrays are long enough to gain and more than one thread is allowed.
    """
    import numpy as np  # here, so the command line's --help can ask for cores() without numpy

    n = max((np.size(a) for a in args if np.ndim(a) > 0), default=0)
    if min(threads(), n // MIN_SPLIT) < 2 or any(np.ndim(a) > 1 for a in args):
        return func(*args)
    arrays = [np.asarray(a) for a in args]
    out = np.empty(n, dtype=np.result_type(*[a.dtype for a in arrays], np.float64))

    def piece(lo: int, hi: int) -> None:
        func(*[a if a.ndim == 0 else a[lo:hi] for a in arrays], out=out[lo:hi])

    over(n, piece)
    return out


__all__ = ["MIN_SPLIT", "cores", "elementwise", "limited", "over", "threads"]
