"""``renosim sensitivity``: SALib sampling and indices with CIs, CSV/Parquet and an HTML report."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from clirun import exit_code

from experiments.sensitivity import sample, sample_points
from experiments.spec import CONFIG_DIR, load_experiment

EXP = """\
name: sens
design: sensitivity
households: 20
years: 2
seeds: 2
ranges:
  tau_train: [0, 0.6]
  events_per_yr: [0, 12]
  mu_party: [1, 4]
morris: {trajectories: 3, levels: 4}
sobol: {n: 8}
outputs: [participation_rate, social_capital_end]
"""


@pytest.mark.parametrize(
    "method,columns,points",
    [
        ("morris", ["mu", "mu_star", "sigma", "mu_star_conf"], 3 * 4),
        ("sobol", ["S1", "S1_conf", "ST", "ST_conf"], 8 * (3 + 2)),
    ],
)
def test_sensitivity_writes_indices_and_report(method, columns, points, tmp_path, capsys):
    exp = tmp_path / "sens.yaml"
    exp.write_text(EXP)
    out = tmp_path / "out"
    assert exit_code(["sensitivity", method, exp, "--out", out, "--workers", 2, "--no-progress"]) == 0
    ind = pd.read_parquet(out / "indices.parquet")
    assert list(ind.columns) == ["method", "output", "parameter", *columns]
    assert len(ind) == 2 * 3
    assert ind[columns].notna().all().all()
    pd.testing.assert_frame_equal(pd.read_csv(out / "indices.csv"), ind, check_dtype=False)
    runs = pd.read_parquet(out / "summary")
    assert len(runs) == points * 2
    # Integer parameters are passed to the model as integers.
    assert (runs["events_per_yr"] == runs["events_per_yr"].round()).all()
    html = (out / "report.html").read_text()
    assert not re.search(r"""<script[^>]+src=["']?(https?:)?//""", html, re.I)
    assert "Plotly.newPlot" in html
    assert exit_code(["sensitivity", method, exp, "--out", out, "--resume", "--no-progress"]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(out / "indices.parquet"), ind)


@pytest.mark.parametrize("name", ["x4_morris.yaml", "x4_sobol.yaml"])
def test_shipped_sensitivity_designs_match_odd(name):
    exp = load_experiment(CONFIG_DIR / name)
    k = len(exp.ranges)
    if name == "x4_morris.yaml":
        x = sample(exp, "morris")
        assert (k, len(x) * exp.seeds) == (20, 420 * 10)
    else:
        x = sample(exp, "sobol")
        assert (k, len(x)) == (8, 18_432)
    pts = sample_points(exp, x[:5])
    assert all(set(p.overrides) == set(exp.ranges) for p in pts)


def test_sampling_needs_numeric_parameters(tmp_path, capsys):
    exp = tmp_path / "s.yaml"
    exp.write_text(EXP.replace("mu_party: [1, 4]", "party_rule: [0, 1]"))
    assert exit_code(["sensitivity", "morris", exp, "--out", tmp_path / "o"]) == 2
    assert "party_rule" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
