"""Sweeps: the same numbers whatever the workers and chunks; killed sweeps resume exactly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from experiments.spec import parse_experiment
from experiments.store import read_results
from experiments.sweep import run_sweep

SMALL = dict(
    name="small",
    design="grid",
    households=20,
    years=2,
    seeds=5,
    timeseries=True,
    factors={"regime": ["pilot", "three_integrations"], "tau_train": [0.0, 0.4]},
)


@pytest.fixture(scope="module")
def exp():
    return parse_experiment(SMALL, "test")


@pytest.fixture(scope="module")
def reference(exp, tmp_path_factory):
    """One worker, one chunk per point-and-seed slice of 3."""
    out = tmp_path_factory.mktemp("ref") / "out"
    run_sweep(exp, out, workers=1, chunk_runs=3, progress=False)
    return read_results(out), read_results(out, "timeseries")


def test_rows_and_columns(exp, reference):
    summary, series = reference
    assert len(summary) == 4 * 5
    assert not summary.duplicated(["point", "seed"]).any()
    assert set(summary["seed"]) == set(range(5))
    # Every point runs the same seeds (common random numbers).
    assert summary.groupby("point")["seed"].apply(tuple).nunique() == 1
    assert {"point", "tau_train", "regime", "participation_rate"} <= set(summary.columns)
    assert len(series) == 4 * 5 * 2 * 52


@pytest.mark.parametrize("workers,chunk_runs", [(2, 1), (2, 7), (1, 20), (2, None)])
def test_same_results_any_workers_and_chunks(exp, reference, tmp_path, workers, chunk_runs):
    out = tmp_path / "out"
    res = run_sweep(exp, out, workers=workers, chunk_runs=chunk_runs, progress=False)
    assert res.runs_now == 20
    pd.testing.assert_frame_equal(read_results(out), reference[0])
    pd.testing.assert_frame_equal(read_results(out, "timeseries"), reference[1])


def test_part_files_are_per_chunk_and_complete(exp, tmp_path):
    out = tmp_path / "out"
    run_sweep(exp, out, workers=2, chunk_runs=4, progress=False)
    parts = sorted(p.name for p in (out / "summary").iterdir())
    assert parts == [f"part-{i:05d}.parquet" for i in range(5)]
    assert not list(out.rglob(".*.tmp"))
    # The folder is a plain Parquet dataset too.
    assert len(pd.read_parquet(out / "summary")) == 20


def test_resume_after_lost_chunks_recomputes_only_those(exp, reference, tmp_path):
    out = tmp_path / "out"
    run_sweep(exp, out, workers=1, chunk_runs=3, progress=False)
    # What a kill leaves: two chunks never finished, one half-written temporary file.
    for i in (1, 4):
        (out / "summary" / f"part-{i:05d}.parquet").unlink()
    (out / "summary" / ".part-00004.parquet.tmp").write_bytes(b"half a file")
    res = run_sweep(exp, out, workers=2, chunk_runs=5, resume=True, progress=False)
    assert res.chunks_now == 2 and res.runs_now == 6  # the manifest's chunk plan is kept
    assert not list(out.rglob(".*.tmp"))
    pd.testing.assert_frame_equal(read_results(out), reference[0])
    pd.testing.assert_frame_equal(read_results(out, "timeseries"), reference[1])


def test_killed_sweep_resumes_to_exactly_the_uninterrupted_rows(tmp_path):
    exp_file = tmp_path / "exp.yaml"
    exp_file.write_text(
        "name: killme\ndesign: grid\nhouseholds: 40\nyears: 3\nseeds: 12\nfactors: {tau_train: [0.0, 0.2]}\n"
    )
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    code = "import sys; from experiments.cli import main; main(sys.argv[1:])"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            "sweep",
            str(exp_file),
            "--out",
            str(out),
            "--workers",
            "1",
            "--chunk-runs",
            "1",
            "--no-progress",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    parts = out / "summary"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if parts.is_dir() and any(p.name.startswith("part-") for p in parts.iterdir()):
            break
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = sorted(p.name for p in parts.glob("part-*.parquet"))
    assert done, f"no chunk finished before the kill: {proc.stderr.read().decode()[-2000:]}"
    assert len(done) < 24, f"the kill came too late to test anything: {len(done)} parts"

    from experiments.spec import load_experiment

    exp = load_experiment(exp_file)
    # a chunk counts as finished once the manifest records it (its parts may be on disk a moment before)
    manifest = json.loads((out / "manifest.json").read_text()) if (out / "manifest.json").exists() else {}
    recorded = {k for k in manifest.get("parts", {}) if k.startswith("summary/")}
    res = run_sweep(exp, out, workers=2, resume=True, progress=False)
    assert res.chunks_now == 24 - len(recorded)
    full = tmp_path / "full"
    run_sweep(exp, full, workers=2, chunk_runs=8, progress=False)
    resumed = read_results(out)
    assert not resumed.duplicated(["point", "seed"]).any()
    pd.testing.assert_frame_equal(resumed, read_results(full))


@pytest.mark.parametrize("chunk_runs", [1, 3, 5, 7, 100])
def test_chunk_plan_covers_every_run_once(chunk_runs):
    from experiments.design import Point
    from experiments.runner import plan_chunks

    points = [Point(i, str(i), "pilot", {}) for i in range(3)]
    chunks = plan_chunks(points, range(5), chunk_runs, households=20, years=1, timeseries=False)
    pairs = [(p.point.id, s) for c in chunks for p in c.pieces for s in p.seeds]
    assert pairs == [(i, s) for i in range(3) for s in range(5)]
    assert all(c.runs <= chunk_runs for c in chunks)
    assert [c.id for c in chunks] == list(range(len(chunks)))


def test_cluster_chunks_hold_at_least_a_second_of_work():
    from experiments.runner import choose_chunk_runs, estimate_chunk_seconds

    for households, years in [(20, 1), (150, 10), (1500, 3)]:
        n = choose_chunk_runs(100_000, households, years, 64, distributed=True)
        assert estimate_chunk_seconds(n, households, years) >= 1.0


def test_one_worker_means_one_thread_for_the_draws():
    """--workers 1 runs in this process with its element-wise draws on one core (sim.parallel)."""
    from dataclasses import dataclass

    from experiments import backends
    from sim import parallel

    @dataclass
    class Job:
        chunk_id: int

    seen = [r for r in backends.execute([Job(0), Job(1)], workers=1, task=lambda c: (c.chunk_id, parallel.threads()))]
    assert seen == [(0, 1), (1, 1)]
    before = parallel.threads()
    assert [r for r in backends.execute([Job(0)], workers=8, task=lambda c: parallel.threads())] == [min(8, before)]
