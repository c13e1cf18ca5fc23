"""``renosim city`` — the Nanning rollout, 2014–2030, under a scenario's regime schedule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from experiments.cli import app
from experiments.commands.run import _fmt
from experiments.inputs import check_yaml_file
from experiments.provenance import overrides_text, write_json
from experiments.resources import config_path
from experiments.store import check_writable, write_parquet_atomic

DEFAULT = config_path("scenarios", "nanning.yaml")


@app.command()
def city(
    scenario: Annotated[Path, typer.Option(help="scenario YAML (schedule, compounds, households)")] = DEFAULT,
    seed: Annotated[int, typer.Option(help="run seed")] = 0,
    executor: Annotated[str, typer.Option(help="vector (array kernels) or agents")] = "vector",
    set_: Annotated[list[str] | None, typer.Option("--set", help="override a parameter: lever=value")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print {rollout: [...], never_applied: [...]} as JSON")
    ] = False,
    out: Annotated[Path | None, typer.Option(help="folder for rollout, never_applied and summary Parquet")] = None,
) -> None:
    """Run every old compound of a city through its renovation schedule and print the yearly rollout."""
    from rich.console import Console
    from rich.progress import Progress

    from sim.city import CityModel, load_scenario
    from sim.params import parse_set

    check_yaml_file(scenario, "scenario file")
    sc = load_scenario(scenario)
    overrides = parse_set(set_)
    if out is not None:
        check_writable(out)
    model = CityModel(sc, rng=seed, executor=executor, **overrides)
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=as_json) as bar:
        task = bar.add_task(f"{sc.name} {sc.start_year}-{sc.end_year}", total=model.n_weeks)
        while model.running:
            model.step()
            bar.advance(task)
    rollout, never = model.rollout(), model.never_applied()
    if out is not None:
        rec = city_provenance(sc, scenario, seed, executor, overrides)
        write_parquet_atomic(rollout, Path(out) / "rollout.parquet", provenance=rec)
        write_parquet_atomic(never, Path(out) / "never_applied.parquet", provenance=rec)
        write_parquet_atomic(model.summary(), Path(out) / "summary.parquet", provenance=rec)
        write_json(Path(out), rec)
    if as_json:
        doc = {
            "scenario": sc.name,
            "seed": seed,
            "rollout": json.loads(rollout.to_json(orient="records")),
            "never_applied": json.loads(never.to_json(orient="records")),
        }
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    from rich.table import Table

    t = Table(
        title=f"renosim city — {sc.name}, {sc.compounds} compounds, {sc.households:,} households, seed {seed}; "
        f"{overrides_text(overrides)}"
    )
    cols = [
        ("year", "{}"),
        ("regime", "{}"),
        ("admitted", "{}"),
        ("cumulative_renovated", "{}"),
        ("cumulative_with_council", "{}"),
        ("households_covered", "{:,}"),
        ("representatives", "{:,}"),
        ("party_share_of_representatives", "{:.2f}"),
        ("fee_collection", "{:.2f}"),
        ("maintenance", "{:.2f}"),
    ]
    for name, _ in cols:
        t.add_column(name.replace("_", " "), justify="right")
    for row in rollout.to_dict("records"):
        t.add_row(*[str(row[c]) if c == "year" else _fmt(row[c]) for c, _ in cols])
    out_console = Console()
    out_console.print(t)
    n = Table(title="compounds that never applied, against those that did")
    for c in never.columns:
        n.add_column(c.replace("_", " "), justify="right")
    for row in never.to_dict("records"):
        n.add_row(*[_fmt(v) for v in row.values()])
    out_console.print(n)
    out_console.print("n/a: not applicable (e.g. no fees billed yet); 3 significant figures")


def city_provenance(sc, scenario: Path, seed: int, executor: str, overrides: dict) -> dict:
    """Provenance of a city run: one arm per regime of the scenario's schedule, each with its parameters."""
    from experiments import provenance

    params = {**sc.parameters, **overrides}  # as sim.city.CityModel combines them
    arms = {ph.regime: provenance.arm(ph.regime, params) for ph in sc.schedule}
    schedule = [ph.model_dump() for ph in sc.schedule]
    run = {
        "scenario": str(scenario),
        "scenario_name": sc.name,
        "schedule": schedule,
        "seed": seed,
        "executor": executor,
    }
    return provenance.record(arms, seeds=[seed], run=run)
