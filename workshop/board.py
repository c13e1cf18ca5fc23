"""One visitor's page: the sides, their bands and figures, and what a step, a lever or a tap changes.

The :class:`Board` is the page's state outside Solara: the Solara components (:mod:`workshop.page`,
:mod:`workshop.panels`) read it and call its actions, and it draws its own figures. A step costs
the model's weeks plus a patch per figure on screen (new points, new colours), never a rebuilt
component: the components re-render only their text (week, tiles, differences), through the
``on_change`` callback. The figures of the view not on screen are brought up to date when it is
shown (:meth:`Board.set_view`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sim.params import REGIMES
from workshop import band as bands
from workshop import charts, network
from workshop.charts import Line
from workshop.compare import side_names
from workshop.levers import lever_changes, levers, regime_values
from workshop.liveplot import LiveFigure
from workshop.measures import CHARTS
from workshop.session import Session

SIDES = ("a", "b")
VIEWS = ("compound", "charts")


def other_regime(regime: str) -> str:
    """The second side's starting approach: government-led against a council-led side, else the newest."""
    return "top_down" if regime != "top_down" else REGIMES[-1]


@dataclass
class Side:
    """One side of the page: its session and the band of its settings (None while worked out)."""

    session: Session
    spec: bands.BandSpec | None = None
    band: bands.Band | None = None


