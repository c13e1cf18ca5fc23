"""One national slice as a unit of work, and the yearly tables its results add up to (ODD §7.13).

A worker runs a slice of :func:`sim.city.national.plan_slices` as a :class:`sim.city.CityModel`
(:func:`run_slice`) and sends back, for every year end, its compounds' outcomes (compound-year rows)
and their partial sums (one row per year). The national and provincial yearly tables are sums of
the partial sums in slice order (:func:`aggregate`), so they are the same bits whichever backend,
worker count or resume produced the slices.

The outcomes are declared once, in :data:`OUTCOMES`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from sim import ladder
from sim.city.national import NationalData, Slice, slice_stock

WEEKS = 52


@dataclass(frozen=True)
class Outcome:
    """How a column of the compound summary (``sim.outputs.SUMMARY_COLUMNS``) enters the yearly tables.

    ``share``: household-weighted mean over the compounds whose project has started (NaN values
    left out); ``count``: started compounds where it is true; ``total``: value x households summed
    over every compound (a per-household cost becomes yuan).
    """

    column: str
    how: Literal["share", "count", "total"]
    name: str = ""

    @property
    def out(self) -> str:
        return self.name or self.column


#: The national outcomes — the one place to add one. ``participation_rate`` is the ladder's headline
#: (at least consulted); the ladder's shares follow it rung by rung (ODD §7.3).
OUTCOMES: tuple[Outcome, ...] = (
    Outcome("participation_rate", "share"),
    *(Outcome(f"ladder_{name}", "share") for name in ladder.NAMES),
    Outcome("cofunding_collection", "share"),
    Outcome("fee_collection", "share"),
    Outcome("council_formed", "count", "councils_formed"),
    Outcome("government_cost_per_household", "total", "government_cost"),
)
#: Counts every slice-year adds up, from the compounds' rows (see :func:`partial_sums`).
COUNTS = ("compounds", "households", "starts", "starts_households", "started", "households_covered", "completed")


@dataclass(frozen=True)
class SliceTask:
    """A slice as a unit of work; ``id`` is its chunk (and part file) number."""

    id: int
    slice: Slice
    seed: int
    overrides: tuple[tuple[str, Any], ...] = ()
    executor: str = "vector"
    keep_compounds: bool = True

    @property
    def runs(self) -> int:
        return 1


@dataclass
class SliceResult:
    """What a worker sends back; ``seconds`` splits its time into build, run and outputs."""

    chunk_id: int
    summary: pd.DataFrame
    timeseries: pd.DataFrame
    compounds: pd.DataFrame | None
    seconds: float
    cpu_seconds: float = 0.0
    split: dict[str, float] = field(default_factory=dict)


def warm_worker() -> int:
    """A worker's imports for :func:`run_slice`, run ahead of the work (:func:`experiments.backends.prewarm`)."""
    import os

    from sim.city import CityModel  # noqa: F401  (the import is the point: the model, its kernels, pandas)

    return os.getpid()


def run_slice(task: SliceTask) -> SliceResult:
    """Run one slice (in a worker). Top-level so process pools and Dask can pickle it."""
    from sim.city import CityModel

    start, cpu = time.perf_counter(), time.process_time()
    sl = task.slice
    stock = slice_stock(sl, task.seed)
    model = CityModel(sl.scenario, rng=task.seed, executor=task.executor, stock=stock, **dict(task.overrides))
    built = time.perf_counter()
    years, outputs = [], 0.0
    while model.running:
        model.step()
        if len(model.rollout_rows) > len(years):  # a year ended
            t = time.perf_counter()
            years.append(compound_year(model, model.rollout_rows[-1]["year"], sl))
            outputs += time.perf_counter() - t
    rows = pd.concat(years, ignore_index=True)
    summary, series = slice_frames(sl, task.seed, rows)
    seconds = time.perf_counter() - start
    split = {"build": built - start, "run": seconds - (built - start) - outputs, "outputs": outputs}
    compounds = rows if task.keep_compounds else None
    return SliceResult(sl.id, summary, series, compounds, seconds, time.process_time() - cpu, split)


