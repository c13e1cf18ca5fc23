"""Unit tests of sim/outputs.py: which week and which households each outcome reads (ODD §9)."""

import math

import numpy as np
import pytest

from sim import ladder
from sim.model import RenovationModel
from sim.outputs import engagement, ladder_columns


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


def test_participation_rate_is_the_consulted_share_of_the_project_and_engagement_reads_the_last_year():
    counts = np.zeros((2, len(ladder.GROUPS), len(ladder.Rung)), dtype=np.int64)
    counts[ladder.PROJECT, 0] = [2, 1, 2, 1, 0]  # 6 households: 3 took part, 1 only informed
    counts[ladder.PROJECT, ladder.GROUPS.index("owner")] = [0, 1, 2, 1, 0]
    counts[ladder.PROJECT, ladder.GROUPS.index("renter")] = [2, 0, 0, 0, 0]
    cols = ladder_columns(counts)
    assert cols["participation_rate"] == cols["ladder_consulted"] == pytest.approx(3 / 6)
    assert cols["ladder_informed"] == pytest.approx(4 / 6) and cols["ladder_involved"] == pytest.approx(1 / 6)
    assert cols["participation_rate_owner"] == pytest.approx(0.75) and cols["participation_rate_renter"] == 0.0
    assert math.isnan(cols["ladder_mgmt_informed"]) and math.isnan(cols["participation_rate_party"])
    assert engagement(np.array([100, 48, 49, -5]), 100) == pytest.approx(0.5)  # acts in weeks 49..100


@pytest.mark.parametrize("n_households", [60, 300])
def test_the_weekly_record_reads_back_each_weeks_measures_to_the_bit(n_households):
    """The recorder keeps household counts and small integers narrow and divides on read: what
    series() gives is, week by week, what measure() gave as floats (shares of the households)."""
    m = RenovationModel(regime="three_integrations", n_households=n_households, years=1, seeds=[3, 4], rng=1)
    seen = []
    for _ in range(30):
        m.step()
        measures = m.recorder.measure(m.recorder.weeks - 1)  # some are the compounds' live columns: copied
        seen.append({name: np.array(values, dtype=float) for name, values in measures.items()})
    assert m.recorder._store["participation"].dtype == np.min_scalar_type(n_households)
    for name in seen[0]:
        got = m.recorder.series(name)
        assert got.dtype == np.float64 and got.shape == (30, 2), name
        expected = np.array([week[name] for week in seen])
        assert np.array_equal(got, expected, equal_nan=True), name
        assert np.array_equal(m.recorder.series(name, 10, 20), expected[10:20], equal_nan=True), name
    shares = m.recorder.series("participation")
    assert ((shares > 0) & (shares < 1)).any()  # not whole numbers: the division happened
