"""The country as slices of cities: a synthetic national stock from published totals (ODD §7.13).

``configs/national/china.yaml`` holds the national totals (docs/DATA.md gives each figure's
source): the stock of old compounds, households per compound, every year's new starts, each
province's share and the national scenarios (the regime in force from each year on). A national run
is cut into *slices*: a province's compounds in runs of at most ``slice_compounds``, each an
ordinary :class:`sim.city.CityModel` with its own bureau and queue — a unit of work, not a real
city. The stock and every year's quota are shared out by largest remainders: first among the
provinces by their shares, then among a province's slices by their compounds, so the slices' quotas
add up to the (scaled) national starts exactly.

Nothing here depends on how many slices run or where: a slice's compounds are drawn from its own
key, and every compound is keyed by (seed, its number in the national stock). The threshold mean
μθ is calibrated once for the nation (:func:`national_mu_theta`; ODD §6, to the survey's
willingness, E13), not once per slice, as a national survey would be.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.city.cities import split_quota
from sim.city.scenario import Phase, Scenario, city_sizes
from sim.city.stock import synthetic_stock
from sim.config_files import DEFAULT_NATIONAL, load_model_file
from sim.errors import InputError
from sim.households import calibrate_mu_theta
from sim.params import REGIMES, resolve

SLICE_STREAM = 1 << 31  # keys a slice's size draw apart from every compound key
SCALE = (1e-4, 100.0)
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")


class Starts(BaseModel):
    """One year's published new starts."""

    model_config = ConfigDict(extra="forbid")
    compounds: int = Field(ge=1, le=1_000_000)
    households: int = Field(ge=1, le=100_000_000)


class RegimeFrom(BaseModel):
    model_config = ConfigDict(extra="forbid")
    from_year: int
    regime: str

    @model_validator(mode="after")
    def _known(self):
        if self.regime not in REGIMES:
            raise ValueError(f"unknown regime '{self.regime}'; allowed: {', '.join(REGIMES)}")
        return self


class NationalData(BaseModel):
    """The national totals file (``configs/national/*.yaml``)."""

    model_config = ConfigDict(extra="forbid")
    name: str
    stock_compounds: int = Field(ge=1, le=10_000_000)
    households_per_compound: float = Field(ge=20, le=10_000)
    size_sigma_log: float = Field(ge=0, le=2)
    compounds_per_community: float = Field(ge=1, le=1_000)
    existing_oc_share: float = Field(ge=0, le=1)
    awareness_weekly: float = Field(ge=0, le=1)
    awareness_platform: float = Field(ge=0, le=1)
    slice_compounds: int = Field(ge=1, le=20_000)
    starts: dict[int, Starts]
    provinces: dict[str, float]
    scenarios: dict[str, list[RegimeFrom]]

    @model_validator(mode="after")
    def _consistent(self):
        years = sorted(self.starts)
        if not years or years != list(range(years[0], years[-1] + 1)):
            raise ValueError("'starts' must give every year of a run of consecutive years")
        bad = [p for p, w in self.provinces.items() if not _NAME.match(p) or not w > 0]
        if not self.provinces or bad:
            raise ValueError(f"provinces need names of letters, digits, _ or - and positive weights: {bad[:1]}")
        for name, timeline in self.scenarios.items():
            if not timeline or [t.from_year for t in timeline] != sorted({t.from_year for t in timeline}):
                raise ValueError(f"scenario {name!r}: from_year must increase")
        return self

    def regime(self, scenario: str, year: int) -> str:
        timeline = [t for t in self.scenarios[scenario] if t.from_year <= year]
        if not timeline:
            raise InputError(f"national scenario {scenario!r} names no regime for {year}")
        return timeline[-1].regime


def load_national(path: str | Path = DEFAULT_NATIONAL) -> NationalData:
    """Read and validate a national totals file; one-line :class:`InputError` on any problem."""
    return load_model_file(path, NationalData, "national totals")


