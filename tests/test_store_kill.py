"""Killed sweeps (issue 11, "Done when"): no process outlives its run by more than 2 s, and ten
SIGKILLs at random moments, with a part file damaged after each, still resume to the uninterrupted data.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from experiments.spec import load_experiment
from experiments.store import read_results
from experiments.sweep import run_sweep
from experiments.verify import verify_folder

SPEC = (
    "name: kill\ndesign: grid\nhouseholds: 20\nyears: 1\nseeds: 16\ntimeseries: true\n"
    "factors: {tau_train: [0.0, 0.4]}\n"
)


def start_sweep(exp: Path, out: Path, *extra: str) -> subprocess.Popen:
    argv = [sys.executable, "-m", "experiments", "sweep", str(exp), "--out", str(out), "--workers", "2"]
    return subprocess.Popen(
        [*argv, "--chunk-runs", "2", "--no-progress", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group, so the test kills the parent alone, as init or a user would
    )


def kill_and_count_survivors(proc: subprocess.Popen, grace: float = 2.0) -> list[psutil.Process]:
    """SIGKILL the sweep's main process only; return its descendants still alive ``grace`` s later."""
    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + grace
    alive = family
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if running(p)]
    for p in alive:  # do not leave them to the rest of the suite
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    return alive


def running(p: psutil.Process) -> bool:
    """Alive and not a zombie (one that exits between the two questions is not alive)."""
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def cmdline(p: psutil.Process) -> str:
    """A process's command line, or "" once it has exited (a zombie not yet reaped has none to read)."""
    try:
        return " ".join(p.cmdline())
    except psutil.Error:
        return ""


def wait_for_workers(proc: subprocess.Popen, n: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            kids = psutil.Process(proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            break
        if sum("Loky" in cmdline(k) for k in kids) >= n:
            return
        time.sleep(0.1)
    raise AssertionError("the sweep started no loky workers")


@pytest.mark.slow
def test_a_killed_sweep_leaves_no_process_behind(tmp_path):
    exp = tmp_path / "exp.yaml"
    exp.write_text(SPEC.replace("years: 1", "years: 5"))
    proc = start_sweep(exp, tmp_path / "out")
    wait_for_workers(proc, 2)
    time.sleep(0.5)  # the workers are inside a chunk now
    survivors = kill_and_count_survivors(proc)
    assert not survivors, f"alive 2 s after the kill: {[cmdline(p)[-80:] for p in survivors]}"


def damage(out: Path, rng: random.Random) -> str:
    """Corrupt, truncate, delete or swap one part file at random; say what was done."""
    parts = sorted(out.glob("*/part-*.parquet"))
    if not parts:
        return "nothing to damage"
    victim = rng.choice(parts)
    how = rng.choice(["delete", "truncate", "flip", "swap"])
    if how == "delete":
        victim.unlink()
    elif how == "truncate":
        victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 3])
    elif how == "flip":
        data = bytearray(victim.read_bytes())
        data[len(data) // 2] ^= 0xFF
        victim.write_bytes(bytes(data))
    else:
        other = rng.choice([p for p in parts if p.parent == victim.parent])
        victim.write_bytes(other.read_bytes())
    return f"{how} {victim.relative_to(out)}"


@pytest.mark.slow
def test_ten_random_kills_with_damage_in_between_resume_to_the_uninterrupted_data(tmp_path):
    seed = int(os.environ.get("RENOSIM_KILL_SEED", random.SystemRandom().randrange(1 << 30)))
    rng = random.Random(seed)
    exp = tmp_path / "exp.yaml"
    exp.write_text(SPEC)
    out = tmp_path / "out"
    log = [f"seed {seed}"]
    for i in range(10):
        proc = start_sweep(exp, out, *(["--resume"] if (out / "manifest.json").exists() else []))
        time.sleep(rng.uniform(0.3, 4.0))  # start-up takes ~2 s: some kills land before any chunk
        finished = proc.poll() is not None
        survivors = [] if finished else kill_and_count_survivors(proc)
        assert not survivors, f"kill {i}: processes alive 2 s later ({log})"
        log.append(f"kill {i}: {'finished first' if finished else 'killed'}; " + damage(out, rng))
    spec = load_experiment(exp)
    run_sweep(spec, out, resume=(out / "manifest.json").exists(), workers=2, progress=False)
    verify_folder(out)
    full = tmp_path / "full"
    run_sweep(spec, full, workers=1, chunk_runs=5, progress=False)
    for kind in ("summary", "timeseries"):
        try:
            pd.testing.assert_frame_equal(read_results(out, kind), read_results(full, kind))
        except AssertionError as exc:
            raise AssertionError(f"{kind} differs after {' | '.join(log)}") from exc


@pytest.mark.slow
def test_a_second_sweep_on_a_running_folder_is_refused_whatever_its_chunk_size(tmp_path, capsys):
    """Issue 11 §4: two --resume runs with different chunk sizes once deleted each other's files."""
    from experiments.cli import main

    exp = tmp_path / "exp.yaml"
    exp.write_text(SPEC.replace("years: 1", "years: 3"))
    out = tmp_path / "out"
    first = start_sweep(exp, out)
    deadline = time.monotonic() + 60
    while not (out / "manifest.json").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        main(["sweep", str(exp), "--out", str(out), "--resume", "--chunk-runs", "5", "--workers", "1", "--no-progress"])
        code = 0
    except SystemExit as exc:
        code = exc.code
    finally:
        running = first.poll() is None
        survivors = kill_and_count_survivors(first) if running else []
    err = capsys.readouterr().err
    assert running, "the first sweep finished before the second started: nothing was tested"
    assert code == 2 and err.count("\n") == 1 and "in use by another renosim run" in err, err
    assert not survivors
