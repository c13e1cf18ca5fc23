"""The spread across runs: the same settings over many seeds, as a band behind the followed run's line.

"Most runs fall here": :func:`spread` runs one batch of :data:`RUNS` compounds (one per seed, the
followed run's seed first) with the vector executor, applying the same mid-run lever changes at the
same weeks, and keeps the 10th and 90th percentile of every measure the page shows (:mod:`workshop.measures`)
at every week. A compound's numbers do not depend on the batch it runs in (DESIGN §4), so the followed
run is one of the band's runs.

:class:`Jobs` computes bands one at a time, each in a low-priority child process, so the page stays
responsive while a band is worked out (about 6 s for 20 runs of 10 years at 150 households); results
are cached by their settings, so visitors who start from the same settings share one computation.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import warnings
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.limits import SEED
from workshop.measures import MEASURES, Track

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
"""Where ``workshop`` is imported from (a checkout run with ``solara run app.py`` is not installed)."""
RUNS = 20
"""Runs behind a band (seeds ``seed .. seed + RUNS - 1``)."""
LOW, HIGH = 10, 90
"""The band's percentiles: the middle 80 % of the runs."""


@dataclass(frozen=True)
class BandSpec:
    """Everything a band depends on; hashable, so equal settings share one computation."""

    regime: str
    n_households: int
    seed: int
    values: tuple[tuple[str, object], ...]
    changes: tuple[tuple[int, tuple[tuple[str, object], ...]], ...]
    years: int
    runs: int = RUNS

    @classmethod
    def of(cls, regime, n_households, seed, values, changes, years, runs=RUNS) -> BandSpec:
        """From plain settings: ``values`` a mapping, ``changes`` ``[(week, {lever: value}), ...]``."""
        return cls(
            regime,
            int(n_households),
            int(seed),
            tuple(sorted(dict(values).items())),
            tuple((int(w), tuple(sorted(dict(c).items()))) for w, c in changes),
            int(years),
            int(runs),
        )

    @property
    def seeds(self) -> list[int]:
        """The runs' seeds: the followed seed and the next ones (wrapping inside the allowed range)."""
        return [(self.seed + i) % (SEED[1] + 1) for i in range(self.runs)]


@dataclass
class Band:
    """The 10th and 90th percentile of every measure over the runs, week by week (NaN where too few runs have it)."""

    spec: BandSpec
    low: dict[str, np.ndarray]
    high: dict[str, np.ndarray]


def spread(spec: BandSpec) -> Band:
    """Run the band's batch to the end of the horizon and return its percentiles."""
    from sim.model import RenovationModel

    model = RenovationModel(
        regime=spec.regime,
        n_households=spec.n_households,
        years=spec.years,
        executor="vector",
        seeds=spec.seeds,
        **dict(spec.values),
    )
    track = Track(model)
    while model.week < model.n_weeks:
        for week, changes in spec.changes:
            if week == model.week:
                model.set_levers(**dict(changes))
        model.step()
        track.record()
    low, high = {}, {}
    for name in MEASURES:
        low[name], high[name] = percentiles(track.measure(name))
    return Band(spec, low, high)


def percentiles(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per week (row): the :data:`LOW` and :data:`HIGH` percentiles over the runs that have a value.

    A week where fewer than half the runs have a value (co-funding before most runs bill) has none:
    a band drawn from a few runs would not say where most runs fall.
    """
    finite = np.isfinite(values)
    enough = finite.sum(axis=1) * 2 >= values.shape[1]
    low, high = np.full(len(values), np.nan), np.full(len(values), np.nan)
    if enough.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            low[enough], high[enough] = np.nanpercentile(values[enough], [LOW, HIGH], axis=1)
    return low, high


def _lower_priority() -> None:
    # The band is background work: the page's own steps come first on a shared machine.
    try:
        os.nice(10)
    except OSError:
        pass


def spread_elsewhere(spec: BandSpec) -> Band:
    """:func:`spread` in a child process (``python -m workshop.band``), at low priority.

    A plain child with pipes, not a process pool: nothing to clean up when the server is stopped
    (no semaphores for a resource tracker to report), and nothing of the server's to re-import.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PACKAGE_ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-m", "workshop.band"], input=pickle.dumps(spec), capture_output=True, env=env, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"the band's process failed: {done.stderr.decode(errors='replace')[-300:]}")
    return pickle.loads(done.stdout)


class Jobs:
    """Bands computed one at a time in a background process, cached by :class:`BandSpec`.

    Parameters
    ----------
    cache : int
        How many finished bands to keep.
    """

    def __init__(self, cache: int = 32):
        # one thread that waits on one child at a time: two cores are shared with the page
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="renosim-band")
        self._lock = threading.Lock()
        self._futures: OrderedDict[BandSpec, Future] = OrderedDict()
        self._cache = cache

    def submit(self, spec: BandSpec) -> Future:
        """The band's future: finished at once if it was computed before, shared if it is under way."""
        with self._lock:
            future = self._futures.get(spec)
            if future is None or future.cancelled() or (future.done() and future.exception() is not None):
                future = self._futures[spec] = self._pool.submit(spread_elsewhere, spec)
            self._futures.move_to_end(spec)
            while len(self._futures) > self._cache:
                old_spec, old = next(iter(self._futures.items()))
                if not old.done():
                    break
                del self._futures[old_spec]
            return future


JOBS = Jobs()
"""The server's band computations (one at a time, shared by every visitor)."""


if __name__ == "__main__":  # the child of spread_elsewhere: a BandSpec in, a Band out (pickles)
    # by its name, not as __main__: the pickles name the classes as the server knows them
    from workshop import band

    band._lower_priority()
    sys.stdout.buffer.write(pickle.dumps(band.spread(pickle.load(sys.stdin.buffer))))
