"""The shipped experiment files (X1-X4, X6) validate and expand to the ODD §10 designs."""

from __future__ import annotations

import pytest

from experiments.design import build_points
from experiments.spec import CONFIG_DIR, load_experiment
from experiments.stats import mean_ci, paired_diff, welch_diff

FILES = sorted(p.name for p in CONFIG_DIR.glob("x*.yaml"))


def test_every_designed_experiment_has_a_file():
    for prefix in ("x1_", "x2_", "x3_", "x4_", "x6_"):
        assert any(f.startswith(prefix) for f in FILES), prefix


@pytest.mark.parametrize("name", [f for f in FILES if "x4_" not in f])
def test_shipped_experiment_expands(name):
    exp = load_experiment(CONFIG_DIR / name)
    points = build_points(exp)
    assert len({p.label for p in points}) == len(points)
    expected = {"x1_regimes.yaml": 3, "x2_knockouts.yaml": 8, "x2_factorial.yaml": 64, "x6_network.yaml": 22}
    if name in expected:
        assert len(points) == expected[name]
    if name == "x3_ofat.yaml":
        # Each lever on 11 grid points (integer levers: their distinct rounded values).
        assert sum(p.label.startswith("integration=") for p in points) == 11


def test_x6_bundle_factor_sets_both_contagion_parameters():
    points = build_points(load_experiment(CONFIG_DIR / "x6_network.yaml"))
    simple = [p for p in points if p.columns["contagion"] == "simple"]
    assert len(simple) == 11
    assert all(p.overrides["m_cc"] == 1 and p.overrides["gamma_cc"] == 1.0 for p in simple)


def test_intervals():
    from scipy import stats

    x = [1.0, 2.0, 4.0, 7.0, float("nan")]
    m, lo, hi, n = mean_ci(x)
    ref = stats.t.interval(0.95, 3, loc=3.5, scale=stats.sem([1, 2, 4, 7]))
    assert n == 4 and m == 3.5 and lo == pytest.approx(ref[0]) and hi == pytest.approx(ref[1])
    d, dlo, dhi, npairs = paired_diff([1, 2, 3, 4], [2, 4, 3, 5])
    assert (d, npairs) == (1.0, 4) and dlo < 1 < dhi
    w, wlo, whi = welch_diff([1, 2, 3, 4], [2, 4, 3, 5])
    assert w == 1.0 and whi - wlo > dhi - dlo


def test_x2_factorial_is_an_orthogonal_half_fraction_of_the_knockouts():
    import numpy as np

    exp = load_experiment(CONFIG_DIR / "x2_factorial.yaml")
    knockouts = load_experiment(CONFIG_DIR / "x2_knockouts.yaml").scenarios
    assert exp.scenarios == knockouts  # one definition, read from x2_knockouts.yaml
    points = build_points(exp)
    x = np.array([[1 if p.columns[s.name] else -1 for s in knockouts] for p in points])
    assert x.shape == (64, 7)
    assert (x.T @ x == 64 * np.eye(7)).all()  # main effects orthogonal
    assert points[0].label == "base" and points[0].overrides == {}
    ko = {s.name: s.set for s in knockouts}
    for p in points:
        applied = [s.name for s in knockouts if p.columns[s.name]]
        assert p.overrides == {k: v for n in applied for k, v in ko[n].items()}
