"""``renosim compare``: the regimes side by side on paired seeds (the main job)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from experiments import options as opts
from experiments.cli import app
from experiments.formatting import sig3
from experiments.options import DEFAULT_SEEDS
from experiments.resources import KNOCKOUTS_FILE

if TYPE_CHECKING:
    from rich.console import Console

    from experiments.compare import CompareResult

_OUTPUT_FILES = ("summary.parquet", "timeseries.parquet", "report.html")


def _ci(lo: float, hi: float) -> str:
    return f"[{sig3(lo)}, {sig3(hi)}]" if math.isfinite(lo) else ""


def _finite(x) -> bool:
    return isinstance(x, float | int) and math.isfinite(x)


def _diff_text(r, ref_n: int, reference: str) -> str:
    """The paired difference with its CI, or why there is none."""
    if r["arm"] == reference:
        return "(reference)"
    if _finite(r["diff"]):
        return f"{sig3(r['diff'])} {_ci(r['diff_low'], r['diff_high'])}"
    if ref_n == 0:
        return f"n/a: {reference} has no values (n = 0)"
    if int(r["n"]) == 0:
        return "n/a: no values in this arm (n = 0)"
    return "n/a: no seed has values in both arms"


def _vr_text(r, reference: str) -> str:
    if r["arm"] == reference or not _finite(r["diff"]):
        return ""
    vr = r["variance_reduction"]
    return f"×{sig3(vr)}" if _finite(vr) else "n/a: Δ does not vary"


def print_tables(res: CompareResult, console: Console) -> None:
    """One rich table per outcome: arms with mean, CI, paired difference with CI and the pairing's gain."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from experiments.provenance import overrides_text
    from experiments.report import LABELS

    def block(table, reference: str) -> None:
        for outcome, rows in table.groupby("outcome", sort=False):
            ref_n = int(rows.loc[rows["arm"] == reference, "n"].sum())
            t = Table(
                title=LABELS.get(outcome, outcome),
                title_justify="left",
                box=box.SIMPLE_HEAD,
                title_style="bold",
            )
            t.add_column("arm", no_wrap=True)
            t.add_column("n", justify="right")
            t.add_column("mean [95% CI]", justify="right", no_wrap=True)
            t.add_column(f"Δ vs {reference} [95% CI]", justify="right", no_wrap=True)
            t.add_column("variance reduction", justify="right", no_wrap=True)
            for _, r in rows.iterrows():
                mean = f"{sig3(r['mean'])} {_ci(r['ci_low'], r['ci_high'])}" if int(r["n"]) else "n/a (n = 0)"
                t.add_row(
                    str(r["arm"]), str(int(r["n"])), mean, _diff_text(r, ref_n, reference), _vr_text(r, reference)
                )
            console.print(t)

    st = res.settings
    console.print(
        f"[bold]renosim compare[/]: {st['runs'] // st['seeds']} arms x {st['seeds']} paired seeds, "
        f"{st['households']} households, {st['years']} years, {escape(overrides_text(st['overrides']))} — "
        f"{st['runs']} runs in {st['seconds']:.1f} s"
    )
    block(res.table, st["regimes"][0])
    if res.knockouts is not None:
        console.print("\n[bold]Knock-outs of three_integrations (ODD X2)[/]")
        block(res.knockouts, "three_integrations")
    console.print(FOOTER)


FOOTER = (
    "Every arm runs on the same seeds with the same random numbers, so Δ is paired seed by seed. "
    "Variance reduction, per outcome and arm: (width of the CI independent seeds would give / width "
    "of the paired CI)^2; ×1 means pairing gained nothing. n/a: the outcome does not exist in that "
    "arm's runs (e.g. no co-funding under top_down, no consensus without a vote), never 0. "
    "3 significant figures."
)


