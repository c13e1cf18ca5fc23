"""The compound table (sim/compound/table.py) and the weekly passes over it give each compound's own numbers.

The model's weekly path fills the context of all compounds at once (``showing.columns``) and runs
only the stage procedures that have work (``weekly.step_all``); each compound's own ``context`` and
``step`` are the readable reference, and both must agree bit for bit.
"""

import numpy as np
import pytest

from sim.compound import management, showing, weekly
from sim.context import NAMES
from sim.model import RenovationModel
from sim.stages import Stage

REGIMES = ("top_down", "pilot", "three_integrations")


CASES = {
    **{regime: {"regime": regime} for regime in REGIMES},
    # councils that lose every member yearly: dissolved councils and the community's yearly call to
    # re-form them, after completion and (with little willingness to act) in projects that stall
    "dissolving": {"regime": "three_integrations", "rep_quit": 1.0, "council_term": 1, "kappa": 0.3},
    "stalling": {"regime": "three_integrations", "rep_quit": 1.0, "council_term": 1, "kappa": 0.15},
    # a vote exactly at the co-decision threshold, and management that bills nothing
    "edges": {"regime": "three_integrations", "co_decision": 0.5, "fee_per_m2": 0.0, "caretaker_fee": 0.0},
    # no council at all: the office runs the meetings, drafts the plan and collects the co-funding
    "office-led": {"regime": "three_integrations", "council_first": False, "co_decision": 0.3},
}


@pytest.mark.parametrize("case", CASES)
def test_the_context_columns_are_each_compounds_context(case):
    m = RenovationModel(n_households=60, years=6, seeds=[3, 4, 5, 6], **CASES[case])
    seen, reform, calls = set(), 0, 0
    for t in range(m.n_weeks):
        cols = showing.columns(m, t, np.arange(len(m.compounds)))
        for k, c in enumerate(m.compounds):
            due = c.notice_due
            ctx = c.context(t, m)
            for name in NAMES:
                assert cols[name][k] == ctx[name], (case, t, k, name)
            assert not c.notice_due and (ctx["notice"] or not due)  # a notice is posted once
            seen.add(c.stage)
            calls += management.reform_due(c, t)
            reform += bool(ctx["vote"]) and management.reform_due(c, t)
        m.step()
    assert len(seen) >= 3  # the comparison met several stages
    assert (Stage.STALLED if case == "stalling" else Stage.LONG_TERM) in seen
    if case == "dissolving":
        assert reform > 0  # the calls to re-form a dissolved council were compared
    if case == "stalling":
        assert calls > 0 and reform == 0  # only a completed project's community calls for a new council
    if case == "edges":
        assert not m.timeseries()["fee_collection"].notna().any()  # a zero fee is no bill
        assert any(c.rounds > 0 for c in m.compounds)  # residents co-decide at 0.5: the plan is voted on


def _per_compound(model, t):
    """The reference: every compound steps itself (what Compound.step says), in batch order."""
    for c in model.compounds:
        c.step()


@pytest.mark.parametrize("case", CASES)
def test_step_all_is_every_compound_stepping_itself(case, monkeypatch):
    kw = {"n_households": 60, "years": 8, "seeds": [11, 12, 13, 14, 15], "rep_quit": 0.3, **CASES[case]}
    fast = RenovationModel(**kw).run()
    monkeypatch.setattr(weekly, "step_all", _per_compound)
    slow = RenovationModel(**kw).run()
    assert (fast.summary().fillna(-1) == slow.summary().fillna(-1)).all().all()
    assert fast.timeseries().equals(slow.timeseries())
    assert np.array_equal(fast.ties.w, slow.ties.w)
    assert (slow.summary()["stage_end"] == ("stalled" if case == "stalling" else "long_term")).any()


def test_stages_batched_across_compounds_are_every_compound_stepping_itself(monkeypatch):
    """With a dozen compounds, several share a stage in the same week: the consent drives, the
    rounds before votes and elections, the co-funding windows' follow-ups and the would-be-leader
    counts then run for all of them at once, and the run is the per-compound one."""
    from sim.compound import application, canvassing, cofunding
    from sim.kernels import visits

    calls = {"tie_rounds": 0, "leader_counts": 0, "follow_up_all": 0, "consent_drives": 0}

    def spy(module, name):
        real = getattr(module, name)

        def counted(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)

    for module, name in ((visits, "tie_rounds"), (visits, "leader_counts"), (cofunding, "follow_up_all")):
        spy(module, name)
    spy(application, "consent_drives")
    kw = {"regime": "three_integrations", "n_households": 60, "years": 6, "seeds": list(range(20, 34))}
    fast = RenovationModel(**kw).run()
    assert all(n > 0 for n in calls.values()), calls  # every batched path ran
    assert canvassing.BATCH_MIN > 1
    monkeypatch.setattr(weekly, "step_all", _per_compound)
    slow = RenovationModel(**kw).run()
    assert (fast.summary().fillna(-1) == slow.summary().fillna(-1)).all().all()
    assert fast.timeseries().equals(slow.timeseries())
    assert np.array_equal(fast.ties.w, slow.ties.w)


