"""Empirical pattern targets (``configs/targets/*.yaml``) and their evaluation (ODD §9).

A targets file lists patterns, each with a kind — ``hard`` (a number with a tolerance), ``band``
(an upper or lower bound) or ``ordinal`` (a direction between two regimes) — and a scope: ``compound``
patterns are evaluated on paired runs of single compounds, ``city`` patterns on one run of the city
scenario (:mod:`sim.city`). A pattern the model cannot reach carries a ``reason`` and is reported as
not reachable rather than dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, model_validator

from sim.params import REGIMES, load_model_file
from sim.run import run_batch


def _mean(col: str):
    return lambda s: s[col].astype(float).mean()


# metric name -> function of a regime's summary frame
METRICS = {
    "support_t0": _mean("support_t0"),
    "willingness_t0": _mean("willingness_t0"),
    "social_capital_t0": _mean("social_capital_t0"),
    "participation_rate": _mean("participation_rate"),
    "fee_collection": _mean("fee_collection"),
    "maintenance_year5": _mean("maintenance_year5"),
    "consensus_weeks": _mean("consensus_weeks"),
    "cofunding_collection": _mean("cofunding_collection"),
    "complaints_per_100_households_per_year": _mean("complaints_per_100_households_per_year"),
    "escalated_complaints_per_100_households_per_year": _mean("escalated_complaints_per_100_households_per_year"),
    "government_cost_per_household": _mean("government_cost_per_household"),
    "management_body_share": lambda s: (s["management"] != "none").mean(),
    "council_share_of_renovated": lambda s: s.loc[s["completed"], "council_formed"].astype(float).mean(),
    "representatives_per_council": lambda s: s.loc[s["representatives"] > 0, "representatives"].mean(),
    "party_share_of_representatives": lambda s: s.loc[
        s["representatives"] > 0, "party_share_of_representatives"
    ].mean(),
    "investment_per_household": _mean("investment_per_household"),
}


def _rollout_at(years):
    def f(r):
        return [float(r.loc[r.year == y, "cumulative_renovated"].iloc[0]) for y in years]

    return f


# city metric name -> function of the yearly rollout frame
CITY_METRICS = {
    "top_down_compounds_per_year": lambda r: float(
        r.loc[r.regime == "top_down", "phase1_renovated"].diff().fillna(r.phase1_renovated.iloc[0]).mean()
    ),
    "pilots_admitted_2019": lambda r: float(r.loc[r.year == 2019, "admitted"].iloc[0]),
    "cumulative_renovated_2019_2020_2021": _rollout_at([2019, 2020, 2021]),
    # E25 is a city count (486 new councils, 514 compounds), so it is read off the city run's last year
    "new_council_share_of_renovated": lambda r: float(r.council_share.iloc[-1]),
}


class Pattern(BaseModel):
    """One empirical pattern."""

    model_config = ConfigDict(extra="forbid")
    id: str
    kind: Literal["hard", "band", "ordinal"]
    scope: Literal["compound", "city"]
    metric: str
    source: str = ""
    regime: str | None = None
    target: float | list[float] | None = None
    tolerance: float | None = None
    tolerance_share: float | None = None
    at_most: float | None = None
    at_least: float | None = None
    better: str | None = None
    worse: str | None = None
    direction: Literal["higher", "lower"] = "higher"
    reason: str | None = None

    @model_validator(mode="after")
    def _consistent(self):
        if self.reason:
            return self  # listed, not evaluated
        if self.scope == "city":
            if self.metric not in CITY_METRICS:
                raise ValueError(
                    f"unknown city metric '{self.metric}'; allowed: {', '.join(sorted(CITY_METRICS))} "
                    "(or give 'reason' why it cannot be evaluated)"
                )
            if self.target is None or (self.tolerance is None and self.tolerance_share is None):
                raise ValueError("a city pattern needs 'target' and 'tolerance' or 'tolerance_share'")
            return self
        if self.metric not in METRICS:
            raise ValueError(f"unknown metric '{self.metric}'; allowed: {', '.join(sorted(METRICS))}")
        if self.kind == "ordinal":
            for r in (self.better, self.worse):
                if r not in REGIMES:
                    raise ValueError(f"ordinal pattern needs 'better' and 'worse' among {', '.join(REGIMES)}")
        else:
            if self.regime not in REGIMES:
                raise ValueError(f"'regime' must be one of {', '.join(REGIMES)}")
        if self.kind == "hard" and (not isinstance(self.target, int | float) or self.tolerance is None):
            raise ValueError("a hard pattern needs a numeric 'target' and a 'tolerance'")
        if self.tolerance is not None and self.tolerance < 0:
            raise ValueError("'tolerance' must be >= 0")
        if self.kind == "band" and self.at_most is None and self.at_least is None:
            raise ValueError("a band pattern needs 'at_most' or 'at_least'")
        return self


class Runs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seeds: int = 200
    households: int = 150
    years: int = 6
    city_scenario: str | None = None  # default: configs/scenarios/nanning.yaml
    city_end_year: int | None = 2021  # city patterns here end in Jan 2022

    @model_validator(mode="after")
    def _ranges(self):
        if not 1 <= self.seeds <= 100_000:
            raise ValueError("runs.seeds must be from 1 to 100000")
        if not 20 <= self.households <= 1500:
            raise ValueError("runs.households must be from 20 to 1500")
        if not 5 <= self.years <= 30:
            raise ValueError("runs.years must be from 5 to 30 (maintenance is read at year 5)")
        return self


class Calibration(BaseModel):
    """ABC rejection settings (ODD X7): uniform priors over named parameters."""

    model_config = ConfigDict(extra="forbid")
    samples: int = 64
    seeds: int = 20
    accept: float = 0.2
    seed: int = 0
    parameters: dict[str, tuple[float, float]]

    @model_validator(mode="after")
    def _ranges(self):
        from sim.params import SPEC_BY_NAME

        if not self.parameters:
            raise ValueError("calibration.parameters is empty")
        for name, (lo, hi) in self.parameters.items():
            spec = SPEC_BY_NAME.get(name)
            if spec is None or spec.kind != "float":
                raise ValueError(f"calibration parameter '{name}' is not a numeric model parameter")
            if not lo < hi:
                raise ValueError(f"calibration range of '{name}' is empty: [{lo}, {hi}]")
            if lo < spec.low or hi > spec.high:
                raise ValueError(
                    f"calibration range of '{name}' [{lo}, {hi}] leaves the allowed {spec.low:g} to {spec.high:g}"
                )
        if not 2 <= self.samples <= 100_000:
            raise ValueError("calibration.samples must be from 2 to 100000")
        if not 1 <= self.seeds <= 10_000:
            raise ValueError("calibration.seeds must be from 1 to 10000")
        if not 0 < self.accept <= 1:
            raise ValueError("calibration.accept must be in (0, 1]")
        return self


class Targets(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    source: str = ""
    runs: Runs = Runs()
    patterns: list[Pattern]
    calibration: Calibration | None = None

    @model_validator(mode="after")
    def _unique(self):
        if not self.patterns:
            raise ValueError("'patterns' is empty")
        ids = [p.id for p in self.patterns]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate pattern id {sorted(dup)[0]}")
        return self


def load_targets(path: str | Path) -> Targets:
    """Read and validate a targets file; one-line :class:`InputError` on any problem."""
    return load_model_file(path, Targets, "targets")


def evaluate(targets: Targets, seeds: int | None = None, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run the regimes the compound patterns need on paired seeds and score every pattern.

    Returns one row per pattern: ``id, kind, scope, target, simulated, low, high, status, note`` where
    ``status`` is ``pass``, ``fail`` or ``not reachable``; ``low``/``high`` is a 95 % interval (over
    seeds for a mean, of the paired difference for an ordinal pattern).
    """
    runs = targets.runs
    n = seeds or runs.seeds
    seed_list = list(range(n))
    needed = set()
    for p in targets.patterns:
        if p.scope == "compound" and not p.reason:
            needed |= {p.better, p.worse} if p.kind == "ordinal" else {p.regime}
    summaries = {
        r: run_batch(
            params or {}, seed_list, regime=r, n_households=runs.households, years=runs.years, timeseries=False
        ).summary
        for r in sorted(needed)
    }
    needs_city = any(p.scope == "city" and not p.reason for p in targets.patterns)
    rollout = _city_rollout(targets, params) if needs_city else None
    rows = []
    for p in targets.patterns:
        if p.reason:
            rows.append(
                {
                    "id": p.id,
                    "kind": p.kind,
                    "scope": p.scope,
                    "target": _target_text(p),
                    "simulated": np.nan,
                    "low": np.nan,
                    "high": np.nan,
                    "status": "not reachable",
                    "note": p.reason,
                }
            )
            continue
        if p.scope == "city":
            rows.append(_city(p, rollout))
            continue
        if p.kind == "ordinal":
            rows.append(_ordinal(p, summaries[p.better], summaries[p.worse]))
            continue
        s = summaries[p.regime]
        value = float(METRICS[p.metric](s))
        low, high = _interval(p, s)
        if p.kind == "hard":
            ok = abs(value - p.target) <= p.tolerance
        else:
            ok = (p.at_most is None or value <= p.at_most) and (p.at_least is None or value >= p.at_least)
        rows.append(
            {
                "id": p.id,
                "kind": p.kind,
                "scope": p.scope,
                "target": _target_text(p),
                "simulated": value,
                "low": low,
                "high": high,
                "status": "pass" if ok else "fail",
                "note": p.source,
            }
        )
    return pd.DataFrame(rows)


