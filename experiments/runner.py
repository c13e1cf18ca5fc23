"""Run many (point, seed) pairs in chunks, locally or on a Dask cluster.

A *chunk* is the unit of work sent to a worker: a few points with a contiguous slice of seeds each,
run as one :func:`sim.run.run_batch` call per point (many compounds side by side in one model, which
is where the vector executor is fast). Because a compound's numbers depend only on its seed and its
parameters, never on the rest of its batch (DESIGN.md §4), the results are identical whatever the
chunk size, the number of workers or the backend; the tests assert it.

Backends
--------
- ``workers=1`` without a scheduler: in this process (no pickling, easy to debug).
- ``workers>1``: a local process pool (loky's reusable executor: started once per process, about
  a second, then reused). Not ``mesa.batch_run``, which forces spawn, sends one run per task and
  leaves Mesa 4.
- ``scheduler="tcp://host:port"``: a Dask distributed cluster; chunks hold at least about a second
  of work so the scheduler's per-task overhead (~1 ms) stays negligible.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from experiments.backends import check_scheduler, execute, probe_scheduler  # noqa: F401 - re-exported
from experiments.design import Point
from experiments.options import default_workers  # noqa: F401 - re-exported
from experiments.store import chunk_plan

# Measured cost of the vector executor on this 2-core machine (see benchmarks/bench_sweep.py): a
# batch pays a fixed cost per simulated week (Python and Mesa overhead, whatever its size) plus a
# cost per household-week. At 150 households x 520 weeks that is ~0.45 s per batch plus ~0.065 s
# per compound, so batches of a few dozen compounds or more run near full speed. Used only to
# size chunks; a wrong value changes speed, never results.
SECONDS_PER_BATCH_WEEK = 9e-4
SECONDS_PER_HOUSEHOLD_WEEK = 8e-7


@dataclass(frozen=True)
class Piece:
    """One :func:`run_batch` call: a point and the seeds to run it on."""

    point: Point
    seeds: tuple[int, ...]


@dataclass(frozen=True)
class Chunk:
    """The unit of work sent to a worker; ``id`` numbers the part file it becomes."""

    id: int
    pieces: tuple[Piece, ...]
    households: int
    years: int
    timeseries: bool

    @property
    def runs(self) -> int:
        return sum(len(p.seeds) for p in self.pieces)


@dataclass
class ChunkResult:
    """What a worker sends back: the chunk id and its result rows."""

    chunk_id: int
    summary: pd.DataFrame
    timeseries: pd.DataFrame | None
    seconds: float
    cpu_seconds: float = 0.0


def estimate_chunk_seconds(runs: int, households: int, years: int) -> float:
    """A rough wall time of one :func:`run_batch` call of ``runs`` compounds."""
    weeks = 52 * years
    return weeks * (SECONDS_PER_BATCH_WEEK + SECONDS_PER_HOUSEHOLD_WEEK * households * runs)


def choose_chunk_runs(
    total_runs: int,
    households: int,
    years: int,
    workers: int,
    *,
    distributed: bool = False,
) -> int:
    """Runs per chunk: big enough to amortise the per-batch cost, small enough to balance.

    - at least 4x the runs whose marginal cost equals a batch's fixed cost (overhead <= 20 %),
      and on a cluster at least ~1 s of work per chunk;
    - about four chunks per worker (load balance, progress, little lost to a kill);
    - at most ~10 s of work per chunk beyond those floors.
    """
    weeks = 52 * years
    fixed = weeks * SECONDS_PER_BATCH_WEEK
    per_run = weeks * SECONDS_PER_HOUSEHOLD_WEEK * households
    floor = math.ceil(4 * fixed / per_run)
    if distributed:
        floor = max(floor, math.ceil(max(1.0 - fixed, 0.0) / per_run))
    ceiling = max(floor, math.ceil(10.0 / per_run))
    balanced = math.ceil(total_runs / (4 * max(workers, 1)))
    return max(1, min(total_runs, max(floor, min(balanced, ceiling))))


def plan_chunks(
    points: Sequence[Point],
    seeds: Sequence[int],
    chunk_runs: int,
    *,
    households: int,
    years: int,
    timeseries: bool,
) -> list[Chunk]:
    """Cut the (point, seed) pairs, point-major, into chunks of ``chunk_runs`` runs.

    The plan depends only on its arguments (:func:`experiments.store.chunk_plan`), so a resumed
    sweep rebuilds the same chunk ids and :mod:`experiments.verify` knows what each part must hold.
    """
    return [
        Chunk(cid, tuple(Piece(points[p], tuple(seeds[a:b])) for p, a, b in pieces), households, years, timeseries)
        for cid, pieces in enumerate(chunk_plan(len(points), len(seeds), chunk_runs))
    ]


def _tag(frame: pd.DataFrame, point: Point) -> pd.DataFrame:
    """Put the point id and the design's factor values in front of a result frame."""
    extra = {"point": point.id}
    extra.update({k: v for k, v in point.columns.items() if k not in frame.columns})
    head = pd.DataFrame({k: [v] * len(frame) for k, v in extra.items()}, index=frame.index)
    return pd.concat([head, frame], axis=1)


