"""Pattern-oriented calibration by ABC rejection (ODD X7; Grimm et al. 2005; Beaumont et al. 2002).

Points are drawn from the uniform prior box with a scrambled Sobol sequence (scipy.stats.qmc), each
point is run on the same paired seeds in every regime the patterns need (through the experiment
layer, so on local workers or a Dask cluster), and scored by its distance to the targets:

    d = sqrt( mean_k ((simulated_k − target_k) / tolerance_k)² )

over the compound-scale hard patterns. The closest ``accept`` share of points is the posterior
sample. Rejection ABC is chosen over SMC because every point's result depends only on its parameters
and seeds, so the accepted set is identical on any number of workers or backends.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc

from experiments import verify_spec
from experiments.design import Point
from experiments.limits import check_runs
from experiments.options import check_chunk_runs, resolve_workers
from experiments.runner import choose_chunk_runs, gather, plan_chunks, run_chunks
from experiments.store import ResultsStore
from experiments.sweep import run_into_store
from experiments.targets import METRICS, Targets
from sim.errors import InputError


@dataclass
class CalibrationResult:
    samples: pd.DataFrame  # every point: parameters, metrics, distance, accepted
    patterns: pd.DataFrame  # each pattern: target, tolerance, posterior mean and 90 % interval, pass
    parameters: list[str]
    chunks_run: int = 0  # chunks computed by this call (fewer than planned when resuming)
    chunks: int = 0  # chunks in the plan


def prior_sample(targets: Targets) -> pd.DataFrame:
    """Scrambled Sobol points in the prior box (reproducible from ``calibration.seed``)."""
    cal = targets.calibration
    names = list(cal.parameters)
    lows = np.array([cal.parameters[n][0] for n in names])
    highs = np.array([cal.parameters[n][1] for n in names])
    unit = qmc.Sobol(d=len(names), scramble=True, seed=cal.seed).random(cal.samples)
    return pd.DataFrame(qmc.scale(unit, lows, highs), columns=names)


def hard_compound_patterns(targets: Targets):
    return [p for p in targets.patterns if p.scope == "compound" and p.kind == "hard" and not p.reason]


def calibration_inputs(targets: Targets) -> dict:
    """What the runs of a calibration depend on: the run settings, the priors and the regimes.

    Recorded in its results folder's manifest, whose hash is :func:`calibration_digest` of it, so
    ``renosim verify`` can check the folder's counts against it.
    """
    return {
        "runs": targets.runs.model_dump(mode="json"),
        "calibration": targets.calibration.model_dump(mode="json"),
        "regimes": sorted({p.regime for p in hard_compound_patterns(targets)}),
    }


def calibration_digest(targets: Targets) -> str:
    return verify_spec.calibration_digest(calibration_inputs(targets))


def check_calibration(targets: Targets, max_runs: int | None = None) -> None:
    """Refuse, before anything is allocated, sample or seed counts below 1 or above the runs limit."""
    cal = targets.calibration
    for name in ("samples", "seeds"):
        if getattr(cal, name) < 1:
            raise InputError(f"calibration {name} = {getattr(cal, name)}; allowed: at least 1")
    regimes = {p.regime for p in hard_compound_patterns(targets)}
    check_runs([cal.samples, len(regimes), cal.seeds], "calibrate: samples x regimes x seeds", max_runs)


def calibrate(
    targets: Targets,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    store: str | Path | None = None,
    resume: bool = False,
    chunk_runs: int | None = None,
    max_runs: int | None = None,
) -> CalibrationResult:
    """Run the ABC rejection of ``targets.calibration``; see the module docstring.

    With ``store`` (a folder), every chunk of runs is written there as it finishes (the results
    store of :mod:`experiments.store`), and ``resume=True`` continues an interrupted calibration in
    that folder, running only the chunks it lacks. The accepted set is the same either way, and
    whatever ``chunk_runs`` (runs per chunk; chosen from the workload when ``None``). ``workers``
    defaults to all cores; more than ``max_runs`` runs are refused before anything is allocated.
    """
    cal = targets.calibration
    patterns = hard_compound_patterns(targets)
    regimes = sorted({p.regime for p in patterns})
    check_calibration(targets, max_runs)
    workers = resolve_workers(workers)
    check_chunk_runs(chunk_runs)
    prior = prior_sample(targets)
    points = []
    for i, row in prior.iterrows():
        for r in regimes:
            points.append(Point(len(points), f"sample {i}", r, dict(row), {"sample": int(i), "arm": r}))
    seeds = list(range(cal.seeds))
    runs = targets.runs
    chunk = chunk_runs or choose_chunk_runs(
        len(points) * len(seeds), runs.households, runs.years, workers, distributed=scheduler is not None
    )
    if store is None:
        chunks = plan_chunks(points, seeds, chunk, households=runs.households, years=runs.years, timeseries=False)
        results = run_chunks(chunks, workers=workers, scheduler=scheduler, progress=progress, description="calibrating")
        summary, _ = gather(results)
        n_run, n_chunks = len(chunks), len(chunks)
    else:
        summary, n_run, n_chunks = _run_stored(
            targets, points, seeds, chunk, store, resume, workers=workers, scheduler=scheduler, progress=progress
        )
    rows = []
    for i in range(len(prior)):
        mine = summary[summary["sample"] == i]
        metrics = {p.id: float(METRICS[p.metric](mine[mine["arm"] == p.regime])) for p in patterns}
        z = [(metrics[p.id] - p.target) / p.tolerance if p.tolerance > 0 else 0.0 for p in patterns]
        rows.append({**prior.iloc[i].to_dict(), **metrics, "distance": float(np.sqrt(np.nanmean(np.square(z))))})
    samples = pd.DataFrame(rows)
    samples.insert(0, "sample", range(len(samples)))
    n_accept = max(1, int(round(cal.accept * len(samples))))
    order = np.lexsort((samples["sample"].to_numpy(), samples["distance"].fillna(np.inf).to_numpy()))
    samples["accepted"] = False
    samples.loc[order[:n_accept], "accepted"] = True
    post = samples[samples.accepted]
    table = []
    for p in patterns:
        v = post[p.id]
        mean = float(v.mean())
        table.append(
            {
                "id": p.id,
                "metric": p.metric,
                "target": p.target,
                "tolerance": p.tolerance,
                "posterior_mean": mean,
                "low_5": float(v.quantile(0.05)),
                "high_95": float(v.quantile(0.95)),
                "passed": abs(mean - p.target) <= p.tolerance,
                "source": p.source,
            }
        )
    return CalibrationResult(samples, pd.DataFrame(table), list(cal.parameters), n_run, n_chunks)


def _run_stored(targets, points, seeds, chunk, folder, resume, *, workers, scheduler, progress):
    """Run the calibration's chunks into a verified results store, skipping those already there."""
    identity = {
        "experiment": f"calibrate {targets.name}",
        "hash": calibration_digest(targets),
        "runs": len(points) * len(seeds),
        "points": len(points),
        "seeds": [seeds[0], seeds[-1]],
        "timeseries": False,
    }
    out = run_into_store(
        folder,
        identity,
        points,
        seeds,
        households=targets.runs.households,
        years=targets.runs.years,
        resume=resume,
        workers=workers,
        scheduler=scheduler,
        chunk_runs=chunk,
        progress=progress,
        description="calibrating",
        manifest={"calibration": calibration_inputs(targets)},
    )
    return ResultsStore(folder).read("summary"), out.chunks_now, out.chunks_total


