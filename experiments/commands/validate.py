"""``renosim validate`` — score the default parameters against the empirical patterns."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from experiments.cli import app
from experiments.resources import config_path

DEFAULT_TARGETS = config_path("targets", "nanning.yaml")


@app.command()
def validate(
    targets: Annotated[Path, typer.Argument(help="targets YAML")] = DEFAULT_TARGETS,
    seeds: Annotated[int | None, typer.Option(help="paired seeds per regime (default: the file's runs.seeds)")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="override a parameter: lever=value")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the table as JSON")] = False,
) -> None:
    """Run every pattern of TARGETS; exit 1 if a hard pattern (number or order) fails."""
    from rich.console import Console
    from rich.table import Table

    from experiments.targets import evaluate, load_targets
    from sim.errors import InputError
    from sim.params import parse_set
    from sim.params import validate as check

    spec = load_targets(targets)
    overrides = parse_set(set_)
    check(overrides, "--set")
    if seeds is not None and not 2 <= seeds <= 100_000:
        raise InputError(f"--seeds = {seeds} is out of range; allowed: integer from 2 to 100000")
    table = evaluate(spec, seeds=seeds, params=overrides)
    if as_json:
        typer.echo(table.to_json(orient="records", force_ascii=False, indent=1))
    else:
        t = Table(title=f"renosim validate — {spec.name} ({seeds or spec.runs.seeds} paired seeds)")
        for col in ("id", "kind", "target", "simulated", "95% interval", "status", "note"):
            t.add_column(col, overflow="fold")
        colour = {"pass": "green", "fail": "red", "not reachable": "yellow"}
        for r in table.itertuples():
            sim = "—" if r.simulated != r.simulated else f"{r.simulated:.3g}"
            ci = "—" if r.low != r.low else f"[{r.low:.3g}, {r.high:.3g}]"
            t.add_row(r.id, r.kind, r.target, sim, ci, f"[{colour[r.status]}]{r.status}[/]", r.note or "")
        Console(width=160).print(t)
    hard_fail = (table.kind.isin(["hard", "order"]) & (table.status == "fail")).any()  # PA2 is a hard order
    raise typer.Exit(1 if hard_fail else 0)
