"""Canvassing travels along ties (ODD §7.5; sim/compound/canvassing.py), checked on hand-built networks.

A stand-in compound holds exactly what the rule reads — households ``lo..hi-1``, their attitudes,
the tie matrix and the round — so each expectation below can be worked out by hand.
"""

from types import SimpleNamespace

import numpy as np
import pytest

from sim.compound import canvassing
from sim.constants import CANVASS_PER_PERSON
from sim.households import NEVER
from sim.network import Ties


def compound(n, edges, A=None, lo=0, w=0.2, ties=True):
    """A compound of ``n`` households (ids lo..lo+n-1) tied by local ``edges``, all supportive by default."""
    total = lo + n
    pairs = np.sort(np.array(edges, dtype=np.int64).reshape(-1, 2), axis=1) + lo
    src, dst = pairs[:, 0], pairs[:, 1]
    weights = np.full(src.size, w) if np.ndim(w) == 0 else np.asarray(w, dtype=float)
    hh = SimpleNamespace(A=np.full(total, 0.8), canvassed=np.full(total, NEVER, dtype=np.int64))
    hh.canvass_rank, hh.reached = np.zeros(total, dtype=np.int32), np.zeros(total, dtype=bool)  # the round
    if A is not None:
        hh.A[lo:] = A
    model = SimpleNamespace(hh=hh, ties=Ties(total, src, dst, weights))
    c = SimpleNamespace(model=model, lo=lo, hi=total, n=n, sl=slice(lo, total), p=SimpleNamespace(canvass_ties=ties))
    canvassing.init_state(c)
    canvassing.new_round(c, np.arange(lo, total))  # visiting order = id order
    return c


def path(n):
    return [(i, i + 1) for i in range(n - 1)]


def test_the_chain_advances_one_introduction_a_week():
    c = compound(6, path(6))
    canvasser = np.array([0])
    visited = [canvassing.visit(c, t, canvasser).tolist() for t in range(5)]
    assert visited == [[1], [2], [3], [4], [5]]
    assert c.model.hh.canvassed.tolist() == [NEVER, 0, 1, 2, 3, 4]


def test_a_household_no_supporter_knows_is_never_visited_and_the_round_restarts():
    # 2 is against the project (A = 0.2): visited, but it introduces nobody, so 3..5 stay out of reach
    c = compound(6, path(6), A=[0.8, 0.8, 0.2, 0.8, 0.8, 0.8])
    canvasser = np.array([0])
    visited = [canvassing.visit(c, t, canvasser).tolist() for t in range(4)]
    assert visited == [[1], [2], [1], [2]]  # after 2 the frontier is empty: a new round from 0
    assert (c.model.hh.canvassed[3:] == NEVER).all()


def test_each_canvasser_visits_at_most_ten_a_week_in_the_rounds_order():
    star = [(0, j) for j in range(1, 16)]
    c = compound(16, star)
    canvassing.new_round(c, np.array([0, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]))
    first = canvassing.visit(c, 0, np.array([0]))
    assert first.tolist() == sorted(range(15, 15 - CANVASS_PER_PERSON, -1))
    assert sorted(canvassing.visit(c, 1, np.array([0])).tolist()) == [1, 2, 3, 4, 5]


def test_dead_ties_carry_no_introduction():
    c = compound(4, [(0, 1), (1, 2), (0, 3)], w=[0.3, 0.3, 0.0])
    assert canvassing.visit(c, 0, np.array([0])).tolist() == [1]
    assert canvassing.visit(c, 1, np.array([0])).tolist() == [2]
    assert c.model.hh.canvassed[3] == NEVER


def test_canvassers_are_not_visited_and_reach_only_their_own_compound():
    # compound of households 10..14 beside another compound's rows 0..9 (block-diagonal ties)
    c = compound(5, [(0, 1), (1, 2), (2, 3), (3, 4)], lo=10)
    got = canvassing.visit(c, 0, np.array([10, 14]))
    assert got.tolist() == [11, 13]
    assert (c.model.hh.canvassed[:10] == NEVER).all()


def test_staff_without_ties_canvass_in_the_rounds_order():
    c = compound(25, [])
    assert canvassing.visit(c, 0, np.zeros(0, dtype=np.int64)).tolist() == list(range(CANVASS_PER_PERSON))
    second = canvassing.visit(c, 1, np.zeros(0, dtype=np.int64))
    assert second.tolist() == list(range(CANVASS_PER_PERSON, 2 * CANVASS_PER_PERSON))


@pytest.mark.parametrize("lo", [0, 7])
def test_shorter_paths_reach_everyone_sooner(lo):
    # same degree 2: a ring of 40 (long paths) vs a ring with chords (short paths), canvassers 0 and 20
    ring = [(i, (i + 1) % 40) for i in range(40)]
    chords = ring + [(i, (i + 13) % 40) for i in range(0, 40, 3)]
    weeks = {}
    for name, edges in (("ring", ring), ("chords", chords)):
        c = compound(40, edges, lo=lo)
        t = 0
        while (c.model.hh.canvassed[lo + 1 : lo + 20] == NEVER).any() and t < 60:
            canvassing.visit(c, t, np.array([lo, lo + 20]))
            t += 1
        weeks[name] = t
    assert weeks["ring"] == 10  # 19 households between the canvassers, two a week from each side
    assert weeks["chords"] < weeks["ring"]


def test_the_knock_out_canvasses_door_to_door_whatever_the_ties():
    # canvass_ties: false — two canvassers visit the next 20 of the round, tied to them or not
    c = compound(30, path(3), ties=False)
    got = canvassing.visit(c, 0, np.array([0, 1]))
    assert got.tolist() == list(range(2 * CANVASS_PER_PERSON))
    assert canvassing.visit(c, 1, np.array([0, 1])).tolist() == [*range(10), *range(20, 30)]  # wraps round


