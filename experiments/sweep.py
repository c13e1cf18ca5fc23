"""Sweeps: run every point of a design on every seed, into a resumable results folder."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from experiments import provenance, runner
from experiments.design import Point, build_points, points_frame
from experiments.spec import Experiment
from experiments.store import ResultsStore
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


def run_points(
    exp: Experiment,
    points: list[Point],
    out: str | Path,
    *,
    digest: str,
    resume: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_runs: int | None = None,
    progress: bool = True,
    timeseries: bool | None = None,
    description: str | None = None,
) -> SweepOutcome:
    """Run ``points`` x ``exp.seed_list`` into the results folder ``out``.

    Everything that can be checked is checked before anything is written: the scheduler address,
    the folder (writable; empty, or holding this same experiment when ``resume``).
    """
    runner.check_scheduler(scheduler)
    workers = workers or runner.default_workers()
    if workers < 1:
        raise InputError(f"--workers must be at least 1, got {workers}")
    store = ResultsStore(out)
    old = store.prepare(name=exp.name, digest=digest, resume=resume)
    runner.probe_scheduler(scheduler)
    seeds = exp.seed_list
    total = len(points) * len(seeds)
    if old is not None:
        # The chunk plan of a resumed sweep is the one its part files were written with.
        chunk_runs = int(old["chunk_runs"])
    elif chunk_runs is None:
        chunk_runs = runner.choose_chunk_runs(
            total, exp.households, exp.years, workers, distributed=scheduler is not None
        )
    elif chunk_runs < 1:
        raise InputError(f"--chunk-runs must be at least 1, got {chunk_runs}")
    ts = exp.timeseries if timeseries is None else timeseries
    chunks = runner.plan_chunks(points, seeds, chunk_runs, households=exp.households, years=exp.years, timeseries=ts)
    store.start(
        {
            "experiment": exp.name,
            "hash": digest,
            "chunk_runs": chunk_runs,
            "chunks": len(chunks),
            "runs": total,
            "points": len(points),
            "seeds": seeds[:1] + seeds[-1:],
            "spec": exp.model_dump(mode="json"),
        },
        points_frame(points),
    )
    if not (store.folder / provenance.FILE).exists():  # a resumed sweep keeps the record of its start
        run = {"experiment": exp.name, "households": exp.households, "years": exp.years}
        provenance.write_json(store.folder, provenance.points_record(points, seeds, run))
    finished = store.finished_chunks()
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
        description=description or exp.name,
        on_result=store_chunk,
        total_runs=total,
        done_runs=done_runs,
        keep=False,
    )
    return SweepOutcome(
        store.folder,
        total,
        total - done_runs,
        len(chunks),
        len(todo),
        time.perf_counter() - start,
        cpu[0],
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
    """
    if exp.design == "sensitivity":
        raise InputError(f"{exp.name}: design 'sensitivity' is run by `renosim sensitivity morris|sobol`")
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
    )


def point_means(summary: pd.DataFrame, outputs: list[str]) -> pd.DataFrame:
    """Mean of each output per point (NaN-aware), for a quick look at a sweep."""
    cols = [c for c in outputs if c in summary.columns]
    return summary.groupby("point", sort=True)[cols].mean()
