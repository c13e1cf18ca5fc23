"""City mode: Nanning's old compounds under the housing bureau's schedule (ODD §7.13, X5).

911 compounds (sizes lognormal, totalling 113,900 households, E8) in 104 communities whose street
offices they share. The housing bureau runs the regime schedule of a scenario file: top-down
selection of 100 compounds a year, worst facilities first (2014–2018, E6); then self-application —
a dormant compound learns it can apply (weekly hazard 0.02, 0.05 with the platform [A]), forms a
3-owner team, collects consents and joins the bureau's first-in-first-out queue, from which the
bureau admits up to the year's quota (19 pilots in 2019, 240 in 2020, 255 a year from 2021; E15,
E18, E26). A compound's project runs under the regime in force when it is admitted.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim import rng
from sim.compound import Compound
from sim.errors import InputError
from sim.model import WEEKS_PER_YEAR, RenovationModel
from sim.params import CONFIG_DIR, REGIMES, load_model_file, resolve
from sim.rng import Purpose
from sim.stages import Stage

DEFAULT_SCENARIO = CONFIG_DIR / "scenarios" / "nanning.yaml"


class Phase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    from_year: int
    regime: str
    quota: int = Field(ge=0, le=2000)

    @model_validator(mode="after")
    def _regime(self):
        if self.regime not in REGIMES:
            raise ValueError(f"unknown regime '{self.regime}'; allowed: {', '.join(REGIMES)}")
        return self


class Scenario(BaseModel):
    """A city scenario (``configs/scenarios/*.yaml``)."""

    model_config = ConfigDict(extra="forbid")
    name: str
    start_year: int = Field(2014, ge=1990, le=2100)
    end_year: int = Field(2030, ge=1990, le=2100)
    compounds: int = Field(911, ge=1, le=20_000)
    households: int = Field(113_900, ge=20, le=10_000_000)
    size_sigma_log: float = Field(0.6, ge=0.0, le=2.0)
    communities: int = Field(104, ge=1, le=20_000)
    phase1_overlap: bool = True
    existing_oc_share: float = Field(0.0, ge=0.0, le=1.0)
    awareness_weekly: float = Field(0.02, ge=0.0, le=1.0)
    awareness_platform: float = Field(0.05, ge=0.0, le=1.0)
    schedule: list[Phase]
    parameters: dict[str, Any] = {}

    @model_validator(mode="after")
    def _consistent(self):
        if self.end_year < self.start_year or self.end_year - self.start_year + 1 > 30:
            raise ValueError("end_year must be from start_year to start_year + 29")
        if not self.schedule:
            raise ValueError("'schedule' is empty")
        years = [ph.from_year for ph in self.schedule]
        if years != sorted(years) or len(set(years)) != len(years):
            raise ValueError("schedule years must increase")
        if years[0] != self.start_year:
            raise ValueError(f"the schedule must start in start_year ({self.start_year})")
        mean = self.households / self.compounds
        if not 20 <= mean <= 1500:
            raise ValueError(f"households/compounds = {mean:g}; allowed 20 to 1500 per compound")
        if self.communities > self.compounds:
            raise ValueError("more communities than compounds")
        return self

    def phase(self, year: int) -> Phase:
        return [ph for ph in self.schedule if ph.from_year <= year][-1]


def load_scenario(path: str | Path = DEFAULT_SCENARIO) -> Scenario:
    """Read and validate a scenario file; one-line :class:`InputError` on any problem."""
    return load_model_file(path, Scenario, "scenario")


def city_sizes(seed: int, n: int, total: int, sigma: float, low: int = 20, high: int = 1500) -> np.ndarray:
    """Lognormal compound sizes (σ_log [A]) rescaled to sum exactly to ``total`` households."""
    keys = rng.slot_keys(rng.compound_key(seed, 1 << 30), np.arange(n))
    raw = np.exp(sigma * rng.normal(keys, 0, Purpose.AREA))
    x = raw / raw.sum() * total
    sizes = np.clip(np.floor(x), low, high).astype(np.int64)
    for _ in range(100):  # move the remainder one household at a time, largest remainders first
        gap = total - int(sizes.sum())
        if gap == 0:
            break
        order = np.argsort(-(x - sizes) if gap > 0 else (x - sizes), kind="stable")
        ok = order[(sizes[order] < high) if gap > 0 else (sizes[order] > low)][: abs(gap)]
        sizes[ok] += 1 if gap > 0 else -1
    if int(sizes.sum()) != total:
        raise InputError(f"cannot split {total} households into {n} compounds of {low}-{high}")
    return sizes


class CityModel(RenovationModel):
    """All of a city's old compounds under a scenario's regime schedule."""

    def __init__(
        self, scenario: Scenario | str | Path = DEFAULT_SCENARIO, rng: int = 0, executor: str = "vector", **overrides
    ):
        sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.city_scenario = sc
        params = {**sc.parameters, **overrides}
        self.regime_params = {r: resolve(r, params) for r in {ph.regime for ph in sc.schedule}}
        sizes = city_sizes(int(rng), sc.compounds, sc.households, sc.size_sigma_log)
        self.city = True
        super().__init__(
            regime=sc.schedule[0].regime,
            sizes=sizes,
            years=sc.end_year - sc.start_year + 1,
            executor=executor,
            rng=rng,
            **params,
        )
        self.queue: list[int] = []
        self.admitted_in_year = 0
        self.year = sc.start_year
        self.phase = sc.phase(self.year)
        self.rollout_rows: list[dict] = []
        self.phase1_outside = 0

    # the base class builds compounds through this hook
    def _make_compounds(self, keys):
        from agents.street_office import StreetOffice

        sc = self.city_scenario
        offices = [StreetOffice(self, shared=True) for _ in range(sc.communities)]
        comps = []
        for k, (s, c) in enumerate(keys):
            comp = Compound(
                self,
                k,
                s,
                c,
                int(self.bounds[k]),
                int(self.bounds[k + 1]),
                office=offices[k * sc.communities // len(keys)],
                dormant=True,
            )
            comp.existing_oc = rng.uniform_int(comp._keys[6], 0, Purpose.EXISTING_OC) < sc.existing_oc_share
            comps.append(comp)
        self.offices = offices
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
        for office in self.offices:
            office.end_week()
        if self.week % WEEKS_PER_YEAR == 0 or self.week == self.n_weeks:
            self.rollout_rows.append(self._rollout_row())

    def _new_year(self, t: int) -> None:
        self.year = self.city_scenario.start_year + t // WEEKS_PER_YEAR
        self.phase = self.city_scenario.phase(self.year)
        self.admitted_in_year = 0
        if self.phase.regime == "top_down":
            self._select_top_down(t)

    def _select_top_down(self, t: int) -> None:
        """The bureau picks the year's quota of compounds, worst facilities first (E4, E6).

        Without ``phase1_overlap`` the phase-1 compounds lie outside the 911 (they were built before
        2003, the 911 before 2000 and still unrenovated in 2019), so the 911 are not touched.
        """
        if not self.city_scenario.phase1_overlap:
            self.phase1_outside += self.phase.quota
            return
        free = [c for c in self.compounds if c.stage == Stage.AWARE and not c.phase1_done]
        free.sort(key=lambda c: (c.M, c.index))
        for c in free[: self.phase.quota]:
            c.start_top_down(t, self.regime_params["top_down"])

    def _awareness(self, t: int) -> None:
        p = self.city_p
        if not p.self_application:
            return
        hazard = self.city_scenario.awareness_platform if p.tau_info > 0 else self.city_scenario.awareness_weekly
        for c in self.compounds:
            if c.dormant and not c.aware and c.stage in (Stage.AWARE, Stage.LONG_TERM):
                if c.stage == Stage.LONG_TERM and not self.city_scenario.phase1_overlap:
                    continue
                if rng.uniform_int(c._keys[5], t, Purpose.TEAM + 7) < hazard:
                    c.become_aware(t, p)

    def _admit(self, t: int) -> None:
        """First in, first out, up to the year's quota."""
        while self.queue and self.admitted_in_year < self.phase.quota and self.phase.regime != "top_down":
            k = self.queue.pop(0)
            self.compounds[k].admit(t, self.city_p, self.phase.regime)
            self.admitted_in_year += 1

    def due_compounds(self, t: int):
        if t == 0 or (t * 12) // WEEKS_PER_YEAR != ((t - 1) * 12) // WEEKS_PER_YEAR:
            return None  # a month starts: everyone acts
        return np.array(
            [not (c.dormant and not c.aware and c.stage in (Stage.AWARE, Stage.LONG_TERM)) for c in self.compounds]
        )

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
        with_body = [c for c in cs if c.stage == Stage.LONG_TERM and c.body and c.fee_rates]
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
            "fee_collection": float(np.mean([c.fee_year for c in with_body])) if with_body else math.nan,
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
