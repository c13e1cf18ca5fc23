"""``renosim run`` — one batch of compounds under one regime; ``renosim params`` — the parameter table."""

from __future__ import annotations

import json
import numbers
from pathlib import Path
from typing import Annotated

import typer

from experiments.cli import app
from sim.limits import HOUSEHOLDS

SHOWN = (
    ("support_t0", "support at t0"),
    ("willingness_t0", "willingness at t0"),
    ("participation_rate", "participation rate (took part)"),
    ("ladder_informed", "  informed"),
    ("ladder_involved", "  involved in person"),
    ("ladder_co_deciding", "  co-deciding"),
    ("cofunding_collection", "co-funding collected"),
    ("fee_collection", "fee collection"),
    ("consensus_weeks", "weeks to consensus"),
    ("completion_week", "completed in week"),
    ("council_formed", "council formed"),
    ("representatives", "representatives"),
    ("party_share_of_representatives", "party share of reps"),
    ("maintenance_year5", "maintenance, year 5"),
    ("complaints_per_100_households_per_year", "complaints /100 hh/yr"),
    ("government_cost_per_household", "gov. cost per household (yuan)"),
    ("stage_end", "stage at end"),
)


def _fmt(value) -> str:
    """Whole numbers as they are, other numbers to 3 significant figures; NaN is "n/a" (not applicable)."""
    from experiments.formatting import sig3

    if isinstance(value, bool | str) or value is None:
        return sig3(value)
    if isinstance(value, numbers.Integral) or (isinstance(value, float) and value.is_integer()):
        return f"{int(value):,}"
    return sig3(value)


RUN_DEFAULTS = {"households": 150, "years": 10, "seed": 0, "compounds": 1, "executor": "vector"}


def _settings(cli: dict, from_config: dict) -> dict:
    """Run settings: the command line, then the config's ``run:``, then the defaults."""
    merged = {**RUN_DEFAULTS, **from_config, **{k: v for k, v in cli.items() if v is not None}}
    if "seeds" in from_config and (cli.get("seed") is not None or cli.get("compounds") is not None):
        merged.pop("seeds")  # --seed / --compounds on the command line replace the config's seed list
    return merged


@app.command()
def run(
    regime: Annotated[str | None, typer.Option(help="top_down, pilot or three_integrations")] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="YAML with 'regime:', 'parameters:' and optionally 'run:' (e.g. a saved params.yaml)"),
    ] = None,
    households: Annotated[
        int | None, typer.Option(help=f"households per compound ({HOUSEHOLDS[0]}-{HOUSEHOLDS[1]:,}) [default: 150]")
    ] = None,
    years: Annotated[int | None, typer.Option(help="years to simulate (1-30) [default: 10]")] = None,
    seed: Annotated[int | None, typer.Option(help="run seed [default: 0]")] = None,
    compounds: Annotated[int | None, typer.Option(help="compounds side by side in the batch [default: 1]")] = None,
    executor: Annotated[
        str | None, typer.Option(help="vector (array kernels) or agents (each resident decides) [default: vector]")
    ] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="override a parameter: lever=value")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print a JSON list of per-compound summaries")] = False,
    csv: Annotated[
        bool,
        typer.Option("--csv", help="print the per-compound summaries as CSV; with --out, also summary/timeseries.csv"),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(help="folder for summary/timeseries Parquet, provenance.json and params.yaml"),
    ] = None,
) -> None:
    """Run compounds under one regime and print their outcomes.

    With --out, the folder's params.yaml holds every parameter and run setting:
    `renosim run --config OUT/params.yaml` repeats the run exactly.
    """
    from contextlib import nullcontext

    from experiments import provenance
    from experiments.limits import check_memory_rows
    from experiments.options import check_formats
    from experiments.outfolder import claimed
    from sim.inputs import check_yaml_file
    from sim.model import RenovationModel
    from sim.params import parse_set

    check_formats(json=as_json, csv=csv)
    overrides = parse_set(set_)
    run_cfg: dict = {}
    if config is not None:
        check_yaml_file(config)
        cfg_regime, cfg_values, run_cfg = provenance.read_run_config(config)
        regime = regime or cfg_regime
        overrides = {**cfg_values, **overrides}
    regime = regime or "three_integrations"
    cli = dict(households=households, years=years, seed=seed, compounds=compounds, executor=executor)
    st = _settings(cli, run_cfg)
    check_memory_rows(len(st["seeds"]) if "seeds" in st else st["compounds"], 52 * st["years"], "--compounds x --years")
    batch = {"seeds": list(st["seeds"])} if "seeds" in st else {"n_compounds": st["compounds"], "rng": st["seed"]}
    model = RenovationModel(
        regime=regime, n_households=st["households"], years=st["years"], executor=st["executor"], **batch, **overrides
    )
    arm = provenance.arm(regime, overrides)
    changed = changed_overrides(regime, arm["parameters"])
    arm["overrides"] = changed
    seeds = st["seeds"] if "seeds" in st else [st["seed"]]
    rec = provenance.record({regime: arm}, seeds=seeds, run=st, kind="run")
    # Every input is valid (the model checked its own): take the folder before computing.
    with claimed(out, "run") if out is not None else nullcontext() as folder:
        model.run()
        summary = model.summary()
        if folder is not None:
            _write(folder, summary, model.timeseries(), rec, csv)
    if as_json:
        rows = json.loads(summary.to_json(orient="records"))
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if csv:
        typer.echo(summary.to_csv(index=False), nl=False)
        return
    _print_table(summary, regime, st, seeds, changed, out)


