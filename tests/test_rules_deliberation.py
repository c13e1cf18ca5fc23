"""Unit tests of sim/rules/deliberation.py against hand-computed values (ODD §7.8)."""

from types import SimpleNamespace

import numpy as np
import pytest

from sim.rules import deliberation as delib

P = SimpleNamespace(psi=1.0, income_low=3000.0, income_mid=5000.0, income_high=9000.0, elderly_income=0.8)


def test_bounded_confidence_parameters():
    assert delib.confidence_bound(0.4) == pytest.approx(0.42)
    assert delib.convergence_rate(0.4) == pytest.approx(0.28)
    assert delib.conflict_probability(0.4) == pytest.approx(0.12)


def test_price_sensitivity_scales_with_income():
    psi = delib.price_sensitivity(np.array([0, 1, 2, 0]), np.array([False, False, False, True]), P)
    assert psi == pytest.approx([5000 / 3000, 1.0, 5000 / 9000, 5000 / 2400])


def test_net_values_and_demand():
    v = np.array([[0.8, 0.3]])
    cost, mean_cost = np.array([3000.0, 1500.0]), 2000.0
    u = delib.net_values(v, np.array([2.0]), 0.1, cost, mean_cost)
    assert u[0] == pytest.approx([0.8 - 0.3, 0.3 - 0.15])
    assert list(delib.demanded(v, np.array([2.0]), 0.1, cost, mean_cost)[0]) == [True, False]  # 0.3 < 0.2 + 0.15
    # without price sensitivity every item valued at the floor (0.2) or above is demanded
    at_floor = delib.demanded(np.array([[0.2, 0.19]]), np.array([2.0]), 0.0, cost, mean_cost)
    assert at_floor[0].tolist() == [True, False]


def test_scores_votes_and_convergence():
    assert delib.item_scores(0.3, 0.9, 1.0) == pytest.approx(0.3)
    assert delib.item_scores(0.3, 0.9, 0.0) == pytest.approx(0.4)
    assert bool(delib.votes_yes(0.11)) and not bool(delib.votes_yes(0.1))
    assert delib.converged(0.04, 0.05) and not delib.converged(0.05, 0.05)
    assert not delib.converged(float("nan"), 0.05)


def test_vote_at_exactly_the_civil_code_thresholds():
    # 12 owners: a quorum needs 8 voters (2/3); 9 of 12 voters is exactly 3/4 and passes
    assert delib.vote_passes(12, 9, 12, "civil_code") == (True, True)
    # 8 of 12 yes is 2/3, not 3/4: it fails
    assert delib.vote_passes(12, 8, 12, "civil_code") == (True, False)
    assert delib.vote_passes(8, 6, 12, "civil_code") == (True, True)  # 8 voters of 12 owners is the quorum
    assert delib.vote_passes(7, 7, 12, "civil_code") == (False, False)


def test_vote_under_simple_majority():
    assert delib.vote_passes(6, 4, 12, "majority") == (True, True)
    assert delib.vote_passes(6, 3, 12, "majority") == (True, False)  # a tie is not a majority
    assert delib.vote_passes(5, 5, 12, "majority") == (False, False)


def test_each_plan_vote_is_reported_in_the_compounds_status_and_a_passed_one_had_its_quorum():
    from sim.model import RenovationModel

    m = RenovationModel(regime="three_integrations", n_households=60, years=2, seeds=list(range(1, 9)))
    votes = []
    for t in range(m.n_weeks):
        m.step()
        votes += [v for c in m.compounds if (v := c.status()["last_vote"]) and v["week"] == t]
    assert votes and all(set(v) == {"week", "round", "turnout", "yes_share", "passed", "quorum"} for v in votes)
    assert all(v["quorum"] for v in votes if v["passed"]) and all(0 < v["turnout"] <= 1 for v in votes)
