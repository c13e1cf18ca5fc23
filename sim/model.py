"""The Mesa model: a batch of renovation compounds on a social-capital network (ODD §4).

Example
-------
>>> from sim.model import RenovationModel
>>> m = RenovationModel(regime="three_integrations", n_households=150, years=10, rng=42)
>>> m.run()
>>> m.summary()[["participation_rate", "fee_collection"]]  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import mesa
import networkx as nx
import numpy as np
from mesa.datacollection import DataCollector
from mesa.discrete_space import Network

from agents.housing_bureau import HousingBureau
from agents.resident import PartyMember, Resident
from sim import executors, items, rng
from sim.compound import Compound
from sim.errors import InputError
from sim.households import INIT_TICK, REP, Households, baseline_score, calibrate_mu_theta, seed_activists
from sim.network import (
    NEW_TIE_WEIGHT,
    NEWCOMER_TIES,
    NEWCOMER_WEIGHT,
    STRONG_TIE,
    Ties,
    compound_edges,
)
from sim.outputs import Recorder
from sim.params import resolve
from sim.rng import Purpose
from sim.rules.maintenance import maintenance_step
from sim.rules.participation import STATE_NAMES, resident_state
from sim.stages import Stage

EXECUTORS = ("vector", "agents")
BOOL_CONTEXT = frozenset(
    {
        "meeting",
        "event",
        "vote",
        "vote_owners",
        "other",
        "campaign",
        "completed",
        "cofund_open",
        "fee_month",
        "delivered",
    }
)
WEEKS_PER_YEAR = 52


def _month(t: int) -> int:
    return (t * 12) // WEEKS_PER_YEAR


def _scheduled(t: int, per_year: int, offset: float = 0.0) -> bool:
    """Spread ``per_year`` events evenly over each year of 52 weekly ticks."""
    if per_year <= 0:
        return False
    w = t % WEEKS_PER_YEAR
    return any(int(offset + j * WEEKS_PER_YEAR / per_year) % WEEKS_PER_YEAR == w for j in range(per_year))


def _check_int(name: str, value, low: int, high: int) -> int:
    try:
        iv = int(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} = {value!r} is not allowed; allowed: integer from {low} to {high}") from None
    if iv != value and not (isinstance(value, str) and value.strip().lstrip("-").isdigit()):
        raise InputError(f"{name} = {value!r} is not allowed; allowed: integer from {low} to {high}")
    if not low <= iv <= high:
        raise InputError(f"{name} = {iv} is out of range; allowed: integer from {low} to {high}")
    return iv


class RenovationModel(mesa.Model):
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
        Create Mesa ``Resident`` agents on a ``Network`` (always for the agents executor).
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
        rng: int | str | None = 0,
        seeds: Sequence[int] | None = None,
        with_agents: bool | None = None,
        sizes: Sequence[int] | None = None,
        **params,
    ):
        seed = _check_int("seed", 0 if rng is None else rng, 0, 2**63 - 1)
        super().__init__(rng=seed)
        if executor not in EXECUTORS:
            raise InputError(f"executor '{executor}' is not allowed; allowed: {', '.join(EXECUTORS)}")
        self.regime = regime
        self.p = resolve(regime, params)
        self.n_households = _check_int("households", n_households, 20, 10_000)
        self.years = _check_int("years", years, 1, 30)
        self.executor = executor
        self.seed = seed
        if sizes is not None:
            sizes = [_check_int("households", n, 20, 10_000) for n in sizes]
            keys = [(seed, k) for k in range(len(sizes))]
        elif seeds is not None:
            keys = [(_check_int("seed", s, 0, 2**63 - 1), 0) for s in seeds]
            if not keys:
                raise InputError("seeds is empty; give at least one seed")
        else:
            keys = [(seed, k) for k in range(_check_int("compounds", n_compounds, 1, 100_000))]
        self.n_weeks = self.years * WEEKS_PER_YEAR
        self.week = 0
        self.mobilised = self.p.mu_party > 1.0
        self._schedule_cache: dict = {}
        self._build(keys, [self.n_households] * len(keys) if sizes is None else sizes)
        self.bureau = HousingBureau(self)
        self.compounds = self._make_compounds(keys)
        self.residents: list[Resident] = []
        if executor == "agents" or with_agents:
            self._place_residents()
        self.recorder = Recorder(self)
        self._update_social_capital()
        self.social_capital_t0 = np.array([c.social_capital for c in self.compounds])
        self.datacollector = DataCollector(
            model_reporters={
                "participation": lambda m: m.recorder.latest("participation"),
                "willingness": lambda m: m.recorder.latest("willingness"),
                "fee_collection": lambda m: m.recorder.latest("fee_collection"),
                "maintenance": lambda m: m.recorder.latest("maintenance"),
            }
        )
        self.running = True

    # ------------------------------------------------------------------ construction
    city = False

    def _make_compounds(self, keys) -> list[Compound]:
        return [Compound(self, k, s, c, int(self.bounds[k]), int(self.bounds[k + 1])) for k, (s, c) in enumerate(keys)]

    def due_compounds(self, t: int):
        """Which compounds' households act this week: all (None) except in city mode, where dormant
        compounds — not yet aware, or waiting after a top-down renovation — act on month starts only
        (ODD §7.13, to save run time)."""
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
            hit = self._schedule_cache[key] = _scheduled(t, per_year, offset)
        return hit

    def _build(self, keys, sizes) -> None:
        p = self.p
        K = len(keys)
        sizes = np.asarray(sizes, dtype=np.int64)
        self.bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        H = int(self.bounds[-1])
        comp = np.repeat(np.arange(K, dtype=np.int64), sizes)
        slot = np.arange(H, dtype=np.int64) - self.bounds[comp]
        hkeys = np.empty(H, dtype=np.uint64)
        building = np.empty(H, dtype=np.int64)
        src, dst, w = [], [], []
        for k, (s, c) in enumerate(keys):
            ck = rng.compound_key(s, c)
            lo, n = int(self.bounds[k]), int(sizes[k])
            hkeys[lo : lo + n] = rng.slot_keys(ck, np.arange(n))
            edges, weights, bld = compound_edges(ck, n, p.network, p.ws_rewire, p.cross_ties, p)
            building[lo : lo + n] = bld
            src.append(edges[:, 0] + lo)
            dst.append(edges[:, 1] + lo)
            w.append(weights)
        self.hh = Households(comp, slot, hkeys, building)
        self._slot_mix = rng.mix(slot.astype(np.uint64))  # pair draws key on (household, partner's slot)
        self.mu_theta = calibrate_mu_theta(sizes, p)
        self.hh.draw_attributes(np.arange(H), INIT_TICK, p, self.mu_theta)
        self.ties = Ties(H, np.concatenate(src), np.concatenate(dst), np.concatenate(w), building, hkeys, p)
        seed_activists(self.hh, self.ties, self.bounds, p)
        self.bill_ratio = np.ones(H)
        h = self.hh
        counts = sizes.astype(float)
        self.support_t0 = np.bincount(comp, (h.A > 0.5) * 1.0, K) / counts
        z0 = baseline_score(h.A, h.cap, h.theta, sizes[comp], p)
        self.willingness_t0 = np.bincount(comp, (z0 > 0) * 1.0, K) / counts
        # E12's demand order: share of households valuing an item above 0.5, averaged per category
        self.item_support_t0 = np.stack(
            [
                np.bincount(comp, (h.v[:, items.CATEGORY == cat] > 0.5).mean(axis=1), K) / counts
                for cat in (items.BASIC, items.IMPROVEMENT, items.ENHANCEMENT)
            ],
            axis=1,
        )
        h.I[:] = 1.0 / (1.0 + np.exp(-z0 / p.logit_T))

    def _place_residents(self) -> None:
        g = nx.Graph()
        g.add_nodes_from(range(self.hh.n))
        g.add_edges_from(zip(self.ties.src.tolist(), self.ties.dst.tolist(), strict=True))
        self.network = Network(g, capacity=1, random=self.random, layout=None)
        cells = self.network._cells
        for i in range(self.hh.n):
            cls = PartyMember if self.hh.party[i] else Resident
            self.residents.append(cls(self, i, cells[i]))

    # ------------------------------------------------------------------ dynamics
    def step(self) -> None:
        """Advance every compound by one week (ODD §4)."""
        if self.week >= self.n_weeks:
            self.running = False
            return
        t = self.week
        p, h = self.p, self.hh
        self.new_month = t > 0 and _month(t) != _month(t - 1)
        snap = executors.snapshot(self, t)
        table = self._context_table(t)
        ctx = {k: (table[:, j] > 0) if k in BOOL_CONTEXT else table[:, j].copy() for j, k in enumerate(self._ctx_keys)}
        K = len(self.compounds)
        ctx["xbar"] = np.bincount(h.comp, snap["x"], K) / np.diff(self.bounds)
        if self.executor == "vector":
            executors.vector_step(self, t, ctx, snap)
        else:
            executors.agents_step(self, t, ctx, snap)
        structural = False
        if ctx["event"].any():
            structural |= self._event_ties(t)
        # bookkeeping common to all compounds, vectorised (ODD §4 steps 3-6)
        complaints = np.bincount(h.comp, h.complained * 1.0, K).astype(np.int64)
        escalated = np.bincount(h.comp, h.escalated * 1.0, K).astype(np.int64)
        pre = ~ctx["completed"]
        h.acted_before_completion |= (h.last_act == t) & pre[h.comp]
        h.conflict[:] = False
        for c, n_c, n_e in zip(self.compounds, complaints.tolist(), escalated.tolist(), strict=True):
            if n_c == 0 and c.quiet(t):
                continue  # waiting for the bureau with nothing to report: its week is empty
            c.act(t, n_c, n_e)
        if ctx["meeting"].any():
            self.ties.strengthen(h.att_meeting & ctx["meeting"][h.comp], p.delta_meet)
        self._maintain()
        if t > 0 and t % WEEKS_PER_YEAR == 0:
            for c in self.compounds:
                c.yearly(t)
        self.ties.decay(p.delta_w)
        if t > 0 and (t * 4) // WEEKS_PER_YEAR != ((t - 1) * 4) // WEEKS_PER_YEAR:
            structural |= self._turnover(t)  # quarterly: each move rebuilds the tie matrix
        if self.new_month:
            self._update_social_capital()
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

    def _context_table(self, t: int) -> np.ndarray:
        """Every compound's context as one table (compounds × keys), kept between weeks.

        A compound waiting for the bureau (:meth:`Compound.quiet`) offers the same context week after
        week except its facilities, so its row is left as it was and only the ``M`` column is renewed:
        in city mode most compounds wait for years, and rebuilding their rows was a fifth of the run.
        """
        cs = self.compounds
        if t == 0:
            first = cs[0].context(t, self)
            self._ctx_keys = list(first)
            self._ctx_m = self._ctx_keys.index("M")
            self._ctx = np.empty((len(cs), len(first)), dtype=np.float64)
            self._ctx[0] = list(first.values())
            rest = range(1, len(cs))
        else:
            rest = range(len(cs))
        table = self._ctx
        for k in rest:
            c = cs[k]
            if not c.quiet(t):
                table[k] = list(c.context(t, self).values())
        table[:, self._ctx_m] = [c.M for c in cs]
        return table

    def run(self) -> RenovationModel:
        """Run to the end of the horizon; returns self."""
        while self.running:
            self.step()
        return self

    def _maintain(self) -> None:
        """Weekly facility upkeep of every compound (ODD §7.11), vectorised over compounds."""
        cs = self.compounds
        M = np.array([c.M for c in cs])
        sc = np.array([c.social_capital for c in cs])
        fc = np.array([c.fee_year for c in cs])
        body = np.array([1.0 if (c.stage == Stage.LONG_TERM and c.body) else 0.0 for c in cs])
        M = maintenance_step(M, sc, fc, body, self.p)
        for c, v in zip(cs, M.tolist(), strict=True):
            c.M = v

    def _event_ties(self, t: int) -> bool:
        """Garden / anti-epidemic events: co-attendees' ties strengthen, some new ties form (§7.1)."""
        h, p = self.hh, self.p
        self.ties.strengthen(h.att_event, p.delta_ev)
        pairs_i, pairs_j = [], []
        for c in self.compounds:
            att = np.flatnonzero(h.att_event[c.lo : c.hi]) + c.lo
            if att.size < 2:
                continue
            a, b = np.triu_indices(att.size, 1)
            pairs_i.append(att[a])
            pairs_j.append(att[b])
        if not pairs_i:
            return False
        i, j = np.concatenate(pairs_i), np.concatenate(pairs_j)
        u = rng.uniform(rng.combine_mixed(h.key[i], self._slot_mix[j]), t, Purpose.EVENT_TIE)
        pick = u < p.p_new_tie
        cand_src, cand_dst = [i[pick]], [j[pick]]
        if not cand_src:
            return False
        s, d = np.concatenate(cand_src), np.concatenate(cand_dst)
        fresh = ~self.ties.has(s, d)
        if not fresh.any():
            return False
        self.ties.add(s[fresh], d[fresh], np.full(int(fresh.sum()), NEW_TIE_WEIGHT))
        return True

    def _turnover(self, t: int) -> bool:
        """Households move out each quarter (owners 3 %/yr, renters 15 %/yr); newcomers get 2 weak ties."""
        h, p = self.hh, self.p
        rate = np.where(h.owner, p.turnover_owner, p.turnover_renter)
        quarterly = 1.0 - (1.0 - rate) ** (1.0 / 4.0)
        movers = np.flatnonzero(rng.uniform(h.key, t, Purpose.MOVE_OUT) < quarterly)
        if movers.size == 0:
            return False
        reps = movers[h.role[movers] == REP]
        for c in self.compounds:
            if c.council is not None and reps.size:
                mine = reps[(reps >= c.lo) & (reps < c.hi)]
                if mine.size:
                    c.council.lose_member(mine)
        self.ties.cut(movers)
        h.draw_attributes(movers, t, p, self.mu_theta)
        h.candidate[movers] = False
        comp = h.comp[movers]
        src, dst = [], []
        for j in range(NEWCOMER_TIES):
            u = rng.uniform(h.key[movers], t, Purpose.NEW_TIE + j)
            n = np.diff(self.bounds)[comp]
            pick = np.floor(u * (n - 1)).astype(np.int64)
            local = movers - self.bounds[comp]
            other = np.where(pick >= local, pick + 1, pick) + self.bounds[comp]
            src.append(movers)
            dst.append(other)
        s, d = np.concatenate(src), np.concatenate(dst)
        lo, hi = np.minimum(s, d), np.maximum(s, d)
        code = np.unique(lo * h.n + hi)
        lo, hi = code // h.n, code % h.n
        fresh = ~self.ties.has(lo, hi)
        self.ties.add(lo[fresh], hi[fresh], np.full(int(fresh.sum()), NEWCOMER_WEIGHT))
        for c in self.compounds:
            if c.stage == Stage.FUNDRAISING:
                sl = slice(c.lo, c.hi)
                h.owed[sl] = c.required * h.area[sl] / h.area[sl].sum()
        return True

    def _update_social_capital(self) -> None:
        W = self.ties.W
        mx = np.zeros(self.hh.n)
        if W.nnz:
            mx = W.max(axis=1).toarray().ravel()
        sc = np.bincount(self.hh.comp, (mx >= STRONG_TIE) * 1.0, len(self.compounds)) / np.diff(self.bounds)
        for c, v in zip(self.compounds, sc, strict=True):
            c.social_capital = float(v)

    # ------------------------------------------------------------------ outputs and views
    def summary(self):
        """One row per compound with the outcomes of ODD §9 (see docs/API.md)."""
        return self.recorder.summary()

    def timeseries(self):
        """One row per compound per week (tidy)."""
        return self.recorder.timeseries()

    def network_view(self, c: int = 0):
        """Nodes (id, building, state, party, role) and current ties of compound ``c``."""
        import pandas as pd

        comp = self.compounds[c]
        h, t = self.hh, self.week
        sl = slice(comp.lo, comp.hi)
        rep = h.role[sl] == REP
        state = np.asarray(STATE_NAMES)[resident_state(rep, h.last_act[sl], h.I[sl], t - 1)]
        nodes = pd.DataFrame(
            {
                "id": np.arange(comp.n),
                "building": h.building[sl],
                "state": state,
                "party": h.party[sl],
                "role": np.where(rep, "representative", np.where(h.role[sl] == 1, "initiator", "none")),
                "intention": h.I[sl],
                "attitude": h.A[sl],
            }
        )
        T = self.ties
        sel = (T.src >= comp.lo) & (T.src < comp.hi) & (T.w > 0)
        edges = pd.DataFrame({"source": T.src[sel] - comp.lo, "target": T.dst[sel] - comp.lo, "weight": T.w[sel]})
        return nodes, edges

    def status(self, c: int = 0) -> dict:
        """Plain facts about compound ``c`` for status lines."""
        return self.compounds[c].status()

    @property
    def council_formed(self) -> bool:
        return bool(self.compounds[0].council_active)

    def __repr__(self) -> str:
        return (
            f"RenovationModel(regime={self.regime!r}, compounds={len(self.compounds)}, "
            f"households={self.n_households}, week={self.week}/{self.n_weeks})"
        )


__all__ = ["RenovationModel", "EXECUTORS", "math"]
