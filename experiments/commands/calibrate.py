"""``renosim calibrate`` — ABC rejection of the behavioural parameters against the targets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from experiments import options as opts
from experiments.cli import app
from experiments.commands.validate import DEFAULT_TARGETS
from experiments.formatting import sig3


@app.command()
def calibrate(
    targets: Annotated[Path, typer.Argument(help="targets YAML with a 'calibration' section")] = DEFAULT_TARGETS,
    samples: Annotated[int | None, typer.Option(help="prior points (default: the file's)")] = None,
    seeds: Annotated[int | None, typer.Option(help="paired seeds per point (default: the file's)")] = None,
    workers: opts.Workers = None,
    scheduler: opts.Scheduler = None,
    out: Annotated[
        Path | None,
        typer.Option(help="folder for samples, posterior, patterns and report.html; runs are kept in OUT/runs"),
    ] = None,
    resume: opts.Resume = False,
    chunk_runs: opts.ChunkRuns = None,
    progress: opts.Progress = True,
    max_runs: opts.MaxRuns = None,
) -> None:
    """Find parameter sets that reproduce the empirical patterns (ODD X7)."""
    from contextlib import nullcontext

    from pydantic import ValidationError

    from experiments.backends import check_scheduler, probe_scheduler
    from experiments.calibrate import calibrate as run_calibration
    from experiments.calibrate import check_calibration
    from experiments.limits import check_max_runs
    from experiments.store import MANIFEST, check_writable, folder_lock
    from experiments.targets import Calibration, load_targets
    from sim.errors import InputError
    from sim.inputs import check_yaml_file

    check_yaml_file(targets, "targets file")
    spec = load_targets(targets)
    if spec.calibration is None:
        raise InputError(f"{targets} has no 'calibration' section (parameters with [low, high] priors)")
    update = {k: v for k, v in {"samples": samples, "seeds": seeds}.items() if v is not None}
    if update:
        try:
            spec = spec.model_copy(update={"calibration": Calibration(**{**spec.calibration.model_dump(), **update})})
        except ValidationError as exc:
            msg = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
            raise InputError(f"--samples/--seeds: {msg}") from None
    max_runs = check_max_runs(max_runs)
    check_calibration(spec, max_runs)
    check_scheduler(scheduler)
    if out is not None:
        check_writable(out)
        started = (Path(out) / "runs" / MANIFEST).is_file()
        if resume and not started:
            raise InputError(f"--resume: {out} holds no calibration runs (no runs/{MANIFEST}); run without --resume")
        if started and not resume:
            raise InputError(f"{out} already holds a calibration; pass --resume to continue it or choose another --out")
    elif resume:
        raise InputError("--resume needs --out, the folder of the calibration to continue")
    probe_scheduler(scheduler)
    with folder_lock(Path(out)) if out is not None else nullcontext():
        res = run_calibration(
            spec,
            workers=workers,
            scheduler=scheduler,
            store=None if out is None else Path(out) / "runs",
            resume=resume,
            chunk_runs=chunk_runs,
            progress=progress,
            max_runs=max_runs,
        )
        _report(res, spec, out, targets)


def _report(res, spec, out: Path | None, targets: Path) -> None:
    """Print the tables and, with ``out``, write the samples, posterior, tables and report."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from experiments.calibrate import defaults_against_posterior, posterior_figure
    from experiments.store import write_parquet_atomic

    console = Console()
    accepted = f"{int(res.samples.accepted.sum())} of {len(res.samples)} accepted"
    t = Table(title=f"renosim calibrate — {escape(spec.name)}: {accepted}")
    for col in ("pattern", "target", "posterior mean", "90% interval", "status"):
        t.add_column(col)
    for r in res.patterns.itertuples():
        cells = (
            r.id,
            f"{r.target:g} ± {r.tolerance:g}",
            sig3(r.posterior_mean),
            f"[{sig3(r.low_5)}, {sig3(r.high_95)}]",
        )
        # as Text: a pattern id from the file, or "[n/a, n/a]", is not read as a style tag
        t.add_row(*map(Text, cells), "[green]pass[/]" if r.passed else "[red]fail[/]")
    console.print(t)
    post = res.samples[res.samples.accepted]
    params = defaults_against_posterior(res, spec)
    p = Table(title="posterior (accepted points) and the shipped defaults")
    for col in ("parameter", "prior", "posterior mean", "90% interval", "default", "default inside"):
        p.add_column(col)
    for r in params.itertuples():
        cells = (
            r.parameter,
            f"[{r.prior_low:g}, {r.prior_high:g}]",
            sig3(r.posterior_mean),
            f"[{sig3(r.low_5)}, {sig3(r.high_95)}]",
            sig3(r.default),
        )
        p.add_row(*map(Text, cells), "[green]yes[/]" if r.default_inside else "[red]no[/]")
    console.print(p)
    if out is not None:
        from experiments import provenance
        from experiments.calibrate import hard_compound_patterns

        out = Path(out)
        regimes = dict.fromkeys(p.regime for p in hard_compound_patterns(spec) if p.regime)
        rec = provenance.record(
            {r: provenance.arm(r) for r in regimes},
            seeds=range(spec.calibration.seeds),
            run={"targets": str(targets), "calibration": spec.calibration.model_dump()},
        )
        provenance.write_json(out, rec)
        write_parquet_atomic(res.samples, out / "samples.parquet", provenance=rec)
        write_parquet_atomic(post, out / "posterior.parquet", provenance=rec)
        for frame, name in ((res.patterns, "patterns.csv"), (params, "parameters.csv")):
            provenance.write_csv(frame, out / name)
        provenance.write_text(out / "report.html", posterior_figure(res).to_html(include_plotlyjs=True, full_html=True))
        console.print(
            f"wrote {escape(str(out))}/samples.parquet, posterior.parquet, patterns.csv, parameters.csv, report.html, "
            "provenance.json"
        )
