"""``renosim national``: the country slice by slice, streamed to a verified, resumable results folder (§7.13).

Each slice of :func:`sim.city.national.plan_slices` is one chunk of an
:class:`experiments.store.ResultsStore` (one slice per chunk, point = slice): a worker in this
process, a local pool or a Dask cluster (:mod:`experiments.backends`) runs it
(:func:`experiments.slices.run_slice`), and as each slice finishes the parent writes its
compound-year rows to ``OUT/compounds/year=Y/province=P/`` (:mod:`experiments.partitions`), its
yearly partial sums as the chunk's ``timeseries`` part and a row about the slice as its ``summary``
part, then records the chunk in the manifest. Nothing is kept in memory between slices, so memory
does not grow with their number. A killed run resumes with ``--resume``: the finished slices are
verified and kept, the rest recomputed, and the tables come out as if it had never stopped.

Layout::

    OUT/manifest.json, points.parquet (one row per slice), provenance.json
    OUT/summary/part-00012.parquet        slice 12: province, compounds, households, quota
    OUT/timeseries/part-00012.parquet     slice 12: one row of partial sums per year
    OUT/compounds/year=2021/province=Guangxi/part-00012.parquet   slice 12's compounds at the end of 2021
    OUT/national.parquet, provinces.parquet   the yearly tables
"""

from __future__ import annotations

import copy
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import backends, partitions, runner
from experiments.options import resolve_workers
from experiments.slices import SliceResult, SliceTask, run_slice, tables, warm_worker
from experiments.store import ResultsStore, folder_lock, read_results, write_parquet_atomic
from experiments.verify import verify_folder
from sim.city.national import NationalData, check_run, load_national, national_mu_theta, plan_slices
from sim.config_files import DEFAULT_NATIONAL

KIND = "compounds"
BY = ("year", "province")