class Board:
    """The page's state and actions for one visitor.

    Parameters
    ----------
    regime, n_households, seed : the first side's settings
    lang : str
    runs : int, optional
        Runs behind each band (0: no band; default :data:`workshop.band.RUNS`).
    jobs : workshop.band.Jobs
        Where bands are computed.
    """

    def __init__(self, regime: str, n_households: int, seed: int, lang: str, runs: int | None = None, jobs=None):
        self.lang, self.big, self.view, self.selected = lang, False, "compound", None
        self.n_households, self.seed = int(n_households), int(seed)
        self.runs = bands.RUNS if runs is None else int(runs)
        self.jobs = jobs if jobs is not None else bands.JOBS
        self.sides: list[Side] = []
        self.figures = {f"network-{s}": LiveFigure(on_click=self.select) for s in SIDES}
        self.figures.update({f"chart-{c}": LiveFigure() for c in CHARTS})
        self.figures["network-a"].on_size = self._network_size
        self.aspect = 1.0
        self.on_change: Callable[[bool], None] = lambda structural: None
        self._lock = threading.RLock()
        self._set_sides([Session(regime, n_households, seed, regime_values(regime))])

    # ------------------------------------------------------------------ reading
    @property
    def sessions(self) -> list[Session]:
        return [side.session for side in self.sides]

    @property
    def comparing(self) -> bool:
        return len(self.sides) > 1

    @property
    def week(self) -> int:
        return self.sides[0].session.week

    @property
    def running(self) -> bool:
        return any(s.running for s in self.sessions)

    @property
    def error(self) -> str | None:
        return next((s.error for s in self.sessions if s.error), None)

    def names(self) -> list[str]:
        return side_names(self.sessions, self.lang)

    def band_futures(self) -> list[tuple[bands.BandSpec, Any]]:
        """The bands still being worked out, with their futures (the page waits on them)."""
        return [(side.spec, self.jobs.submit(side.spec)) for side in self.sides if side.spec and side.band is None]

    # ------------------------------------------------------------------ acting
    def step(self, weeks: int = 1) -> None:
        """Advance every side by ``weeks`` weeks and patch the figures on screen."""
        with self._lock:
            for s in self.sessions:
                s.step(weeks)
            self.draw()
        self.on_change(False)

    def reset(self) -> None:
        """Every side from week 0, with its levers as they stand; the selection is cleared."""
        with self._lock:
            self.selected = None
            self._set_sides([s.restarted() for s in self.sessions])
        self.on_change(True)

    def set_lever(self, side: int, key: str, value: Any) -> None:
        """Move one lever of one side: from this week on (before the first week, a new run)."""
        lever = next(lv for lv in levers() if lv.key == key)
        with self._lock:
            session = self.sides[side].session
            changes = lever_changes(session.values, lever, value)
            if not changes:
                return
            sessions = self.sessions
            sessions[side] = session.set_levers(changes)
            self._set_sides(sessions)
        self.on_change(True)

    def set_regime(self, side: int, regime: str) -> None:
        """Another approach for one side: side A restarts every side; side B restarts and catches up."""
        with self._lock:
            fresh = Session(regime, self.n_households, self.seed, regime_values(regime))
            if side == 0:
                sessions = [fresh] + [s.restarted() for s in self.sessions[1:]]
            else:
                fresh.step_to(self.week)
                sessions = [self.sessions[0], fresh]
            self._set_sides(sessions)
        self.on_change(True)

    def set_compound(self, n_households: int | None = None, seed: int | None = None) -> None:
        """Another compound (households) or seed: every side restarts."""
        with self._lock:
            self.n_households = int(n_households if n_households is not None else self.n_households)
            self.seed = int(seed if seed is not None else self.seed)
            self.selected = None
            self._set_sides([Session(s.regime, self.n_households, self.seed, dict(s.values)) for s in self.sessions])
        self.on_change(True)

    def compare(self, on: bool) -> None:
        """Show a second side: another approach on the same compound and seed, caught up to this week."""
        with self._lock:
            if on and not self.comparing:
                a = self.sessions[0]
                b = Session(other_regime(a.regime), self.n_households, self.seed, regime_values(other_regime(a.regime)))
                b.step_to(a.week)
                self._set_sides([a, b])
            elif not on and self.comparing:
                self._set_sides(self.sessions[:1])
        self.on_change(True)

    def branch(self) -> None:
        """A second side copied from the first at this week, to try another lever from now on."""
        with self._lock:
            self._set_sides([self.sessions[0], self.sessions[0].branch()])
        self.on_change(True)

    def set_lang(self, lang: str) -> None:
        with self._lock:
            self.lang = lang
            self.draw()
        self.on_change(True)

    def set_big(self, big: bool) -> None:
        with self._lock:
            self.big = bool(big)
            self.draw()
        self.on_change(True)

    def set_view(self, view: str) -> None:
        with self._lock:
            self.view = view
            self.draw()
        self.on_change(True)

    def select(self, household: Any) -> None:
        """Tap a household (again to let go): its ties are drawn on every side."""
        with self._lock:
            self.selected = None if household == self.selected else household
            self.draw()

    def set_band(self, spec: bands.BandSpec, band: bands.Band) -> None:
        """A band has been worked out: draw it behind each side it belongs to."""
        with self._lock:
            hit = [side for side in self.sides if side.spec == spec and side.band is None]
            for side in hit:
                side.band = band
            if hit:
                self.draw()
        if hit:
            self.on_change(False)

    # ------------------------------------------------------------------ drawing
    def draw(self) -> None:
        """Bring the figures of the view on screen up to date (patches where possible)."""
        with self._lock:
            if self.error:
                return
            if self.view == "compound":
                self._draw_networks()
            else:
                self._draw_charts()

    def chart_lines(self, chart: str, names: list[str] | None = None) -> list[Line]:
        """Each side as a :class:`workshop.charts.Line` of one chart (``names``: the sides' names, if known)."""
        measure = CHARTS[chart][0]
        names = names or self.names()
        out = []
        for name, side in zip(names, self.sides, strict=True):
            s = side.session
            values = s.measures([measure])[measure]
            low = side.band.low[measure] if side.band else None
            high = side.band.high[measure] if side.band else None
            applicable = s.cofunding_applies() or measure != "cofunding_collection"
            out.append(Line(name, values, low, high, tuple(w for w, _ in s.changes), applicable))
        return out

    def _draw_charts(self) -> None:
        names = self.names()
        for chart in CHARTS:
            fig = charts.chart_figure(
                chart, self.chart_lines(chart, names), self.lang, years=self.sessions[0].years, big=self.big
            )
            self.figures[f"chart-{chart}"].show(fig, self.week)

    def _draw_networks(self) -> None:
        for key, side in zip(SIDES, self.sides, strict=False):
            snap = side.session.snapshot()
            fig = network.network_figure(
                snap.nodes, snap.edges, self.lang, selected=self.selected, big=self.big, aspect=self.aspect
            )
            self.figures[f"network-{key}"].show(fig, self.week)

    def _network_size(self, width: int, height: int) -> None:
        aspect = width / max(height, 1)
        if abs(aspect / self.aspect - 1) > 0.15:  # the blocks are laid out again for a new shape of box
            with self._lock:
                self.aspect = aspect
                if self.view == "compound":
                    self._draw_networks()

    def _set_sides(self, sessions: list[Session]) -> None:
        """Take these sessions as the sides; bands follow their settings (kept where unchanged)."""
        old = {id(side.session): side for side in self.sides}
        self.sides = []
        for s in sessions:
            side = old.get(id(s)) or Side(s)
            spec = s.band_spec(self.runs) if self.runs and s.model is not None else None
            if spec != side.spec:
                side.spec, side.band = spec, None
                if spec is not None:
                    future = self.jobs.submit(spec)
                    side.band = future.result() if future.done() and not future.exception() else None
            self.sides.append(side)
        self.draw()
