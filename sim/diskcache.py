"""Start-up results kept on disk between processes, keyed by their inputs and the model's code.

Some set-up results cost a noticeable share of a short run and never change for the same inputs:
the μθ calibration (:func:`sim.households.calibrate_mu_theta`) draws 2 × 131,072 Beta variates and
bisects 50 times, about 0.4 s of a 2 s ``renosim run``. This module keeps such a number in a small
file inside the compiled kernels' cache folder (:func:`sim.kernels.cache_dir`).

A stored number is only used if it was computed by the same code: the key holds the inputs, a hash
of every source file of the ``sim`` package, the numpy and scipy versions (whose special functions
make the draws) and, during a mutation-testing run, the mutant under test (mutmut picks code at run
time, so the files alone do not say which code ran). Any edit of the model's code therefore
recomputes. Numbers are stored as ``float.hex`` (exact), written atomically; a folder that cannot
be written or a damaged file just means computing again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def code_fingerprint() -> str:
    """A hash of the ``sim`` package's source files and of the numeric libraries' versions."""
    import numpy
    import scipy

    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(path.relative_to(_PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    h.update(f"numpy {numpy.__version__} scipy {scipy.__version__}".encode())
    return h.hexdigest()


def folder() -> Path:
    """Where the numbers are kept: ``startup/`` inside the compiled kernels' cache folder, so that
    emptying that folder (or pointing ``NUMBA_CACHE_DIR`` at a new one) starts from nothing."""
    from sim.kernels import cache_dir

    return cache_dir() / "startup"


def cached_float(name: str, inputs: tuple, compute: Callable[[], float]) -> float:
    """``compute()``, or the number it gave before for the same ``name``, ``inputs`` and code."""
    key = repr((name, inputs, code_fingerprint(), os.environ.get("MUTANT_UNDER_TEST", "")))
    path = folder() / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored["key"] == key:
            return float.fromhex(stored["value"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not there, unreadable or damaged: compute it
    value = float(compute())
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"key": key, "value": value.hex()}, f)
        os.replace(tmp, path)
    except OSError:  # a read-only or full cache folder: the number is still right, only not kept
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return value


__all__ = ["cached_float", "code_fingerprint", "folder"]
