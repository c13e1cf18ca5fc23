"""``renosim sweep EXPERIMENT.yaml``: grid, one-factor-at-a-time and scenario designs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from experiments import options as opts
from experiments.cli import app
from experiments.formatting import sig3
from experiments.limits import check_max_runs

if TYPE_CHECKING:
    from rich.console import Console


def print_point_means(exp, folder: Path, console: Console, limit: int = 40) -> None:
    """A table of each output's mean over seeds per point (the first ``limit`` points)."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from experiments.store import ResultsStore
    from experiments.sweep import point_means

    store = ResultsStore(folder)
    labels = store.read_points().set_index("point")["label"]
    means = point_means(store.read("summary"), exp.outputs)
    t = Table(title=f"{exp.name}: mean over {exp.seeds} seeds", title_justify="left", box=box.SIMPLE_HEAD)
    t.add_column("point", justify="right")
    t.add_column("label", no_wrap=True, overflow="ellipsis", max_width=60)
    for c in means.columns:
        t.add_column(c, justify="right", no_wrap=True, min_width=min(len(c), 14))
    for point, row in means.head(limit).iterrows():
        t.add_row(str(point), Text(str(labels.get(point, ""))), *(sig3(v) for v in row))  # a label may hold [ ]
    console.print(t)
    if len(means) > limit:
        console.print(f"... {len(means) - limit} more points in {escape(str(folder))}/summary")


def runs_table(folder: Path):
    """Every run's summary row from the verified store, with its point's label after the point id."""
    from experiments.store import ResultsStore

    store = ResultsStore(folder)
    runs = store.read("summary")
    labels = store.read_points().set_index("point")["label"]
    runs.insert(1, "label", runs["point"].map(labels))
    return runs


@app.command("sweep")
def sweep(
    experiment: Annotated[Path, typer.Argument(help="Experiment YAML (configs/experiments/).")],
    out: Annotated[Path | None, typer.Option(help="Results folder (default: results/NAME).")] = None,
    resume: opts.Resume = False,
    workers: opts.Workers = None,
    scheduler: opts.Scheduler = None,
    chunk_runs: opts.ChunkRuns = None,
    progress: opts.Progress = True,
    max_runs: opts.MaxRuns = None,
    csv: Annotated[
        bool, typer.Option("--csv", help="Print every run's summary row (point, label, factors, seed, ...) as CSV.")
    ] = False,
) -> None:
    """Run every point of an experiment on every seed into a resumable Parquet dataset.

    The YAML names a design (grid, oat, scenarios), its factors or scenarios, and the seeds;
    see configs/experiments/ for examples and experiments/spec.py for the schema. With --csv the
    table of runs goes to stdout (one row per run, like NetLogo's BehaviorSpace table output) and
    the rest to stderr.
    """
    from rich.console import Console
    from rich.markup import escape

    from experiments.spec import load_experiment
    from experiments.sweep import run_sweep

    exp = load_experiment(experiment)
    res = run_sweep(
        exp,
        out,
        resume=resume,
        workers=workers,
        scheduler=scheduler,
        chunk_runs=chunk_runs,
        progress=progress,
        max_runs=check_max_runs(max_runs),
    )
    console = Console(stderr=csv)
    if not console.is_terminal:
        console = Console(stderr=csv, width=160)  # piped to a file: do not cut at 80 columns
    if csv:
        typer.echo(runs_table(res.folder).to_csv(index=False), nl=False)
    else:
        print_point_means(exp, res.folder, console)
    skipped = res.chunks_total - res.chunks_now
    console.print(
        f"{exp.name}: {res.runs_now} runs in {res.seconds:.1f} s ({res.rate:,.1f} runs/s)"
        + (f"; {skipped} finished chunks skipped" if skipped else "")
        + f"; {res.runs_total} runs in {escape(str(res.folder))}/summary"
    )