@dataclass
class NationalRun:
    """What decides a national run's numbers."""

    data: NationalData
    scenario: str = "nanning_timeline"
    start: int = 2019
    end: int = 2025
    scale: float = 1.0
    seed: int = 0
    overrides: dict[str, Any] = field(default_factory=dict)
    executor: str = "vector"
    data_file: str = str(DEFAULT_NATIONAL)

    def settings(self) -> dict[str, Any]:
        keys = ("scenario", "start", "end", "scale", "seed", "overrides", "executor")
        return {"data": self.data.model_dump(mode="json"), **{k: getattr(self, k) for k in keys}}

    def digest(self) -> str:
        text = json.dumps(self.settings(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def tasks(self, keep_compounds: bool) -> list[SliceTask]:
        check_run(self.data, self.scenario, self.start, self.end, self.scale)
        slices = plan_slices(self.data, self.scenario, self.start, self.end, self.scale)
        mu = national_mu_theta(self.data, self.scenario, self.start, self.seed, self.overrides)
        items = tuple(sorted({**self.overrides, **({} if mu is None else {"mu_theta": mu})}.items()))
        return [SliceTask(s.id, s, self.seed, items, self.executor, keep_compounds) for s in slices]


@dataclass
class NationalOutcome:
    """The yearly tables, and what the run did: slices in all and now, seconds, where worker time went."""

    national: pd.DataFrame
    provinces: pd.DataFrame
    slices: int
    slices_now: int
    seconds: float
    folder: Path | None = None
    split: dict[str, float] = field(default_factory=dict)
    scale: float = 1.0


def load(data_file: str | Path | None = None, **kw) -> NationalRun:
    """A :class:`NationalRun` of the totals in ``data_file`` (default configs/national/china.yaml)."""
    path = Path(data_file) if data_file is not None else DEFAULT_NATIONAL
    return NationalRun(load_national(path), data_file=str(path), **kw)


def run_national(
    run: NationalRun,
    out: str | Path | None = None,
    *,
    resume: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
) -> NationalOutcome:
    """Run every slice; into the results folder ``out`` when given (else only the tables are kept).

    Everything that can be checked is checked before anything is written: the years, the scale,
    the overrides, the workers, the scheduler and the folder.
    """
    from sim.params import validate

    validate(run.overrides, "--set")
    runner.check_scheduler(scheduler)
    workers = resolve_workers(workers)
    backends.prewarm(workers, warm_worker, scheduler)  # the workers start up while this process plans
    tasks = run.tasks(keep_compounds=out is not None)
    kw = dict(workers=workers, scheduler=scheduler, progress=progress, task=run_slice, keep=False)
    kw["description"] = f"national {run.start}-{run.end} ({len(tasks)} slices)"
    split: dict[str, float] = {}
    start = time.perf_counter()
    if out is None:
        runner.probe_scheduler(scheduler)
        parts: list[pd.DataFrame] = []

        def keep(r: SliceResult) -> None:
            parts.append(r.timeseries)
            _add(split, r.split)

        runner.run_chunks(_largest_first(tasks), on_result=keep, total_runs=len(tasks), **kw)
        series = runner.sort_rows(pd.concat(parts, ignore_index=True))
        national, provinces = tables(series, run.data, run.scenario)
        seconds = time.perf_counter() - start
        return NationalOutcome(national, provinces, len(tasks), len(tasks), seconds, None, split, run.scale)
    return _into_store(run, tasks, Path(out), resume, scheduler, split, start, kw)


def _into_store(run, tasks, folder, resume, scheduler, split, start, kw) -> NationalOutcome:
    store = ResultsStore(folder)
    n = len(tasks)
    identity = {"experiment": "national", "hash": run.digest(), "runs": n, "points": n}
    identity |= {"seeds": [run.seed, run.seed], "timeseries": True}
    store.prepare(identity, resume=resume)
    runner.probe_scheduler(scheduler)
    expected = expected_partitions(tasks, range(run.start, run.end + 1))
    with folder_lock(store.folder):
        old = store.prepare(identity, resume=resume)
        info = {**identity, "chunk_runs": 1, "chunks": n, "national": run.settings()}
        info[partitions.KEY] = dict(old.get(partitions.KEY, {})) if old else {}
        finished = store.start(info, points(tasks), old, national_provenance(run, n))
        finished = partitions.check(store, KIND, finished, expected)
        todo = [t for t in tasks if t.id not in finished]

        def store_slice(r: SliceResult) -> None:
            partitions.write(store, r.chunk_id, r.compounds, KIND, BY)
            store.write_chunk(r.chunk_id, r.summary, r.timeseries)
            _add(split, r.split)

        runner.run_chunks(_largest_first(todo), on_result=store_slice, total_runs=n, done_runs=n - len(todo), **kw)
        verify_folder(store.folder)
        partitions.verify(store.folder, KIND, expected, "compound")
        national, provinces = tables(read_results(store.folder, "timeseries"), run.data, run.scenario)
        rec = national_provenance(run, n)
        write_parquet_atomic(national, store.folder / "national.parquet", provenance=rec)
        write_parquet_atomic(provinces, store.folder / "provinces.parquet", provenance=rec)
    seconds = time.perf_counter() - start
    return NationalOutcome(national, provinces, n, len(todo), seconds, store.folder, split, run.scale)


def _largest_first(tasks: list[SliceTask]) -> list[SliceTask]:
    """Biggest slices first, so the last to finish are small and the workers end together."""
    return sorted(tasks, key=lambda t: (-t.slice.compounds, t.id))


def _add(total: dict[str, float], part: dict[str, float]) -> None:
    for k, v in part.items():
        total[k] = total.get(k, 0.0) + v


def points(tasks: list[SliceTask]) -> pd.DataFrame:
    """One row per slice (the store's points): id, label, province, compounds, households, first key."""
    rows = [
        {"point": t.id, "label": t.slice.scenario.name, "province": t.slice.province}
        | {"compounds": t.slice.compounds, "households": t.slice.households, "first_key": t.slice.first_key}
        for t in tasks
    ]
    return pd.DataFrame(rows)


def expected_partitions(tasks: list[SliceTask], years: range):
    """The compound partition files a finished slice has: one per year, in its province."""

    def expected(chunk: int) -> list[str]:
        province = tasks[chunk].slice.province
        return [partitions.path(KIND, {"year": y, "province": province}, chunk) for y in years]

    return expected


def national_provenance(run: NationalRun, slices: int) -> dict[str, Any]:
    """Provenance: one arm per regime of the scenario, with the settings and the totals file's hash."""
    from experiments import provenance
    from experiments.store import file_sha256

    regimes = dict.fromkeys(run.data.regime(run.scenario, y) for y in range(run.start, run.end + 1))
    arms = {r: provenance.arm(r, run.overrides) for r in regimes}
    settings = {k: v for k, v in run.settings().items() if k != "data"}
    data = {"file": run.data_file, "sha256": file_sha256(Path(run.data_file)), "name": run.data.name}
    return provenance.record(arms, seeds=[run.seed], run={**settings, "national_data": data, "slices": slices})


def verify_national(folder: str | Path) -> int:
    """Check a national folder's compound partitions against its slices; returns their rows."""
    store = ResultsStore(folder)
    manifest = store.read_manifest() or {}
    settings = manifest.get("national", {})
    provinces = pd.read_parquet(store.folder / "points.parquet").sort_values("point")["province"].tolist()
    years = range(int(settings.get("start", 0)), int(settings.get("end", -1)) + 1)

    def expected(chunk: int) -> list[str]:
        return [partitions.path(KIND, {"year": y, "province": provinces[chunk]}, chunk) for y in years]

    return partitions.verify(store.folder, KIND, expected, "compound")


def national_run(settings, params: dict | None = None, progress: bool = False) -> NationalOutcome:
    """A national run for ``renosim validate`` (``runs.national`` of a targets file), kept in memory.

    Its ``scale`` lets the national metrics scale its counts to the country.
    """
    run = load(scenario=settings.scenario, start=settings.start, end=settings.end, scale=settings.scale)
    run.overrides = dict(params or {})
    return run_national(run, progress=progress)


def in_years(res: NationalOutcome, years: list[int] | None) -> NationalOutcome:
    """``res`` with its national table cut to ``years`` (all of them when None)."""
    if years is None:
        return res
    cut = copy.copy(res)
    cut.national = res.national[res.national.year.isin(years)]
    return cut


def read_compounds(folder: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """A national folder's compound-year rows (year and province from the partition paths)."""
    return partitions.read(folder, KIND, columns)