def _city_rollout(targets: Targets, params) -> pd.DataFrame:
    """One run of the city scenario (seed 0) up to ``runs.city_end_year``."""
    from sim.city import DEFAULT_SCENARIO, CityModel, load_scenario

    sc = load_scenario(targets.runs.city_scenario or DEFAULT_SCENARIO)
    if targets.runs.city_end_year is not None:
        sc = sc.model_copy(update={"end_year": max(sc.start_year, min(sc.end_year, targets.runs.city_end_year))})
    m = CityModel(sc, rng=0, **(params or {}))
    m.run()
    return m.rollout()


def _city(p: Pattern, rollout: pd.DataFrame) -> dict:
    value = CITY_METRICS[p.metric](rollout)
    targets_ = p.target if isinstance(p.target, list) else [p.target]
    values = value if isinstance(value, list) else [value]
    tol = [abs(t) * p.tolerance_share if p.tolerance_share is not None else p.tolerance for t in targets_]
    ok = len(values) == len(targets_) and all(abs(v - t) <= e for v, t, e in zip(values, targets_, tol, strict=True))
    shown = "/".join(f"{v:g}" for v in values)
    return {
        "id": p.id,
        "kind": p.kind,
        "scope": p.scope,
        "target": _target_text(p),
        "simulated": values[-1] if len(values) == 1 else np.nan,
        "low": np.nan,
        "high": np.nan,
        "status": "pass" if ok else "fail",
        "note": f"simulated {shown}; {p.source}",
    }


