"""``renosim verify DIR``: check a results folder part by part against its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from experiments import options as opts
from experiments.cli import app


@app.command("verify")
def verify(
    folder: Annotated[Path, typer.Argument(help="A results folder (sweep, sensitivity, calibrate --out/runs).")],
    max_runs: opts.MaxRuns = None,
) -> None:
    """Verify every file's hash, the parts' row counts and keys, and the experiment against the manifest.

    Exit 0 and one line of counts when the folder is complete and intact; otherwise one line
    naming what is wrong and exit 2.
    """
    from experiments.store import ResultsStore
    from experiments.verify import verify_folder

    n = verify_folder(folder, max_runs)
    extra = ""
    if "partitions" in (ResultsStore(folder).read_manifest() or {}):  # a national run's compound rows
        from experiments.national import verify_national

        extra = f", {verify_national(folder):,} compound-year rows"
    typer.echo(
        f"{folder}: verified — {n['chunks']} chunks, {n['runs']:,} runs, {n['summary']:,} summary rows, "
        f"{n['timeseries']:,} timeseries rows{extra}"
    )
