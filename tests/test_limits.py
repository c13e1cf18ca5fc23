"""The documented size limits admit every shipped configuration ten times over (issue 11 §2)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from experiments import limits
from experiments.compare import DEFAULT_SEEDS, KNOCKOUTS_FILE, load_knockouts
from experiments.design import count_points
from experiments.sensitivity import METHOD
from experiments.spec import CONFIG_DIR, load_experiment
from sim.errors import InputError
from sim.inputs import load_yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = sorted((ROOT / "configs").rglob("*.yaml"))
EXPERIMENTS = sorted(CONFIG_DIR.glob("*.yaml"))


def shipped_runs(path: Path) -> tuple[int, int]:
    exp = load_experiment(path)
    if exp.design == "sensitivity":
        points = METHOD["sobol" if "sobol" in path.name else "morris"].n_points(exp)
    else:
        points = count_points(exp)
    return points, exp.seeds


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.name)
def test_every_shipped_experiment_fits_ten_times_more_points_and_ten_times_more_seeds(path):
    points, seeds = shipped_runs(path)
    assert limits.check_runs([10 * points, 10 * seeds], path.name) == 100 * points * seeds


def test_compare_and_calibration_fit_ten_times_over():
    arms = 3 + len(load_knockouts(KNOCKOUTS_FILE))
    limits.check_runs([10 * arms, 10 * DEFAULT_SEEDS], "compare")
    limits.check_memory_rows(10 * 3 * DEFAULT_SEEDS, 52 * 10, "compare --out")  # ten times the default seeds
    cal = load_yaml(ROOT / "configs" / "targets" / "nanning.yaml")["calibration"]
    limits.check_runs([10 * cal["samples"], 3, 10 * cal["seeds"]], "calibrate")


def depth(node, d: int = 1) -> int:
    if isinstance(node, dict):
        return max([depth(v, d + 1) for v in node.values()], default=d)
    if isinstance(node, list):
        return max([depth(v, d + 1) for v in node], default=d)
    return d


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: str(p.relative_to(ROOT / "configs")))
def test_every_shipped_config_file_is_far_inside_the_file_limits(path):
    assert 10 * path.stat().st_size <= limits.MAX_CONFIG_BYTES
    doc = load_yaml(path)  # strict loader: no duplicate keys, no aliases in shipped files
    assert doc == yaml.safe_load(path.read_text(encoding="utf-8"))
    assert 10 * depth(doc) <= limits.MAX_YAML_DEPTH


def test_the_limits_say_the_limit_and_how_to_raise_it():
    with pytest.raises(InputError, match=r"2,000,000.*--max-runs"):
        limits.check_runs([limits.MAX_RUNS + 1, 1], "x")
    assert limits.check_runs([limits.MAX_RUNS + 1, 1], "x", max_runs=limits.MAX_RUNS + 1) == limits.MAX_RUNS + 1
    with pytest.raises(InputError, match="--max-runs must be at least 1"):
        limits.check_runs([1], "x", max_runs=0)


@pytest.mark.parametrize("kw", [{"n_households": 19}, {"n_households": 10_001}, {"years": 0}, {"years": 31}])
def test_the_household_and_year_limits_are_the_models_own(kw):
    import sim.limits
    from sim.model import RenovationModel

    assert limits.HOUSEHOLDS == sim.limits.HOUSEHOLDS == (20, 10_000) and limits.YEARS == sim.limits.YEARS == (1, 30)
    with pytest.raises(InputError):
        RenovationModel(**kw)
