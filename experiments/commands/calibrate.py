"""``renosim calibrate`` — ABC rejection of the behavioural parameters against the targets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from experiments.cli import app
from experiments.commands.validate import DEFAULT_TARGETS
from experiments.stats import sig3


@app.command()
def calibrate(
    targets: Annotated[Path, typer.Argument(help="targets YAML with a 'calibration' section")] = DEFAULT_TARGETS,
    samples: Annotated[int | None, typer.Option(help="prior points (default: the file's)")] = None,
    seeds: Annotated[int | None, typer.Option(help="paired seeds per point (default: the file's)")] = None,
    workers: Annotated[
        int, typer.Option(help="local worker processes; 0 = one per available core (ignored with --scheduler)")
    ] = 0,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address tcp://HOST:PORT")] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="folder for samples, posterior, patterns and report.html; runs are kept in OUT/runs"),
    ] = None,
    resume: Annotated[bool, typer.Option(help="continue an interrupted calibration in --out")] = False,
    chunk_runs: Annotated[int | None, typer.Option(help="runs per chunk (default: chosen from the workload)")] = None,
    progress: Annotated[bool, typer.Option(help="progress bar on stderr")] = True,
) -> None:
    """Find parameter sets that reproduce the empirical patterns (ODD X7)."""
    from rich.console import Console
    from rich.table import Table

    from experiments.calibrate import calibrate as run_calibration
    from experiments.calibrate import defaults_against_posterior, posterior_figure
    from experiments.commands.run import check_out_dir, write_parquet_atomic
    from experiments.runner import default_workers
    from experiments.targets import load_targets
    from sim.errors import InputError

    spec = load_targets(targets)
    if spec.calibration is None:
        raise InputError(f"{targets} has no 'calibration' section (parameters with [low, high] priors)")
    update = {k: v for k, v in {"samples": samples, "seeds": seeds}.items() if v is not None}
    if update:
        from experiments.targets import Calibration

        try:
            spec = spec.model_copy(update={"calibration": Calibration(**{**spec.calibration.model_dump(), **update})})
        except ValueError as exc:
            raise InputError(str(exc).splitlines()[-1].strip()) from None
    if chunk_runs is not None and chunk_runs < 1:
        raise InputError(f"--chunk-runs must be at least 1, got {chunk_runs}")
    if resume and out is None:
        raise InputError("--resume needs --out, the folder of the calibration to continue")
    if out is not None:
        check_out_dir(out)
    res = run_calibration(
        spec,
        workers=workers or default_workers(),
        scheduler=scheduler,
        store=None if out is None else Path(out) / "runs",
        resume=resume,
        chunk_runs=chunk_runs,
        progress=progress,
    )
    console = Console()
    t = Table(
        title=f"renosim calibrate — {spec.name}: {int(res.samples.accepted.sum())} of {len(res.samples)} accepted"
    )
    for col in ("pattern", "target", "posterior mean", "90% interval", "status"):
        t.add_column(col)
    for r in res.patterns.itertuples():
        t.add_row(
            r.id,
            f"{r.target:g} ± {r.tolerance:g}",
            sig3(r.posterior_mean),
            f"[{sig3(r.low_5)}, {sig3(r.high_95)}]",
            "[green]pass[/]" if r.passed else "[red]fail[/]",
        )
    console.print(t)
    post = res.samples[res.samples.accepted]
    params = defaults_against_posterior(res, spec)
    p = Table(title="posterior (accepted points) and the shipped defaults")
    for col in ("parameter", "prior", "posterior mean", "90% interval", "default", "default inside"):
        p.add_column(col)
    for r in params.itertuples():
        p.add_row(
            r.parameter,
            f"[{r.prior_low:g}, {r.prior_high:g}]",
            sig3(r.posterior_mean),
            f"[{sig3(r.low_5)}, {sig3(r.high_95)}]",
            sig3(r.default),
            "[green]yes[/]" if r.default_inside else "[red]no[/]",
        )
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
        write_parquet_atomic(res.samples, out / "samples.parquet", rec)
        write_parquet_atomic(post, out / "posterior.parquet", rec)
        for frame, name in ((res.patterns, "patterns.csv"), (params, "parameters.csv")):
            frame.to_csv(out / f"{name}.tmp", index=False)
            (out / f"{name}.tmp").replace(out / name)
        html = posterior_figure(res).to_html(include_plotlyjs=True, full_html=True)
        (out / "report.html.tmp").write_text(html, encoding="utf-8")
        (out / "report.html.tmp").replace(out / "report.html")
        console.print(
            f"wrote {out}/samples.parquet, posterior.parquet, patterns.csv, parameters.csv, report.html, "
            "provenance.json"
        )
