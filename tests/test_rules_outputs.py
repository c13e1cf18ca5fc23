"""Unit tests of sim/outputs.py: which week and which households each outcome reads (ODD §9)."""

import math

import numpy as np
import pytest

from sim.model import RenovationModel
from sim.outputs import engagement, participation_rate


@pytest.fixture(scope="module")
def six_years():
    m = RenovationModel(regime="three_integrations", n_households=60, years=6, seeds=[1, 2], rng=0)
    m.run()
    return m


def test_maintenance_year5_is_read_at_the_end_of_run_year_5(six_years):
    ts = six_years.timeseries()
    s = six_years.summary()
    for seed, row in zip(s.seed, s.itertuples(), strict=True):
        m = ts[(ts.seed == seed)].set_index("week").maintenance
        assert row.maintenance_year5 == m.loc[5 * 52 - 1]  # week 259: the last week of year 5
        assert row.maintenance_year5 != m.loc[4 * 52 - 1]


def test_maintenance_year5_is_nan_for_shorter_runs():
    m = RenovationModel(regime="top_down", n_households=40, years=2, rng=0)
    m.run()
    assert math.isnan(m.summary().maintenance_year5.iloc[0])


def test_participation_rate_counts_movers_and_engagement_reads_the_last_year():
    class H:
        acted_before_completion = np.array([True, False, True, False])
        moved_acted = np.array([1, 0, 0, 0])
        moved_out = np.array([1, 1, 0, 0])

    # (2 acted now + 1 mover who acted) / (4 now + 2 movers)
    assert participation_rate(np.array([np.nan, np.nan]), H, slice(0, 4)) == pytest.approx(3 / 6)
    assert participation_rate(np.array([5.0, 10.0]), H, slice(0, 4)) == pytest.approx(0.5)
    assert engagement(np.array([100, 48, 49, -5]), 100) == pytest.approx(0.5)  # acts in weeks 49..100
