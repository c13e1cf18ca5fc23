"""Unit tests of sim/rules/intention.py against hand-computed values (ODD §7.2)."""

from types import SimpleNamespace

import numpy as np
import pytest

from sim.rules import intention as tpb

P = SimpleNamespace(
    m_cc=2,
    gamma_cc=0.5,
    n0=0.1,
    omega_net=0.5,
    omega_vis=0.2,
    omega_lead=0.3,
    w_A=0.39,
    w_N=0.27,
    w_P=0.34,
    logit_T=0.05,
    deterministic=False,
)


def test_transaction_cost_weighs_each_lever_separately():
    # TC = 0.15(1-0.6) + 0.15(1-0.2) + 0.05(1-0.1) + 0.05(1-1) = 0.06 + 0.12 + 0.045 + 0 = 0.225
    assert tpb.transaction_cost(0.6, 0.2, 0.1, 1.0) == pytest.approx(0.225)
    # swapping τ_info and τ_mon changes TC: information weighs 0.15, monitoring 0.05
    assert tpb.transaction_cost(0.1, 0.2, 0.6, 1.0) == pytest.approx(0.135 + 0.12 + 0.02)
    assert tpb.transaction_cost(0.0, 0.0, 0.0, 0.0) == pytest.approx(0.40)


def test_efficacy():
    assert tpb.efficacy(25) == 1.0
    assert tpb.efficacy(10) == 1.0
    assert tpb.efficacy(150) == pytest.approx((25 / 150) ** 0.1)


def test_exposure_weighted_share_and_the_complex_contagion_gate():
    # D = num/den = 1.2/2.0 = 0.6; below m_cc strong active ties it is halved
    assert tpb.exposure(1.2, 2.0, 1, P) == pytest.approx(0.3)
    # exactly m_cc strong active ties: not damped (the gate is 'fewer than m_cc')
    assert tpb.exposure(1.2, 2.0, 2, P) == pytest.approx(0.6)
    assert tpb.exposure(1.2, 2.0, 3, P) == pytest.approx(0.6)
    # no neighbours: no exposure
    assert tpb.exposure(0.0, 0.0, 0, P) == 0.0


def test_subjective_norm_term_by_term():
    # N = 0.1 + 0.5·0.4 + 0.2·1·0.5 + 0.3·L
    assert tpb.subjective_norm(0.4, 1.0, 0.5, False, P) == pytest.approx(0.4)
    assert tpb.subjective_norm(0.4, 1.0, 0.5, True, P) == pytest.approx(0.7)  # the leader term
    assert tpb.subjective_norm(0.4, 0.3, 0.5, False, P) == pytest.approx(0.1 + 0.2 + 0.03)
    assert tpb.subjective_norm(1.0, 1.0, 1.0, True, P) == 1.0  # clipped


def test_perceived_control_and_intention():
    assert tpb.perceived_control(0.8, 0.25, 0.9) == pytest.approx(0.54)
    z = tpb.intention_score(0.5, 0.4, 0.54, 0.4, P)
    assert z == pytest.approx(0.39 * 0.5 + 0.27 * 0.4 + 0.34 * 0.54 - 0.4)
    assert tpb.intention(z, P) == pytest.approx(1 / (1 + np.exp(-z / 0.05)))
    assert tpb.intention(0.0, P) == 0.5


def test_intention_of_an_array_is_each_households_own_to_the_bit():
    """The week's array path (in place, one buffer) gives what each household's scalar call gives,
    and leaves the scores it was given as they were."""
    z = np.random.default_rng(3).normal(0.0, 0.3, 5000)
    z[:3] = (0.0, -10.0, 10.0)  # the middle and far into both tails
    kept = z.copy()
    I = tpb.intention(z, P)
    assert np.array_equal(z, kept)
    assert I.tolist() == [float(tpb.intention(v, P)) for v in z]
    assert I[0] == 0.5 and 0.0 <= I.min() and I.max() <= 1.0


def test_deterministic_limit_is_a_step_at_the_threshold():
    det = SimpleNamespace(**{**vars(P), "deterministic": True})
    assert list(tpb.intention(np.array([-1e-12, 0.0, 0.3]), det)) == [0.0, 1.0, 1.0]
