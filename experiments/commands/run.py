"""``renosim run`` — one batch of compounds under one regime; ``renosim params`` — the parameter table."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import typer

from experiments.cli import app
from experiments.store import check_writable, write_parquet_atomic

SHOWN = (
    ("support_t0", "support at t0", "{:.2f}"),
    ("willingness_t0", "willingness at t0", "{:.2f}"),
    ("participation_rate", "participation rate", "{:.2f}"),
    ("cofunding_collection", "co-funding collected", "{:.2f}"),
    ("fee_collection", "fee collection", "{:.2f}"),
    ("consensus_weeks", "weeks to consensus", "{:.0f}"),
    ("completion_week", "completed in week", "{:.0f}"),
    ("council_formed", "council formed", "{}"),
    ("representatives", "representatives", "{}"),
    ("party_share_of_representatives", "party share of reps", "{:.2f}"),
    ("maintenance_year5", "maintenance, year 5", "{:.2f}"),
    ("complaints_per_100_households_per_year", "complaints /100 hh/yr", "{:.1f}"),
    ("government_cost_per_household", "gov. cost per household", "{:,.0f}"),
    ("stage_end", "stage at end", "{}"),
)


def _fmt(value, pattern: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return pattern.format(value)


@app.command()
def run(
    regime: Annotated[str, typer.Option(help="top_down, pilot or three_integrations")] = "three_integrations",
    config: Annotated[Path | None, typer.Option(help="YAML file with 'regime:' and 'parameters:'")] = None,
    households: Annotated[int, typer.Option(help="households per compound (20-1500)")] = 150,
    years: Annotated[int, typer.Option(help="years to simulate (1-30)")] = 10,
    seed: Annotated[int, typer.Option(help="run seed")] = 0,
    compounds: Annotated[int, typer.Option(help="compounds side by side in the batch")] = 1,
    executor: Annotated[str, typer.Option(help="vector (array kernels) or agents (each resident decides)")] = "vector",
    set_: Annotated[list[str] | None, typer.Option("--set", help="override a parameter: lever=value")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print a JSON list of per-compound summaries")] = False,
    out: Annotated[Path | None, typer.Option(help="folder for summary.parquet and timeseries.parquet")] = None,
) -> None:
    """Run compounds under one regime and print their outcomes."""
    from experiments.inputs import check_yaml_file
    from experiments.limits import check_memory_rows
    from sim.model import RenovationModel
    from sim.params import parse_set, with_config

    check_memory_rows(compounds, 52 * years, "--compounds x --years")
    if config is not None:
        check_yaml_file(config)
    regime, overrides = with_config(regime, parse_set(set_), config)
    if out is not None:
        check_writable(out)
    model = RenovationModel(
        regime=regime,
        n_households=households,
        n_compounds=compounds,
        years=years,
        executor=executor,
        rng=seed,
        **overrides,
    )
    model.run()
    summary = model.summary()
    if out is not None:
        write_parquet_atomic(summary, Path(out) / "summary.parquet")
        write_parquet_atomic(model.timeseries(), Path(out) / "timeseries.parquet")
    if as_json:
        rows = json.loads(summary.to_json(orient="records"))
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"renosim run — {regime}, {households} households, {years} years, seed {seed}")
    table.add_column("outcome")
    show = summary.head(8)
    for _, row in show.iterrows():
        table.add_column(f"compound {int(row['compound'])}", justify="right")
    for key, label, pattern in SHOWN:
        table.add_row(label, *[_fmt(row[key], pattern) for _, row in show.iterrows()])
    console = Console()
    console.print(table)
    if len(summary) > len(show):
        console.print(f"({len(summary) - len(show)} more compounds; use --json or --out for all)")
    if out is not None:
        console.print(f"wrote {Path(out) / 'summary.parquet'} and {Path(out) / 'timeseries.parquet'}")


@app.command()
def params(
    levers_only: Annotated[bool, typer.Option("--levers", help="show only the policy levers")] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="also list the structural constants (second tier, not swept)")
    ] = False,
) -> None:
    """List every parameter with its default, allowed range and meaning (--all: and every constant)."""
    from rich.console import Console
    from rich.table import Table

    from sim.constants import structural_table
    from sim.params import list_parameters

    console = Console(width=200)
    table = Table(title="renosim parameters, tier 1: calibratable (defaults: three_integrations)")
    for col in ("name", "default", "allowed", "unit", "meaning"):
        table.add_column(col)
    for spec in list_parameters().values():
        if levers_only and not spec.lever:
            continue
        table.add_row(spec.name, str(spec.default), spec.describe_allowed(), spec.unit, spec.doc)
    console.print(table)
    if show_all:
        const = Table(title="renosim structural constants, tier 2: fixed (sim/constants.py)")
        for col in ("name", "value", "unit", "meaning", "ODD", "source", "defined in"):
            const.add_column(col)
        for row in structural_table():
            const.add_row(*(str(row[k]) for k in ("name", "value", "unit", "meaning", "odd", "source", "module")))
        console.print(const)
