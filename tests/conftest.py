"""Shared fixtures: paired-seed runs are cached per session because several tests read them."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from sim.run import run_batch

PAIRED_SEEDS = tuple(range(200))
PATTERN_YEARS = 6  # long enough for maintenance at year 5


@functools.cache
def paired_summary(regime: str = "three_integrations", overrides: tuple = ()):
    """Summaries of 200 paired seeds (the same seeds for every regime and knock-out)."""
    return run_batch(dict(overrides), PAIRED_SEEDS, regime=regime, years=PATTERN_YEARS, timeseries=False).summary


def paired_ci(a, b):
    """Mean and 95 % CI of the paired difference a − b (normal approximation, n >= 200)."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    d = d[np.isfinite(d)]
    half = 1.96 * d.std(ddof=1) / np.sqrt(d.size)
    return d.mean(), d.mean() - half, d.mean() + half


@pytest.fixture(scope="session")
def paired():
    return paired_summary