def test_a_city_steps_the_same_compound_by_compound(monkeypatch):
    # city mode: compounds waiting for the bureau have empty weeks unless a complaint comes in
    from sim.city import CityModel
    from tests.test_city import small

    sc = small(compounds=12, households=600, communities=3, end_year=2020)
    fast = CityModel(sc, rng=2).run()
    monkeypatch.setattr(weekly, "step_all", _per_compound)
    slow = CityModel(sc, rng=2).run()
    assert fast.rollout().equals(slow.rollout())
    assert (fast.summary().fillna(-1) == slow.summary().fillna(-1)).all().all()
    assert fast.timeseries().equals(slow.timeseries())
    waiting = fast.timeseries().query("stage == 'aware'")
    assert waiting["complaints"].max() > 0  # waiting compounds booked complaints: both paths were taken


def test_a_citys_context_rows_kept_for_waiting_compounds_are_their_context_afresh(monkeypatch):
    # city mode fills only the rows of compounds not waiting for the bureau (showing.fill): a kept
    # row must be what computing that compound's context again would give, every week
    from sim.city import CityModel
    from tests.test_city import small

    fill, kept = showing.fill, []

    def checked_fill(model, t):
        fresh = showing.columns(model, t, np.arange(len(model.compounds)))  # before fill marks anything
        kept.append(int(model.quiet_compounds(t).sum()))
        fill(model, t)
        table = model.context_table.columns()
        for name in NAMES:
            np.testing.assert_array_equal(table[name], fresh[name], err_msg=f"week {t}, {name}")

    monkeypatch.setattr(showing, "fill", checked_fill)
    CityModel(small(compounds=12, households=600, communities=3, end_year=2019), rng=2).run()
    assert len(kept) == 3 * 52 and sum(kept) > 100  # compounds did wait, week after week


def test_a_citys_compounds_book_their_communitys_one_street_office():
    # ODD §7.13: a street office serves its community's compounds, so their demands compete
    from sim.city import CityModel
    from sim.city.model import office_labels
    from tests.test_city import small

    m = CityModel(small(compounds=12, households=600, communities=3, end_year=2018), rng=2)
    labels = office_labels(m.stock)
    for a, b in ((a, b) for a in range(12) for b in range(12)):
        assert (m.compounds[a].office is m.compounds[b].office) == (labels[a] == labels[b])
    assert len({id(c.office) for c in m.compounds}) == len(set(labels)) == len(m.offices) > 1


@pytest.mark.parametrize("co_decision, top_down", [(0.3, True), (0.5, False), (1.0, False)])
def test_the_bureau_runs_a_project_only_where_residents_neither_apply_nor_elect_nor_co_decide(co_decision, top_down):
    from sim.compound.core import is_top_down
    from sim.params import resolve

    p = resolve("top_down", {"co_decision": co_decision})
    assert not p.self_application and not p.council_first and is_top_down(p) == top_down
    assert not is_top_down(p.model_copy(update={"co_decision": 0.3, "self_application": True}))
    assert not is_top_down(p.model_copy(update={"co_decision": 0.3, "council_first": True}))


def test_the_tables_columns_keep_their_declared_narrow_types():
    from sim.compound.table import COLUMNS, CompoundTable

    tab = CompoundTable(5)
    for name, (dtype, init) in COLUMNS.items():
        col = getattr(tab, name)
        assert col.dtype == dtype and col.shape == (5,) and np.array_equal(col, np.full(5, init, dtype), equal_nan=True)
    assert tab.stage.dtype == np.int8 and tab.mgmt.dtype == np.int8  # a byte per compound, not eight


def test_each_lever_set_has_one_row_found_by_identity():
    from sim.compound.table import CompoundTable
    from sim.params import resolve

    tab = CompoundTable(3)
    a, b = resolve("pilot", {}), resolve("top_down", {})
    twin = a.model_copy()  # equal levers, another object: a row of its own
    assert [tab.param_index(x) for x in (a, b, a, twin, b)] == [0, 1, 0, 2, 1]
    assert tab.params == [a, b, twin] and tab.params[2] is twin