def run_chunk(chunk: Chunk) -> ChunkResult:
    """Run one chunk (in a worker). Top-level so process pools and Dask can pickle it."""
    from sim.run import run_batch

    start, cpu = time.perf_counter(), time.process_time()
    summaries, series = [], []
    for piece in chunk.pieces:
        res = run_batch(
            dict(piece.point.overrides),
            seeds=list(piece.seeds),
            regime=piece.point.regime,
            n_households=chunk.households,
            years=chunk.years,
            timeseries=chunk.timeseries,
        )
        summaries.append(_tag(res.summary, piece.point))
        if chunk.timeseries and res.timeseries is not None:
            series.append(_tag(res.timeseries, piece.point))
    return ChunkResult(
        chunk.id,
        pd.concat(summaries, ignore_index=True),
        pd.concat(series, ignore_index=True) if series else None,
        time.perf_counter() - start,
        time.process_time() - cpu,
    )


class _Rate(ProgressColumn):
    """Completed runs per second."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("-- runs/s" if speed is None else f"{speed:,.1f} runs/s", style="cyan")


def progress_bar(enabled: bool = True) -> Progress:
    """A rich progress bar on stderr: runs done, rate, elapsed and remaining time."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("runs"),
        _Rate(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
    )


def run_chunks(
    chunks: list[Chunk],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
    description: str = "running",
    on_result: Callable[[ChunkResult], None] | None = None,
    total_runs: int | None = None,
    done_runs: int = 0,
    keep: bool = True,
    task: Callable | None = None,
) -> list[ChunkResult]:
    """Run chunks with a progress bar; call ``on_result`` for each as it finishes.

    Returns the results sorted by chunk id (so the caller's concatenation is in plan order), or
    an empty list with ``keep=False`` (a sweep streams its chunks to disk and keeps nothing).
    ``task`` runs one chunk in a worker (default :func:`run_chunk`; see :func:`execute`).
    """
    total = total_runs if total_runs is not None else sum(c.runs for c in chunks) + done_runs
    results: list[ChunkResult] = []
    # Start the backend before the bar so its start-up is not counted in the rate.
    stream = execute(chunks, workers=workers, scheduler=scheduler, task=task)
    with progress_bar(progress) as bar:
        task = bar.add_task(description, total=total, completed=done_runs)
        for res in stream:
            if keep:
                results.append(res)
            if on_result:
                on_result(res)
            bar.update(task, advance=len(res.summary))
    results.sort(key=lambda r: r.chunk_id)
    return results


def gather(results: Sequence[ChunkResult]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Concatenate chunk results into one summary and one timeseries frame, sorted stably."""
    summary = sort_rows(pd.concat([r.summary for r in results], ignore_index=True))
    ts = [r.timeseries for r in results if r.timeseries is not None]
    series = sort_rows(pd.concat(ts, ignore_index=True)) if ts else None
    return summary, series


def sort_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Order rows by point, seed, compound (and week) so every backend gives the same frame."""
    keys = [k for k in ("point", "seed", "compound", "week") if k in frame.columns]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)
