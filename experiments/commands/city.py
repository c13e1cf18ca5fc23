"""``renosim city`` — a city's rollout (Nanning's by default, 2014–2030) under a scenario's regime schedule.

``--stock FILE.csv`` (or a scenario's ``stock:``) runs the compounds of a stock file instead of the
scenario's synthetic draw; a file of several cities runs each under its own bureau, the quotas
shared out (:mod:`sim.city.cities`), and every table gains a ``city`` column.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from experiments.cli import app
from experiments.commands.run import _fmt
from experiments.resources import config_path

DEFAULT = config_path("scenarios", "nanning.yaml")


@app.command()
def city(
    scenario: Annotated[Path, typer.Option(help="scenario YAML (schedule, compounds, households)")] = DEFAULT,
    stock: Annotated[
        Path | None, typer.Option(help="stock CSV, one row per compound (see `renosim stock template`)")
    ] = None,
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

    from experiments.provenance import overrides_text, write_json
    from experiments.store import check_writable, write_parquet_atomic
    from sim.city import city_stock, load_scenario, read_stock, run_cities
    from sim.inputs import check_yaml_file
    from sim.params import parse_set
    from sim.params import validate as check

    check_yaml_file(scenario, "scenario file")
    sc = load_scenario(scenario)
    overrides = parse_set(set_)
    check(overrides, "--set")
    if stock is not None:
        sc = sc.model_copy(update={"stock": str(stock)})
    frame = read_stock(sc.stock, default_city=sc.name) if sc.stock is not None else city_stock(sc, seed)
    if out is not None:
        check_writable(out)
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=as_json) as bar:
        task = bar.add_task(f"{sc.name} {sc.start_year}-{sc.end_year}", total=None)
        runs = run_cities(sc, frame, seed, executor, on_week=lambda *_: bar.advance(task), **overrides)
    rollout, never, summary = city_tables(runs)
    if out is not None:
        rec = city_provenance(sc, scenario, seed, executor, overrides)
        write_parquet_atomic(rollout, Path(out) / "rollout.parquet", provenance=rec)
        write_parquet_atomic(never, Path(out) / "never_applied.parquet", provenance=rec)
        write_parquet_atomic(summary, Path(out) / "summary.parquet", provenance=rec)
        write_json(Path(out), rec)
    if as_json:
        doc = {"scenario": sc.name, "seed": seed}
        if len(runs) > 1:
            doc["cities"] = [name for name, _ in runs]
        doc["rollout"] = json.loads(rollout.to_json(orient="records"))
        doc["never_applied"] = json.loads(never.to_json(orient="records"))
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    from rich.table import Table

    t = Table(
        title=f"renosim city — {', '.join(n for n, _ in runs)}: {len(frame):,} compounds, "
        f"{int(frame.households.sum()):,} households, seed {seed}; {overrides_text(overrides)}"
    )
    cols = [("city", "{}")] * (len(runs) > 1) + [
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
        t.add_row(*[str(row[c]) if c in ("year", "city") else _fmt(row[c]) for c, _ in cols])
    out_console = Console()
    out_console.print(t)
    n = Table(title="compounds that never applied, against those that did")
    for c in never.columns:
        n.add_column(c.replace("_", " "), justify="right")
    for row in never.to_dict("records"):
        n.add_row(*[_fmt(v) for v in row.values()])
    out_console.print(n)
    out_console.print("n/a: not applicable (e.g. no fees billed yet); 3 significant figures")


def city_tables(runs) -> tuple:
    """Rollout, never-applied profile and compound summary of one or several finished city runs.

    One city gives the tables as :class:`sim.city.CityModel` makes them; several get a ``city``
    column first.
    """
    import pandas as pd

    if len(runs) == 1:
        model = runs[0][1]
        return model.rollout(), model.never_applied(), model.summary()
    tables = []
    for make in ("rollout", "never_applied", "summary"):
        parts = [getattr(m, make)().assign(city=name) for name, m in runs]
        frame = pd.concat(parts, ignore_index=True)
        tables.append(frame[["city", *[c for c in frame.columns if c != "city"]]])
    return tuple(tables)


def city_provenance(sc, scenario: Path, seed: int, executor: str, overrides: dict) -> dict:
    """Provenance of a city run: one arm per regime of the scenario's schedule, each with its parameters."""
    from experiments import provenance
    from experiments.store import file_sha256

    params = {**sc.parameters, **overrides}  # as sim.city.CityModel combines them
    arms = {ph.regime: provenance.arm(ph.regime, params) for ph in sc.schedule}
    schedule = [ph.model_dump(exclude_none=True) for ph in sc.schedule]
    run = {
        "scenario": str(scenario),
        "scenario_name": sc.name,
        "schedule": schedule,
        "seed": seed,
        "executor": executor,
    }
    if sc.stock is not None:
        run["stock"] = {"file": str(sc.stock), "sha256": file_sha256(Path(sc.stock))}
    return provenance.record(arms, seeds=[seed], run=run)
