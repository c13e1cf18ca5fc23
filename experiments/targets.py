"""Empirical pattern targets (``configs/targets/*.yaml``) and their evaluation (ODD §9).

A targets file lists patterns, each with a kind — ``hard`` (a number with a tolerance), ``band``
(an upper or lower bound), ``ordinal`` (a direction between two regimes) or ``order`` (the means of
several measures decrease in the order given, e.g. PA2's item demand) — and a scope: ``compound``
patterns are evaluated on paired runs of single compounds, ``city`` patterns on one run of the city
scenario (:mod:`sim.city`). A pattern the model cannot reach carries a ``reason`` and is reported as
not reachable rather than dropped; if its measure exists it is still scored, so the table shows how
far off the model is (and the pattern passes like any other should the model come to meet it).
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
    "office_hours": _mean("office_hours"),
    "item_support_basic_t0": _mean("item_support_basic_t0"),
    "item_support_improvement_t0": _mean("item_support_improvement_t0"),
    "item_support_enhancement_t0": _mean("item_support_enhancement_t0"),
    # share of compounds whose residents were asked to co-fund at all
    "cofunding_billed_share": lambda s: s["cofunding_collection"].notna().mean(),
    "households_per_representative": lambda s: (
        s.loc[s["representatives"] > 0, "n_households"] / s.loc[s["representatives"] > 0, "representatives"]
    ).mean(),
}


def _rollout_at(years):
    def f(m):
        r = m.rollout()
        return [float(r.loc[r.year == y, "cumulative_renovated"].iloc[0]) for y in years]

    return f


def _cohort(m, year: int) -> list:
    return [c for c in m.compounds if c.admitted_year == year]


def _top_down_per_year(m) -> float:
    r = m.rollout()
    return float(r.loc[r.regime == "top_down", "phase1_renovated"].diff().fillna(r.phase1_renovated.iloc[0]).mean())


def _pilots_stalled(m) -> float:
    from sim.stages import TERMINAL

    return float(sum(c.stage in TERMINAL for c in _cohort(m, 2019)))


def _new_council_share_of_2020_starts(m) -> float:
    cohort = _cohort(m, 2020)
    return sum(c.new_council for c in cohort) / len(cohort) if cohort else np.nan


def _representatives_per_new_council(m) -> float:
    led = [c for c in m.compounds if c.admitted_regime is not None and c.council_active and c.new_council]
    return float(np.mean([c.council.members.size for c in led])) if led else np.nan


def _renovated_size_over_stock(m) -> float:
    started = [c.n for c in m.compounds if c.admitted_regime is not None]
    return float(np.mean(started) / np.mean([c.n for c in m.compounds])) if started else np.nan


# city metric name -> function of the finished city model (sim.city.CityModel)
CITY_METRICS = {
    "top_down_compounds_per_year": _top_down_per_year,
    "pilots_admitted_2019": lambda m: float(m.rollout().set_index("year").admitted.get(2019, np.nan)),
    "pilots_stalled_or_abandoned": _pilots_stalled,
    "admitted_2020": lambda m: float(m.rollout().set_index("year").admitted.get(2020, np.nan)),
    "new_council_share_of_2020_starts": _new_council_share_of_2020_starts,
    "cumulative_renovated_2019_2020_2021": _rollout_at([2019, 2020, 2021]),
    # E25 is a city count (486 new councils, 514 compounds), so it is read off the city run's last year
    "new_council_share_of_renovated": lambda m: float(m.rollout().council_share.iloc[-1]),
    "renovated_mean_size_over_stock_mean": _renovated_size_over_stock,
    "households_covered": lambda m: float(m.rollout().households_covered.iloc[-1]),
    "representatives_per_new_council": _representatives_per_new_council,
}


class Pattern(BaseModel):
    """One empirical pattern."""

    model_config = ConfigDict(extra="forbid")
    id: str
    kind: Literal["hard", "band", "ordinal", "order"]
    scope: Literal["compound", "city"]
    metric: str | None = None
    metrics: list[str] | None = None  # kind 'order': their means decrease in this order
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
        if self.kind == "band" and self.at_most is None and self.at_least is None:
            raise ValueError("a band pattern needs 'at_most' or 'at_least'")
        if self.tolerance is not None and self.tolerance < 0:
            raise ValueError("'tolerance' must be >= 0")
        if self.scope == "city":
            if self.metric not in CITY_METRICS:
                raise ValueError(
                    f"unknown city metric '{self.metric}'; allowed: {', '.join(sorted(CITY_METRICS))} "
                    "(or give 'reason' why it cannot be evaluated)"
                )
            if self.kind not in ("hard", "band"):
                raise ValueError("a city pattern is 'hard' or 'band'")
            if self.kind == "hard" and (
                self.target is None or (self.tolerance is None and self.tolerance_share is None)
            ):
                raise ValueError("a hard city pattern needs 'target' and 'tolerance' or 'tolerance_share'")
            return self
        if self.kind == "order":
            if not self.metrics or len(self.metrics) < 2:
                raise ValueError("an order pattern needs 'metrics': two or more, highest first")
            bad = [m for m in self.metrics if m not in METRICS]
            if bad:
                raise ValueError(f"unknown metric '{bad[0]}'; allowed: {', '.join(sorted(METRICS))}")
            if self.regime not in REGIMES:
                raise ValueError(f"'regime' must be one of {', '.join(REGIMES)}")
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
    scored = [p for p in targets.patterns if _evaluable(p)]
    needed = set()
    for p in scored:
        if p.scope == "compound":
            needed |= {p.better, p.worse} if p.kind == "ordinal" else {p.regime}
    summaries = {
        r: run_batch(
            params or {}, seed_list, regime=r, n_households=runs.households, years=runs.years, timeseries=False
        ).summary
        for r in sorted(needed)
    }
    needs_city = any(p.scope == "city" for p in scored)
    city = _city_model(targets, params) if needs_city else None
    rows = []
    for p in targets.patterns:
        if not _evaluable(p):
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
        row = _score(p, summaries, city)
        if p.reason and row["status"] == "fail":
            # a known gap: shown with its simulated value and the reason the model misses it
            row["status"], row["note"] = "not reachable", f"{p.reason} ({p.source})" if p.source else p.reason
        rows.append(row)
    return pd.DataFrame(rows)


def _evaluable(p: Pattern) -> bool:
    """Whether a pattern can be scored: it passes validation as it would without its ``reason`` (a
    pattern with a reason may name a measure the model lacks)."""
    if not p.reason:
        return True
    try:
        Pattern(**{**p.model_dump(), "reason": None})
    except ValueError:
        return False
    return True


def _score(p: Pattern, summaries: dict, city) -> dict:
    if p.scope == "city":
        return _city(p, city)
    if p.kind == "order":
        return _order(p, summaries[p.regime])
    if p.kind == "ordinal":
        return _ordinal(p, summaries[p.better], summaries[p.worse])
    s = summaries[p.regime]
    value = float(METRICS[p.metric](s))
    low, high = _interval(p, s)
    if p.kind == "hard":
        ok = abs(value - p.target) <= p.tolerance
    else:
        ok = (p.at_most is None or value <= p.at_most) and (p.at_least is None or value >= p.at_least)
    return {
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


def _city_model(targets: Targets, params):
    """One run of the city scenario (seed 0) up to ``runs.city_end_year``; returns the finished model."""
    from experiments.resources import config_path
    from sim.city import CityModel, load_scenario

    sc = load_scenario(targets.runs.city_scenario or config_path("scenarios", "nanning.yaml"))
    if targets.runs.city_end_year is not None:
        sc = sc.model_copy(update={"end_year": max(sc.start_year, min(sc.end_year, targets.runs.city_end_year))})
    m = CityModel(sc, rng=0, **(params or {}))
    m.run()
    return m


def _city(p: Pattern, city) -> dict:
    value = CITY_METRICS[p.metric](city)
    values = value if isinstance(value, list) else [value]
    if p.kind == "band":
        v = values[0]
        ok = np.isfinite(v) and (p.at_most is None or v <= p.at_most) and (p.at_least is None or v >= p.at_least)
    else:
        targets_ = p.target if isinstance(p.target, list) else [p.target]
        tol = [abs(t) * p.tolerance_share if p.tolerance_share is not None else p.tolerance for t in targets_]
        ok = len(values) == len(targets_) and all(
            abs(v - t) <= e for v, t, e in zip(values, targets_, tol, strict=True)
        )
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


def _order(p: Pattern, s: pd.DataFrame) -> dict:
    """Means decrease along ``p.metrics``: each paired difference's 95 % interval lies above 0."""
    means = [float(METRICS[m](s)) for m in p.metrics]
    lows, highs = [], []
    for a, b in zip(p.metrics, p.metrics[1:], strict=False):
        d = (s[a].astype(float) - s[b].astype(float)).dropna().to_numpy()
        half = 1.96 * d.std(ddof=1) / np.sqrt(d.size) if d.size > 1 else np.nan
        lows.append(float(d.mean() - half) if d.size else np.nan)
        highs.append(float(d.mean() + half) if d.size else np.nan)
    ok = all(np.isfinite(lo) and lo > 0 for lo in lows)
    return {
        "id": p.id,
        "kind": p.kind,
        "scope": p.scope,
        "target": _target_text(p),
        "simulated": min(m1 - m2 for m1, m2 in zip(means, means[1:], strict=False)),
        "low": min(lows),
        "high": min(highs),
        "status": "pass" if ok else "fail",
        "note": "simulated " + " > ".join(f"{m:.3g}" for m in means) + f"; {p.source}",
    }


def _target_text(p: Pattern) -> str:
    if p.kind == "order":
        return " > ".join(p.metrics or [])
    if p.kind == "hard" and (p.target is None or (p.tolerance is None and p.tolerance_share is None)):
        return "—" if p.target is None else str(p.target)  # a listed pattern without a usable target
    if p.kind == "hard":
        if isinstance(p.target, list):
            tol = f"±{p.tolerance_share:.0%}" if p.tolerance_share is not None else f"±{p.tolerance}"
            return "/".join(f"{t:g}" for t in p.target) + f" {tol}"
        if p.tolerance_share is not None:
            return f"{p.target:g} ±{p.tolerance_share:.0%}"
        return f"{p.target:g} ± {p.tolerance:g}"
    if p.kind == "band":
        parts = []
        if p.at_least is not None:
            parts.append(f">= {p.at_least:g}")
        if p.at_most is not None:
            parts.append(f"<= {p.at_most:g}")
        return " and ".join(parts)
    return f"{p.better} vs {p.worse}"
