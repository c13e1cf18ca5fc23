"""The participation ladder (sim/ladder.py) and the act rules behind it (sim/rules/participation.py).

Unit tests check each function against hand-computed values; the model tests check what the ladder
is for: acts follow intention (none without it), places are limited, and the counts keep every
household that lived in the compound during a phase.
"""

from types import SimpleNamespace

import numpy as np
import pytest

from sim import ladder
from sim.households import NEVER
from sim.ladder import LadderBook, Rung
from sim.model import RenovationModel
from sim.rules import participation


def households(n, owner=None, elderly=None, party=None, comp=None):
    """A bare stand-in for sim.households.Households with the arrays the ladder reads."""
    return SimpleNamespace(
        n=n,
        rung_week=np.full((n, 4), NEVER, dtype=np.int64),
        last_act=np.full(n, NEVER, dtype=np.int64),
        owner=np.ones(n, bool) if owner is None else np.asarray(owner),
        elderly=np.zeros(n, bool) if elderly is None else np.asarray(elderly),
        party=np.zeros(n, bool) if party is None else np.asarray(party),
        comp=np.zeros(n, np.int64) if comp is None else np.asarray(comp),
    )


def test_reaching_a_rung_reaches_every_rung_below_and_only_own_acts_are_activity():
    h = households(3)
    ladder.reach(h, np.array([0]), Rung.INVOLVED, 5)
    ladder.reach(h, np.array([1]), Rung.INFORMED, 6)
    assert h.rung_week[0].tolist() == [5, 5, 5, NEVER]
    assert h.rung_week[1].tolist() == [6, NEVER, NEVER, NEVER]
    assert h.last_act.tolist() == [5, NEVER, NEVER]  # being informed is not an act of one's own
    # a later, lower rung renews only the rungs it reaches
    ladder.reach(h, np.array([0]), Rung.CONSULTED, 9)
    assert h.rung_week[0].tolist() == [9, 9, 5, NEVER]


def test_highest_rung_since_a_week_and_recent_rungs():
    rw = np.array([[9, 9, 5, NEVER], [6, NEVER, NEVER, NEVER], [NEVER] * 4, [3, 3, 3, 3]])
    assert ladder.highest(rw, 0).tolist() == [3, 1, 0, 4]
    assert ladder.highest(rw, 6).tolist() == [2, 1, 0, 0]
    assert ladder.highest(rw, np.array([10, 0, 0, 4])).tolist() == [0, 1, 0, 0]
    assert ladder.recent(rw, 10, 5)[0].tolist() == [True, True, False, False]  # weeks 6..10


def test_at_least_shares_from_counts_and_nan_when_empty():
    counts = np.array([[5, 3, 1, 1, 0], [0, 0, 0, 0, 0]])  # none, informed, consulted, involved, co-deciding
    s = ladder.at_least(counts)
    assert s[0].tolist() == pytest.approx([0.5, 0.2, 0.1, 0.0])
    assert np.isnan(s[1]).all()


def test_ladder_book_keeps_movers_and_freezes_the_project_phase_at_hand_over():
    # compound 0: households 0-3 (0 and 1 renters; 2 elderly; 3 a party member)
    h = households(4, owner=[False, False, True, True], elderly=[0, 0, 1, 0], party=[0, 0, 0, 1])
    book = LadderBook(1)
    ladder.reach(h, np.array([0]), Rung.CONSULTED, 2)
    ladder.reach(h, np.array([3]), Rung.CO_DECIDING, 3)
    book.moving_out(h, np.array([0]))  # a renter who had taken part moves out during the project
    h.rung_week[0] = NEVER  # the newcomer in its dwelling
    ladder.reach(h, np.array([1, 2]), Rung.INFORMED, 4)
    book.hand_over(h, 0, 0, 4, 10)
    ladder.reach(h, np.array([0]), Rung.INVOLVED, 12)  # the newcomer takes part after completion
    c = book.counts(h, 0, 0, 4)
    # project phase: 5 households lived there (4 now + the mover), 2 took part
    assert c[ladder.PROJECT, 0].tolist() == [1, 2, 1, 0, 1]
    assert ladder.at_least(c[ladder.PROJECT, 0])[1] == pytest.approx(2 / 5)
    assert c[ladder.PROJECT, ladder.GROUPS.index("renter")].tolist() == [1, 1, 1, 0, 0]
    # management phase: only what happened since week 10
    assert c[ladder.MGMT, 0].tolist() == [3, 0, 0, 1, 0]
    book.moving_out(h, np.array([0]))
    h.rung_week[0] = NEVER
    assert book.counts(h, 0, 0, 4)[ladder.MGMT, 0].tolist() == [4, 0, 0, 1, 0]


def test_every_act_scales_with_intention_and_conversion():
    p = SimpleNamespace(kappa=0.5, prompt=0.8, recruit=0.6)
    assert participation.conversion(p) == pytest.approx(0.5)
    assert participation.conversion(p, door=True) == pytest.approx(0.9)
    assert participation.conversion(p, door=True, recruited=True) == 1.0  # capped
    assert participation.vote_probability(0.5, True, False, 0.4, p) == pytest.approx(0.5 * min(1, 0.5 * 2.2))
    assert participation.attend_probability(0.8, 0.5, False, False, p) == pytest.approx(0.5 * 0.8 * 0.5)
    sign = participation.sign_probability(np.array([0.8, 0.8, 0.8]), np.array([0.9, 0.4, 0.9]), np.array([1, 1, 0]), p)
    assert sign.tolist() == pytest.approx([0.72, 0.0, 0.0])  # a supporter who owns; others cannot sign
    # support means A > 0.5: an owner at exactly one half is not asked to sign
    assert participation.sign_probability(np.array([0.8]), np.array([0.5]), np.array([1]), p).tolist() == [0.0]
    p0 = SimpleNamespace(kappa=0.0, prompt=0.8, recruit=0.6)
    assert participation.vote_probability(1.0, True, True, 0.6, p0) == 0.0
    assert participation.attend_probability(1.0, 1.0, True, True, p0) == 0.0
    assert participation.attend_probability(0.0, 1.0, True, True, p) == 0.0


