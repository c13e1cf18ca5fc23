"""The EMA Workbench adapter: parameters from the table by name, seeds as replications, NaN kept,
a point that breaks a joint constraint reported (feasible = 0) without aborting the batch."""

import math
import warnings

import numpy as np
import pytest

pytest.importorskip("ema_workbench")

from ema_workbench import BooleanParameter, CategoricalParameter, IntegerParameter, RealParameter  # noqa: E402

from experiments.constraints import JOINT_CONSTRAINTS, violations  # noqa: E402
from experiments.ema import FEASIBLE, RenosimFunction, ema_model, parameters  # noqa: E402
from sim.errors import InputError  # noqa: E402
from sim.params import list_parameters, resolve  # noqa: E402
from sim.run import run_batch  # noqa: E402


def test_parameters_come_from_the_table_by_name():
    table = list_parameters()
    real, integer, boolean, choice = parameters(["sigma_theta", "events_per_yr", "party_rule", "network"])
    assert isinstance(real, RealParameter) and (real.lower_bound, real.upper_bound) == (
        table["sigma_theta"].low,
        table["sigma_theta"].high,
    )
    assert isinstance(integer, IntegerParameter) and integer.upper_bound == table["events_per_yr"].high
    assert isinstance(boolean, BooleanParameter)
    assert isinstance(choice, CategoricalParameter) and len(choice.categories) == len(table["network"].choices)
    (narrow,) = parameters({"kappa": (0.3, 0.6)})
    assert (narrow.lower_bound, narrow.upper_bound) == (0.3, 0.6)
    with pytest.raises(InputError, match="unknown parameter"):
        parameters(["no_such"])
    with pytest.raises(InputError, match="must lie inside"):
        parameters({"kappa": (-1.0, 0.5)})


def test_one_replication_is_one_seeded_compound_and_nan_stays_nan():
    f = RenosimFunction("top_down", 40, 3, ("participation_rate", "cofunding_collection", "completed", "stalled"))
    out = f(seed=5, sigma_theta=np.float64(0.12))
    direct = run_batch({"sigma_theta": 0.12}, [5], regime="top_down", n_households=40, years=3).summary.iloc[0]
    assert out["participation_rate"] == direct["participation_rate"]
    assert math.isnan(out["cofunding_collection"])  # no co-funding under top_down: not applicable, not 0
    assert out["completed"] in (0.0, 1.0) and out["stalled"] in (0.0, 1.0) and out[FEASIBLE] == 1.0


def test_a_point_breaking_a_joint_constraint_is_reported_not_raised():
    f = RenosimFunction("three_integrations", 40, 2, ("participation_rate",))
    out = f(seed=0, share_free_rider=0.9, share_hump=0.3)
    assert out[FEASIBLE] == 0.0 and math.isnan(out["participation_rate"])


def test_the_joint_constraint_table_agrees_with_the_model_schema():
    for c in JOINT_CONSTRAINTS:
        base = {n: 0.0 for n in c.names}
        over = {**base, c.names[0]: c.at_most + 0.01}
        with pytest.raises(InputError):
            resolve("three_integrations", over)
        assert violations(over) == [c.text()]
        at = {**base, c.names[0]: c.at_most}
        resolve("three_integrations", at)
        assert violations(at) == []


def test_a_batch_with_infeasible_points_runs_to_the_end():
    model = ema_model(
        {"share_free_rider": (0.5, 0.9), "share_hump": (0.2, 0.6)},
        seeds=2,
        households=30,
        years=2,
        outcomes=("participation_rate", "completed"),
    )
    from ema_workbench import perform_experiments

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        experiments, outcomes = perform_experiments(model, scenarios=6)
    assert len(experiments) == 6 and set(outcomes) == {"participation_rate", "completed", FEASIBLE}
    total = experiments["share_free_rider"] + experiments["share_hump"] + 0.06  # share_unconditional default
    np.testing.assert_array_equal(outcomes[FEASIBLE], (total <= 1).astype(float).to_numpy())
    assert np.isnan(outcomes["participation_rate"][outcomes[FEASIBLE] == 0]).all()
    assert np.isfinite(outcomes["participation_rate"][outcomes[FEASIBLE] == 1]).all()


SHARES = ("share_free_rider", "share_hump", "share_unconditional")


@pytest.mark.parametrize("sampled", [SHARES[:1], SHARES[:2], SHARES], ids=["one share", "two", "all three"])
@pytest.mark.parametrize("regime", ["three_integrations", "top_down"])
def test_default_ranges_of_constrained_shares_stay_inside_the_constraint(sampled, regime):
    preset = resolve(regime).model_dump()
    params = {p.name: p for p in parameters(list(sampled), regime)}
    highest = sum(params[n].upper_bound for n in sampled) + sum(preset[n] for n in SHARES if n not in sampled)
    assert highest == pytest.approx(1.0)  # the box reaches the constraint and no further
    for n in sampled:
        assert params[n].lower_bound <= preset[n] <= params[n].upper_bound  # the preset is a point of the box
    rng = np.random.default_rng(0)
    points = [{n: rng.uniform(params[n].lower_bound, params[n].upper_bound) for n in sampled} for _ in range(200)]
    assert all(violations(p, regime) == [] for p in points)


def test_the_tables_own_ranges_would_break_the_constraint_often():
    # what the adapter sampled before (each share on [0, 1]): about half the points were infeasible
    rng = np.random.default_rng(0)
    points = [{n: rng.uniform(0, 1) for n in SHARES[:2]} for _ in range(200)]
    assert sum(bool(violations(p)) for p in points) > 50


def test_a_range_given_explicitly_is_kept_and_other_parameters_keep_the_table():
    fr, kappa = parameters({"share_free_rider": (0.1, 0.9), "kappa": None})
    assert (fr.lower_bound, fr.upper_bound) == (0.1, 0.9)
    assert (kappa.lower_bound, kappa.upper_bound) == (list_parameters()["kappa"].low, list_parameters()["kappa"].high)


def test_a_batch_on_default_ranges_is_all_feasible():
    from ema_workbench import perform_experiments

    model = ema_model(list(SHARES[:2]), seeds=1, households=20, years=1, outcomes=("participation_rate",))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        experiments, outcomes = perform_experiments(model, scenarios=20)
    assert outcomes[FEASIBLE].tolist() == [1.0] * 20
    assert np.isfinite(outcomes["participation_rate"]).all()
