"""The counter-based generator: pure, keyed, uniform, and the same in its scalar and array forms."""

import numpy as np
from scipy import stats

from sim import rng


def test_draw_is_a_pure_function_of_its_key():
    keys = rng.slot_keys(rng.compound_key(7, 2), np.arange(1000))
    a = rng.uniform(keys, 12, rng.Purpose.PAY)
    b = rng.uniform(keys[::-1], 12, rng.Purpose.PAY)[::-1]
    assert np.array_equal(a, b)  # order and batch do not matter
    assert np.array_equal(a[10:20], rng.uniform(keys[10:20], 12, rng.Purpose.PAY))


def test_every_key_component_changes_the_draw():
    k = rng.slot_keys(rng.compound_key(7, 2), np.arange(2000))
    base = rng.uniform(k, 5, rng.Purpose.PAY)
    others = [
        rng.uniform(rng.slot_keys(rng.compound_key(8, 2), np.arange(2000)), 5, rng.Purpose.PAY),
        rng.uniform(rng.slot_keys(rng.compound_key(7, 3), np.arange(2000)), 5, rng.Purpose.PAY),
        rng.uniform(k, 6, rng.Purpose.PAY),
        rng.uniform(k, 5, rng.Purpose.COMPLAINT),
    ]
    for o in others:
        assert abs(np.corrcoef(base, o)[0, 1]) < 0.1
        assert np.mean(base == o) < 0.01


def test_uniform_and_beta_have_the_right_distribution():
    k = rng.slot_keys(rng.compound_key(1, 0), np.arange(50_000))
    assert stats.kstest(rng.uniform(k, 0, rng.Purpose.TRUST), "uniform").pvalue > 1e-3
    assert stats.kstest(rng.beta(k, 0, rng.Purpose.ATTITUDE, 4.0, 1.81), "beta", args=(4.0, 1.81)).pvalue > 1e-3


def test_scalar_python_draw_matches_array_draw():
    keys = rng.slot_keys(rng.compound_key(3, 1), np.array([0, 5, rng.COMPOUND_SLOT + 100]))
    for key in keys:
        for tick in (0, 1, 519, 1 << 32):
            assert rng.uniform_int(int(key), tick, rng.Purpose.TEAM + 3) == float(
                rng.uniform(key, tick, rng.Purpose.TEAM + 3)
            )