def _write(folder, summary, timeseries, rec: dict, csv: bool) -> None:
    """Parquet (and CSV) files, then provenance.json and params.yaml, then the last run's leftovers go."""
    from experiments import provenance
    from experiments.store import write_parquet_atomic

    folder.retire_provenance()
    write_parquet_atomic(summary, folder.path("summary.parquet"), provenance=rec)
    write_parquet_atomic(timeseries, folder.path("timeseries.parquet"), provenance=rec)
    if csv:
        provenance.write_csv(summary, folder.path("summary.csv"))
        provenance.write_csv(timeseries, folder.path("timeseries.csv"))
    folder.wrote(provenance.write_folder(folder.folder, rec))
    folder.finish()


def _print_table(summary, regime: str, st: dict, seeds: list, changed: dict, out: Path | None) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from experiments import provenance

    where = f"seeds {seeds[0]}-{seeds[-1]}" if "seeds" in st else f"seed {st['seed']}"
    table = Table(
        title=f"renosim run — {regime}, {st['households']} households, {st['years']} years, {where}; "
        f"{escape(provenance.overrides_text(changed))}"
    )
    table.add_column("outcome")
    show = summary.head(8)
    for _, row in show.iterrows():
        table.add_column(f"compound {int(row['compound'])}", justify="right")
    for key, label in SHOWN:
        table.add_row(label, *[escape(_fmt(row[key])) for _, row in show.iterrows()])
    console_note = "n/a: not applicable in this run (e.g. no co-funding under top_down); 3 significant figures"
    console = Console()
    console.print(table)
    console.print(console_note)
    if len(summary) > len(show):
        console.print(f"({len(summary) - len(show)} more compounds; use --json, --csv or --out for all)")
    if out is not None:
        console.print(f"wrote {escape(str(out))}/ (summary.parquet, timeseries.parquet, provenance.json, params.yaml)")


def changed_overrides(regime: str, parameters: dict) -> dict:
    """The parameters that differ from the regime's preset (what a header must name)."""
    from experiments.provenance import resolved_parameters

    preset = resolved_parameters(regime)
    return {k: v for k, v in parameters.items() if preset.get(k) != v}


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

    from experiments.constraints import JOINT_CONSTRAINTS
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
    console.print("joint constraints (besides each range; a set that breaks one is refused):")
    for c in JOINT_CONSTRAINTS:
        console.print(f"  {c.text()}  — {c.why}")
    if show_all:
        const = Table(title="renosim structural constants, tier 2: fixed (sim/constants.py)")
        for col in ("name", "value", "unit", "meaning", "ODD", "source", "defined in"):
            const.add_column(col)
        for row in structural_table():
            const.add_row(*(str(row[k]) for k in ("name", "value", "unit", "meaning", "odd", "source", "module")))
        console.print(const)