def _interval(p: Pattern, s: pd.DataFrame) -> tuple[float, float]:
    """95 % bootstrap-free interval: mean ± 1.96 SE over compounds for plain means, else NaN."""
    col = p.metric if p.metric in s.columns else None
    if col is None or s[col].dtype == object:
        return np.nan, np.nan
    x = s[col].astype(float).dropna()
    if len(x) < 2:
        return np.nan, np.nan
    half = 1.96 * x.std(ddof=1) / np.sqrt(len(x))
    return float(x.mean() - half), float(x.mean() + half)


def _ordinal(p: Pattern, better: pd.DataFrame, worse: pd.DataFrame) -> dict:
    d = better[p.metric].astype(float).to_numpy() - worse[p.metric].astype(float).to_numpy()
    d = d[np.isfinite(d)]
    sign = 1.0 if p.direction == "higher" else -1.0
    mean = float(d.mean()) if d.size else np.nan
    half = 1.96 * d.std(ddof=1) / np.sqrt(d.size) if d.size > 1 else np.nan
    ok = d.size > 1 and sign * (mean - sign * half) > 0
    return {
        "id": p.id,
        "kind": p.kind,
        "scope": p.scope,
        "target": f"{p.better} {'>' if sign > 0 else '<'} {p.worse}",
        "simulated": mean,
        "low": mean - half,
        "high": mean + half,
        "status": "pass" if ok else "fail",
        "note": p.source,
    }


def _target_text(p: Pattern) -> str:
    if p.kind == "hard":
        if isinstance(p.target, list):
            tol = f"±{p.tolerance_share:.0%}" if p.tolerance_share is not None else f"±{p.tolerance}"
            return "/".join(f"{t:g}" for t in p.target) + f" {tol}"
        return f"{p.target:g} ± {p.tolerance:g}"
    if p.kind == "band":
        parts = []
        if p.at_least is not None:
            parts.append(f">= {p.at_least:g}")
        if p.at_most is not None:
            parts.append(f"<= {p.at_most:g}")
        return " and ".join(parts)
    return f"{p.better} vs {p.worse}"
