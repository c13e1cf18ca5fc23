"""``renosim sensitivity morris|sobol EXPERIMENT.yaml``: SALib global sensitivity analysis."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from experiments import options as opts
from experiments.cli import app
from experiments.formatting import sig3
from experiments.limits import check_max_runs


@app.command("sensitivity")
def sensitivity(
    method: Annotated[str, typer.Argument(help="morris or sobol.")],
    experiment: Annotated[Path, typer.Argument(help="Experiment YAML with design: sensitivity.")],
    out: Annotated[Path | None, typer.Option(help="Results folder (default: results/NAME-METHOD).")] = None,
    resume: opts.Resume = False,
    workers: opts.Workers = None,
    scheduler: opts.Scheduler = None,
    chunk_runs: opts.ChunkRuns = None,
    progress: opts.Progress = True,
    max_runs: opts.MaxRuns = None,
) -> None:
    """Morris screening or Sobol' indices over the experiment's parameter ranges."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from experiments.sensitivity import METHOD, METHODS, run_sensitivity
    from experiments.spec import load_experiment
    from sim.errors import InputError

    if method not in METHODS:
        raise InputError(f"unknown sensitivity method {method!r}; allowed: {', '.join(METHODS)}")
    exp = load_experiment(experiment)
    res = run_sensitivity(
        exp,
        method,
        out,
        resume=resume,
        workers=workers,
        scheduler=scheduler,
        chunk_runs=chunk_runs,
        progress=progress,
        max_runs=check_max_runs(max_runs),
    )
    console = Console()
    ind = res.indices
    cols = METHOD[method].shown
    for output, rows in ind.groupby("output", sort=False) if not ind.empty else []:
        t = Table(title=f"{method}: {output}", title_justify="left")
        t.add_column("parameter")
        for c in cols:
            t.add_column(c, justify="right")
        for _, r in rows.sort_values(METHOD[method].rank_by, ascending=False).iterrows():
            t.add_row(r["parameter"], *(sig3(r[c]) for c in cols))
        console.print(t)
    for output, why in res.skipped.items():
        console.print(f"[yellow]{output} not analysed: {escape(why)}[/]")
    console.print(
        f"{res.sweep.runs_now} runs in {res.sweep.seconds:.1f} s; indices, CSV and report.html in "
        + escape(str(res.folder))
    )
