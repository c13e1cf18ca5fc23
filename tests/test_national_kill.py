"""Killed national runs (issue 19, "Done when"): SIGKILLs at random moments, a file damaged after each,
and the resumed folder holds the uninterrupted tables, every compound-year exactly once.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from test_store_kill import damage, kill_and_count_survivors

from experiments.national import load, read_compounds, run_national, verify_national
from experiments.store import read_results
from experiments.verify import verify_folder

ARGS = ["--scale", "0.0008", "--to", "2020", "--seed", "3"]


def start(out: Path, *extra: str) -> subprocess.Popen:
    argv = [sys.executable, "-m", "experiments", "national", *ARGS, "--out", str(out), "--workers", "2"]
    return subprocess.Popen(
        [*argv, "--no-progress", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # the test kills the parent alone, as init or a user would
    )


def damage_partition(out: Path, rng: random.Random) -> str:
    """Truncate or delete one compound-year partition file, or leave a stray one."""
    files = sorted((out / "compounds").rglob("part-*.parquet")) if (out / "compounds").is_dir() else []
    if not files:
        return "no partition yet"
    victim = rng.choice(files)
    how = rng.choice(["delete", "truncate", "stray"])
    if how == "delete":
        victim.unlink()
    elif how == "truncate":
        victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])
    else:
        (victim.parent / "part-99999.parquet").write_bytes(victim.read_bytes())
    return f"{how} {victim.relative_to(out)}"


def slices(out: Path) -> int:
    """How many of the run's 30 slices have their summary part on disk."""
    return len(list((out / "summary").glob("part-*.parquet"))) if (out / "summary").is_dir() else 0


def wait_for_slices(proc: subprocess.Popen, out: Path, target: int, timeout: float = 600) -> None:
    """Return once ``target`` slices are on disk or the run has ended."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and slices(out) < target and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.mark.slow
def test_killed_national_runs_resume_to_the_uninterrupted_tables_exactly_once(tmp_path):
    seed = int(os.environ.get("RENOSIM_KILL_SEED", random.SystemRandom().randrange(1 << 30)))
    rng = random.Random(seed)
    # the uninterrupted run, timed so that the kills land anywhere in a run on a machine of any speed
    t0 = time.monotonic()
    assert start(tmp_path / "full").wait(timeout=900) == 0
    whole = time.monotonic() - t0
    out = tmp_path / "out"
    log = [f"seed {seed}, an uninterrupted run {whole:.0f} s"]
    midway = 0  # kills that left some slices finished and some not
    for i in range(6):
        proc = start(out, *(["--resume"] if (out / "manifest.json").exists() else []))
        if i % 2:
            time.sleep(rng.uniform(0.15, 0.95) * whole)  # some kills land before any slice, some near the end
        else:  # the others wait on the folder, not the clock, so that kills land mid-run on a machine of any speed
            done = slices(out)
            wait_for_slices(proc, out, target=rng.randint(done + 1, min(done + 10, 29)) if done < 29 else 30)
        finished = proc.poll() is not None
        survivors = [] if finished else kill_and_count_survivors(proc)
        assert not survivors, f"kill {i}: processes alive 2 s later ({log})"
        midway += not finished and 0 < slices(out) < 30
        what = damage(out, rng) if rng.random() < 0.5 else damage_partition(out, rng)
        log.append(f"kill {i}: {'finished first' if finished else 'killed'}; {what}")
    resumed = subprocess.run(
        [sys.executable, "-m", "experiments", "national", *ARGS, "--out", str(out), "--no-progress"]
        + (["--resume"] if (out / "manifest.json").exists() else []),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert resumed.returncode == 0, resumed.stderr
    verify_folder(out)
    rows = verify_national(out)
    full = run_national(load(scale=0.0008, start=2019, end=2020, seed=3), workers=1, progress=False)  # serial
    context = " | ".join(log)
    for name in ("national", "provinces"):
        got = pd.read_parquet(out / f"{name}.parquet")
        pd.testing.assert_frame_equal(got, getattr(full, name), check_exact=True, obj=f"{name} after {context}")
        pd.testing.assert_frame_equal(got, pd.read_parquet(tmp_path / "full" / f"{name}.parquet"), check_exact=True)
    for kind in ("summary", "timeseries"):
        pd.testing.assert_frame_equal(read_results(out, kind), read_results(tmp_path / "full", kind), obj=kind)
    compounds = read_compounds(out)
    pd.testing.assert_frame_equal(compounds, read_compounds(tmp_path / "full"), obj=f"compounds after {context}")
    assert rows == len(compounds) == 272 * 2 and not compounds.duplicated(["year", "compound"]).any()
    assert midway, f"no kill landed mid-run: nothing was tested ({context})"
