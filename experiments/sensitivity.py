"""Global sensitivity analysis with SALib: Morris screening and Sobol' indices (ODD X4).

The experiment's ``ranges`` define the SALib problem. Each sample point runs on the experiment's
seeds (the same seeds at every point, so sampling noise is common to all points), the outputs are
averaged over seeds, and SALib analyses the averages. The runs go through the sweep machinery, so
they are chunked, parallel or on Dask, and resumable; the indices and the report are written next
to them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from experiments import provenance, report
from experiments.design import Point, resolved_values
from experiments.limits import check_runs
from experiments.spec import Experiment
from experiments.store import ResultsStore, write_parquet_atomic
from experiments.sweep import SweepOutcome, default_out, run_points
from sim.errors import InputError


@dataclass
class SensitivityResult:
    """Indices (one row per output and parameter), the runs' folder, and skipped outputs."""

    indices: pd.DataFrame
    folder: Path
    sweep: SweepOutcome
    skipped: dict[str, str]


def salib_problem(exp: Experiment) -> dict:
    """The SALib problem dict of an experiment's ``ranges``."""
    names = list(exp.ranges)
    return {"num_vars": len(names), "names": names, "bounds": [list(exp.ranges[n]) for n in names]}


def sample(exp: Experiment, method: str) -> np.ndarray:
    """SALib sample matrix (rows are points, columns follow ``ranges``)."""
    return METHOD[method].sample(salib_problem(exp), exp)


def sample_points(exp: Experiment, x: np.ndarray) -> list[Point]:
    """One point per sample row; integer parameters are rounded to the nearest integer."""
    from sim import params as simparams

    kinds = {n: simparams.list_parameters()[n].kind for n in exp.ranges}
    names = list(exp.ranges)
    # Checking the corners of the box is enough: every sample lies inside it.
    for n in names:
        for v in exp.ranges[n]:
            value = int(round(v)) if kinds[n] == "int" else float(v)
            try:
                resolved_values(exp.regime, {**exp.base, n: value}, [])
            except InputError as exc:
                raise InputError(f"{exp.name}: ranges.{n}: {exc}") from None
    points = []
    for i, row in enumerate(x):
        values = {n: int(round(v)) if kinds[n] == "int" else float(v) for n, v in zip(names, row, strict=True)}
        points.append(Point(i, f"sample {i}", exp.regime, {**exp.base, **values}, values))
    return points


def analyse(
    exp: Experiment, method: str, x: np.ndarray, summary: pd.DataFrame, n_points: int
) -> tuple[pd.DataFrame, dict[str, str]]:
    """SALib indices of each output (its mean over seeds at each point), with 95 % CIs."""
    problem, m = salib_problem(exp), METHOD[method]
    means = summary.groupby("point")[exp.outputs].mean().reindex(range(n_points))
    frames, skipped = [], {}
    for out in exp.outputs:
        y = means[out].to_numpy(dtype=float)
        if not np.isfinite(y).all():
            skipped[out] = f"undefined (NaN) at {int((~np.isfinite(y)).sum())} of {n_points} points"
            continue
        r = m.analyse(problem, x, y, exp)
        df = pd.DataFrame({"parameter": problem["names"], **{c: r[c] for c in m.columns}})
        df.insert(0, "output", out)
        df.insert(0, "method", method)
        frames.append(df)
    return (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()), skipped


def _grid(n: int) -> tuple[int, int]:
    cols = min(n, 2)
    return math.ceil(n / cols), cols


