"""``renosim sensitivity morris|sobol EXPERIMENT.yaml``: SALib global sensitivity analysis."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from experiments.cli import app
from experiments.spec import load_experiment
from experiments.stats import sig3


@app.command("sensitivity")
def sensitivity(
    method: Annotated[str, typer.Argument(help="morris or sobol.")],
    experiment: Annotated[Path, typer.Argument(help="Experiment YAML with design: sensitivity.")],
    out: Annotated[Path | None, typer.Option(help="Results folder (default: results/NAME-METHOD).")] = None,
    resume: Annotated[bool, typer.Option(help="Continue a killed analysis in --out.")] = False,
    workers: Annotated[int | None, typer.Option(help="Local worker processes (default: all cores).")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Run on a Dask cluster: tcp://HOST:PORT.")] = None,
    chunk_runs: Annotated[int | None, typer.Option(hidden=True)] = None,
    progress: Annotated[bool, typer.Option(help="Progress bar on stderr.")] = True,
) -> None:
    """Morris screening or Sobol' indices over the experiment's parameter ranges."""
    from experiments.sensitivity import METHODS, run_sensitivity
    from sim.errors import InputError

    if method not in METHODS:
        raise InputError(f"unknown sensitivity method {method!r}; allowed: {', '.join(METHODS)}")
    exp = load_experiment(experiment)
    res = run_sensitivity(
        exp, method, out, resume=resume, workers=workers, scheduler=scheduler, chunk_runs=chunk_runs, progress=progress
    )
    console = Console()
    ind = res.indices
    cols = ["mu_star", "mu_star_conf", "sigma"] if method == "morris" else ["S1", "S1_conf", "ST", "ST_conf"]
    for output, rows in ind.groupby("output", sort=False) if not ind.empty else []:
        t = Table(title=f"{method}: {output}", title_justify="left")
        t.add_column("parameter")
        for c in cols:
            t.add_column(c, justify="right")
        key = "mu_star" if method == "morris" else "ST"
        for _, r in rows.sort_values(key, ascending=False).iterrows():
            t.add_row(r["parameter"], *(sig3(r[c]) for c in cols))
        console.print(t)
    for output, why in res.skipped.items():
        console.print(f"[yellow]{output} not analysed: {why}[/]")
    console.print(
        f"{res.sweep.runs_now} runs in {res.sweep.seconds:.1f} s; indices, CSV and report.html in {res.folder}"
    )