def test_compound_attributes_are_views_of_the_table():
    m = RenovationModel(n_households=40, years=1, n_compounds=3)
    c, tab = m.compounds[1], m.compound_table
    c.M = 0.25
    assert tab.M[1] == 0.25 and type(c.M) is float
    c.enter(Stage.DELIBERATION, 5)
    assert tab.stage[1] == Stage.DELIBERATION and c.stage is Stage.DELIBERATION and tab.stage_week[1] == 5
    c.mgmt = "company"
    assert c.mgmt == "company" and tab.body()[1] == np.False_  # a body repairs only after hand-over
    c.enter(Stage.LONG_TERM, 6)
    assert tab.body()[1] and not tab.body()[0]
    c.council.dissolve()
    assert not tab.council_active()[1] and tab.members[1] == 0 and tab.legitimacy[1] == 0.0


def test_form_changes_marks_exactly_the_compounds_whose_manager_decide_form_changes():
    """The weekly pass steps a managed compound between months only where who manages would change."""
    from sim.compound import management

    m = RenovationModel(regime="three_integrations", n_households=60, years=3, seeds=list(range(1, 9)))
    t = m.n_weeks // 2
    for _ in range(t):
        m.step()
    assert all(c.council_active for c in m.compounds)
    for k, c in enumerate(m.compounds):  # every manager, with and without a council legitimate enough
        c.mgmt = ("office", "self", "OC", "company")[k % 4]
        c.council.legitimacy = (0.3, 0.5)[k // 4]
        if k in (1, 2, 3):
            c.council.dissolve()
    marks = weekly.form_changes(m.compound_table)
    changed = []
    for c in m.compounds:
        before = c.mgmt
        management.decide_form(c, t)
        changed.append(c.mgmt != before)
    assert marks.tolist() == changed
    assert changed == [False, True, True, False, True, False, False, False]  # the three changes of §7.11


#: What the workshop's status lines read of a compound (workshop/status.py), and nothing else.
STATUS = {
    "stage",
    "week",
    "council_formed",
    "representatives",
    "last_vote",
    "cofunding_collection",
    "cofund_share_so_far",
    "fee_collection",
    "maintenance",
    "complaints",
    "management",
}


def test_a_compounds_status_says_where_it_stands_and_none_for_what_has_not_happened_yet():
    m = RenovationModel(regime="three_integrations", n_households=60, years=4, seeds=[1, 2, 3, 4])
    seen = set()
    for _ in range(m.n_weeks):
        m.step()
        for c in m.compounds:
            s = c.status()
            assert set(s) == STATUS
            assert (s["stage"], s["week"], s["management"]) == (c.stage.label, m.week, c.mgmt)
            assert (s["council_formed"], s["representatives"]) == (c.council_active, c.representatives)
            assert (s["maintenance"], s["complaints"], s["cofund_share_so_far"]) == (c.M, c.complaints, c.cofund_share)
            drive_over = not np.isnan(c.cofunding_collection)
            assert s["cofunding_collection"] == (c.cofunding_collection if drive_over else None)
            assert s["fee_collection"] == (c.last_fee_rate if c.fee_months else None)
            assert s["last_vote"] == c.last_vote if c.last_vote else s["last_vote"] is None
            if c.last_vote:
                assert s["last_vote"] is not c.last_vote  # a copy: the page cannot change the record
            seen |= {("council", s["council_formed"]), ("vote", bool(c.last_vote))}
            seen |= {("drive over", drive_over), ("billed", bool(c.fee_months))}
    assert len(seen) == 8  # every fact was met both before and after it happened


def test_a_new_project_starts_its_deliberation_and_bill_afresh():
    # city mode's second project (sim.city.CityCompound.new_project) resets what the first one left
    import math

    from sim.compound import cofunding, deliberation

    m = RenovationModel(regime="three_integrations", n_households=60, years=4, n_compounds=3, rng=5).run()
    h = m.hh
    done = [c for c in m.compounds if c.rounds > 0 and c.required > 0]
    assert done, "no compound got through its vote and bill to reset"
    c = done[0]
    h.proposal[:] = 2  # every household put item 2 to a meeting
    c.extended, c.topup, c.clock_start = True, 0.1, 7
    deliberation.reset(c)
    cofunding.reset(c)
    assert (c.meetings, c.rounds, c.vote_called, c.last_vote, c.clock_start) == (0, 0, False, None, None)
    assert math.isnan(c.spread) and math.isnan(c.consensus_week)
    assert (c.required, c.cofund_share, c.extended, c.topup) == (0.0, 0.0, False, 0.0)
    assert math.isnan(c.cofunding_collection)
    assert (h.proposal[c.sl] == -1).all()
    others = np.ones(h.proposal.size, dtype=bool)
    others[c.sl] = False
    assert (h.proposal[others] == 2).all()  # the other compounds' meetings are theirs