def morris_figure(ind: pd.DataFrame) -> go.Figure:
    """μ* against σ per output; error bars are μ*'s 95 % bootstrap CI."""
    outputs = list(dict.fromkeys(ind["output"]))
    rows, cols = _grid(len(outputs))
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=outputs)
    for k, out in enumerate(outputs):
        d = ind[ind["output"] == out]
        fig.add_trace(
            go.Scatter(
                x=d["mu_star"],
                y=d["sigma"],
                text=d["parameter"],
                mode="markers+text",
                textposition="top center",
                showlegend=False,
                error_x=dict(type="data", array=d["mu_star_conf"]),
            ),
            row=k // cols + 1,
            col=k % cols + 1,
        )
        # sigma = mu* marks where interactions or non-linearity are as large as the main effect.
        top = float(max(d["mu_star"].max(), d["sigma"].max(), 0.0)) or 1.0
        fig.add_trace(
            go.Scatter(
                x=[0, top],
                y=[0, top],
                mode="lines",
                showlegend=False,
                hoverinfo="skip",
                line=dict(color="grey", dash="dot"),
            ),
            row=k // cols + 1,
            col=k % cols + 1,
        )
    fig.update_xaxes(title_text="μ*")
    fig.update_yaxes(title_text="σ")
    fig.update_layout(
        title="Morris screening: μ* (importance) vs σ (non-linearity/interaction)",
        template="plotly_white",
        height=420 * rows,
    )
    return fig


def sobol_figure(ind: pd.DataFrame) -> go.Figure:
    """S1 and ST bars per output with 95 % bootstrap CIs."""
    outputs = list(dict.fromkeys(ind["output"]))
    rows, cols = _grid(len(outputs))
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=outputs)
    for k, out in enumerate(outputs):
        d = ind[ind["output"] == out]
        for name, colour in (("S1", "#1f77b4"), ("ST", "#ff7f0e")):
            fig.add_trace(
                go.Bar(
                    x=d["parameter"],
                    y=d[name],
                    name=name,
                    marker_color=colour,
                    showlegend=k == 0,
                    legendgroup=name,
                    error_y=dict(type="data", array=d[f"{name}_conf"]),
                ),
                row=k // cols + 1,
                col=k % cols + 1,
            )
    fig.update_layout(
        title="Sobol' indices: first order S1 and total ST", barmode="group", template="plotly_white", height=420 * rows
    )
    return fig


def _morris_sample(problem: dict, exp: Experiment) -> np.ndarray:
    from SALib.sample import morris

    return morris.sample(problem, exp.morris.trajectories, num_levels=exp.morris.levels, seed=exp.morris.sample_seed)


def _sobol_sample(problem: dict, exp: Experiment) -> np.ndarray:
    from SALib.sample import sobol

    return sobol.sample(problem, exp.sobol.n, calc_second_order=exp.sobol.second_order, seed=exp.sobol.sample_seed)


def _morris_analyse(problem: dict, x: np.ndarray, y: np.ndarray, exp: Experiment) -> dict:
    from SALib.analyze import morris

    m = exp.morris
    return morris.analyze(
        problem, x, y, num_levels=m.levels, conf_level=0.95, num_resamples=1000, seed=m.sample_seed + 1
    )


def _sobol_analyse(problem: dict, x: np.ndarray, y: np.ndarray, exp: Experiment) -> dict:
    from SALib.analyze import sobol

    # The bootstrap seed is sample_seed + 1: SALib's sobol ignores a seed of 0, and a fixed seed
    # makes the CIs reproducible.
    s = exp.sobol
    return sobol.analyze(
        problem, y, calc_second_order=s.second_order, conf_level=0.95, num_resamples=1000, seed=s.sample_seed + 1
    )


@dataclass(frozen=True)
class Method:
    """One SALib method: how to sample, how many points that makes, how to analyse and show it."""

    sample: Callable[[dict, Experiment], np.ndarray]
    analyse: Callable[[dict, np.ndarray, np.ndarray, Experiment], dict]
    n_points: Callable[[Experiment], int]
    columns: tuple[str, ...]  # the index columns kept from SALib's result, in table order
    shown: tuple[str, ...]  # the columns the CLI prints
    rank_by: str
    figure: Callable[[pd.DataFrame], go.Figure]


