"""City scenarios: the regime schedule, the stock of compounds and their sizes (ODD §7.13; E4–E8, E15).

A scenario file (``configs/scenarios/*.yaml``) names the years each regime is in force with the
bureau's yearly quota (compounds, or households), the awareness hazards, and the stock: a stock
file (``stock:``, :mod:`sim.city.stock`) or the number of compounds and households to draw one from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim import limits, rng
from sim.config_files import load_model_file
from sim.errors import InputError
from sim.params import CONFIG_DIR, REGIMES
from sim.rng import Purpose

DEFAULT_SCENARIO = CONFIG_DIR / "scenarios" / "nanning.yaml"


class Phase(BaseModel):
    """From ``from_year`` on: the regime in force and the bureau's yearly quota.

    The quota counts compounds (``quota``) or households (``quota_households``: the bureau admits
    while the year's admitted households are below it, so the last compound may pass it).
    """

    model_config = ConfigDict(extra="forbid")
    from_year: int
    regime: str
    quota: int | None = Field(None, ge=0, le=1_000_000)
    quota_households: int | None = Field(None, ge=0, le=100_000_000)

    @model_validator(mode="after")
    def _regime(self):
        if self.regime not in REGIMES:
            raise ValueError(f"unknown regime '{self.regime}'; allowed: {', '.join(REGIMES)}")
        if (self.quota is None) == (self.quota_households is None):
            raise ValueError("give the year's quota as either 'quota' (compounds) or 'quota_households'")
        return self

    def full(self, compounds: int, households: int) -> bool:
        """Whether the year's quota is used up by ``compounds`` admitted with ``households``."""
        if self.quota is not None:
            return compounds >= self.quota
        return households >= self.quota_households


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
    #: a stock CSV file (relative to the scenario file); then compounds/households/size_sigma_log/
    #: communities/existing_oc_share are not used
    stock: str | None = None
    #: compounds completed in or after this year are outside the programme (国办发〔2020〕23号: 2000)
    built_before: int | None = Field(None, ge=1900, le=2100)

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
        low, high = limits.HOUSEHOLDS
        if not low <= mean <= high:
            raise ValueError(f"households/compounds = {mean:g}; allowed {low} to {high} per compound")
        if self.communities > self.compounds:
            raise ValueError("more communities than compounds")
        return self

    def phase(self, year: int) -> Phase:
        return [ph for ph in self.schedule if ph.from_year <= year][-1]


def load_scenario(path: str | Path = DEFAULT_SCENARIO) -> Scenario:
    """Read and validate a scenario file; one-line :class:`InputError` on any problem.

    A relative ``stock`` path is read from the scenario file's folder.
    """
    sc = load_model_file(path, Scenario, "scenario")
    if sc.stock is not None and not Path(sc.stock).is_absolute():
        sc = sc.model_copy(update={"stock": str(Path(path).parent / sc.stock)})
    return sc


def city_sizes(
    seed: int,
    n: int,
    total: int,
    sigma: float,
    low: int = limits.HOUSEHOLDS[0],
    high: int = limits.HOUSEHOLDS[1],
    stream: int = 1 << 30,
) -> np.ndarray:
    """Lognormal compound sizes (σ_log [A]) rescaled to sum exactly to ``total`` households.

    ``stream`` keys the draw: a national slice draws its own sizes (:mod:`sim.city.national`).
    """
    keys = rng.slot_keys(rng.compound_key(seed, stream), np.arange(n))
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
