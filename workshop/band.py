"""The spread across runs: the same settings over many seeds, as a band behind the followed run's line.

"Most runs fall here": :func:`spread` runs one batch of :data:`RUNS` compounds (one per seed, the
followed run's seed first) with the vector executor, applying the same mid-run lever changes at the
same weeks, and keeps the 10th and 90th percentile of every measure the page shows (:mod:`workshop.measures`)
at every week. A compound's numbers do not depend on the batch it runs in (DESIGN §4), so the followed
run is one of the band's runs.

:class:`Jobs` computes bands in a separate low-priority process, so the page stays responsive while a
band is worked out (about 6 s for 20 runs of 10 years at 150 households); results are cached by their
settings, so visitors who start from the same settings share one computation.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np
from loky import ProcessPoolExecutor
from loky.process_executor import BrokenProcessPool

from sim.limits import SEED
from workshop.measures import MEASURES, Track

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


class Jobs:
    """Bands computed in one background process, cached by :class:`BandSpec`.

    Parameters
    ----------
    cache : int
        How many finished bands to keep.
    """

    def __init__(self, cache: int = 32):
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._futures: OrderedDict[BandSpec, Future] = OrderedDict()
        self._cache = cache

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # loky, not fork (the server runs threads: uvicorn, play loops) nor multiprocessing's spawn
            # (which re-imports the caller's __main__); its own pool, not the experiments' reusable one
            self._pool = ProcessPoolExecutor(max_workers=1, initializer=_lower_priority)
        return self._pool

    def submit(self, spec: BandSpec) -> Future:
        """The band's future: finished at once if it was computed before, shared if it is under way."""
        with self._lock:
            future = self._futures.get(spec)
            if future is None or future.cancelled() or (future.done() and future.exception() is not None):
                try:
                    future = self._executor().submit(spread, spec)
                except BrokenProcessPool:  # the worker died (killed, out of memory): start a new one
                    self._pool = None
                    future = self._executor().submit(spread, spec)
                self._futures[spec] = future
            self._futures.move_to_end(spec)
            while len(self._futures) > self._cache:
                old_spec, old = next(iter(self._futures.items()))
                if not old.done():
                    break
                del self._futures[old_spec]
            return future

    def forget(self, spec: BandSpec) -> None:
        """Drop a band nobody waits for any more (cancelled if it has not started)."""
        with self._lock:
            future = self._futures.get(spec)
            if future is not None and not future.done() and future.cancel():
                del self._futures[spec]


JOBS = Jobs()
"""The server's band computations (one process, shared by every visitor)."""