METHOD: dict[str, Method] = {
    "morris": Method(
        _morris_sample,
        _morris_analyse,
        lambda e: e.morris.trajectories * (len(e.ranges) + 1),
        ("mu", "mu_star", "sigma", "mu_star_conf"),
        ("mu_star", "mu_star_conf", "sigma"),
        "mu_star",
        morris_figure,
    ),
    "sobol": Method(
        _sobol_sample,
        _sobol_analyse,
        lambda e: e.sobol.n * ((2 if e.sobol.second_order else 1) * len(e.ranges) + 2),
        ("S1", "S1_conf", "ST", "ST_conf"),
        ("S1", "S1_conf", "ST", "ST_conf"),
        "ST",
        sobol_figure,
    ),
}
METHODS = tuple(METHOD)


def sensitivity_report(exp: Experiment, method: str, ind: pd.DataFrame, skipped: dict[str, str], path: Path) -> None:
    """Write the HTML report of a sensitivity analysis."""
    import html

    intro = (
        f"<p class='note'>{html.escape(exp.description)}</p>"
        f"<p class='note'>Method: {method}; parameters: "
        f"{html.escape(', '.join(f'{k} in [{lo:g}, {hi:g}]' for k, (lo, hi) in exp.ranges.items()))}"
        f"; {exp.seeds} seeds per point, outputs averaged over seeds.</p>"
    )
    sections = []
    if skipped:
        items = "".join(f"<li>{html.escape(k)}: {html.escape(v)}</li>" for k, v in skipped.items())
        sections.append(("Outputs not analysed", f"<ul>{items}</ul>"))
    if not ind.empty:
        fig = METHOD[method].figure(ind)
        sections += report.figures_html({"Indices": fig})
        sections.append(("Table", ind.to_html(index=False, float_format=lambda v: f"{v:.4g}")))
    if (path.parent / provenance.FILE).exists():
        sections.append(("Provenance", provenance.html_block(provenance.read(path.parent))))
    page = report.html_page(f"renosim: {method} sensitivity — {exp.name}", intro, sections)
    provenance.write_text(path, page)


def run_sensitivity(
    exp: Experiment,
    method: str,
    out: str | Path | None = None,
    *,
    max_runs: int | None = None,
    **options: Any,
) -> SensitivityResult:
    """Sample, run, analyse and report; see the module docstring.

    Writes into ``out`` (default ``results/<name>-<method>``): the runs (as a sweep folder),
    ``indices.parquet``, ``indices.csv`` and ``report.html``. ``options`` are those of
    :func:`experiments.sweep.run_into_store` (``resume``, ``workers``, ``scheduler``, ...).
    """
    if method not in METHODS:
        raise InputError(f"unknown sensitivity method {method!r}; allowed: {', '.join(METHODS)}")
    if exp.design != "sensitivity":
        raise InputError(f"{exp.name}: design is {exp.design!r}; sensitivity needs 'sensitivity'")
    check_runs([METHOD[method].n_points(exp), exp.seeds], f"{exp.name} {method}: points x seeds", max_runs)
    x = sample(exp, method)
    points = sample_points(exp, x)
    folder = Path(out) if out is not None else default_out(exp, f"-{method}")
    found: dict = {}

    def analyse_and_report(store: ResultsStore) -> None:
        ind, skipped = analyse(exp, method, x, store.read("summary"), len(points))
        write_parquet_atomic(ind, folder / "indices.parquet", provenance=provenance.read(folder))
        ind.to_csv(folder / "indices.csv", index=False)
        sensitivity_report(exp, method, ind, skipped, folder / "report.html")
        found.update(indices=ind, skipped=skipped)

    res = run_points(
        exp,
        points,
        folder,
        digest=exp.digest(method),
        timeseries=False,
        description=f"{exp.name} {method}",
        max_runs=max_runs,
        finish=analyse_and_report,
        **options,
    )
    return SensitivityResult(found["indices"], folder, res, found["skipped"])
