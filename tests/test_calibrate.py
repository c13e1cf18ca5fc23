"""``renosim calibrate``: ABC rejection, reproducible across worker counts, one-line errors."""

import io
import re
import subprocess
import sys

import pandas as pd
import pytest

from experiments.calibrate import calibrate, defaults_against_posterior, prior_sample
from experiments.targets import load_targets

SMALL = """
name: small
runs: {seeds: 4, households: 50, years: 5}
patterns:
  - {id: will, kind: hard, scope: compound, regime: pilot, metric: willingness_t0, target: 0.36, tolerance: 0.02}
  - {id: reps, kind: hard, scope: compound, regime: pilot, metric: representatives_per_council, target: 3,
     tolerance: 1}
calibration:
  samples: 8
  seeds: 3
  accept: 0.25
  parameters:
    mu_theta: [0.3, 0.6]
    kappa: [0.3, 0.7]
"""


@pytest.fixture
def small(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text(SMALL)
    return load_targets(f)


def test_prior_sample_fills_the_box_reproducibly(small):
    a, b = prior_sample(small), prior_sample(small)
    assert a.equals(b) and len(a) == 8
    assert a.mu_theta.between(0.3, 0.6).all() and a.kappa.between(0.3, 0.7).all()


def test_accepts_the_closest_points_and_is_identical_on_1_or_2_workers(small):
    one = calibrate(small, workers=1, progress=False)
    two = calibrate(small, workers=2, progress=False)
    pd.testing.assert_frame_equal(one.samples, two.samples)
    s = one.samples
    assert s.accepted.sum() == 2
    assert s.loc[s.accepted, "distance"].max() <= s.loc[~s.accepted, "distance"].min()
    # the willingness pattern pins mu_theta: accepted points sit near the value that gives 36 %
    assert abs(s.loc[s.accepted, "will"].mean() - 0.36) < abs(s.will.mean() - 0.36) + 1e-9


def test_an_interrupted_calibration_resumes_without_rerunning_finished_chunks(small, tmp_path):
    from sim.errors import InputError

    whole = calibrate(small, workers=1, progress=False)
    store = tmp_path / "runs"
    first = calibrate(small, workers=2, progress=False, store=store, chunk_runs=6)
    assert first.chunks_run == first.chunks >= 2
    parts = sorted((store / "summary").glob("part-*.parquet"))
    assert len(parts) == first.chunks
    parts[-1].unlink()  # as if the run was killed before its last chunk was written
    again = calibrate(small, workers=1, progress=False, store=store, resume=True)
    assert again.chunks_run == 1 and again.chunks == first.chunks  # the original chunk plan is kept
    pd.testing.assert_frame_equal(again.samples, whole.samples)
    with pytest.raises(InputError, match="--resume"):
        calibrate(small, workers=1, progress=False, store=store)
    other = small.model_copy(update={"calibration": small.calibration.model_copy(update={"seed": 1})})
    with pytest.raises(InputError, match="not this one"):
        calibrate(other, workers=1, progress=False, store=store, resume=True)


def test_defaults_are_checked_against_the_posterior(tmp_path):
    # a prior box that excludes the default kappa (0.5) cannot contain it in its posterior
    f = tmp_path / "t.yaml"
    f.write_text(SMALL.replace("kappa: [0.3, 0.7]", "kappa: [0.6, 0.9]"))
    targets = load_targets(f)
    table = defaults_against_posterior(calibrate(targets, workers=1, progress=False), targets).set_index("parameter")
    assert not table.loc["kappa", "default_inside"]
    # mu_theta's default is calibrated at start-up: the value used at the targets' compound size is shown
    from sim.households import calibrate_mu_theta
    from sim.params import resolve

    assert table.loc["mu_theta", "default"] == calibrate_mu_theta(50, resolve("pilot", {}))


def test_cli_writes_outputs(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text(SMALL)
    out = tmp_path / "cal"
    r = subprocess.run(
        [sys.executable, "-m", "experiments", "calibrate", str(f), "--workers", "1", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} == {  # .renosim.lock stays, hidden
        "runs",
        "samples.parquet",
        "posterior.parquet",
        "patterns.csv",
        "parameters.csv",
        "report.html",
        "provenance.json",
    }
    from experiments import provenance

    rec = provenance.read(out / "posterior.parquet")
    assert rec == provenance.read(out) and rec["run"]["calibration"]["parameters"]
    params = pd.read_csv(out / "parameters.csv").set_index("parameter")
    assert params.loc["kappa", "default"] == 0.5
    assert params.default_inside.tolist() == [
        lo <= d <= hi for lo, d, hi in zip(params.low_5, params.default, params.high_95, strict=True)
    ]
    html = (out / "report.html").read_text()
    assert re.search(r"<script[^>]+src=[\"']https?://", html) is None  # works offline: plotly.js inline
    assert "Plotly.newPlot" in html


@pytest.mark.parametrize(
    "edit, fragment",
    [
        (("mu_theta: [0.3, 0.6]", "mu_theta: [0.6, 0.3]"), "empty"),
        (("mu_theta: [0.3, 0.6]", "mu_theta: [0.3, 1.6]"), "leaves the allowed"),
        (("mu_theta: [0.3, 0.6]", "party_rule: [0, 1]"), "not a numeric model parameter"),
        (("accept: 0.25", "accept: 0"), "accept"),
    ],
)
def test_bad_calibration_sections_exit_2(tmp_path, edit, fragment):
    f = tmp_path / "t.yaml"
    f.write_text(SMALL.replace(*edit))
    r = subprocess.run(
        [sys.executable, "-m", "experiments", "calibrate", str(f)], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and fragment in r.stderr, r.stderr


def test_resume_needs_an_out_folder_and_a_finished_folder_needs_resume(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text(SMALL)
    cmd = [sys.executable, "-m", "experiments", "calibrate", str(f), "--workers", "1"]
    r = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "--resume needs --out" in r.stderr
    out = tmp_path / "cal"
    assert subprocess.run([*cmd, "--out", str(out)], capture_output=True, timeout=300).returncode == 0
    before = (out / "samples.parquet").read_bytes()
    r = subprocess.run([*cmd, "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "pass --resume" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = subprocess.run([*cmd, "--out", str(out), "--resume"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert pd.read_parquet(out / "samples.parquet").equals(pd.read_parquet(io.BytesIO(before)))


def test_a_stray_part_in_a_calibration_folder_changes_nothing(small, tmp_path):
    # issue 21, item 2: a copied part in runs/summary/ joined the samples (two extra rows)
    import shutil

    from experiments.verify import verify_folder

    store = tmp_path / "runs"
    first = calibrate(small, workers=1, progress=False, store=store, chunk_runs=6)
    shutil.copy(store / "summary" / "part-00000.parquet", store / "summary" / "part-00000 (copy).parquet")
    again = calibrate(small, workers=1, progress=False, store=store, resume=True)
    assert again.chunks_run == 0
    pd.testing.assert_frame_equal(again.samples, first.samples)
    assert not (store / "summary" / "part-00000 (copy).parquet").exists()
    assert verify_folder(store)["runs"] == len(first.samples) * 3  # samples x regimes(1) x seeds
