"""The Mesa model: a batch of renovation compounds on a social-capital network (ODD §4).

Example
-------
>>> from sim.model import RenovationModel
>>> m = RenovationModel(regime="three_integrations", n_households=150, years=10, rng=42)
>>> m.run()
>>> m.summary()[["participation_rate", "fee_collection"]]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import mesa
import numpy as np
from mesa.agentset import AgentSet
from mesa.datacollection import DataCollector
from mesa.discrete_space import Network

from agents.housing_bureau import HousingBureau
from agents.resident import PartyMember, Resident
from sim import batch, calendar, context, dynamics, executors, ladder, limits, views
from sim.calendar import WEEKS_PER_YEAR
from sim.compound import Compound, showing, weekly
from sim.compound.table import CompoundTable
from sim.errors import InputError
from sim.limits import check_int
from sim.outputs import REPORTED, Recorder
from sim.params import LEVERS, resolve, validate

EXECUTORS = ("vector", "agents")
FIXED_AT_START = ("co_decision", "self_application", "council_first", "menu")
"""Levers that fix a project's path at week 0 (who applies, council first, vote, menu): a new run."""
_DEFAULTS = {"regime": "three_integrations", "n_households": 150, "n_compounds": 1, "years": 10, "executor": "vector"}


def _from_scenario(scenario, regime, n_households, n_compounds, years, executor, rng, params):
    """Mesa's scenario: its values fill whatever the caller left at its default; the rest are params."""
    given = {k: v for k, v in dict(scenario).items() if k not in ("rng", "model", "_scenario_id")}
    args = {"regime": regime, "n_households": n_households, "n_compounds": n_compounds, "years": years}
    args |= {"executor": executor}
    for name, value in list(given.items()):
        if name in args:
            if args[name] == _DEFAULTS[name]:
                args[name] = value
            del given[name]
    if rng is None and isinstance(getattr(scenario, "rng", None), int | np.integer | str):
        rng = scenario.rng
    return (*args.values(), rng, {**given, **params})


class MidRunLevers:
    """What a running model accepts between weeks: levers changed from the current week on (ODD §8)."""

    lever_changes: tuple[tuple[int, dict], ...] = ()  # each accepted change: (week it counts from, changes)

    def set_levers(self, **changes) -> None:
        """Change levers from the current week on; the weeks already run stand.

        Validated with the other parameters (:func:`sim.params.validate`); replaces ``p`` of the model
        and of each compound that runs under it. Rules read their levers when they act; what was set
        once stands (works under way keep their monitoring, §7.10; a bill sent keeps its amount, §7.9).
        A name not a lever, in :data:`FIXED_AT_START` or out of range raises ``InputError``, changing nothing.
        """
        for name in changes:
            if name not in LEVERS or name in FIXED_AT_START:
                allowed = ", ".join(k for k in LEVERS if k not in FIXED_AT_START)
                raise InputError(f"lever '{name}' cannot change during a run; allowed: {allowed}")
        old = self.p
        self.p = validate({**old.model_dump(), **changes}, where="set_levers")
        for c in self.compounds:
            if c.p is old:  # a city compound admitted under another regime keeps that regime's levers
                c.p = self.p
        self.mobilised = self.p.mu_party > 1.0
        self.lever_changes = (*self.lever_changes, (self.week, dict(changes)))