def test_door_to_door_wraps_round_for_the_last_visits_of_a_week():
    # 12 households, one tie-less canvasser (10 a week): the second week takes the 2 left of the
    # round and wraps round for 8 more; a lone visit at the round's end also wraps
    c = compound(12, path(3), ties=False)
    assert canvassing.visit(c, 0, np.array([0])).tolist() == list(range(10))
    assert canvassing.visit(c, 1, np.array([0])).tolist() == [*range(8), 10, 11]
    assert c.canvass_pos == 8
    c.canvass_pos = 11
    assert canvassing._visit_cold(c, 2, 3).tolist() == [0, 1, 11]  # one left, two after wrapping
    assert canvassing._visit_cold(c, 3, 1).tolist() == [2]
    assert c.model.hh.canvassed[[0, 1, 2, 11]].tolist() == [2, 2, 3, 2]


def test_a_household_exactly_half_way_supportive_introduces_nobody():
    # supportive means A > 0.5 (as in the household rule): exactly 0.5 is visited but passes no one on
    c = compound(4, path(4), A=[0.8, 0.5, 0.8, 0.8])
    visited = [canvassing.visit(c, t, np.array([0])).tolist() for t in range(3)]
    assert visited == [[1], [1], [1]]  # each round ends at 1: 2 and 3 stay out of reach
    assert (c.model.hh.canvassed[2:] == NEVER).all()


def test_a_round_with_nobody_in_it_visits_nobody_and_one_household_is_visited():
    c = compound(1, [])
    canvassing.new_round(c, np.zeros(0, dtype=np.int64))
    none = canvassing.visit(c, 0, np.array([0]))
    assert none.dtype == np.int64 and none.size == 0 and c.model.hh.canvassed[none].size == 0
    canvassing.new_round(c, np.array([0]))
    assert canvassing.visit(c, 1, np.zeros(0, dtype=np.int64)).tolist() == [0]  # the office's staff call
    assert c.model.hh.canvassed[0] == 1


def test_consent_drives_at_once_are_each_drive_alone():
    """application.consent_drives (one compiled loop over every drive of the week) collects the very
    visits, signatures, ladder acts and quorums that collect_signatures collects drive by drive,
    including a drive whose canvassers knock on strangers' doors (collected one by one in the batch)
    and rounds that restart when their frontier runs dry."""
    import copy

    from sim.compound import application
    from sim.model import RenovationModel
    from sim.stages import Stage

    m = RenovationModel(regime="three_integrations", n_households=150, n_compounds=40, years=3, rng=11)
    checked = signed = 0
    for _ in range(60):
        m.step()
        rows = np.flatnonzero(m.compound_table.stage == Stage.CONSENT_DRIVE)
        if rows.size < canvassing.BATCH_MIN + 2:  # the batched rounds, besides the stranger's
            continue
        stranger = m.compounds[int(rows[0])]
        stranger.p = stranger.p.model_copy(update={"canvass_ties": False})
        a, b = copy.deepcopy(m), copy.deepcopy(m)
        t = m.week
        at_once = application.consent_drives(a, t, rows)
        alone = [application.collect_signatures(b.compounds[int(k)], t) for k in rows]
        assert at_once.tolist() == alone
        for name in ("signed", "canvassed", "rung_week", "last_act", "reached", "canvass_rank"):
            assert np.array_equal(getattr(a.hh, name), getattr(b.hh, name)), name
        assert (a.hh.canvassed == t).sum() >= rows.size
        signed += int((a.hh.signed & ~m.hh.signed).sum())
        stranger.p = m.p
        checked += 1
    assert checked >= 10 and signed > 0


def test_rounds_visited_at_once_are_each_round_alone():
    """canvassing.visit_many (one compiled loop over the week's rounds along ties) visits whom visit
    visits compound by compound, rounds restarting included, and hands the other rounds — no
    canvassers (staff in the round's order), canvassers without ties, no order — to visit."""
    import copy

    from sim.compound import deliberation
    from sim.model import RenovationModel
    from sim.stages import Stage

    m = RenovationModel(regime="three_integrations", n_households=150, n_compounds=40, years=3, rng=3)
    checked = 0
    for _ in range(120):
        m.step()
        rows = np.flatnonzero(np.isin(m.compound_table.stage, [Stage.DELIBERATION, Stage.COUNCIL_FORMATION]))
        if rows.size < canvassing.BATCH_MIN + 3:  # the batched rounds, besides the three alone
            continue
        cs = [m.compounds[int(k)] for k in rows]
        who = [deliberation.canvassers(c) if c.stage == Stage.DELIBERATION else c.team for c in cs]
        who[1] = np.zeros(0, dtype=np.int64)  # nobody canvasses: staff go round in order
        cs[2].p = cs[2].p.model_copy(update={"canvass_ties": False})
        a, b = copy.deepcopy(m), copy.deepcopy(m)
        t = m.week
        canvassing.visit_many(a, t, rows, who)
        for k, canvassers in zip(rows.tolist(), who, strict=True):
            canvassing.visit(b.compounds[k], t, canvassers)
        for name in ("canvassed", "reached", "canvass_rank"):
            assert np.array_equal(getattr(a.hh, name), getattr(b.hh, name)), name
        assert [c.canvass_pos for c in a.compounds] == [c.canvass_pos for c in b.compounds]
        assert (a.hh.canvassed == t).sum() > 0
        cs[2].p = m.p
        checked += 1
    assert checked >= 10
