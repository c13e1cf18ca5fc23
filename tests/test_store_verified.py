"""The verified results store: damaged folders resume to the uninterrupted data, or are refused.

Each case of issue 11 §1 starts from a finished sweep, damages it as a killed run or a careless hand
would, and resumes: the result must equal an uninterrupted run's table contents exactly, and
``renosim verify`` must pass; a manifest that contradicts the experiment is refused with one line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from clirun import exit_code
from filelock import FileLock

from experiments.spec import parse_experiment
from experiments.store import LOCK, MANIFEST, read_results
from experiments.sweep import run_sweep

SPEC = {
    "name": "verified",
    "design": "grid",
    "households": 20,
    "years": 1,
    "seeds": 8,
    "timeseries": True,
    "factors": {"tau_train": [0.0, 0.4]},
}


def cli(argv) -> tuple[int, str]:
    """Run the CLI in-process; return its exit status (stderr is read by the caller's capsys)."""
    return exit_code(argv), ""


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted run (4 chunks of 4 runs) and its two tables."""
    out = tmp_path_factory.mktemp("ref") / "out"
    run_sweep(parse_experiment(SPEC), out, workers=1, chunk_runs=4, progress=False)
    return out, read_results(out), read_results(out, "timeseries")


@pytest.fixture
def damaged(reference, tmp_path):
    """A copy of the finished folder, to be damaged by the test."""
    out = tmp_path / "out"
    shutil.copytree(reference[0], out)
    return out


def assert_identical(out: Path, reference) -> None:
    pd.testing.assert_frame_equal(read_results(out), reference[1])
    pd.testing.assert_frame_equal(read_results(out, "timeseries"), reference[2])
    from experiments.verify import verify_folder

    assert verify_folder(out)["runs"] == 16


def resume(out: Path):
    return run_sweep(parse_experiment(SPEC), out, resume=True, workers=1, progress=False)


def edit_manifest(out: Path, **changes) -> None:
    m = json.loads((out / MANIFEST).read_text())
    m.update(changes)
    (out / MANIFEST).write_text(json.dumps(m))


def test_an_intact_folder_resumes_without_running_anything(damaged, reference):
    res = resume(damaged)
    assert res.chunks_now == 0 and res.runs_now == 0
    assert_identical(damaged, reference)


def test_edited_chunk_size_recomputes_the_parts_that_no_longer_fit(damaged, reference):
    edit_manifest(damaged, chunk_runs=8)  # the case: 4 -> 8
    res = resume(damaged)
    assert res.chunks_total == 2 and res.chunks_now == 2  # every old part holds the wrong keys
    assert not (damaged / "summary" / "part-00002.parquet").exists()  # outside the new plan: removed
    assert_identical(damaged, reference)


def test_a_summary_part_copied_over_another_is_recomputed(damaged, reference):
    shutil.copy(damaged / "summary" / "part-00000.parquet", damaged / "summary" / "part-00001.parquet")
    res = resume(damaged)
    assert res.chunks_now == 1
    assert_identical(damaged, reference)


def test_a_part_copied_with_its_manifest_entry_is_still_caught_by_its_keys(damaged, reference):
    shutil.copy(damaged / "summary" / "part-00000.parquet", damaged / "summary" / "part-00003.parquet")
    m = json.loads((damaged / MANIFEST).read_text())
    m["parts"]["summary/part-00003.parquet"] = m["parts"]["summary/part-00000.parquet"]
    (damaged / MANIFEST).write_text(json.dumps(m))
    assert resume(damaged).chunks_now == 1
    assert_identical(damaged, reference)


def test_a_deleted_timeseries_part_is_recomputed(damaged, reference):
    (damaged / "timeseries" / "part-00002.parquet").unlink()
    assert resume(damaged).chunks_now == 1
    assert_identical(damaged, reference)


def test_a_truncated_part_is_recomputed_not_a_traceback(damaged, reference):
    p = damaged / "summary" / "part-00001.parquet"
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    assert resume(damaged).chunks_now == 1
    assert_identical(damaged, reference)


def test_an_unlisted_part_counts_as_unfinished(damaged, reference):
    m = json.loads((damaged / MANIFEST).read_text())
    del m["parts"]["summary/part-00003.parquet"]
    (damaged / MANIFEST).write_text(json.dumps(m))
    assert resume(damaged).chunks_now == 1
    assert_identical(damaged, reference)


@pytest.mark.parametrize("key, value", [("runs", 8), ("points", 3), ("seeds", [0, 3]), ("experiment", "other")])
def test_a_manifest_contradicting_the_experiment_is_refused(damaged, key, value, capsys):
    edit_manifest(damaged, **{key: value})
    before = {p: p.stat().st_mtime_ns for p in damaged.rglob("*")}
    exp = damaged.parent / "exp.yaml"
    exp.write_text(json.dumps(SPEC))
    code, _ = cli(["sweep", exp, "--out", damaged, "--resume", "--workers", 1, "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and err.startswith("renosim: error:"), err
    assert key in err or "experiment" in err
    assert {p: p.stat().st_mtime_ns for p in damaged.rglob("*")} == before


def test_verify_passes_a_finished_folder_and_names_the_fault_of_a_damaged_one(damaged, capsys):
    assert cli(["verify", damaged])[0] == 0
    assert "verified" in capsys.readouterr().out
    (damaged / "timeseries" / "part-00001.parquet").unlink()
    assert cli(["verify", damaged])[0] == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "timeseries/part-00001.parquet: missing" in err


def test_verify_of_a_folder_without_results_is_one_line(tmp_path, capsys):
    assert cli(["verify", tmp_path])[0] == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_second_writer_is_refused_with_one_line(damaged, capsys):
    exp = damaged.parent / "exp.yaml"
    exp.write_text(json.dumps(SPEC))
    with FileLock(damaged / LOCK, timeout=0):
        code, _ = cli(["sweep", exp, "--out", damaged, "--resume", "--workers", 1, "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "in use by another renosim run" in err


def test_resume_of_a_missing_folder_is_an_error_and_creates_nothing(tmp_path, capsys):
    exp = tmp_path / "exp.yaml"
    exp.write_text(json.dumps(SPEC))
    code, _ = cli(["sweep", exp, "--out", tmp_path / "nowhere", "--resume", "--workers", 1, "--no-progress"])
    assert code == 2 and "--resume" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()


CRASH = """
import os, sys
from experiments import store
real = store.write_parquet_atomic
calls = []
def crash_between_parts(frame, path):
    record = real(frame, path)
    calls.append(path)
    if len(calls) == 4:  # points, chunk 0's two parts, chunk 1's timeseries part; not its summary
        os._exit(9)
    return record
store.write_parquet_atomic = crash_between_parts
from experiments.cli import main
main(sys.argv[1:])
"""


def test_a_kill_between_the_two_part_writes_of_a_chunk_resumes_exactly(reference, tmp_path):
    exp = tmp_path / "exp.yaml"
    exp.write_text(json.dumps(SPEC))
    out = tmp_path / "out"
    argv = ["sweep", str(exp), "--out", str(out), "--workers", "1", "--chunk-runs", "4", "--no-progress"]
    r = subprocess.run([sys.executable, "-c", CRASH, *argv], capture_output=True, text=True, env=dict(os.environ))
    assert r.returncode == 9, r.stderr
    listed = json.loads((out / MANIFEST).read_text())["parts"]
    assert (out / "timeseries" / "part-00001.parquet").exists()
    assert "timeseries/part-00001.parquet" not in listed and not (out / "summary" / "part-00001.parquet").exists()
    res = resume(out)
    assert res.chunks_now == 3
    assert_identical(out, reference)
