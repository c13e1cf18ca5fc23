"""One browser session's model: build it, step it, and read it consistently.

A :class:`Session` is created inside the page component (``solara.use_memo``), never at module
level, so every visitor has a model of their own. The play loop steps the model in a worker
thread while the page reads it for drawing; a lock keeps a reader from seeing a half-done week.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sim.model import RenovationModel

EXECUTOR = "vector"
"""The page runs the array executor: the same numbers as the per-agent one (DESIGN §3), about 40
times faster per week here (1 ms against 44 ms for 150 households), which leaves the page's time for
drawing; Mesa's own page (``renosim viz --mesa``) runs the per-agent executor."""

YEARS = 10
"""Length of a workshop run in years (520 weekly steps)."""


@dataclass
class Snapshot:
    """Everything the page draws for one moment of the run (compound 0)."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    status: dict[str, Any]
    timeseries: pd.DataFrame
    running: bool
    week: float


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
        Lever settings passed to the model as keyword arguments.
    years : int, default :data:`YEARS`
    executor : str, default :data:`EXECUTOR`

    Attributes
    ----------
    serial : int
        Unique per session object in this process (``id()`` can repeat once an old session is
        freed); the page keys figure updates and the play loop on it.
    model : RenovationModel or None
        None if the settings were refused; then ``error`` says why in one line.
    """

    regime: str
    n_households: int
    seed: int
    values: dict[str, Any]
    years: int = YEARS
    executor: str = EXECUTOR
    serial: int = field(default_factory=itertools.count().__next__, init=False)
    model: RenovationModel | None = field(default=None, init=False)
    error: str | None = field(default=None, init=False)
    last_step_seconds: float = field(default=0.0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
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

    @property
    def running(self) -> bool:
        """Whether the model can take another step."""
        return self.model is not None and bool(self.model.running)

    def step(self, weeks: int = 1) -> None:
        """Advance up to ``weeks`` weeks (fewer if the run ends first)."""
        if self.model is None:
            return
        start = time.perf_counter()
        with self._lock:
            for _ in range(max(1, int(weeks))):
                if not self.model.running:
                    break
                self.model.step()
        self.last_step_seconds = time.perf_counter() - start

    def not_applicable(self) -> frozenset[str]:
        """Time-series columns that do not exist under these settings (co-funding when residents pay none)."""
        return frozenset() if float(self.values.get("s_res", 0.0)) > 0 else frozenset({"cofunding_collection"})

    def step_to(self, week: float) -> None:
        """Advance until the model's week reaches ``week`` (a new arm catching up with the other)."""
        if self.model is not None and int(week - float(self.model.time)) > 0:
            self.step(int(week - float(self.model.time)))

    def snapshot(self, compound: int = 0) -> Snapshot | None:
        """Read the network, status and time series of one compound at one moment."""
        if self.model is None:
            return None
        with self._lock:
            nodes, edges = self.model.network_view(compound)
            status = dict(self.model.status(compound))
            ts = self.model.timeseries()
            running = bool(self.model.running)
            week = float(self.model.time)
        if "compound" in ts.columns:
            ts = ts[ts["compound"] == compound]
        return Snapshot(nodes, edges, status, ts.reset_index(drop=True), running, week)
