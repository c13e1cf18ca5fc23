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

import itertools
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, wait
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

from experiments.design import Point
from sim.errors import InputError

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


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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

    The plan depends only on its arguments, so a resumed sweep rebuilds the same chunk ids.
    """
    if chunk_runs < 1:
        raise InputError(f"chunk size must be at least 1 run, got {chunk_runs}")
    chunks: list[Chunk] = []
    pieces: list[Piece] = []
    room = chunk_runs

    def close() -> None:
        nonlocal pieces, room
        if pieces:
            chunks.append(Chunk(len(chunks), tuple(pieces), households, years, timeseries))
        pieces, room = [], chunk_runs

    for point in points:
        rest = list(seeds)
        while rest:
            take, rest = rest[:room], rest[room:]
            pieces.append(Piece(point, tuple(take)))
            room -= len(take)
            if room == 0:
                close()
    close()
    return chunks


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


# --------------------------------------------------------------------------------------------
# Backends: each yields ChunkResults as chunks finish, in any order.


def _serial(chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
    for chunk in chunks:
        yield run_chunk(chunk)


def _pool(chunks: list[Chunk], workers: int) -> Iterator[ChunkResult]:
    """Stream results from a reusable loky process pool (started now, before any bar thread)."""
    from loky import get_reusable_executor

    # loky, not fork: by now pyarrow's I/O threads exist in this process, and forking a
    # multi-threaded process can deadlock the child. The pool is reused by later calls in the
    # same process (tests, notebooks), so its ~1 s start-up is paid once.
    # One process per core is the parallelism; threaded BLAS inside each would oversubscribe.
    single = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    pool = get_reusable_executor(max_workers=workers, timeout=300, env=single)
    # A bounded number of chunks in flight: results stream back in roughly plan order and a
    # killed sweep loses only what is in flight.
    todo = iter(chunks)
    running = {pool.submit(run_chunk, c) for c in itertools.islice(todo, 2 * workers)}

    def stream() -> Iterator[ChunkResult]:
        nonlocal running
        try:
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=lambda f: f.result().chunk_id):
                    nxt = next(todo, None)
                    if nxt is not None:
                        running.add(pool.submit(run_chunk, nxt))
                    yield fut.result()
        finally:
            for fut in running:
                fut.cancel()

    return stream()


def check_scheduler(address: str | None) -> None:
    """Refuse a scheduler address that is not ``tcp://host:port`` (or tls/ucx/inproc)."""
    if address is None:
        return
    scheme, sep, rest = address.partition("://")
    if not sep or scheme not in ("tcp", "tls", "ucx", "inproc") or not rest:
        raise InputError(f"--scheduler: expected tcp://HOST:PORT, got {address!r}")


def connect(address: str):
    """A Dask client of the scheduler at ``address``; a one-line error if it cannot be reached."""
    from dask.distributed import Client

    check_scheduler(address)
    try:
        return Client(address, timeout="15s", set_as_default=False)
    except OSError as exc:
        raise InputError(f"cannot reach Dask scheduler at {address}: {exc}") from None


def probe_scheduler(address: str | None) -> None:
    """Fail before anything is written if a scheduler is given but unreachable."""
    if address is not None:
        connect(address).close()


def _dask(chunks: list[Chunk], address: str) -> Iterator[ChunkResult]:
    from dask.distributed import as_completed

    client = connect(address)
    try:
        futures = [client.submit(run_chunk, c, pure=False) for c in chunks]
        try:
            for fut in as_completed(futures, loop=client.loop):
                res = fut.result()
                fut.release()  # free the result in the cluster's memory now, not at the end
                yield res
        finally:
            client.cancel(futures)
    finally:
        client.close()


def execute(
    chunks: list[Chunk],
    *,
    workers: int = 1,
    scheduler: str | None = None,
) -> Iterator[ChunkResult]:
    """Run chunks on the chosen backend, yielding results as they finish (in any order)."""
    check_scheduler(scheduler)
    if not chunks:
        return iter(())
    if scheduler:
        return _dask(chunks, scheduler)
    if workers <= 1 or len(chunks) == 1:
        return _serial(chunks)
    return _pool(chunks, min(workers, len(chunks)))


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
) -> list[ChunkResult]:
    """Run chunks with a progress bar; call ``on_result`` for each as it finishes.

    Returns the results sorted by chunk id (so the caller's concatenation is in plan order), or
    an empty list with ``keep=False`` (a sweep streams its chunks to disk and keeps nothing).
    """
    total = total_runs if total_runs is not None else sum(c.runs for c in chunks) + done_runs
    results: list[ChunkResult] = []
    # Start the backend before the bar so its start-up is not counted in the rate.
    stream = execute(chunks, workers=workers, scheduler=scheduler)
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
