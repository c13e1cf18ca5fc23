"""Sweeps: run every point of a design on every seed, into a resumable results folder."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import provenance, runner
from experiments.design import Point, build_points, count_points, points_frame
from experiments.limits import check_runs
from experiments.options import check_chunk_runs, resolve_workers
from experiments.spec import Experiment
from experiments.store import ResultsStore, folder_lock
from experiments.verify import verify_folder
from sim.errors import InputError


@dataclass
class SweepOutcome:
    """What a sweep did: its folder, how many runs it ran now and in total, and how long."""

    folder: Path
    runs_total: int
    runs_now: int
    chunks_total: int
    chunks_now: int
    seconds: float
    #: CPU seconds the workers spent inside the chunks run now (model time, for benchmarks).
    worker_cpu_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.runs_now / self.seconds if self.seconds > 0 else float("nan")


def default_out(exp: Experiment, suffix: str = "") -> Path:
    """``results/<name><suffix>`` under the current folder."""
    return Path("results") / f"{exp.name}{suffix}"


def run_into_store(
    folder: str | Path,
    identity: dict[str, Any],
    points: list[Point],
    seeds: list[int],
    *,
    households: int,
    years: int,
    resume: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_runs: int | None = None,
    progress: bool = True,
    description: str = "running",
    manifest: dict[str, Any] | None = None,
    finish: Callable[[ResultsStore], None] | None = None,
) -> SweepOutcome:
    """Run ``points`` x ``seeds`` into the results folder ``folder``, holding its lock throughout.

    Everything that can be checked is checked before anything is written: the options, the folder
    (writable; empty, or holding this same experiment when ``resume``) and the scheduler. On resume
    the finished parts are verified and any missing, corrupt or unlisted one is recomputed; at the
    end the whole folder is verified (every (point, seed, compound) key exactly once). ``finish``
    writes whatever goes beside the runs (indices, reports) while the lock is still held.
    """
    runner.check_scheduler(scheduler)
    workers = resolve_workers(workers)
    check_chunk_runs(chunk_runs)
    store = ResultsStore(folder)
    store.prepare(identity, resume=resume)
    runner.probe_scheduler(scheduler)
    total = identity["runs"]
    with folder_lock(store.folder):
        old = store.prepare(identity, resume=resume)  # again, now that no other run can change it
        if old is not None:
            chunk_runs = old["chunk_runs"]  # a resumed run keeps the plan its parts were written with
        elif chunk_runs is None:
            chunk_runs = runner.choose_chunk_runs(total, households, years, workers, distributed=scheduler is not None)
        chunks = runner.plan_chunks(
            points, seeds, chunk_runs, households=households, years=years, timeseries=identity["timeseries"]
        )
        info = {**(manifest or {}), **identity, "chunk_runs": chunk_runs, "chunks": len(chunks)}
        run = {"experiment": identity["experiment"], "households": households, "years": years}
        finished = store.start(info, points_frame(points), old, provenance.points_record(points, seeds, run))
        todo = [c for c in chunks if c.id not in finished]
        done_runs = sum(c.runs for c in chunks if c.id in finished)
        cpu = [0.0]

        def store_chunk(r: runner.ChunkResult) -> None:
            store.write_chunk(r.chunk_id, r.summary, r.timeseries)
            cpu[0] += r.cpu_seconds

        start = time.perf_counter()
        runner.run_chunks(
            todo,
            workers=workers,
            scheduler=scheduler,
            progress=progress,
            description=description,
            on_result=store_chunk,
            total_runs=total,
            done_runs=done_runs,
            keep=False,
        )
        seconds = time.perf_counter() - start
        verify_folder(store.folder)
        if finish is not None:
            finish(store)
    return SweepOutcome(store.folder, total, total - done_runs, len(chunks), len(todo), seconds, cpu[0])


def run_points(
    exp: Experiment,
    points: list[Point],
    out: str | Path,
    *,
    digest: str,
    timeseries: bool | None = None,
    description: str | None = None,
    max_runs: int | None = None,
    **options: Any,
) -> SweepOutcome:
    """Run ``points`` x ``exp.seed_list`` into the results folder ``out`` (see :func:`run_into_store`)."""
    total = check_runs([len(points), exp.seeds], f"{exp.name}: points x seeds", max_runs)
    seeds = exp.seed_list
    identity = {
        "experiment": exp.name,
        "hash": digest,
        "runs": total,
        "points": len(points),
        "seeds": [seeds[0], seeds[-1]],
        "timeseries": exp.timeseries if timeseries is None else timeseries,
    }
    return run_into_store(
        out,
        identity,
        points,
        seeds,
        households=exp.households,
        years=exp.years,
        description=description or exp.name,
        manifest={"spec": exp.model_dump(mode="json")},
        **options,
    )


def run_sweep(
    exp: Experiment,
    out: str | Path | None = None,
    *,
    resume: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_runs: int | None = None,
    progress: bool = True,
    max_runs: int | None = None,
) -> SweepOutcome:
    """Run a ``grid``, ``oat`` or ``scenarios`` experiment into a results folder.

    Parameters
    ----------
    exp : Experiment
        A validated experiment (:func:`experiments.spec.load_experiment`).
    out : path, optional
        Results folder; default ``results/<name>``.
    resume : bool
        Continue a killed sweep in ``out``, skipping its finished chunks.
    workers : int, optional
        Local worker processes; default all cores.
    scheduler : str, optional
        ``tcp://host:port`` of a Dask scheduler; then ``workers`` is ignored.
    chunk_runs : int, optional
        Runs per chunk (default: sized from the compound); results do not depend on it.
    progress : bool
        Show a progress bar on stderr.
    max_runs : int, optional
        Refuse more runs than this (default :data:`experiments.limits.MAX_RUNS`).
    """
    if exp.design == "sensitivity":
        raise InputError(f"{exp.name}: design 'sensitivity' is run by `renosim sensitivity morris|sobol`")
    check_runs([count_points(exp), exp.seeds], f"{exp.name}: points x seeds", max_runs)  # before building any
    points = build_points(exp)
    return run_points(
        exp,
        points,
        out if out is not None else default_out(exp),
        digest=exp.digest(),
        resume=resume,
        workers=workers,
        scheduler=scheduler,
        chunk_runs=chunk_runs,
        progress=progress,
        max_runs=max_runs,
    )


def point_means(summary: pd.DataFrame, outputs: list[str]) -> pd.DataFrame:
    """Mean of each output per point (NaN-aware), for a quick look at a sweep."""
    cols = [c for c in outputs if c in summary.columns]
    return summary.groupby("point", sort=True)[cols].mean()
