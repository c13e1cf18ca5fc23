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
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from experiments import provenance

    rec = provenance.read(path)
    if as_json:
        typer.echo(json.dumps(rec, indent=1, ensure_ascii=False))
        return
    console = Console(width=160)
    console.print(f"[bold]command[/]   {escape(rec['command'])}")
    console.print(f"[bold]created[/]   {escape(rec['created'])}")
    console.print(f"[bold]renosim[/]   {escape(rec['renosim'])} (git commit {escape(rec['git_commit'])})")
    libs = ", ".join(f"{k} {v}" for k, v in rec["versions"].items())
    console.print(f"[bold]versions[/]  Python {escape(rec['python'])}, {escape(libs)}")
    if rec.get("run"):
        console.print("[bold]run[/]       " + escape(", ".join(f"{k}={v}" for k, v in rec["run"].items())))
    seeds = rec.get("seeds") or []
    console.print(f"[bold]seeds[/]     {_seeds_text(seeds)}")
    arms = rec["arms"]
    for i, (name, a) in enumerate(arms.items()):
        if i == SHOWN_ARMS:
            console.print(f"... and {len(arms) - SHOWN_ARMS} more arms (--json for all)")
            break
        text = f"{name}: regime {a['regime']}, {provenance.overrides_text(a['overrides'])}"
        console.print(f"[bold]arm[/] {escape(text)}")
    full = rec.get("presets") or {n: a.get("parameters") or {} for n, a in list(arms.items())[:SHOWN_ARMS]}
    title = "full parameter set per arm" if "presets" not in rec else "full parameter set per regime preset"
    t = Table(title=title, title_justify="left")
    t.add_column("parameter")
    for name in full:
        t.add_column(Text(name), justify="right")
    for p in next(iter(full.values()), {}):
        t.add_row(Text(p), *[Text(json.dumps(values.get(p))) for values in full.values()])
    console.print(t)
    if "presets" in rec:
        console.print("each arm's parameters: its regime preset, then its overrides")


SHOWN_ARMS = 20


def _seeds_text(seeds: list[int]) -> str:
    if not seeds:
        return "none recorded"
    if seeds == list(range(seeds[0], seeds[0] + len(seeds))) and len(seeds) > 3:
        return f"{len(seeds)} seeds, {seeds[0]}..{seeds[-1]}"
    return ", ".join(map(str, seeds))
