"""Unit tests of sim/rules/payment.py against hand-computed values (ODD §7.9)."""

from types import SimpleNamespace

import numpy as np
import pytest

from sim.rules import payment

P = SimpleNamespace(income_low=3000.0, income_mid=5000.0, income_high=9000.0, elderly_income=0.8)


def test_type_response():
    # conditional: 0.1 + 0.85·0.6; free rider: 0; hump: 0.1 + 0.85·min(0.6, 0.4); unconditional: 0.9
    got = payment.type_response(np.array([0, 1, 2, 3]), 0.6)
    assert got == pytest.approx([0.61, 0.0, 0.44, 0.9])


def test_pay_probability_term_by_term():
    base = dict(coop=0, belief=0.5, leg=0.5, trust=0.5, visit=0.0, bill_ratio=0.0, met=0.0, habit=0.0)
    p0 = payment.pay_probability(**base)
    assert p0 == pytest.approx(0.1 + 0.85 * 0.5)
    steps = {
        "leg": (0.8, 0.2 * 0.3),
        "trust": (0.2, 0.2 * -0.3),
        "visit": (1.5, 0.5 * 1.5),
        "bill_ratio": (1.2, -0.1 * 1.2),
        "met": (1.0, 0.1),
        "habit": (1.0, 0.25),
    }
    low = dict(base, belief=0.1)  # p0 = 0.185, far from both clips
    for name, (value, delta) in steps.items():
        got = payment.pay_probability(**{**low, name: value}) - payment.pay_probability(**low)
        assert got == pytest.approx(min(delta, 1 - 0.185)), name


def test_pay_probability_clips_and_the_burden_multiplies():
    assert payment.pay_probability(3, 0.5, 1.0, 1.0, 1.5, 0.0, 1.0, 1.0) == 1.0
    assert payment.pay_probability(1, 0.5, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0) == 0.0
    # a bill of two months' income at ψ_pay = 0.15 scales the probability by exp(-0.3)
    p = payment.pay_probability(0, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 2.0, 0.15)
    assert p == pytest.approx(0.525 * np.exp(-0.3))
    # each alone leaves the probability as it was: no price sensitivity by default, no burden by default
    assert payment.pay_probability(0, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0, burden=2.0) == pytest.approx(0.525)
    assert payment.pay_probability(0, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0, psi_pay=0.15) == pytest.approx(0.525)


def test_income_and_burden():
    y = payment.monthly_income(np.array([0, 1, 2, 1]), np.array([False, False, False, True]), P)
    assert y == pytest.approx([3000, 5000, 9000, 4000])
    assert payment.bill_burden(6000.0, 0, True, P) == pytest.approx(6000 / 2400)


def test_hazard_belief_and_run_rate():
    assert payment.weekly_hazard(0.0) == 0.0
    assert 1 - (1 - payment.weekly_hazard(0.6)) ** 12 == pytest.approx(0.6)
    assert payment.update_belief(0.5, 0.8, 0.2, 0.25) == pytest.approx(0.7 * 0.5 + 0.3 * (0.2 + 0.15))
    assert payment.run_rate(0.3, 0.5) == pytest.approx(0.6)
    assert payment.run_rate(0.9, 0.5) == 1.0