def to_json(res: CompareResult) -> str:
    """Settings and tables as JSON (NaN as null)."""

    def records(df):
        return json.loads(df.to_json(orient="records")) if df is not None else None

    return json.dumps(
        {
            "settings": res.settings,
            "outcomes": records(res.table),
            "knockouts": records(res.knockouts),
            "provenance": res.provenance,
        },
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
    csv: opts.Csv = False,
    knockouts: Annotated[
        bool, typer.Option(help="Also switch off each lever group of three_integrations (ODD X2).")
    ] = False,
    knockouts_file: Annotated[Path, typer.Option(hidden=True)] = KNOCKOUTS_FILE,
    scheduler: opts.Scheduler = None,
    chunk_runs: opts.ChunkRuns = None,
    progress: opts.Progress = True,
    max_runs: opts.MaxRuns = None,
) -> None:
    """Compare regimes over paired seeds: means, 95% CIs and paired differences.

    With --csv the tables go to stdout as CSV (one row per table, outcome and arm), and with
    --out also outcomes.csv, summary.csv and timeseries.csv beside the Parquet files.
    """
    from contextlib import nullcontext

    from rich.console import Console

    from experiments.compare import execute_compare, plan_compare
    from experiments.outfolder import claimed
    from sim import params as simparams

    opts.check_formats(json=json_, csv=csv)
    overrides = simparams.parse_set(set_ or [])
    plan = plan_compare(
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
        max_runs=max_runs,
    )
    # Every input is valid: take the folder (refused at once if busy or another's) before computing.
    with claimed(out, "compare") if out is not None else nullcontext() as folder:
        res = execute_compare(plan, progress=progress and not (json_ or csv))
        console = Console(stderr=json_ or csv)
        if not console.is_terminal:
            console = Console(stderr=json_ or csv, width=120)  # piped to a file: do not cut at 80 columns
        if json_:
            typer.echo(to_json(res))
        elif csv:
            typer.echo(outcomes_frame(res).to_csv(index=False), nl=False)
        else:
            print_tables(res, console)
        if folder is not None:
            write_outputs(res, folder, console, csv=csv)


def outcomes_frame(res: CompareResult):
    """The outcome tables as one frame: a ``table`` column (regimes, knockouts) before the rest."""
    import pandas as pd

    tables = {"regimes": res.table, "knockouts": res.knockouts}
    return pd.concat([t.assign(table=name) for name, t in tables.items() if t is not None], ignore_index=True)[
        ["table", *res.table.columns]
    ]


def write_outputs(res: CompareResult, folder, console: Console, *, csv: bool = False) -> None:
    """Parquet (with provenance metadata), report.html, PNGs, provenance.json and params/ARM.yaml.

    ``folder`` is the :class:`experiments.outfolder.Output` claimed for this run: the last run's
    provenance goes first (a half-written folder has none, not a wrong one), the new one last,
    and then whatever the last run wrote that this one did not.
    """
    from rich.markup import escape

    from experiments import provenance, report

    rec = res.provenance
    folder.retire_provenance()
    provenance.write_parquet(res.summary, folder.path("summary.parquet"), rec)
    if res.timeseries is not None:
        provenance.write_parquet(res.timeseries, folder.path("timeseries.parquet"), rec)
    if csv:
        provenance.write_csv(outcomes_frame(res), folder.path("outcomes.csv"))
        provenance.write_csv(res.summary, folder.path("summary.csv"))
        if res.timeseries is not None:
            provenance.write_csv(res.timeseries, folder.path("timeseries.csv"))
    figs = report.compare_figures(res)
    report.compare_report(res, folder.path("report.html"), figs)
    pngs = report.export_pngs(figs, folder.folder / "figures", caption=provenance.caption(rec))
    folder.wrote(pngs)
    folder.wrote(provenance.write_folder(folder.folder, rec))
    stale = folder.finish()
    out = escape(str(folder.folder))
    console.print(
        f"wrote {out}/ ({', '.join(_OUTPUT_FILES)}"
        + (", outcomes.csv, summary.csv, timeseries.csv" if csv else "")
        + (f", {len(pngs)} PNG figures in figures/" if pngs else "")
        + "; provenance.json and params/ARM.yaml: `renosim show` prints them)"
        + (f"; removed {len(stale)} files of the previous compare" if stale else "")
    )
