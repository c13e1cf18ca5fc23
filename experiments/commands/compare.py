"""``renosim compare``: the regimes side by side on paired seeds (the main job)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from experiments import options as opts
from experiments.cli import app
from experiments.compare import DEFAULT_SEEDS, KNOCKOUTS_FILE, CompareResult, run_compare
from experiments.report import LABELS

_OUTPUT_FILES = ("summary.parquet", "timeseries.parquet", "report.html")


def _num(x: float) -> str:
    if x is None or not math.isfinite(x):
        return "–"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def _ci(lo: float, hi: float) -> str:
    return f"[{_num(lo)}, {_num(hi)}]" if math.isfinite(lo) else ""


def print_tables(res: CompareResult, console: Console) -> None:
    """One rich table per outcome: arms with mean, CI and paired difference with CI."""

    def block(table, reference: str, caption: str) -> None:
        for outcome, rows in table.groupby("outcome", sort=False):
            t = Table(
                title=LABELS.get(outcome, outcome),
                title_justify="left",
                caption=caption,
                caption_justify="left",
                box=box.SIMPLE_HEAD,
                title_style="bold",
            )
            t.add_column("arm", no_wrap=True)
            t.add_column("n", justify="right")
            t.add_column("mean [95% CI]", justify="right", no_wrap=True)
            t.add_column(f"Δ vs {reference} [95% CI]", justify="right", no_wrap=True)
            for _, r in rows.iterrows():
                has = isinstance(r["diff"], float) and math.isfinite(r["diff"])
                t.add_row(
                    str(r["arm"]),
                    str(int(r["n"])),
                    f"{_num(r['mean'])} {_ci(r['ci_low'], r['ci_high'])}",
                    f"{_num(r['diff'])} {_ci(r['diff_low'], r['diff_high'])}" if has else "",
                )
            console.print(t)

    st = res.settings
    console.print(
        f"[bold]renosim compare[/]: {st['runs'] // st['seeds']} arms x {st['seeds']} paired seeds, "
        f"{st['households']} households, {st['years']} years — {st['runs']} runs in "
        f"{st['seconds']:.1f} s"
    )
    block(res.table, st["regimes"][0], "paired over seeds (common random numbers)")
    if res.knockouts is not None:
        console.print("\n[bold]Knock-outs of three_integrations (ODD X2)[/]")
        block(res.knockouts, "three_integrations", "paired over seeds")
    vr = res.table["variance_reduction"].dropna()
    if not vr.empty:
        console.print(
            f"Pairing (common random numbers) narrows the difference CIs: variance "
            f"reduction median {vr.median():.1f}x against independent seeds (per outcome in "
            "--json)."
        )


def to_json(res: CompareResult) -> str:
    """Settings and tables as JSON (NaN as null)."""

    def records(df):
        return json.loads(df.to_json(orient="records")) if df is not None else None

    return json.dumps(
        {"settings": res.settings, "outcomes": records(res.table), "knockouts": records(res.knockouts)},
        indent=2,
    )


@app.command("compare")
def compare(
    regimes: Annotated[
        str, typer.Option(help="Comma-separated regimes; differences vs the first.")
    ] = "top_down,pilot,three_integrations",
    seeds: Annotated[int, typer.Option(help="Paired seeds per regime.")] = DEFAULT_SEEDS,
    seed_start: Annotated[int, typer.Option(help="First seed.")] = 0,
    households: Annotated[int, typer.Option(help="Households per compound.")] = 150,
    years: Annotated[int, typer.Option(help="Simulated years.")] = 10,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Lever override for every arm, lever=value (repeatable).")
    ] = None,
    workers: opts.Workers = None,
    out: Annotated[
        Path | None, typer.Option(help="Write summary.parquet, timeseries.parquet, report.html (and PNGs) here.")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the tables as JSON.")] = False,
    knockouts: Annotated[
        bool, typer.Option(help="Also switch off each lever group of three_integrations (ODD X2).")
    ] = False,
    knockouts_file: Annotated[Path, typer.Option(hidden=True)] = KNOCKOUTS_FILE,
    scheduler: opts.Scheduler = None,
    chunk_runs: opts.ChunkRuns = None,
    progress: opts.Progress = True,
    max_runs: opts.MaxRuns = None,
) -> None:
    """Compare regimes over paired seeds: means, 95% CIs and paired differences."""
    from sim import params as simparams

    overrides = simparams.parse_set(set_ or [])
    if out is not None:
        from experiments.store import check_writable

        check_writable(out)  # before the runs, so a bad folder costs nothing and writes nothing
    res = run_compare(
        regimes,
        seeds=seeds,
        seed_start=seed_start,
        households=households,
        years=years,
        overrides=overrides,
        knockouts=knockouts,
        knockouts_file=knockouts_file,
        workers=workers,
        scheduler=scheduler,
        chunk_runs=chunk_runs,
        timeseries=out is not None,
        progress=progress,
        max_runs=max_runs,
    )
    console = Console(stderr=json_)
    if not console.is_terminal:
        console = Console(stderr=json_, width=120)  # piped to a file: do not cut at 80 columns
    if json_:
        typer.echo(to_json(res))
    else:
        print_tables(res, console)
    if out is not None:
        from experiments import report
        from experiments.store import write_parquet_atomic

        out.mkdir(parents=True, exist_ok=True)
        write_parquet_atomic(res.summary, out / "summary.parquet")
        if res.timeseries is not None:
            write_parquet_atomic(res.timeseries, out / "timeseries.parquet")
        figs = report.compare_figures(res)
        report.compare_report(res, out / "report.html", figs)
        pngs = report.export_pngs(figs, out / "figures")
        console.print(
            f"wrote {out}/ ({', '.join(_OUTPUT_FILES)}"
            + (f", {len(pngs)} PNG figures in figures/" if pngs else "")
            + ")"
        )
