"""The national run (issue 19): the plan, a 1 % sample, identical tables on every backend, bad input."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from clirun import captured

from experiments import partitions
from experiments.national import load, read_compounds, run_national, verify_national
from experiments.slices import OUTCOMES
from experiments.store import read_results
from experiments.verify import verify_folder
from sim.city.national import load_national, plan_slices
from sim.errors import InputError

DATA = load_national()


def cli(*argv) -> tuple[int, str, str]:
    return captured(argv)


@pytest.mark.parametrize("scale", [0.001, 0.01, 1.0, 10.0])
def test_the_plan_shares_the_stock_and_every_quota_out_exactly(scale):
    slices = plan_slices(DATA, "nanning_timeline", 2019, 2025, scale)
    sizes = np.array([s.compounds for s in slices])
    assert sizes.sum() == round(DATA.stock_compounds * scale) and sizes.max() <= DATA.slice_compounds
    keys = np.array([s.first_key for s in slices])
    np.testing.assert_array_equal(keys, np.concatenate([[0], np.cumsum(sizes)[:-1]]))  # every compound once
    for i, year in enumerate(range(2019, 2026)):
        quotas = [s.scenario.schedule[i].quota for s in slices]
        assert sum(quotas) == round(DATA.starts[year].compounds * scale), year
        assert {s.scenario.schedule[i].regime for s in slices} == {"pilot" if year < 2021 else "three_integrations"}
    per_province = pd.Series(sizes).groupby([s.province for s in slices]).sum()
    weights = pd.Series(DATA.provinces)
    share = per_province / per_province.sum() - weights[per_province.index] / weights.sum()
    assert share.abs().max() < 1.5 / per_province.sum() + 1e-12  # largest remainders: within one compound


def test_outcomes_name_columns_of_the_compound_summary():
    from sim.outputs import SUMMARY_COLUMNS

    assert {o.column for o in OUTCOMES} <= set(SUMMARY_COLUMNS)
    assert {o.how for o in OUTCOMES} <= {"share", "count", "total"}


def test_a_one_percent_sample_runs_to_a_verified_partitioned_folder(tmp_path):
    out = tmp_path / "nat"
    code, text, err = cli("national", "--scale", 0.01, "--to", 2019, "--json", "--out", out, "--workers", 2)
    assert code == 0, err
    doc = json.loads(text)
    national = pd.DataFrame(doc["national"])
    assert national.year.tolist() == [2019] and national.compounds.iloc[0] == 3400
    assert national.starts.iloc[0] == round(DATA.starts[2019].compounds * 0.01)  # the queue filled the quota
    assert national.households_covered.iloc[0] == national.starts_households.iloc[0] > 0
    assert 0 <= national.participation_rate.iloc[0] <= 1 and national.government_cost.iloc[0] > 0
    provinces = pd.DataFrame(doc["provinces"])
    assert set(provinces.province) == set(DATA.provinces) and provinces.starts.sum() == national.starts.iloc[0]
    assert verify_folder(out)["chunks"] == doc["slices"]
    rows = read_compounds(out)
    assert verify_national(out) == len(rows) == 3400 and not rows.duplicated(["compound"]).any()
    started = rows[rows.started_year.notna()]
    assert len(started) == national.starts.iloc[0] and started.n_households.sum() == national.starts_households.iloc[0]
    assert sorted(p.name for p in (out / "compounds").iterdir()) == ["year=2019"]
    stored = pd.read_parquet(out / "national.parquet")
    pd.testing.assert_frame_equal(stored, national.astype(stored.dtypes.to_dict()), check_dtype=False)


@pytest.fixture(scope="module")
def scheduler():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c.scheduler_address


def test_serial_two_workers_and_a_dask_cluster_give_identical_tables(tmp_path, scheduler):
    run = load(scale=0.0005, start=2019, end=2020)
    serial = run_national(run, tmp_path / "serial", workers=1, progress=False)
    pool = run_national(run, tmp_path / "pool", workers=2, progress=False)
    dask = run_national(run, tmp_path / "dask", scheduler=scheduler, progress=False)
    memory = run_national(run, workers=2, progress=False)  # no folder: the tables only
    for other in (pool, dask, memory):
        pd.testing.assert_frame_equal(other.national, serial.national, check_exact=True)
        pd.testing.assert_frame_equal(other.provinces, serial.provinces, check_exact=True)
    for name in ("pool", "dask"):
        pd.testing.assert_frame_equal(read_compounds(tmp_path / name), read_compounds(tmp_path / "serial"))
        for kind in ("summary", "timeseries"):
            pd.testing.assert_frame_equal(read_results(tmp_path / name, kind), read_results(tmp_path / "serial", kind))
    assert serial.national.starts.sum() > 0


def _pid(chunk):
    import os
    from types import SimpleNamespace

    return SimpleNamespace(chunk_id=chunk, pid=os.getpid())


def test_workers_started_ahead_of_planning_are_the_ones_that_run_the_slices():
    # run_national starts its workers before it plans, so their imports overlap the planning
    import os

    from experiments import backends
    from experiments.slices import warm_worker

    assert backends.prewarm(1, warm_worker) == [] and backends.prewarm(2, warm_worker, "tcp://x:1") == []
    warm = {f.result(timeout=300) for f in backends.prewarm(2, warm_worker)}
    assert os.getpid() not in warm and 1 <= len(warm) <= 2
    ran = {r.pid for r in backends.execute(list(range(8)), workers=2, task=_pid)}
    assert len(ran | warm) <= 2  # the same two processes ran the work: none was started anew


def test_a_damaged_partition_is_found_and_recomputed_on_resume(tmp_path):
    run = load(scale=0.0003, start=2019, end=2019)
    out = tmp_path / "nat"
    first = run_national(run, out, workers=1, progress=False)
    victim = sorted((out / "compounds").rglob("part-*.parquet"))[3]
    victim.write_bytes(victim.read_bytes()[:100])
    stray = out / "compounds" / "year=2019" / "province=Tibet" / "part-09999.parquet"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"unfinished")
    with pytest.raises(InputError, match="partition files are not verified"):
        verify_national(out)
    again = run_national(run, out, resume=True, workers=1, progress=False)
    assert again.slices_now == 1 and not stray.exists()
    assert verify_national(out) == 102
    pd.testing.assert_frame_equal(again.national, first.national, check_exact=True)
    code, text, _ = cli("verify", out)
    assert code == 0 and "102 compound-year rows" in text


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--scenario", "laissez_faire"], "unknown national scenario 'laissez_faire'"),
        (["--from", 2018], "the published starts cover 2019 to 2025"),
        (["--to", 2026], "the published starts cover 2019 to 2025"),
        (["--from", 2022, "--to", 2021], "the published starts cover 2019 to 2025"),
        (["--scale", 0], "--scale 0 is out of range"),
        (["--scale", 1000], "--scale 1000 is out of range"),
        (["--set", "colour=red"], "colour"),
        (["--resume"], "--resume needs --out"),
        (["--scheduler", "localhost:1"], "--scheduler: expected tcp://HOST:PORT"),
        (["--executor", "turbo"], "--executor 'turbo' is not allowed"),
        (["--workers", 0], "--workers must be at least 1"),
    ],
)
def test_bad_national_options_give_one_line_and_write_nothing(tmp_path, args, fragment):
    out = tmp_path / "out"
    extra = [] if "--resume" in args else ["--out", out]
    scale = [] if "--scale" in args else ["--scale", 0.0005]
    code, _, err = cli("national", *scale, *args, *extra)
    assert code == 2 and err.count("\n") == 1 and fragment in err, err
    assert not out.exists()


def test_a_national_folder_refuses_another_run_without_resume(tmp_path):
    out = tmp_path / "nat"
    assert cli("national", "--scale", 0.0003, "--to", 2019, "--out", out, "--workers", 1, "--no-progress")[0] == 0
    code, _, err = cli("national", "--scale", 0.0003, "--to", 2019, "--out", out, "--no-progress")
    assert code == 2 and "pass --resume" in err
    code, _, err = cli("national", "--scale", 0.0004, "--to", 2019, "--out", out, "--resume", "--no-progress")
    assert code == 2 and "not this one" in err  # another scale is another run
    # the manifest records the run's settings, so verify can check them against its hash and counts
    assert cli("verify", out)[0] == 0
    path = out / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["national"]["scale"] = 0.5
    path.write_text(json.dumps(manifest))
    code, _, err = cli("verify", out)
    assert code == 2 and err.count("\n") == 1 and "settings" in err, err


def test_top_down_everywhere_fills_every_quota_without_councils():
    res = run_national(load(scenario="top_down", scale=0.0005, start=2019, end=2020), workers=1, progress=False)
    n = res.national
    assert n.regime.tolist() == ["top_down", "top_down"]
    assert n.starts.tolist() == [round(DATA.starts[y].compounds * 0.0005) for y in (2019, 2020)]
    assert n.councils_formed.max() == 0 and n.cofunding_collection.isna().all()


def test_validate_scores_national_patterns_on_a_national_run():
    from experiments.targets import Targets, evaluate

    pattern = dict(kind="hard", scope="national", metric="starts", tolerance_share=0.1)
    targets = Targets(
        name="t",
        runs={"national": {"scale": 0.0003, "start": 2019, "end": 2020}},
        patterns=[
            {**pattern, "id": "ok", "target": [18700, 40279]},
            {**pattern, "id": "off", "target": [40000], "years": [2019]},
        ],
    )
    table = evaluate(targets).set_index("id")
    assert table.loc["ok", "status"] == "pass" and table.loc["off", "status"] == "fail"
    assert table.loc["ok", "means"] == pytest.approx([6 / 0.0003, 12 / 0.0003])


def test_the_partition_paths_are_plain_names():
    assert partitions.path("compounds", {"year": 2019, "province": "Guangxi"}, 7) == (
        "compounds/year=2019/province=Guangxi/part-00007.parquet"
    )
    assert partitions.values_of("compounds/year=2019/province=Guangxi/part-00007.parquet") == {
        "year": "2019",
        "province": "Guangxi",
    }
    with pytest.raises(InputError):
        partitions.path("compounds", {"province": "../etc"}, 1)


def test_planning_a_national_run_imports_no_model():
    """The parent of a run on several workers only plans, writes and adds up: it must not pay for
    importing the model, the agents and Mesa (about a second of a core its workers need)."""
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from experiments.national import load\n"
        "tasks = load(scale=0.001, end=2020).tasks(keep_compounds=True)\n"
        "print(json.dumps([len(tasks), [m for m in ('mesa', 'agents', 'sim.city.model') if m in sys.modules]]))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    slices, loaded = json.loads(r.stdout)
    assert slices > 0
    assert loaded == []
