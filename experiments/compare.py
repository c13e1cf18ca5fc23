"""The main job: regimes side by side on paired seeds, and the X2 knock-outs.

Every arm (a regime, or full three_integrations with one lever group switched off) runs on the
same seeds, so each seed is the same compound with the same random numbers in every arm and the
differences are paired (common random numbers). Knock-out definitions are read from
``configs/experiments/x2_knockouts.yaml`` (its ``scenarios``), the same file ``renosim sweep`` runs.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import limits, provenance, runner
from experiments.design import Point, resolved_values
from experiments.metrics import add_derived_outcomes
from experiments.options import DEFAULT_SEEDS, check_chunk_runs, resolve_workers
from experiments.resources import KNOCKOUTS_FILE
from experiments.spec import Scenario, load_experiment
from experiments.stats import compare_arms
from sim.errors import InputError

KNOCKOUT_BASE = "three_integrations"

#: Outcomes of the comparison table, in print order.
TABLE_OUTCOMES: tuple[str, ...] = (
    "participation_rate",
    "ladder_informed",
    "ladder_involved",
    "ladder_co_deciding",
    "cofunding_collection",
    "fee_collection",
    "consensus_weeks",
    "completed",
    "stalled",
    "council_formed",
    "legitimacy",
    "maintenance_year5",
    "complaints_per_100_households_per_year",
    "government_cost_per_household",
    "social_capital_end",
)


@dataclass
class ComparePlan:
    """A checked comparison, ready to run: its points, seeds, chunks and settings."""

    points: list[Point]
    seeds: list[int]
    chunks: list
    knockouts: list[Scenario]
    settings: dict[str, Any]


@dataclass
class CompareResult:
    """Results of :func:`run_compare`.

    Attributes
    ----------
    summary : DataFrame
        One row per arm and seed (the model's summary columns plus ``point`` and ``arm``).
    timeseries : DataFrame or None
        Weekly rows per arm and seed (when asked for).
    table : DataFrame
        :func:`experiments.stats.compare_arms` over the regimes, differences against the first.
    knockouts : DataFrame or None
        The same for the knock-out arms, differences against full three_integrations.
    """

    summary: pd.DataFrame
    timeseries: pd.DataFrame | None
    table: pd.DataFrame
    knockouts: pd.DataFrame | None
    settings: dict[str, Any] = field(default_factory=dict)
    knockout_docs: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)


def load_knockouts(path: str | Path = KNOCKOUTS_FILE) -> list[Scenario]:
    """The knock-out scenarios of the X2 experiment file."""
    exp = load_experiment(path)
    if exp.design != "scenarios" or not exp.scenarios:
        raise InputError(f"{path}: knock-outs must be a 'scenarios' design")
    return list(exp.scenarios)


def knockout_arm(name: str) -> str:
    """The arm label of a knock-out scenario (``party_rule`` -> ``no_party_rule``)."""
    return f"no_{name}"


def parse_regimes(text: str | Sequence[str]) -> list[str]:
    """Split and check a comma-separated list of regimes (order kept, duplicates refused)."""
    from sim import params as simparams

    names = [t.strip() for t in text.split(",")] if isinstance(text, str) else list(text)
    names = [n for n in names if n]
    if not names:
        raise InputError("--regimes: give at least one regime")
    for n in names:
        if n not in simparams.REGIMES:
            raise InputError(f"--regimes: unknown regime {n!r}; allowed: {', '.join(simparams.REGIMES)}")
    if len(set(names)) != len(names):
        raise InputError(f"--regimes: a regime is listed twice: {','.join(names)}")
    return names


def compare_points(
    regimes: Sequence[str],
    overrides: Mapping[str, Any] | None = None,
    knockouts: Sequence[Scenario] = (),
) -> list[Point]:
    """Points of a comparison: each regime, then each knock-out of three_integrations."""
    overrides = dict(overrides or {})
    arms: list[tuple[str, str, dict[str, Any]]] = [(r, r, overrides) for r in regimes]
    if knockouts and KNOCKOUT_BASE not in regimes:
        arms.append((KNOCKOUT_BASE, KNOCKOUT_BASE, overrides))
    for sc in knockouts:
        arms.append((knockout_arm(sc.name), KNOCKOUT_BASE, {**overrides, **sc.set}))
    points = []
    for i, (arm, regime, setting) in enumerate(arms):
        try:
            resolved_values(regime, setting, [])  # validates names, types and ranges
        except InputError as exc:
            raise InputError(f"{arm}: {exc}") from None
        points.append(Point(i, arm, regime, setting, {"arm": arm}))
    return points


def plan_compare(
    regimes: Sequence[str] = ("top_down", "pilot", "three_integrations"),
    *,
    seeds: int = DEFAULT_SEEDS,
    seed_start: int = 0,
    households: int = 150,
    years: int = 10,
    overrides: Mapping[str, Any] | None = None,
    knockouts: bool = False,
    knockouts_file: str | Path = KNOCKOUTS_FILE,
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_runs: int | None = None,
    timeseries: bool = True,
    max_runs: int | None = None,
) -> ComparePlan:
    """Check every input of a comparison and plan its chunks; nothing runs or is written.

    Parameters
    ----------
    regimes : sequence of str
        Regimes to compare; differences are taken against the first.
    seeds, seed_start : int
        Replications: seeds ``seed_start .. seed_start + seeds - 1``, shared by every arm.
    households, years : int
        Compound size and simulated years.
    overrides : mapping, optional
        Lever values applied to every arm (the CLI's ``--set``).
    knockouts : bool
        Also run three_integrations with each lever group of ``knockouts_file`` switched off.
    workers, scheduler, chunk_runs :
        Where and in what chunks to run (see :mod:`experiments.runner`); results do not depend
        on them.
    timeseries : bool
        Keep the weekly series (needed for the report's time plots).
    max_runs : int, optional
        Refuse more runs than this (default :data:`experiments.limits.MAX_RUNS`), before allocating.
    """
    regimes = parse_regimes(regimes)
    if seeds < 1:
        raise InputError(f"--seeds must be at least 1, got {seeds}")
    limits.check_seed_range(seed_start, seeds, "--seed-start", "--seeds")
    limits.check_range("--households", households, limits.HOUSEHOLDS)
    limits.check_range("--years", years, limits.YEARS)
    runner.check_scheduler(scheduler)
    workers = resolve_workers(workers)
    check_chunk_runs(chunk_runs)
    kos = load_knockouts(knockouts_file) if knockouts else []
    arms = len(regimes) + len(kos) + int(bool(kos) and KNOCKOUT_BASE not in regimes)
    total = limits.check_runs([arms, seeds], "compare: arms x seeds", max_runs)
    if timeseries:
        limits.check_memory_rows(total, 52 * years, "compare --out")
    points = compare_points(regimes, overrides, kos)
    seed_list = list(range(seed_start, seed_start + seeds))
    total = len(points) * len(seed_list)
    if chunk_runs is None:
        chunk_runs = runner.choose_chunk_runs(total, households, years, workers, distributed=scheduler is not None)
    chunks = runner.plan_chunks(
        points, seed_list, chunk_runs, households=households, years=years, timeseries=timeseries
    )
    settings = dict(
        regimes=regimes,
        seeds=seeds,
        seed_start=seed_start,
        households=households,
        years=years,
        overrides=dict(overrides or {}),
        knockouts=[s.name for s in kos],
        runs=total,
        seconds=None,  # set when it has run
        chunk_runs=chunk_runs,
        workers=None if scheduler else workers,
        scheduler=scheduler,
    )
    return ComparePlan(points, seed_list, chunks, kos, settings)


def execute_compare(plan: ComparePlan, *, progress: bool = True) -> CompareResult:
    """Run a checked :class:`ComparePlan` and tabulate it (see :func:`run_compare`)."""
    points, seed_list, kos, st = plan.points, plan.seeds, plan.knockouts, plan.settings
    regimes, scheduler = st["regimes"], st["scheduler"]
    runner.probe_scheduler(scheduler)
    start = time.perf_counter()
    results = runner.run_chunks(
        plan.chunks, workers=st["workers"] or 1, scheduler=scheduler, progress=progress, description="compare"
    )
    seconds = time.perf_counter() - start
    summary, series = runner.gather(results)
    summary = add_derived_outcomes(summary)
    outcomes = [o for o in TABLE_OUTCOMES if o in summary.columns]
    table = compare_arms(summary, outcomes, reference=regimes[0], arms=regimes)
    ko_table = None
    if kos:
        ko_arms = [KNOCKOUT_BASE] + [knockout_arm(s.name) for s in kos]
        ko_table = compare_arms(summary, outcomes, reference=KNOCKOUT_BASE, arms=ko_arms)
    settings = {**st, "seconds": round(seconds, 3)}
    docs = {knockout_arm(s.name): s.doc for s in kos}
    rec = provenance.record(
        {p.label: provenance.arm(p.regime, p.overrides) for p in points},
        seeds=seed_list,
        run={"households": st["households"], "years": st["years"], "seeds": seed_list},
        kind="compare",
    )
    return CompareResult(summary, series, table, ko_table, settings, docs, rec)


def run_compare(*args: Any, progress: bool = True, **kwargs: Any) -> CompareResult:
    """Run the regimes (and optionally the X2 knock-outs) on the same seeds and compare them.

    Takes :func:`plan_compare`'s arguments, and ``progress`` (a progress bar on stderr).
    """
    return execute_compare(plan_compare(*args, **kwargs), progress=progress)