def test_seats_go_to_priority_first_then_the_draw_per_compound():
    want = np.array([True, True, True, True, False, True, True])
    comp = np.array([0, 0, 0, 0, 0, 1, 1])
    priority = np.array([False, False, True, False, False, False, False])
    order = np.array([0.4, 0.1, 0.9, 0.2, 0.0, 0.5, 0.3])
    seated = participation.seat(want, comp, priority, order, 2)
    assert seated.tolist() == [False, True, True, False, False, True, True]
    # no places (a meeting room of none): nobody is seated, a lone candidate included
    assert not participation.seat(want, comp, priority, order, 0).any()
    alone = np.array([False, False, True, False, False, False, False])
    assert not participation.seat(alone, comp, priority, order, 0).any()
    assert participation.seat(alone, comp, priority, order, 1).tolist() == alone.tolist()


@pytest.mark.parametrize("regime", ["top_down", "pilot", "three_integrations"])
def test_without_intention_no_household_acts_and_only_staff_acts_remain(regime):
    # kappa = 0: intention never becomes behaviour, so every rung above 'informed' stays empty
    m = RenovationModel(regime=regime, n_households=80, years=4, seeds=list(range(6)), kappa=0.0).run()
    s = m.summary()
    for col in ("ladder_consulted", "ladder_involved", "ladder_co_deciding", "participation_rate"):
        assert (s[col] == 0).all(), col
    assert (s.ladder_informed > 0).all()  # notices (top_down) or campaigns (council-led) still reach them
    assert (m.hh.last_act == NEVER).all()
    assert not s.council_formed.any()


def test_places_cap_meetings_and_events():
    m = RenovationModel(
        regime="three_integrations", n_households=300, years=3, seeds=[3, 4], meeting_seats=12, event_places=10
    )
    most = {"att_meeting": 0, "att_event": 0}
    while m.running:
        m.step()
        for name, cap in (("att_meeting", 12), ("att_event", 10)):
            per = np.bincount(m.hh.comp, getattr(m.hh, name), 2)
            assert (per <= cap).all(), name
            most[name] = max(most[name], int(per.max()))
    assert most == {"att_meeting": 12, "att_event": 10}  # the caps bind at 300 households


def test_seating_draws_only_in_crowded_compounds_and_seats_as_over_the_whole_batch(monkeypatch):
    """dynamics.seat_attendees seats only compounds with more wishes than places; the result is
    participation.seat over every household of the batch (the draw for the others changes nothing)."""
    from types import SimpleNamespace

    from sim import dynamics, rng
    from sim.households import REP

    n = 60
    comp = np.repeat([0, 1, 2], 20)  # compound 1 has 12 wishes, 0 has 3, 2 has exactly the 5 places
    want = np.zeros(n, dtype=bool)
    want[[1, 4, 7]] = True
    want[20:32] = True
    want[40:45] = True
    role = np.zeros(n, dtype=np.int8)
    role[[25, 30]] = REP
    keys = rng.slot_keys(rng.compound_key(5, 0), np.arange(n))
    h = SimpleNamespace(att_meeting=want.copy(), att_event=want.copy(), comp=comp, role=role, key=keys, n=n)
    model = SimpleNamespace(hh=h, p=SimpleNamespace(meeting_seats=5, event_places=4), compounds=[0, 1, 2])
    drawn = []
    real = rng.uniform
    monkeypatch.setattr(dynamics.rng, "uniform", lambda k, *a: drawn.append(len(k)) or real(k, *a))
    dynamics.seat_attendees(model, 9)
    monkeypatch.setattr(dynamics.rng, "uniform", real)
    assert drawn == [12, 12 + 5]  # meetings: compound 1 only; events (4 places): compounds 1 and 2
    for name, cap, j, first in (("att_meeting", 5, 0, role == REP), ("att_event", 4, 1, np.zeros(n, dtype=bool))):
        order = rng.uniform(keys, 9, rng.Purpose.SEAT + j)
        expected = participation.seat(want, comp, first, order, cap)
        assert getattr(h, name).tolist() == expected.tolist(), name
    assert h.att_meeting[[25, 30]].all() and h.att_meeting[[1, 4, 7]].all()  # representatives first; room for all 3
    assert np.bincount(comp, h.att_meeting, 3).tolist() == [3, 5, 5]
    assert np.bincount(comp, h.att_event, 3).tolist() == [3, 4, 4]


def test_summary_ladder_is_ordered_and_headline_is_consulted():
    s = RenovationModel(regime="three_integrations", n_households=100, years=4, seeds=list(range(8))).run().summary()
    cols = [f"ladder_{name}" for name in ladder.NAMES]
    shares = s[cols].to_numpy()
    assert (np.diff(shares, axis=1) <= 0).all()  # at least a higher rung is never more common
    assert (s.participation_rate == s.ladder_consulted).all()
    done = s.completed.to_numpy()
    assert np.isfinite(s.loc[done, "ladder_mgmt_informed"]).all()
    assert s.loc[~done, "ladder_mgmt_informed"].isna().all()
