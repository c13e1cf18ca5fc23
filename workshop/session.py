"""One side of the page: a model, the settings it runs under, and how to step, change and branch it.

A :class:`Session` is created by the page for one visitor (never at module level), so every visitor
has models of their own. The play loop steps the model in a worker thread while the page reads it
for drawing; a lock keeps a reader from seeing a half-done week.

Levers move in two ways: before the first step a change rebuilds the model (the run simply starts
with it); later it applies from the current week on (:meth:`sim.model.RenovationModel.set_levers`),
and the page marks the week on the time axis. :meth:`Session.branch` copies the model as it stands,
so a second side can try another lever from this week with the same history behind both.
"""

from __future__ import annotations

import copy
import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.model import RenovationModel
from workshop.band import BandSpec
from workshop.measures import Track

EXECUTOR = "vector"
"""The page runs the array executor: the same numbers as the per-agent one (DESIGN §3), about 40
times faster per week here (1 ms against 44 ms for 150 households), which leaves the page's time for
drawing; Mesa's own page (``renosim viz --mesa``) runs the per-agent executor."""

YEARS = 10
"""Length of a workshop run in years (520 weekly steps)."""

_serials = itertools.count()


@dataclass
class Snapshot:
    """What the page draws of the network and the status lines at one moment (compound 0)."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    status: dict[str, Any]
    running: bool
    week: int


@dataclass(eq=False)  # identity, not field equality: each session is its own model
class Session:
    """A model and the settings it was built from.

    Parameters
    ----------
    regime : str
    n_households : int
    seed : int
        The run seed (``rng=`` of the model).
    values : dict
        Lever settings at week 0, passed to the model as keyword arguments.
    years : int, default :data:`YEARS`
    executor : str, default :data:`EXECUTOR`

    Attributes
    ----------
    serial : int
        Unique per session object in this process; a new one for every rebuild or branch.
    model : RenovationModel or None
        None if the settings were refused; then ``error`` says why in one line.
    values : dict
        The levers as they stand now (week-0 values plus every change since).
    start_values : dict
        The levers the run started with.
    branched_at : int or None
        The week this side was copied from another (:meth:`branch`).
    track : Track
        The page's measures week by week.
    """

    regime: str
    n_households: int
    seed: int
    values: dict[str, Any]
    years: int = YEARS
    executor: str = EXECUTOR
    serial: int = field(default_factory=_serials.__next__, init=False)
    model: RenovationModel | None = field(default=None, init=False)
    error: str | None = field(default=None, init=False)
    start_values: dict[str, Any] = field(default_factory=dict, init=False)
    branched_at: int | None = field(default=None, init=False)
    track: Track | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.values = dict(self.values)
        self.start_values = dict(self.values)
        try:
            self.model = RenovationModel(
                regime=self.regime,
                n_households=int(self.n_households),
                years=self.years,
                executor=self.executor,
                rng=int(self.seed),
                **self.values,
            )
        except Exception as exc:  # noqa: BLE001 -- shown on the page, not a crash of the server
            self.error = " ".join(str(exc).split()) or type(exc).__name__
            return
        self.track = Track(self.model)

    @property
    def running(self) -> bool:
        """Whether the model can take another step."""
        return self.model is not None and bool(self.model.running)

    @property
    def week(self) -> int:
        """Weeks run so far."""
        return int(self.model.week) if self.model is not None else 0

    @property
    def changes(self) -> tuple[tuple[int, dict], ...]:
        """Every lever change during the run: (the week it counts from, the levers and new values)."""
        return tuple(self.model.lever_changes) if self.model is not None else ()

    def step(self, weeks: int = 1) -> None:
        """Advance up to ``weeks`` weeks (fewer if the run ends first)."""
        if self.model is None:
            return
        with self._lock:
            for _ in range(max(1, int(weeks))):
                if not self.model.running:
                    break
                self.model.step()
                self.track.record()

    def step_to(self, week: int) -> None:
        """Advance until the model's week reaches ``week`` (a new side catching up with the other)."""
        if self.model is not None and week > self.week:
            self.step(week - self.week)

    def restarted(self, values: dict[str, Any] | None = None) -> Session:
        """The same compound and seed from week 0, with ``values`` (default: the levers as they stand now)."""
        return Session(
            self.regime,
            self.n_households,
            self.seed,
            dict(self.values if values is None else values),
            self.years,
            self.executor,
        )

    def set_levers(self, changes: dict[str, Any]) -> Session:
        """Move levers: before the first week a new run with them, later from the current week on.

        Returns the session to show from now on (a new one before the first week, else ``self``).
        """
        if self.model is None or self.week == 0:
            return self.restarted({**self.values, **changes})
        with self._lock:
            self.model.set_levers(**changes)
        self.values.update(changes)
        return self

    def branch(self) -> Session:
        """A copy of this side at the current week: same history, its own model from now on."""
        twin = copy.copy(self)
        with self._lock:
            twin.model, twin.track = copy.deepcopy((self.model, self.track))
        twin.values, twin.start_values = dict(self.values), dict(self.start_values)
        twin.serial, twin._lock, twin.branched_at = next(_serials), threading.Lock(), self.week
        return twin

    def band_spec(self, runs: int) -> BandSpec:
        """What this side's band depends on: its settings and every change at its week."""
        return BandSpec.of(self.regime, self.n_households, self.seed, self.start_values, self.changes, self.years, runs)

    def cofunding_applies(self) -> bool:
        """Whether residents pay a share of the works now or did earlier in the run."""
        shares = [self.start_values.get("s_res", 0.0)] + [c["s_res"] for _, c in self.changes if "s_res" in c]
        return any(float(s) > 0 for s in shares)

    def measures(self, names) -> dict[str, np.ndarray]:
        """The page's measures of compound 0 for every week run so far (``names`` from :mod:`workshop.measures`)."""
        if self.track is None:
            return {n: np.empty(0) for n in names}
        with self._lock:
            return {n: self.track.measure(n)[:, 0].copy() for n in names}

    def status(self, compound: int = 0) -> dict[str, Any]:
        """``RenovationModel.status`` of one compound (empty without a model)."""
        if self.model is None:
            return {}
        with self._lock:
            return dict(self.model.status(compound))

    def snapshot(self, compound: int = 0) -> Snapshot | None:
        """Read the network and status of one compound at one moment."""
        if self.model is None:
            return None
        with self._lock:
            nodes, edges = self.model.network_view(compound)
            status = dict(self.model.status(compound))
            return Snapshot(nodes, edges, status, bool(self.model.running), int(self.model.week))

    def timeseries(self, compound: int = 0) -> pd.DataFrame:
        """The model's tidy weekly series of one compound."""
        with self._lock:
            ts = self.model.timeseries()
        return ts[ts["compound"] == compound].reset_index(drop=True) if "compound" in ts else ts
