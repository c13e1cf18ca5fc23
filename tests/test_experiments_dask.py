"""A Dask cluster gives the same numbers as a local run (sweep, compare, sensitivity)."""

from __future__ import annotations

import pandas as pd
import pytest

from experiments.compare import run_compare
from experiments.sensitivity import run_sensitivity
from experiments.spec import parse_experiment
from experiments.store import read_results
from experiments.sweep import run_sweep

distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def scheduler():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_sweep_on_cluster_equals_local(scheduler, tmp_path):
    exp = parse_experiment(
        dict(
            name="d", design="oat", households=20, years=2, seeds=4, factors={"mu_party": [1.0, 3.0]}, timeseries=True
        ),
        "t",
    )
    run_sweep(exp, tmp_path / "local", workers=1, progress=False)
    run_sweep(exp, tmp_path / "dask", scheduler=scheduler, chunk_runs=3, progress=False)
    for kind in ("summary", "timeseries"):
        local = read_results(tmp_path / "local", kind)
        pd.testing.assert_frame_equal(read_results(tmp_path / "dask", kind), local)
    assert len(local) == 3 * 4 * 2 * 52


def test_compare_on_cluster_equals_local(scheduler):
    kw = dict(
        regimes=["top_down", "three_integrations"], seeds=4, households=20, years=2, progress=False, timeseries=False
    )
    local = run_compare(workers=1, **kw)
    remote = run_compare(scheduler=scheduler, **kw)
    pd.testing.assert_frame_equal(remote.summary, local.summary)
    pd.testing.assert_frame_equal(remote.table, local.table)


def test_sensitivity_on_cluster_equals_local(scheduler, tmp_path):
    exp = parse_experiment(
        dict(
            name="s",
            design="sensitivity",
            households=20,
            years=2,
            seeds=2,
            ranges={"tau_train": [0, 0.6], "mu_party": [1, 4]},
            morris={"trajectories": 3},
        ),
        "t",
    )
    local = run_sensitivity(exp, "morris", tmp_path / "l", workers=1, progress=False)
    remote = run_sensitivity(exp, "morris", tmp_path / "r", scheduler=scheduler, progress=False)
    pd.testing.assert_frame_equal(remote.indices, local.indices)