def slice_frames(sl: Slice, seed: int, rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The slice's chunk parts: one row about it (summary) and its yearly partial sums (timeseries).

    Both carry the store's keys: point = the slice, compound = 0, and the week each year ends.
    """
    keys = {"point": sl.id, "seed": seed, "compound": 0}
    sums = pd.DataFrame([partial_sums(g, int(y)) for y, g in rows.groupby("year", sort=True)])
    weeks = (sums.year - sl.scenario.start_year + 1) * WEEKS
    series = pd.concat([pd.DataFrame({**keys, "week": weeks, "province": sl.province}), sums], axis=1)
    about = {"province": sl.province, "compounds": sl.compounds, "households": sl.households}
    about |= {"first_key": sl.first_key, "quota": sum(ph.quota or 0 for ph in sl.scenario.schedule)}
    return pd.DataFrame([{**keys, **about}]), series


def compound_year(model, year: int, sl: Slice) -> pd.DataFrame:
    """Every compound of ``model`` at the end of ``year``: its project and the :data:`OUTCOMES` columns."""
    s = model.summary()
    started = [c.started_year for c in model.compounds]
    regime = [c.admitted_regime or ("top_down" if c.started_year is not None else "") for c in model.compounds]
    return pd.DataFrame(
        {
            "year": year,
            "province": sl.province,
            "slice": sl.id,
            "compound": s.compound.to_numpy(np.int64),
            "n_households": s.n_households.to_numpy(np.int64),
            "started_year": pd.array(started, dtype="Int64"),
            "project_regime": regime,
            "stage": s.stage_end.astype(str).to_numpy(),
            "completed": s.completed.to_numpy(bool),
            "management": s.management.astype(str).to_numpy(),
            **{o.column: s[o.column].to_numpy() for o in OUTCOMES},
        }
    )


def partial_sums(rows: pd.DataFrame, year: int) -> dict[str, Any]:
    """One slice-year's counts and, per outcome, the sums the national tables add up."""
    n = rows.n_households.to_numpy(np.int64)
    began = rows.started_year.notna().to_numpy()
    new = (rows.started_year == year).fillna(False).to_numpy(bool)
    out: dict[str, Any] = {
        "year": year,
        "compounds": len(rows),
        "households": int(n.sum()),
        "starts": int(new.sum()),
        "starts_households": int(n[new].sum()),
        "started": int(began.sum()),
        "households_covered": int(n[began].sum()),
        "completed": int((began & rows.completed.to_numpy(bool)).sum()),
    }
    for o in OUTCOMES:
        x = rows[o.column].to_numpy(float)
        if o.how == "share":
            ok = began & np.isfinite(x)
            out[f"{o.out}__sum"], out[f"{o.out}__weight"] = float((x * n)[ok].sum()), float(n[ok].sum())
        elif o.how == "count":
            out[o.out] = int(np.nansum(x[began]))
        else:
            out[o.out] = float(np.nansum(x * n))
    return out


def aggregate(series: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Yearly tables from slice-year partial sums: counts added up, shares as weighted means."""
    sums = [c for c in series.columns if c in COUNTS or c.endswith(("__sum", "__weight")) or c in _totals()]
    table = series.sort_values(["point", "week"], kind="stable").groupby(by, sort=True)[sums].sum().reset_index()
    for o in OUTCOMES:
        if o.how == "share":
            w = table.pop(f"{o.out}__weight")
            table[o.out] = np.where(w > 0, table.pop(f"{o.out}__sum") / w.where(w > 0, 1.0), np.nan)
    return table[[*by, *COUNTS, *[o.out for o in OUTCOMES]]]


def _totals() -> set[str]:
    return {o.out for o in OUTCOMES if o.how != "share"}


def tables(series: pd.DataFrame, data: NationalData, scenario: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The national and the provincial yearly tables, with the regime in force each year."""
    national = aggregate(series, ["year"])
    provinces = aggregate(series, ["year", "province"])
    for t in (national, provinces):
        t.insert(1, "regime", [data.regime(scenario, int(y)) for y in t.year])
    return national, provinces
