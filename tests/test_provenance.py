"""Every output says what produced it, and a saved params.yaml repeats the run exactly."""

import json
import stat
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from experiments import provenance
from experiments.cli import _register_commands, app

_register_commands()
runner = CliRunner()


def _run(*args):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys, "argv", ["/venv/bin/renosim", *args])  # as the console script sees it
        res = runner.invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res.output


def test_run_records_provenance_and_params_yaml_reruns_exactly(tmp_path):
    first, again = tmp_path / "ko", tmp_path / "again"
    out = _run(
        "run",
        "--set",
        "party_rule=false",
        "--set",
        "tau_train=0",
        "--years",
        "2",
        "--seed",
        "3",
        "--compounds",
        "2",
        "--out",
        str(first),
    )
    assert "party_rule=false" in out and "tau_train=0" in out  # the console header names every override
    for f in ("summary.parquet", "timeseries.parquet", "provenance.json", "params.yaml"):
        assert stat.S_IMODE((first / f).stat().st_mode) == 0o644, f
    rec = provenance.read(first)
    assert rec == provenance.read(first / "summary.parquet")
    arm = rec["arms"]["three_integrations"]
    assert arm["overrides"] == {"party_rule": False, "tau_train": 0.0}
    assert arm["parameters"]["party_rule"] is False and arm["parameters"]["sigma_theta"] == 0.1
    assert rec["seeds"] == [3] and rec["run"]["compounds"] == 2 and rec["run"]["years"] == 2
    assert set(rec["versions"]) == {"mesa", "numpy", "pandas"} and rec["git_commit"]
    saved = yaml.safe_load((first / "params.yaml").read_text())
    assert len(saved["parameters"]) > 50  # the full set, not just the overrides
    out = _run("run", "--config", str(first / "params.yaml"), "--out", str(again))
    assert "party_rule=false" in out
    a, b = pd.read_parquet(first / "summary.parquet"), pd.read_parquet(again / "summary.parquet")
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 2
    # and it differs from a run without the overrides, so the comparison above can fail
    plain = tmp_path / "plain"
    _run("run", "--years", "2", "--seed", "3", "--compounds", "2", "--out", str(plain))
    assert not pd.read_parquet(plain / "summary.parquet").equals(a)


def test_show_prints_the_record_back(tmp_path):
    _run("run", "--years", "1", "--set", "events_per_yr=7", "--out", str(tmp_path))
    out = _run("show", str(tmp_path))
    for text in (
        "renosim run --years 1 --set events_per_yr=7",
        "mesa",
        "numpy",
        "pandas",
        "events_per_yr=7",
        "git commit",
        "sigma_theta",
    ):
        assert text in out, text
    as_json = json.loads(_run("show", str(tmp_path / "timeseries.parquet"), "--json"))
    assert as_json["arms"]["three_integrations"]["parameters"]["events_per_yr"] == 7


def test_show_refuses_a_folder_without_provenance(tmp_path):
    res = runner.invoke(app, ["show", str(tmp_path)])
    assert res.exit_code != 0


def test_parquet_metadata_and_mode(tmp_path):
    rec = provenance.record({"a": provenance.arm("pilot", {"s_res": 0.1})}, seeds=[1, 2], argv=["renosim", "x"])
    path = provenance.write_parquet(pd.DataFrame({"x": [1.0]}), tmp_path / "f.parquet", rec)
    meta = pq.read_schema(path).metadata[provenance.PARQUET_KEY]
    assert json.loads(meta)["arms"]["a"]["parameters"]["s_res"] == 0.1
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert rec["command"] == "renosim x"


def test_git_commit_is_unknown_outside_a_checkout(monkeypatch, tmp_path):
    provenance.git_commit.cache_clear()
    monkeypatch.setattr(provenance, "__file__", str(tmp_path / "experiments" / "provenance.py"))
    try:
        assert provenance.git_commit() == "unknown"
    finally:
        provenance.git_commit.cache_clear()


def test_large_designs_keep_overrides_per_point_and_one_full_set_per_regime(tmp_path):
    from experiments.design import Point

    points = [Point(i, f"p{i}", "pilot", {"kappa": i / 200}, {}) for i in range(provenance.FULL_SETS_UP_TO + 1)]
    rec = provenance.points_record(points, seeds=[0, 1])
    assert rec["arms"]["p7"] == {"regime": "pilot", "overrides": {"kappa": 0.035}}
    assert rec["presets"]["pilot"]["kappa"] == provenance.resolved_parameters("pilot")["kappa"]
    small = provenance.points_record(points[:2], seeds=[0])
    assert small["arms"]["p1"]["parameters"]["kappa"] == 0.005 and "presets" not in small
    provenance.write_json(tmp_path, rec)
    out = _run("show", str(tmp_path))
    assert "more arms" in out and "regime preset" in out


def test_sensitivity_folders_record_their_design(tmp_path):
    exp = tmp_path / "sens.yaml"
    exp.write_text(
        "name: sens\ndesign: sensitivity\nhouseholds: 20\nyears: 1\nseeds: 1\n"
        "ranges:\n  tau_train: [0, 0.6]\n  kappa: [0.3, 0.7]\nmorris: {trajectories: 2, levels: 4}\n"
        "outputs: [participation_rate]\n"
    )
    _run("sensitivity", "morris", str(exp), "--out", str(tmp_path / "out"), "--workers", "1", "--no-progress")
    rec = provenance.read(tmp_path / "out")
    assert rec["command"].startswith("renosim sensitivity morris") and len(rec["arms"]) == 2 * 3
    assert all("kappa" in a["overrides"] and "parameters" in a for a in rec["arms"].values())
    assert (
        provenance.read(tmp_path / "out" / "report.html")
        == rec
        == provenance.read(tmp_path / "out" / "indices.parquet")
    )
