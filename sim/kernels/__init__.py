"""Compiled kernels of the fast path (numba), and where their compiled code is cached.

The kernels are small loops over flat arrays that numpy would run as many passes with temporaries:
the counter-based hash (:mod:`sim.kernels.hashing`), the neighbour sums and tie lookups over the CSR
mirror (:mod:`sim.kernels.csr`), the tie dynamics (:mod:`sim.kernels.ties`), the household rule
(:mod:`sim.kernels.household`), the week's snapshot and ladder passes (:mod:`sim.kernels.weekly`),
per-compound sums in numpy's and Python's orders (:mod:`sim.kernels.sums`), a plan meeting's round
(:mod:`sim.kernels.meetings`) and the follow-up visits (:mod:`sim.kernels.visits`). Each does
exactly the arithmetic of the numpy code it replaces, in the same order (no ``fastmath``, sums in
CSR row order like scipy's ``W @ x``), so the numbers stay bit-identical; each has a unit test
against the numpy reference on random inputs.

numba compiles a kernel the first time it is called and, with ``cache=True``, keeps the machine code
on disk for the next process. Next to an installed package that folder is often read-only, so unless
the user set ``NUMBA_CACHE_DIR`` the cache goes to the user's cache folder
(``$XDG_CACHE_HOME/renosim/numba``, by default ``~/.cache/renosim/numba``), or to a folder in the
temporary directory if that cannot be written. This must happen before numba is imported.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            return True
    except OSError:
        return False


def cache_dir() -> Path:
    """The folder numba caches compiled kernels in: ``NUMBA_CACHE_DIR``, else the user's cache folder."""
    given = os.environ.get("NUMBA_CACHE_DIR")
    if given:
        return Path(given)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    for path in (base / "renosim" / "numba", Path(tempfile.gettempdir()) / f"renosim-numba-{os.getuid()}"):
        if _writable(path):
            return path
    return path


if not os.environ.get("NUMBA_CACHE_DIR"):
    os.environ["NUMBA_CACHE_DIR"] = str(cache_dir())  # worker processes inherit it

import numba  # noqa: E402  (after the cache folder is set)

if not numba.config.CACHE_DIR:  # numba was imported before us: tell it directly
    numba.config.CACHE_DIR = os.environ["NUMBA_CACHE_DIR"]


def jit(fn):
    """Compile ``fn`` in nopython mode, cached on disk; no ``fastmath``, so IEEE arithmetic as written."""
    return numba.njit(cache=True, nogil=True)(fn)


def jit_using(*modules):
    """:func:`jit`, for a kernel that compiles in functions of other ``modules`` (the rules it calls).

    numba decides whether its cached code is fresh from the kernel's own source file only, so a
    change to a rule would go on running the old compiled rule. The cache index here is stamped with
    the sources of ``modules`` too: change one and the kernel compiles again.
    """
    sources = b"".join(Path(m.__file__).read_bytes() for m in modules)
    digest = hashlib.sha256(sources).hexdigest()

    def decorate(fn):
        kernel = jit(fn)
        index = getattr(getattr(kernel, "_cache", None), "_cache_file", None)
        if index is not None and hasattr(index, "_source_stamp"):  # numba's cache index (0.5x-0.6x)
            index._source_stamp = (index._source_stamp, digest)
        return kernel

    return decorate


__all__ = ["cache_dir", "jit", "jit_using"]
