"""``renosim stock`` — housing stock files: a template, a scenario's stock written out, a check.

The schema (one row per compound) is :class:`sim.city.stock_schema.StockRow`, documented in docs/STOCK.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from experiments.cli import app
from experiments.resources import config_path
from sim.errors import InputError

stock_app = typer.Typer(
    help="Housing stock files (one row per compound): template, write, check.", no_args_is_help=True
)
app.add_typer(stock_app, name="stock")

NEW_FILE = Annotated[Path, typer.Argument(help="CSV file to create (refused if it exists)")]
NANNING = config_path("scenarios", "nanning.yaml")


@stock_app.command()
def template(out: NEW_FILE = Path("stock-template.csv")) -> None:
    """Write a stock file with every column and three example compounds."""
    from sim.city.stock import template as rows

    _write(rows(), out)
    typer.echo(f"wrote {out}: the columns are explained in docs/STOCK.md")


@stock_app.command()
def write(
    out: NEW_FILE,
    scenario: Annotated[Path, typer.Option(help="scenario YAML whose synthetic stock to write")] = NANNING,
    seed: Annotated[int, typer.Option(help="run seed of the draw")] = 0,
) -> None:
    """Write a scenario's synthetic stock (its draw for SEED) as a stock file.

    ``renosim city --stock OUT --seed SEED`` then gives the numbers of ``renosim city --seed SEED``.
    """
    from sim import limits
    from sim.city import city_stock, load_scenario
    from sim.city.stock import to_csv_frame
    from sim.inputs import check_yaml_file
    from sim.params import resolve

    check_yaml_file(scenario, "scenario file")
    sc = load_scenario(scenario)
    limits.check_int("seed", seed, limits.SEED)
    frame = city_stock(sc, seed)
    pi = resolve(sc.schedule[0].regime, sc.parameters).pi_party
    _write(to_csv_frame(frame, pi), out)
    typer.echo(f"wrote {out}: {len(frame):,} compounds, {int(frame.households.sum()):,} households")


@stock_app.command()
def check(stock: Annotated[Path, typer.Argument(help="stock CSV file")]) -> None:
    """Validate a stock file and print its cities, compounds and households."""
    from sim.city import read_stock

    frame = read_stock(stock)
    for name, group in frame.groupby("city", sort=False):
        typer.echo(f"{name}: {len(group):,} compounds, {int(group.households.sum()):,} households")


def _write(frame, out: Path) -> None:
    """Write ``frame`` as CSV to a new file, atomically (a temporary name, then a rename)."""
    import os
    import tempfile

    from experiments.store import check_writable

    if out.exists():
        raise InputError(f"{out} exists; give a new file name")
    check_writable(out.parent if str(out.parent) else Path("."))
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            frame.to_csv(fh, index=False)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
