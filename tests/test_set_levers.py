"""A lever changed mid-run (``RenovationModel.set_levers``): the past stands, the future follows the change."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from sim.errors import InputError
from sim.model import FIXED_AT_START, RenovationModel

CHANGE_WEEK = 60
CHANGES = {"campaigns_per_yr": 12, "events_per_yr": 12, "tau_train": 0.6, "party_rule": False, "integration": 1.0}


def _run(weeks: int, changes: dict | None = None, executor: str = "vector", regime: str = "pilot"):
    m = RenovationModel(regime=regime, n_households=60, years=3, rng=11, executor=executor)
    for _ in range(weeks):
        if m.week == CHANGE_WEEK and changes:
            m.set_levers(**changes)
        m.step()
    return m


def test_weeks_before_the_change_equal_the_unchanged_run_and_later_weeks_differ():
    plain, changed = _run(156), _run(156, CHANGES)
    a, b = plain.timeseries(), changed.timeseries()
    before = a["week"] < CHANGE_WEEK
    pd.testing.assert_frame_equal(a[before], b[before])
    assert not a[~before].equals(b[~before]), "the change had no effect on the weeks after it"
    assert changed.lever_changes == ((CHANGE_WEEK, CHANGES),)
    assert changed.p.campaigns_per_yr == 12 and changed.compounds[0].p is changed.p
    assert plain.p.campaigns_per_yr == 4  # the pilot preset


def test_a_change_is_deterministic_and_the_same_on_both_executors():
    first, again = _run(120, CHANGES), _run(120, CHANGES)
    pd.testing.assert_frame_equal(first.timeseries(), again.timeseries())
    pd.testing.assert_frame_equal(first.summary(), again.summary())
    agents = _run(120, CHANGES, executor="agents")
    pd.testing.assert_frame_equal(first.timeseries(), agents.timeseries())


def test_a_copy_branches_from_the_shared_history():
    """The workshop page branches its second side with ``copy.deepcopy``: the copy continues the same run."""
    m = _run(CHANGE_WEEK)
    branch = copy.deepcopy(m)
    branch.set_levers(**CHANGES)
    for _ in range(40):
        m.step()
        branch.step()
    pd.testing.assert_frame_equal(branch.timeseries(), _run(CHANGE_WEEK + 40, CHANGES).timeseries())
    assert m.p.campaigns_per_yr == 4 and m.lever_changes == ()


def test_mobilising_party_members_mid_run_reaches_the_compounds():
    m = _run(10, regime="top_down")
    assert not m.mobilised and not m.compounds[0].mobilised
    m.set_levers(mu_party=2.0)
    assert m.mobilised and m.compounds[0].mobilised


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"council_first": False}, "lever 'council_first' cannot change during a run"),
        ({"menu": "light"}, "lever 'menu' cannot change during a run"),
        ({"w_A": 0.5}, "lever 'w_A' cannot change during a run"),
        ({"tau_train": 0.9}, "parameter 'tau_train' = 0.9 in set_levers is not allowed; allowed: float from 0 to 0.6"),
        ({"campaigns_per_yr": 3, "party_rule": "maybe"}, "parameter 'party_rule'"),
    ],
)
def test_a_refused_change_names_what_is_allowed_and_leaves_the_model_as_it_was(changes, message):
    m = _run(5)
    before = m.p
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")) as err:
        m.set_levers(**changes)
    assert "\n" not in str(err.value)
    assert m.p is before and m.compounds[0].p is before and m.lever_changes == ()
    if "cannot change" in message:
        assert all(k not in str(err.value).split("allowed:")[1] for k in FIXED_AT_START)