def defaults_against_posterior(result: CalibrationResult, targets: Targets) -> pd.DataFrame:
    """Each calibrated parameter: prior, posterior mean and 90 % interval, the shipped default, and
    whether the default lies inside that interval.

    This is the check behind the claim that the defaults are calibrated: a default outside its
    interval should be replaced by the posterior. A default of ``None`` for ``mu_theta`` means it is
    calibrated at start-up to the survey's willingness (E13); the value used at the targets' compound
    size is shown.
    """
    from sim.households import calibrate_mu_theta
    from sim.params import resolve

    cal = targets.calibration
    base = resolve(hard_compound_patterns(targets)[0].regime, {})
    post = result.samples[result.samples.accepted]
    rows = []
    for name in result.parameters:
        lo, hi = cal.parameters[name]
        default = getattr(base, name)
        if default is None and name == "mu_theta":
            default = calibrate_mu_theta(targets.runs.households, base)
        low, high = float(post[name].quantile(0.05)), float(post[name].quantile(0.95))
        rows.append(
            {
                "parameter": name,
                "prior_low": lo,
                "prior_high": hi,
                "posterior_mean": float(post[name].mean()),
                "low_5": low,
                "high_95": high,
                "default": float(default),
                "default_inside": low <= float(default) <= high,
            }
        )
    return pd.DataFrame(rows)


def posterior_figure(result: CalibrationResult):
    """Prior (all points) and posterior (accepted) histograms, one panel per parameter."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    names = result.parameters
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=names)
    for j, name in enumerate(names, start=1):
        fig.add_trace(
            go.Histogram(x=result.samples[name], name="prior", marker_color="#bbbbbb", nbinsx=12, showlegend=j == 1),
            row=1,
            col=j,
        )
        fig.add_trace(
            go.Histogram(
                x=result.samples.loc[result.samples.accepted, name],
                name="posterior",
                marker_color="#d62728",
                nbinsx=12,
                showlegend=j == 1,
            ),
            row=1,
            col=j,
        )
    fig.update_layout(
        barmode="overlay",
        title="ABC rejection: prior and accepted parameter values",
        height=360,
        width=max(600, 260 * len(names)),
    )
    fig.update_traces(opacity=0.75)
    return fig
