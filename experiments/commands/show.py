"""``renosim show`` — print what produced an output folder or file (its provenance record)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from experiments.cli import app


@app.command()
def show(
    path: Annotated[Path, typer.Argument(help="an output folder (its provenance.json) or a Parquet/JSON/HTML file")],
    as_json: Annotated[bool, typer.Option("--json", help="print the record as JSON")] = False,
) -> None:
    """Print the command, versions, seeds and full parameter set per arm that produced PATH."""
    from rich.console import Console
    from rich.table import Table

    from experiments import provenance

    rec = provenance.read(path)
    if as_json:
        typer.echo(json.dumps(rec, indent=1, ensure_ascii=False))
        return
    console = Console(width=160)
    console.print(f"[bold]command[/]   {rec['command']}")
    console.print(f"[bold]created[/]   {rec['created']}")
    console.print(f"[bold]renosim[/]   {rec['renosim']} (git commit {rec['git_commit']})")
    libs = ", ".join(f"{k} {v}" for k, v in rec["versions"].items())
    console.print(f"[bold]versions[/]  Python {rec['python']}, {libs}")
    if rec.get("run"):
        console.print("[bold]run[/]       " + ", ".join(f"{k}={v}" for k, v in rec["run"].items()))
    seeds = rec.get("seeds") or []
    console.print(f"[bold]seeds[/]     {_seeds_text(seeds)}")
    arms = rec["arms"]
    for name, a in arms.items():
        console.print(f"[bold]arm[/] {name}: regime {a['regime']}, {provenance.overrides_text(a['overrides'])}")
    t = Table(title="full parameter set per arm", title_justify="left")
    t.add_column("parameter")
    for name in arms:
        t.add_column(name, justify="right")
    names = list(next(iter(arms.values()))["parameters"]) if arms else []
    for p in names:
        t.add_row(p, *[json.dumps(a["parameters"].get(p)) for a in arms.values()])
    console.print(t)


def _seeds_text(seeds: list[int]) -> str:
    if not seeds:
        return "none recorded"
    if seeds == list(range(seeds[0], seeds[0] + len(seeds))) and len(seeds) > 3:
        return f"{len(seeds)} seeds, {seeds[0]}..{seeds[-1]}"
    return ", ".join(map(str, seeds))