@dataclass(frozen=True)
class Slice:
    """A province's compounds run together: ``compounds`` of them, keyed from ``first_key``."""

    id: int
    province: str
    compounds: int
    households: int
    first_key: int
    scenario: Scenario


def check_run(data: NationalData, scenario: str, start: int, end: int, scale: float) -> None:
    """Refuse a scenario, years or scale the data cannot support; one line naming what is allowed."""
    if scenario not in data.scenarios:
        raise InputError(f"unknown national scenario {scenario!r}; allowed: {', '.join(data.scenarios)}")
    first, last = min(data.starts), max(data.starts)
    if not first <= start <= end <= last:
        raise InputError(f"--from/--to {start}-{end}: the published starts cover {first} to {last}; stay inside them")
    if not SCALE[0] <= scale <= SCALE[1]:
        raise InputError(f"--scale {scale:g} is out of range; allowed {SCALE[0]:g} to {SCALE[1]:g}")
    data.regime(scenario, start)


def plan_slices(data: NationalData, scenario: str, start: int, end: int, scale: float) -> list[Slice]:
    """The national stock at ``scale`` cut into slices, each with its scenario and yearly quotas."""
    check_run(data, scenario, start, end, scale)
    total = max(1, round(data.stock_compounds * scale))
    per_province = split_quota(total, list(data.provinces.values()))
    sizes, provinces = [], []
    for province, k in zip(data.provinces, per_province.tolist(), strict=True):
        n = math.ceil(k / data.slice_compounds)
        sizes += [len(part) for part in _split(k, n)]
        provinces += [province] * n
    years = range(start, end + 1)
    quotas = {y: split_quota(round(data.starts[y].compounds * scale), sizes) for y in years}
    slices, first = [], 0
    for i, (province, k) in enumerate(zip(provinces, sizes, strict=True)):
        households = round(k * data.households_per_compound)
        schedule = [Phase(from_year=y, regime=data.regime(scenario, y), quota=int(quotas[y][i])) for y in years]
        sc = Scenario(
            name=f"{province}-{i:05d}",
            start_year=start,
            end_year=end,
            compounds=k,
            households=households,
            size_sigma_log=data.size_sigma_log,
            communities=max(1, min(k, round(k / data.compounds_per_community))),
            phase1_overlap=True,  # the bureau picks top-down compounds from this stock
            existing_oc_share=data.existing_oc_share,
            awareness_weekly=data.awareness_weekly,
            awareness_platform=data.awareness_platform,
            schedule=schedule,
        )
        slices.append(Slice(i, province, k, households, first, sc))
        first += k
    return slices


def _split(k: int, n: int) -> list[range]:
    """``k`` compounds in ``n`` runs as even as can be."""
    if n == 0:
        return []  # a province the scale leaves without a compound
    cuts = [k * j // n for j in range(n + 1)]
    return [range(a, b) for a, b in zip(cuts, cuts[1:], strict=False)]


def slice_stock(sl: Slice, seed: int) -> pd.DataFrame:
    """The slice's compounds: sizes from the slice's own key, keys from its place in the nation."""
    sc = sl.scenario
    sizes = city_sizes(seed, sc.compounds, sc.households, sc.size_sigma_log, stream=SLICE_STREAM + sl.id)
    stock = synthetic_stock(sc, seed, first_key=sl.first_key, sizes=sizes)
    stock["province"] = sl.province
    return stock


def national_mu_theta(data: NationalData, scenario: str, start: int, seed: int, params: dict) -> float | None:
    """μθ for every slice: calibrated on a reference draw of ``slice_compounds`` national compounds.

    None when the parameters fix μθ or do not use it (then each slice does as a city does).
    """
    p = resolve(data.regime(scenario, start), params)
    if p.mu_theta is not None or p.theta_dist != "normal":
        return None
    k = data.slice_compounds
    sizes = city_sizes(seed, k, round(k * data.households_per_compound), data.size_sigma_log, stream=SLICE_STREAM - 1)
    return calibrate_mu_theta(sizes, p)
