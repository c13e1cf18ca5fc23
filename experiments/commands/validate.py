"""``renosim validate`` — score the default parameters against the empirical patterns."""

from __future__ import annotations

import sys
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
    """Run every pattern of TARGETS; exit 1 if a hard pattern (number or order) fails.

    Exit 0 needs enough seeds too: below the targets' runs.min_seeds (136 for the shipped
    nanning.yaml) a warning says the verdicts are partly noise and the exit status is 1.
    """
    from rich.console import Console

    from experiments.targets import evaluate, load_targets
    from sim.errors import InputError
    from sim.inputs import check_yaml_file
    from sim.params import parse_set
    from sim.params import validate as check

    check_yaml_file(targets, "targets file")
    spec = load_targets(targets)
    overrides = parse_set(set_)
    check(overrides, "--set")
    if seeds is not None and not 2 <= seeds <= 100_000:
        raise InputError(f"--seeds = {seeds} is out of range; allowed: integer from 2 to 100000")
    n = seeds or spec.runs.seeds
    too_few = spec.runs.min_seeds is not None and n < spec.runs.min_seeds
    if too_few:
        warn = (
            f"renosim: warning: {n} paired seeds are too few for {spec.name}'s patterns (runs.min_seeds: "
            f"{spec.runs.min_seeds}, the fewest for which each hard pattern's 95 % interval is no wider than its "
            "tolerance); some verdicts below are noise, and the exit status is 1"
        )
        print(warn, file=sys.stderr)
    table = evaluate(spec, seeds=seeds, params=overrides, progress=not as_json)
    if as_json:
        typer.echo(table.to_json(orient="records", force_ascii=False, indent=1))
    else:
        from experiments.provenance import overrides_text

        title = f"renosim validate — {spec.name} ({seeds or spec.runs.seeds} paired seeds; {overrides_text(overrides)})"
        console = Console(width=200)
        console.print(validation_table(table, title))
        console.print(LEGEND)
        console.print(summary_line(table))
    hard_fail = (table.kind.isin(["hard", "order"]) & (table.status == "fail")).any()  # PA2 is a hard order
    if too_few:
        print(warn, file=sys.stderr)  # again, below the table it qualifies
    raise typer.Exit(1 if hard_fail or too_few else 0)


LEGEND = (
    "level: a mean over paired seeds (or a count of the city run); difference: better minus worse regime "
    "paired over seeds, or for an order the smallest gap between consecutive means; [95% CI]; "
    "n/a: not applicable or not measured (never 0). 3 significant figures."
)


def _num(x, scope: str = "compound") -> str:
    """3 significant figures; a city count (a whole number) as it is."""
    from experiments.formatting import sig3

    if scope in ("city", "national") and isinstance(x, float) and x == x and x.is_integer():
        return f"{int(x):,}"
    return sig3(x)


def _with_ci(value: float, low: float, high: float, scope: str = "compound") -> str:
    if value != value:
        return "n/a"
    ci = f" [{_num(low)}, {_num(high)}]" if low == low else ""
    return _num(value, scope) + ci


def _levels(r) -> str:
    means = r.means if isinstance(r.means, list) else None
    if r.measure == "level":
        return " / ".join(_num(m, r.scope) for m in means) if means else _with_ci(r.simulated, r.low, r.high, r.scope)
    if not means:
        return ""
    return (" vs " if r.kind == "ordinal" else " > ").join(_num(m) for m in means)


def validation_table(table, title: str):
    """Levels and differences in separate, labelled columns; units; one rounding rule."""
    from rich.table import Table
    from rich.text import Text

    t = Table(title=Text(title))
    for col in ("id", "kind", "target", "unit", "simulated level", "simulated difference", "status", "note"):
        t.add_column(col, overflow="fold", justify="right" if col.startswith("simulated") else "left")
    colour = {"pass": "green", "fail": "red", "not reachable": "yellow"}
    for r in table.itertuples():
        diff = _with_ci(r.simulated, r.low, r.high) if r.measure == "difference" else ""
        cells = [Text(str(c)) for c in (r.id, r.kind, r.target, r.unit, _levels(r), diff)]  # from the targets file
        t.add_row(*cells, f"[{colour[r.status]}]{r.status}[/]", Text(r.note or ""))
    return t


def summary_line(table) -> str:
    """``N pass, M not reachable, K fail``."""
    counts = table.status.value_counts()
    return ", ".join(f"{int(counts.get(s, 0))} {s}" for s in ("pass", "not reachable", "fail"))
