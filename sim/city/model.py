"""City mode: Nanning's old compounds under the housing bureau's schedule (ODD §7.13, X5).

911 compounds (sizes lognormal, totalling 113,900 households, E8) in 104 communities whose street
offices they share. The housing bureau runs the regime schedule of a scenario file: top-down
selection of 100 compounds a year, worst facilities first (2014–2018, E6); then self-application —
a dormant compound learns it can apply (weekly hazard 0.02, 0.05 with the platform [A]), forms a
3-owner team, collects consents and joins the bureau's first-in-first-out queue, from which the
bureau admits up to the year's quota (19 pilots in 2019, 240 in 2020, 255 a year from 2021; E15,
E18, E26). A compound's project runs under the regime in force when it is admitted.

The compounds come from a stock (:mod:`sim.city.stock`): a stock file, or a synthetic draw from the
scenario's totals. Every draw of a compound is keyed by (seed, its stock row), so a city run from
the stock file written out of a synthetic draw gives that draw's numbers to the bit.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from mesa.agentset import AgentSet

from agents.street_office import StreetOffice
from sim import batch, rng
from sim.calendar import WEEKS_PER_YEAR
from sim.city.compound import CityCompound
from sim.city.scenario import DEFAULT_SCENARIO, Scenario, load_scenario
from sim.city.stock import read_stock, synthetic_stock
from sim.errors import InputError
from sim.model import RenovationModel
from sim.params import resolve
from sim.rng import Purpose
from sim.stages import Stage


class CityModel(RenovationModel):
    """All of a city's old compounds under a scenario's regime schedule."""

    def __init__(
        self,
        city_scenario: Scenario | str | Path = DEFAULT_SCENARIO,
        rng: int = 0,
        executor: str = "vector",
        stock: pd.DataFrame | None = None,
        **overrides,
    ):
        # named apart from Mesa's own ``scenario`` keyword (a mesa Scenario of model parameters)
        sc = city_scenario if isinstance(city_scenario, Scenario) else load_scenario(city_scenario)
        self.city_scenario = sc
        params = {**sc.parameters, **overrides}
        self.regime_params = {r: resolve(r, params) for r in {ph.regime for ph in sc.schedule}}
        self.stock = stock if stock is not None else city_stock(sc, int(rng))
        self.city = True
        self._awareness_keys = None
        super().__init__(
            regime=sc.schedule[0].regime,
            sizes=self.stock.households.to_numpy(),
            years=sc.end_year - sc.start_year + 1,
            executor=executor,
            rng=rng,
            **params,
        )
        self.queue: list[int] = []
        self.admitted_in_year = 0
        self.admitted_households = 0
        self.year = sc.start_year
        self.phase = sc.phase(self.year)
        self.rollout_rows: list[dict] = []
        self.phase1_outside = 0

    # the base class builds the households and the compounds through these hooks; both key a
    # compound by its stock row, not its place in this run
    def _stock_keys(self) -> list[tuple[int, int]]:
        return [(self.seed, int(k)) for k in self.stock.key]

    def _build(self, keys, sizes) -> None:
        s = self.stock
        batch.build(self, self._stock_keys(), sizes, s.buildings.to_numpy(), s.party_share.to_numpy(float))

    def _make_compounds(self, keys):
        s, sc = self.stock, self.city_scenario
        labels = office_labels(s)
        offices = {label: StreetOffice(self, shared=True) for label in dict.fromkeys(labels)}
        existing = (s.management == "owners_committee").to_numpy()
        eligible = np.ones(len(s), bool) if sc.built_before is None else (s.year_built < sc.built_before).to_numpy()
        comps = []
        for k, (seed, c) in enumerate(self._stock_keys()):
            lo, hi = int(self.bounds[k]), int(self.bounds[k + 1])
            comp = CityCompound(self, k, seed, c, lo, hi, office=offices[labels[k]])
            comp.existing_oc, comp.eligible = bool(existing[k]), bool(eligible[k])
            comps.append(comp)
        self.offices = AgentSet(list(offices.values()), random=self.random)
        return comps

    @property
    def city_p(self):
        return self.regime_params[self.phase.regime]

    def step(self) -> None:
        if self.week >= self.n_weeks:
            self.running = False
            return
        t = self.week
        if t % WEEKS_PER_YEAR == 0:
            self._new_year(t)
        self._awareness(t)
        self._admit(t)
        super().step()
        self.offices.do("end_week")
        if self.week % WEEKS_PER_YEAR == 0 or self.week == self.n_weeks:
            self.rollout_rows.append(self._rollout_row())

    def _new_year(self, t: int) -> None:
        self.year = self.city_scenario.start_year + t // WEEKS_PER_YEAR
        self.phase = self.city_scenario.phase(self.year)
        self.admitted_in_year = self.admitted_households = 0
        if self.phase.regime == "top_down":
            self._select_top_down(t)

    def _select_top_down(self, t: int) -> None:
        """The bureau picks the year's quota of compounds, worst facilities first (E4, E6).

        Without ``phase1_overlap`` the phase-1 compounds lie outside the 911 (they were built before
        2003, the 911 before 2000 and still unrenovated in 2019), so the 911 are not touched.
        """
        if not self.city_scenario.phase1_overlap:
            self.phase1_outside += self.phase.quota or 0
            return
        free = [c for c in self.compounds if c.stage == Stage.AWARE and not c.phase1_done and c.eligible]
        free.sort(key=lambda c: (c.M, c.index))
        chosen = households = 0
        for c in free:
            if self.phase.full(chosen, households):
                break
            c.start_top_down(t, self.regime_params["top_down"])
            chosen, households = chosen + 1, households + c.n

    def _awareness(self, t: int) -> None:
        p = self.city_p
        if not p.self_application:
            return
        hazard = self.city_scenario.awareness_platform if p.tau_info > 0 else self.city_scenario.awareness_weekly
        tab = self.compound_table
        if self._awareness_keys is None:  # each compound's awareness stream (CityCompound._keys[5])
            self._awareness_keys = np.array([c._keys[5] for c in self.compounds], dtype=np.uint64)
            self._eligible = np.array([c.eligible for c in self.compounds], dtype=bool)
        candidates = self.waiting() & self._eligible
        if not self.city_scenario.phase1_overlap:
            candidates &= tab.stage != int(Stage.LONG_TERM)
        idx = np.flatnonzero(candidates)
        learns = rng.uniform(self._awareness_keys[idx], t, Purpose.TEAM + 7) < hazard
        for k in idx[learns].tolist():
            self.compounds[k].become_aware(t, p)

    def waiting(self) -> np.ndarray:
        """``CityCompound.waiting`` of every compound, from the compound table."""
        tab = self.compound_table
        return ~tab.aware & ((tab.stage == int(Stage.AWARE)) | (tab.stage == int(Stage.LONG_TERM)))

    def _admit(self, t: int) -> None:
        """First in, first out, up to the year's quota."""
        while self.queue and self.phase.regime != "top_down":
            if self.phase.full(self.admitted_in_year, self.admitted_households):
                break
            c = self.compounds[self.queue.pop(0)]
            c.admit(t, self.city_p, self.phase.regime)
            self.admitted_in_year += 1
            self.admitted_households += c.n

    def due_compounds(self, t: int):
        if t == 0 or (t * 12) // WEEKS_PER_YEAR != ((t - 1) * 12) // WEEKS_PER_YEAR:
            return None  # a month starts: everyone acts
        return ~self.waiting()

    def quiet_compounds(self, t: int):
        """Compounds waiting for the bureau whose week is empty (``CityCompound.quiet``), as a mask."""
        tab = self.compound_table
        return (t > 0) & tab.quiet_ready & ~tab.aware & (tab.stage == int(Stage.AWARE))

    def enqueue(self, compound) -> None:
        self.queue.append(compound.index)

    # ------------------------------------------------------------------ outputs
    def _rollout_row(self) -> dict:
        cs = self.compounds
        started = [c for c in cs if c.admitted_regime is not None]
        # E25 counts newly founded councils and the representatives elected to them; a project led by
        # an owners' committee that already existed is counted apart
        councils = [c for c in started if c.new_council]
        reps = [c for c in started if c.council_active and c.new_council]
        members = np.concatenate([c.council.members for c in reps]) if reps else np.zeros(0, dtype=np.int64)
        billing = [c for c in cs if c.stage == Stage.LONG_TERM and c.bills and c.fee_months]
        year = self.city_scenario.start_year + (self.week - 1) // WEEKS_PER_YEAR
        return {
            "year": year,
            "regime": self.phase.regime,
            "phase1_renovated": sum(c.phase1_done for c in cs) + self.phase1_outside,
            "admitted": sum(1 for c in started if c.admitted_year == year),
            "cumulative_renovated": len(started),
            "cumulative_completed": sum(1 for c in started if c.stage == Stage.LONG_TERM),
            "cumulative_with_council": len(councils),
            "cumulative_with_existing_oc": sum(1 for c in started if c.existing_oc),
            "council_share": len(councils) / len(started) if started else math.nan,
            "households_covered": int(sum(c.n for c in started)),
            "representatives": int(members.size),
            "party_share_of_representatives": float(self.hh.party[members].mean()) if members.size else math.nan,
            "fee_collection": float(np.mean([c.fee_year for c in billing])) if billing else math.nan,
            "maintenance": float(np.mean([c.M for c in cs])),
            "queue": len(self.queue),
        }

    def rollout(self) -> pd.DataFrame:
        """One row per year: renovations started (cumulative), councils, representatives, fees, upkeep."""
        return pd.DataFrame(self.rollout_rows)

    def never_applied(self) -> pd.DataFrame:
        """Profile of compounds that never applied, against those that did (X5)."""
        h = self.hh
        rows = []
        for applied in (False, True):
            sel = [c for c in self.compounds if (c.admitted_regime is not None) == applied]
            if not sel:
                continue
            idx = np.concatenate([np.arange(c.lo, c.hi) for c in sel])
            rows.append(
                {
                    "group": "applied" if applied else "never applied",
                    "compounds": len(sel),
                    "mean_households": float(np.mean([c.n for c in sel])),
                    "elderly_share": float(h.elderly[idx].mean()),
                    "party_share": float(h.party[idx].mean()),
                    "owner_share": float(h.owner[idx].mean()),
                    "social_capital": float(np.mean([c.social_capital for c in sel])),
                    "phase1_renovated": float(np.mean([c.phase1_done for c in sel])),
                }
            )
        return pd.DataFrame(rows)


def city_stock(sc: Scenario, seed: int) -> pd.DataFrame:
    """The scenario's stock: its stock file (one city) or a synthetic draw from its totals."""
    if sc.stock is None:
        return synthetic_stock(sc, seed)
    stock = read_stock(sc.stock, default_city=sc.name)
    cities = stock.city.unique()
    if len(cities) > 1:
        raise InputError(
            f"stock file {sc.stock} holds {len(cities)} cities; run them with `renosim city --stock` "
            "(sim.city.run_cities), one bureau per city"
        )
    return stock


def office_labels(stock: pd.DataFrame) -> list[str]:
    """The street office each compound shares: its community's, else its street office's, else its own."""
    own = "\0" + stock.compound_id.astype(str)
    label = stock.community.where(stock.community != "", "\1" + stock.street_office.astype(str))
    return label.where(label != "\1", own).tolist()
