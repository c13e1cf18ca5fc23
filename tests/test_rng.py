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


def test_beta_draws_on_threads_equal_one_call_to_the_bit(monkeypatch):
    """sim.parallel splits long Beta draws over threads: the same bits as one betaincinv call,
    with scalar or per-element shapes, at, below and above the split size, and capped by limited()."""
    from scipy import special

    from sim import parallel

    monkeypatch.setattr(parallel, "_threads", 3)
    for n in (10, parallel.MIN_SPLIT * 2 - 1, parallel.MIN_SPLIT * 3 + 7):
        keys = rng.slot_keys(rng.compound_key(3, 1), np.arange(n))
        u = rng.uniform(keys, 4, rng.Purpose.TIE_WEIGHT)
        a = 0.5 + rng.uniform(keys, 4, rng.Purpose.AREA) * 4
        for shape in ((2.0, 5.0), (a, 1.81), (a, a[::-1].copy())):
            one = special.betaincinv(*shape, u)
            assert np.array_equal(rng.beta(keys, 4, rng.Purpose.TIE_WEIGHT, *shape), one)
    calls = []
    monkeypatch.setattr(parallel, "_executor", lambda k: calls.append(k) or parallel.ThreadPoolExecutor(k))
    parallel.elementwise(special.betaincinv, 2.0, 2.0, np.full(parallel.MIN_SPLIT * 3, 0.3))
    with parallel.limited(1):
        assert parallel.threads() == 1
        parallel.elementwise(special.betaincinv, 2.0, 2.0, np.full(parallel.MIN_SPLIT * 3, 0.3))
    assert parallel.threads() == 3
    assert calls == [2]  # split in three outside the block (two pieces on the pool, one here), not inside
    with parallel.limited(1):  # the cap is this thread's: another thread still splits
        seen = parallel.ThreadPoolExecutor(1).submit(parallel.threads).result()
    assert seen == 3


def test_several_beta_draws_in_one_inversion_equal_one_call_each(monkeypatch):
    """rng.betas (a newcomer's score of attributes in one inversion) gives row by row the bits of
    rng.beta, for scalar and per-key parameters, across its key blocks, and splits once over threads."""
    from sim import parallel

    monkeypatch.setattr(parallel, "_threads", 2)
    monkeypatch.setattr(rng, "BETAS_BLOCK", 1_000)
    for n in (1, 999, 2_500):
        keys = rng.slot_keys(rng.compound_key(5, 2), np.arange(n))
        a = 0.5 + rng.uniform(keys, 4, rng.Purpose.AREA) * 4
        draws = [(rng.Purpose.ATTITUDE, 4.0, 1.81), (rng.Purpose.AVAIL, a, 1.5 - a / 5), (rng.Purpose.TRUST, 2.0, a)]
        rows = rng.betas(keys, 9, draws)
        assert rows.shape == (3, n)
        for row, draw in zip(rows, draws, strict=True):
            assert np.array_equal(row, rng.beta(keys, 9, *draw))
    monkeypatch.setattr(rng, "BETAS_BLOCK", 1 << 15)
    calls = []
    monkeypatch.setattr(parallel, "_executor", lambda k: calls.append(k) or parallel.ThreadPoolExecutor(k))
    keys = rng.slot_keys(rng.compound_key(5, 2), np.arange(parallel.MIN_SPLIT))  # too few to split alone
    rng.betas(keys, 9, [(rng.Purpose.VALUATION + j, 2.0, 3.0) for j in range(4)])
    assert calls == [1]  # once, in two pieces: one on the pool, one in this thread


def test_thread_count_follows_the_environment(monkeypatch):
    from sim import parallel

    monkeypatch.setenv("RENOSIM_THREADS", "3")
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert parallel._from_environment() == 3
    monkeypatch.delenv("RENOSIM_THREADS")
    assert parallel._from_environment() == 1  # a pool worker's setting
    monkeypatch.setenv("OMP_NUM_THREADS", "zero")
    assert parallel._from_environment() == parallel.cores()