class RenovationModel(MidRunLevers, mesa.Model):
    """Residents, party members, councils, street offices, a housing bureau and contractors.

    Parameters
    ----------
    regime : {"top_down", "pilot", "three_integrations"}
        Lever preset (``configs/regimes``); any keyword in ``params`` overrides it.
    n_households : int, 20–10,000
        Households per compound.
    n_compounds : int
        Compounds in the batch, keyed ``(rng, 0..n_compounds-1)`` (ignored if ``seeds`` is given).
    years : int, 1–30
        Length of the run; a tick is a week.
    executor : {"vector", "agents"}
        Household rule as array kernels or as each Mesa resident's ``decide()``; same numbers.
    rng : int
        Run seed. Every draw is keyed by (seed, compound, household, tick, purpose).
    seeds : sequence of int, optional
        One compound per seed, keyed ``(seed, 0)`` — a batch of replications.
    with_agents : bool, optional
        Create the Mesa ``Resident`` agents at once (always for the agents executor). Otherwise they
        are created on first access of ``agents_by_type`` or ``grid``, so headless runs pay nothing.
    scenario : mesa.experimental.scenarios.Scenario, optional
        Mesa's scenario (as Mesa's SolaraViz passes it on Reset): its ``rng`` seeds the run when
        ``rng`` is not given, and its other attributes are parameters like ``**params``.
    **params
        Any parameter of :mod:`sim.params` (validated: unknown names or out-of-range values raise
        :class:`sim.errors.InputError`).
    """

    def __init__(
        self,
        regime: str = "three_integrations",
        n_households: int = 150,
        n_compounds: int = 1,
        years: int = 10,
        executor: str = "vector",
        rng: int | str | None = None,
        seeds: Sequence[int] | None = None,
        with_agents: bool | None = None,
        sizes: Sequence[int] | None = None,
        scenario=None,
        **params,
    ):
        if scenario is not None:
            regime, n_households, n_compounds, years, executor, rng, params = _from_scenario(
                scenario, regime, n_households, n_compounds, years, executor, rng, params
            )
        seed = check_int("seed", 0 if rng is None else rng, limits.SEED)
        super().__init__(rng=seed)
        if scenario is not None:
            self.scenario = scenario
        if executor not in EXECUTORS:
            raise InputError(f"executor '{executor}' is not allowed; allowed: {', '.join(EXECUTORS)}")
        self.regime = regime
        self.p = resolve(regime, params)
        self.n_households = check_int("households", n_households, limits.HOUSEHOLDS)
        self.years = check_int("years", years, limits.YEARS)
        self.executor = executor
        self.seed = seed
        if sizes is not None:
            sizes = [check_int("households", n, limits.HOUSEHOLDS) for n in sizes]
            keys = [(seed, k) for k in range(len(sizes))]
        elif seeds is not None:
            keys = [(check_int("seed", s, limits.SEED), 0) for s in seeds]
            if not keys:
                raise InputError("seeds is empty; give at least one seed")
        else:
            keys = [(seed, k) for k in range(check_int("compounds", n_compounds, limits.COMPOUNDS))]
        self.n_weeks = self.years * WEEKS_PER_YEAR
        self.week = 0
        self.new_month = False
        self.mobilised = self.p.mu_party > 1.0
        self._schedule_cache: dict = {}
        self._build(keys, [self.n_households] * len(keys) if sizes is None else sizes)
        self.bureau = HousingBureau(self)
        self.compound_table = CompoundTable(len(keys))  # the compounds' state as arrays
        self.compounds = self._make_compounds(keys)
        # the compounds as a Mesa AgentSet in batch order (their week runs over the compound table)
        self.compound_set = AgentSet(self.compounds, random=self.random)
        self.ladder = ladder.LadderBook(len(self.compounds))
        self.context_table = context.ContextTable(len(self.compounds))
        self.residents: list[Resident] = []
        self._grid: Network | None = None
        self._grid_week = -1
        if executor == "agents" or with_agents:
            self._place_residents()
        self.recorder = Recorder(self)
        dynamics.social_capital(self)
        self.social_capital_t0 = np.array([c.social_capital for c in self.compounds])
        self.datacollector = DataCollector(
            model_reporters={name: partial(_latest, name=measure) for name, measure in REPORTED.items()}
        )
        self.running = True
        self.datacollector.collect(self)  # t = 0: the state before the first week

    # ------------------------------------------------------------------ construction
    city = False

    def _make_compounds(self, keys) -> list[Compound]:
        return [Compound(self, k, s, c, int(self.bounds[k]), int(self.bounds[k + 1])) for k, (s, c) in enumerate(keys)]

    def due_compounds(self, t: int):
        """Compounds whose households act this week: all (None); city mode skips waiting ones (§7.13)."""
        return None

    def due_rows(self, t: int):
        """Household rows due this week (a slice for all, else an index array)."""
        due = self.due_compounds(t)
        if due is None:
            return slice(None)
        return np.flatnonzero(due[self.hh.comp])

    def scheduled(self, t: int, per_year: int, event: bool = False) -> bool:
        """Whether week ``t`` holds one of ``per_year`` campaigns (or events, offset half a gap)."""
        key = (t, per_year, event)
        hit = self._schedule_cache.get(key)
        if hit is None:
            offset = WEEKS_PER_YEAR / max(1, 2 * per_year) if event else 0.0
            hit = self._schedule_cache[key] = calendar.scheduled(t, per_year, offset)
        return hit

    def _build(self, keys, sizes) -> None:
        batch.build(self, keys, sizes)

    # ------------------------------------------------------------------ Mesa views of the households
    def _place_residents(self) -> None:
        """Create a Resident (or PartyMember) agent per household on a cell of ``grid``."""
        self._grid = views.tie_network(self)
        self._grid_week = self.week
        cells = self._grid._cells
        for i in range(self.hh.n):
            cls = PartyMember if self.hh.party[i] else Resident
            self.residents.append(cls(self, i, cells[i]))

    @property
    def grid(self) -> Network:
        """A Mesa ``Network`` with one cell per household whose edges are the current ties.

        Created on first access under the vector executor; its edges are brought up to date with the
        tie matrix whenever it is read in a later week.
        """
        if self._grid is None:
            self._place_residents()
        elif self._grid_week != self.week:
            self._sync_grid()
        return self._grid

    def _sync_grid(self) -> None:
        views.sync_tie_network(self._grid, self.ties)
        self._grid_week = self.week

    @property
    def agents_by_type(self):
        """Mesa's agents by type; Resident views are created on first access (compound-scale runs)."""
        if not self.residents:
            self._place_residents()
        return super().agents_by_type

    # ------------------------------------------------------------------ dynamics
    def step(self) -> None:
        """Advance every compound by one week (ODD §4)."""
        if self.week >= self.n_weeks:
            self.running = False
            return
        t = self.week
        p, h = self.p, self.hh
        self.new_month = t > 0 and calendar.month(t) != calendar.month(t - 1)
        # 1. what each compound shows its households, and what each household saw of the others at t−1
        snap = executors.snapshot(self, t)
        ctx = self._context_table(t).columns()
        K = len(self.compounds)
        ctx["xbar"] = np.bincount(h.comp, snap["x"], K) / np.diff(self.bounds)
        # 2. the household rule
        if self.executor == "vector":
            executors.vector_step(self, t, ctx, snap)
        else:
            executors.agents_step(self, t, ctx, snap)
        dynamics.seat_attendees(self, t)  # meetings and events have only so many places
        structural = False
        if ctx["event"].any():
            structural |= dynamics.event_ties(self, t)
        # 3–6. each compound's collective procedure for its stage
        dynamics.book_complaints(self)
        h.conflict[:] = False
        weekly.step_all(self, t)  # what Compound.step does, over the compound table
        ladder.record_week(self, t, ctx)
        if ctx["meeting"].any():
            self.ties.strengthen(h.att_meeting & ctx["meeting"][h.comp], p.delta_meet)
        dynamics.maintain(self)
        if t > 0 and t % WEEKS_PER_YEAR == 0:
            self.compound_set.do("yearly")
        self.ties.decay(p.delta_w)
        if t > 0 and (t * 4) // WEEKS_PER_YEAR != ((t - 1) * 4) // WEEKS_PER_YEAR:
            structural |= dynamics.turnover(self, t)  # quarterly: each move rebuilds the tie matrix
        if self.new_month:
            dynamics.social_capital(self)
        if t % WEEKS_PER_YEAR == WEEKS_PER_YEAR - 1:
            self.ties.rebuild(full=True)  # yearly: drop dead ties for good
        elif structural:
            self.ties.rebuild(full=False)
        else:
            self.ties.sync()
        self.recorder.record(t)
        self.week += 1
        self.datacollector.collect(self)
        if self.week >= self.n_weeks:
            self.running = False

    def _context_table(self, t: int) -> context.ContextTable:
        """Every compound's context (:mod:`sim.context`), kept between weeks.

        A compound waiting for the bureau (:meth:`Compound.quiet`) offers the same context week after
        week except its facilities, so its row is left as it was and only the ``M`` column is renewed:
        in city mode most compounds wait for years, and rebuilding their rows was a fifth of the run.
        """
        showing.fill(self, t)  # over the compound table (Compound.context shows one compound's row)
        return self.context_table

    def run(self) -> RenovationModel:
        """Run to the end of the horizon; returns self."""
        while self.running:
            self.step()
        return self

    # ------------------------------------------------------------------ outputs and views
    def summary(self):
        """One row per compound with the outcomes of ODD §9 (see docs/API.md)."""
        return self.recorder.summary()

    def timeseries(self):
        """One row per compound per week (tidy)."""
        return self.recorder.timeseries()

    def network_view(self, c: int = 0):
        """Nodes (id, building, state, party, role) and current ties of compound ``c``."""
        return views.network_view(self, c)

    def status(self, c: int = 0) -> dict:
        """Plain facts about compound ``c`` for status lines."""
        return self.compounds[c].status()

    def __repr__(self) -> str:
        return (
            f"RenovationModel(regime={self.regime!r}, compounds={len(self.compounds)}, "
            f"households={self.n_households}, week={self.week}/{self.n_weeks})"
        )


def _latest(model, name: str) -> float:
    """A DataCollector model reporter: the batch mean of one weekly measure of :mod:`sim.outputs`."""
    return model.recorder.latest(name)


__all__ = ["EXECUTORS", "REPORTED", "RenovationModel"]
