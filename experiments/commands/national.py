"""``renosim national`` — the whole country from published totals, slice by slice (ODD §7.13).

The synthetic national stock (configs/national/china.yaml, sources in docs/DATA.md) runs under a
national scenario with every year's published starts as the quota; the yearly national and
provincial tables are printed (or ``--json``) and, with ``--out``, streamed into a resumable
results folder (:mod:`experiments.national`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from experiments import options as opts
from experiments.cli import app
from sim.config_files import DEFAULT_NATIONAL

#: the printed columns: the counts, then every outcome of experiments.slices.OUTCOMES
COUNTS = ("year", "regime", "starts", "starts_households", "started", "households_covered")


@app.command()
def national(
    from_: Annotated[int, typer.Option("--from", help="first year (the published starts: 2019-2025)")] = 2019,
    to: Annotated[int, typer.Option(help="last year")] = 2025,
    scenario: Annotated[
        str, typer.Option(help="national scenario: top_down, council_2019 or nanning_timeline")
    ] = "nanning_timeline",
    scale: Annotated[float, typer.Option(help="share of the national stock and starts to run (0.01: a sample)")] = 1.0,
    seed: Annotated[int, typer.Option(help="run seed")] = 0,
    set_: Annotated[list[str] | None, typer.Option("--set", help="override a parameter: lever=value")] = None,
    executor: Annotated[str, typer.Option(help="vector (array kernels) or agents")] = "vector",
    data: Annotated[Path, typer.Option(help="national totals YAML")] = DEFAULT_NATIONAL,
    out: Annotated[Path | None, typer.Option(help="results folder (partitioned Parquet, resumable)")] = None,
    resume: opts.Resume = False,
    workers: opts.Workers = None,
    scheduler: opts.Scheduler = None,
    progress: opts.Progress = True,
    as_json: Annotated[bool, typer.Option("--json", help="print {national: [...], provinces: [...]} as JSON")] = False,
) -> None:
    """Run the country's old compounds through a national scenario and print the yearly tables."""
    from experiments.national import load, run_national
    from sim import limits
    from sim.errors import InputError
    from sim.inputs import check_yaml_file
    from sim.model import EXECUTORS
    from sim.params import parse_set

    check_yaml_file(data, "national totals file")
    limits.check_int("seed", seed, limits.SEED)
    if executor not in EXECUTORS:
        raise InputError(f"--executor {executor!r} is not allowed; allowed: {', '.join(EXECUTORS)}")
    if resume and out is None:
        raise InputError("--resume needs --out (the folder of the run to continue)")
    run = load(data, scenario=scenario, start=from_, end=to, scale=scale, seed=seed, executor=executor)
    run.overrides = parse_set(set_)
    res = run_national(run, out, resume=resume, workers=workers, scheduler=scheduler, progress=progress and not as_json)
    if as_json:
        doc = {"scenario": scenario, "seed": seed, "scale": scale, "from": from_, "to": to, "slices": res.slices}
        doc["national"] = json.loads(res.national.to_json(orient="records"))
        doc["provinces"] = json.loads(res.provinces.to_json(orient="records"))
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    _print(res, run, out)


def _print(res, run, out: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from experiments.commands.run import _fmt
    from experiments.slices import OUTCOMES

    columns = [*COUNTS, *(o.out for o in OUTCOMES)]
    title = (
        f"renosim national — {run.scenario}, {run.start}-{run.end}, scale {run.scale:g} "
        f"({int(res.national.compounds.iloc[0]):,} compounds, {res.slices} slices), seed {run.seed}"
    )
    t = Table(title=title)
    for name in columns:
        t.add_column(name.replace("_", " "), justify="right")
    for row in res.national.to_dict("records"):
        t.add_row(*[str(row[c]) if c in ("year", "regime") else _fmt(row[c]) for c in columns])
    console = Console()
    console.print(t)
    console.print(
        "starts: projects begun that year; started: all so far; shares are household-weighted over started "
        "compounds; government cost in yuan to date; n/a: not applicable; 3 significant figures"
    )
    if out is not None:
        console.print(f"{res.slices_now} of {res.slices} slices run now; results in {out}")
