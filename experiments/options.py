"""The run options shared by ``compare``, ``sweep``, ``sensitivity`` and ``calibrate``, declared once.

Each is an ``Annotated`` type a command uses as ``workers: Workers = None``, so the help text and
the default (``None``: decided in one place, :func:`resolve_workers`) cannot drift between commands.
Defaults a command's help shows are here too (:data:`DEFAULT_SEEDS`), so the help need not
import the module that runs the command.
"""

from __future__ import annotations

from typing import Annotated

import typer

from experiments.limits import MAX_RUNS
from sim.errors import InputError

Workers = Annotated[int | None, typer.Option(help="Local worker processes (default: all cores).")]
Scheduler = Annotated[str | None, typer.Option(help="Run on a Dask cluster: tcp://HOST:PORT.")]
ChunkRuns = Annotated[
    int | None, typer.Option(help="Runs per chunk, one part file each (default: sized from the workload).")
]
Progress = Annotated[bool, typer.Option(help="Progress bar on stderr.")]
Resume = Annotated[bool, typer.Option(help="Continue a killed run in --out (its parts are verified first).")]
Csv = Annotated[
    bool, typer.Option("--csv", help="Print the results as CSV on stdout; with --out, also write them as CSV files.")
]
MaxRuns = Annotated[
    int | None, typer.Option(help=f"Refuse a job of more runs than this (default {MAX_RUNS:,}); raise it here.")
]

#: Seeds per arm of a bare ``renosim compare``: 3 regimes x 200 seeds x 150 households x 10 years
#: (600 runs) took 30-40 s on this 2-core machine, leaving room for --out's report and PNGs in
#: about a minute. ODD X1 asks for 100 seeds; more only narrows the intervals.
DEFAULT_SEEDS = 200


def default_workers() -> int:
    """All cores this process may use."""
    from sim.parallel import cores

    return cores()


def resolve_workers(workers: int | None) -> int:
    """``None`` means all cores; anything below 1 is refused."""
    if workers is None:
        return default_workers()
    if workers < 1:
        raise InputError(f"--workers must be at least 1, got {workers}")
    return workers


def check_chunk_runs(chunk_runs: int | None) -> None:
    if chunk_runs is not None and chunk_runs < 1:
        raise InputError(f"--chunk-runs must be at least 1, got {chunk_runs}")


def check_formats(**chosen: bool) -> None:
    """Refuse two output formats at once (``--json`` and ``--csv``)."""
    given = [f"--{name}" for name, on in chosen.items() if on]
    if len(given) > 1:
        raise InputError(f"{' and '.join(given)} cannot be combined; choose one output format")
