"""Empirical pattern targets (``configs/targets/*.yaml``) and their evaluation (ODD §9).

A targets file lists patterns, each with a kind — ``hard`` (a number with a tolerance), ``band``
(an upper or lower bound), ``ordinal`` (a direction between two regimes) or ``order`` (the means of
several measures decrease in the order given, e.g. PA2's item demand) — and a scope: ``compound``
patterns are evaluated on paired runs of single compounds, ``city`` patterns on one run of the city
scenario (:mod:`sim.city`), ``national`` patterns on one national run (:mod:`experiments.national`).
A pattern the model cannot reach carries a ``reason`` and is reported as not reachable rather than
dropped; if its measure exists it is still scored, so the table shows how far off the model is (and
the pattern passes like any other should the model come to meet it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, model_validator

from experiments.metrics import CITY_METRICS, METRICS, NATIONAL_METRICS, UNITS
from experiments.national import in_years, national_run
from sim import limits
from sim.params import REGIMES, load_model_file
from sim.run import run_batch


class Pattern(BaseModel):
    """One empirical pattern."""

    model_config = ConfigDict(extra="forbid")
    id: str
    kind: Literal["hard", "band", "ordinal", "order"]
    scope: Literal["compound", "city", "national"]
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
    years: list[int] | None = None  # national patterns: the years scored (default: every year of the run)

    @model_validator(mode="after")
    def _consistent(self):
        if self.reason:
            return self  # listed, not evaluated
        if self.kind == "band" and self.at_most is None and self.at_least is None:
            raise ValueError("a band pattern needs 'at_most' or 'at_least'")
        if self.tolerance is not None and self.tolerance < 0:
            raise ValueError("'tolerance' must be >= 0")
        if self.scope in ("city", "national"):
            known = CITY_METRICS if self.scope == "city" else NATIONAL_METRICS
            if self.metric not in known:
                raise ValueError(
                    f"unknown {self.scope} metric '{self.metric}'; allowed: {', '.join(sorted(known))} "
                    "(or give 'reason' why it cannot be evaluated)"
                )
            if self.kind not in ("hard", "band"):
                raise ValueError(f"a {self.scope} pattern is 'hard' or 'band'")
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


class NationalRuns(BaseModel):
    """The national run national patterns are scored on (``renosim national`` with these settings)."""

    model_config = ConfigDict(extra="forbid")
    scale: float = 0.01
    scenario: str = "nanning_timeline"
    start: int = 2019
    end: int = 2025


class Runs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seeds: int = 200
    #: Fewest paired seeds whose verdicts follow the model, not the seeds (``validate`` warns below it).
    min_seeds: int | None = None
    households: int = 150
    years: int = 6
    city_scenario: str | None = None  # default: configs/scenarios/nanning.yaml
    city_end_year: int | None = 2021  # city patterns here end in Jan 2022
    national: NationalRuns = NationalRuns()

    @model_validator(mode="after")
    def _ranges(self):
        if not 1 <= self.seeds <= 100_000:
            raise ValueError("runs.seeds must be from 1 to 100000")
        if self.min_seeds is not None and not 1 <= self.min_seeds <= self.seeds:
            raise ValueError(f"runs.min_seeds must be from 1 to runs.seeds ({self.seeds})")
        low, high = limits.HOUSEHOLDS
        if not low <= self.households <= high:
            raise ValueError(f"runs.households must be from {low} to {high}")
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


def evaluate(
    targets: Targets, seeds: int | None = None, params: dict[str, Any] | None = None, progress: bool = False
) -> pd.DataFrame:
    """Run the regimes the compound patterns need on paired seeds and score every pattern.

    Returns one row per pattern: ``id, kind, scope, target, simulated, low, high, status, note`` where
    ``status`` is ``pass``, ``fail`` or ``not reachable``; ``low``/``high`` is a 95 % interval (over
    seeds for a mean, of the paired difference for an ordinal pattern). ``measure`` says what
    ``simulated`` is: a ``level`` (a mean or a count) or a ``difference`` (ordinal: better minus worse,
    paired over seeds; order: the smallest gap between consecutive means); ``means`` holds the levels
    compared by a difference, ``unit`` the unit of the metric. NaN means not applicable or not measured.
    ``progress`` shows a bar on stderr (the numbers do not depend on it).
    """
    runs = targets.runs
    n = seeds or runs.seeds
    seed_list = list(range(n))
    scored = [p for p in targets.patterns if _evaluable(p)]
    needed = set()
    for p in scored:
        if p.scope == "compound":
            needed |= {p.better, p.worse} if p.kind == "ordinal" else {p.regime}
    needs_city = any(p.scope == "city" for p in scored)
    needs_national = any(p.scope == "national" for p in scored)
    with _bar(progress) as bar:
        summaries = {r: _summary(r, seed_list, runs, params, bar) for r in sorted(needed)}
        city = _city_model(targets, params, bar) if needs_city else None
    country = national_run(runs.national, params, progress) if needs_national else None
    rows = []
    for p in targets.patterns:
        if not _evaluable(p):
            rows.append(_row(p, np.nan, status="not reachable", note=p.reason))
            continue
        row = (
            _city(p, in_years(country, p.years), NATIONAL_METRICS)
            if p.scope == "national"
            else _score(p, summaries, city)
        )
        if p.reason and row["status"] == "fail":
            # a known gap: shown with its simulated value and the reason the model misses it
            row["status"], row["note"] = "not reachable", f"{p.reason} ({p.source})" if p.source else p.reason
        rows.append(row)
    return pd.DataFrame(rows)


def _row(p: Pattern, simulated: float, low=np.nan, high=np.nan, *, status: str, note: str | None, **extra) -> dict:
    metric = p.metric or (p.metrics or [None])[0]
    return {
        "id": p.id,
        "kind": p.kind,
        "scope": p.scope,
        "target": _target_text(p),
        "simulated": simulated,
        "low": low,
        "high": high,
        "status": status,
        "note": note,
        "metric": metric,
        "unit": UNITS.get(metric, ""),
        "measure": "difference" if p.kind in ("ordinal", "order") else "level",
        "means": extra.get("means"),
    }


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
    return _row(p, value, low, high, status="pass" if ok else "fail", note=p.source)


def _bar(enabled: bool):
    from rich.console import Console
    from rich.progress import Progress

    return Progress(console=Console(stderr=True), transient=True, disable=not enabled)


def _summary(regime: str, seed_list: list[int], runs: Runs, params, bar, chunk: int = 25) -> pd.DataFrame:
    """Compounds of one regime, in batches of ``chunk`` seeds (a seed's row does not depend on its batch)."""
    task = bar.add_task(f"{regime}: compound runs", total=len(seed_list))
    parts = []
    for i in range(0, len(seed_list), chunk):
        seeds = seed_list[i : i + chunk]
        kw = dict(regime=regime, n_households=runs.households, years=runs.years, timeseries=False)
        parts.append(run_batch(params or {}, seeds, **kw).summary)
        bar.advance(task, len(seeds))
    return pd.concat(parts, ignore_index=True)


def _city_model(targets: Targets, params, bar=None):
    """One run of the city scenario (seed 0) up to ``runs.city_end_year``; returns the finished model."""
    from experiments.resources import config_path
    from sim.city import CityModel, load_scenario

    sc = load_scenario(targets.runs.city_scenario or config_path("scenarios", "nanning.yaml"))
    if targets.runs.city_end_year is not None:
        sc = sc.model_copy(update={"end_year": max(sc.start_year, min(sc.end_year, targets.runs.city_end_year))})
    m = CityModel(sc, rng=0, **(params or {}))
    task = bar.add_task(f"city {sc.start_year}-{sc.end_year}: weeks", total=m.n_weeks) if bar else None
    while m.running:
        m.step()
        if bar:
            bar.advance(task)
    return m


def _city(p: Pattern, city, metrics=CITY_METRICS) -> dict:
    value = metrics[p.metric](city)
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
    simulated = values[-1] if len(values) == 1 else np.nan
    return _row(
        p, simulated, status="pass" if ok else "fail", note=p.source, means=None if len(values) == 1 else values
    )


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
    means = [float(METRICS[p.metric](better)), float(METRICS[p.metric](worse))]
    row = _row(p, mean, mean - half, mean + half, status="pass" if ok else "fail", note=p.source, means=means)
    row["target"] = f"{p.better} {'>' if sign > 0 else '<'} {p.worse}"
    return row


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
    smallest = min(m1 - m2 for m1, m2 in zip(means, means[1:], strict=False))
    return _row(p, smallest, min(lows), min(highs), status="pass" if ok else "fail", note=p.source, means=means)


def _target_text(p: Pattern) -> str:
    if p.kind == "order":
        return " > ".join(p.metrics or [])
    if p.kind == "hard" and (p.target is None or (p.tolerance is None and p.tolerance_share is None)):
        return "—" if p.target is None else str(p.target)  # a listed pattern without a usable target
    if p.kind == "hard":
        if isinstance(p.target, list):
            tol = f"±{p.tolerance_share:.0%}" if p.tolerance_share is not None else f"±{p.tolerance}"
            return "/".join(f"{t:,g}" for t in p.target) + f" {tol}"
        if p.tolerance_share is not None:
            return f"{p.target:,g} ±{p.tolerance_share:.0%}"
        return f"{p.target:,g} ± {p.tolerance:,g}"
    if p.kind == "band":
        parts = []
        if p.at_least is not None:
            parts.append(f">= {p.at_least:,g}")
        if p.at_most is not None:
            parts.append(f"<= {p.at_most:,g}")
        return " and ".join(parts)
    return f"{p.better} vs {p.worse}"
