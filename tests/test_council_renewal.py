"""Councils that renew (ODD §7.7, §7.11; issue 17): by-elections, terms, and who manages afterwards.

A council's seats fall vacant when representatives quit or move out; by-elections fill them from the
households living in the compound now. A term ends in a re-election. When a council dissolves the
management form is decided again: nobody self-manages without a council.

Fee months (ODD §7.9, §7.11): ``sim.compound.management.bill_month`` keeps each billing compound's
books for the month and sends its representatives (or the manager) to the households that did not
pay (``sim.compound.followup.follow_up``); the per-compound procedure and the weekly pass over all
compounds both call it.

The other compound procedures at their edges: the plan's draft, proposals and vote (§7.8), the
sign-offs (§7.6), the co-funding window's close at exactly its target (§7.9), and the visiting
orders each round draws afresh (§7.5).
"""

from types import SimpleNamespace

import numpy as np
import pytest

from agents.council import Council, CouncilStatus
from sim import dynamics
from sim.compound import followup, management
from sim.compound.management import CARETAKER
from sim.households import REP
from sim.model import RenovationModel
from sim.rules import payment
from sim.stages import Stage


def managed_by_council(seed=2, **params):
    """A three_integrations compound stepped until its council manages it after completion."""
    m = RenovationModel(regime="three_integrations", n_households=150, years=8, rng=seed, **params)
    c = m.compounds[0]
    while m.running and not (c.stage == Stage.LONG_TERM and c.mgmt == "self" and c.council_active):
        m.step()
    assert c.stage == Stage.LONG_TERM and c.council_active, "the compound should reach self-management"
    return m, c


def test_a_representative_who_moves_out_is_replaced_at_a_by_election_from_current_households():
    m, c = managed_by_council(rep_quit=0.0)
    council = c.council
    before = council.members.copy()
    open_before = council.vacancies
    gone = int(before[0])
    dynamics.move_out(m, np.array([gone]), m.week)
    m.ties.rebuild(full=False)
    assert council.vacancies == open_before + 1 and gone not in council.members
    assert m.hh.role[gone] != REP  # the newcomer in that home holds no seat
    ballot = None
    for _ in range(14):  # the next quarterly meeting holds the by-election
        m.step()
        if ballot is None and m.hh.att_vote[c.sl].any():
            ballot = m.week - 1
    assert ballot is not None, "a by-election ballot was held"
    assert council.vacancies == 0 and council.active
    new = np.setdiff1d(council.members, before)
    assert new.size == open_before + 1 and (m.hh.role[new] == REP).all()
    assert (c.lo <= new).all() and (new < c.hi).all()


def test_a_council_is_re_elected_when_its_term_ends():
    m, c = managed_by_council(council_term=1)
    first = c.council.formed_week
    while m.running and c.council_active and c.council.formed_week == first:
        m.step()
    assert c.council.formed_week is not None and c.council.formed_week > first
    assert c.council.formed_week - first >= 52
    assert c.council_active and c.council.members.size >= 3  # re-elected, not dissolved


def test_when_the_council_dissolves_the_management_form_is_decided_again():
    m, c = managed_by_council()
    c.council.dissolve()
    m.step()
    assert c.mgmt in ("company", CARETAKER)
    assert c.representatives == 0


@pytest.mark.slow
@pytest.mark.parametrize("households", [40, 150])
def test_no_ghost_management_at_year_ten(households):
    # issue 17: before, 42 % of 40-household compounds were still billed as 'self' or 'OC' at year 10
    # with no council; now self-management and OCs need a council, at most 2 % may be in between
    from sim.run import run_batch

    s = run_batch({}, range(50), n_households=households, years=10, timeseries=False).summary
    ghost = s.management.isin(["self", "OC"]) & (s.representatives == 0)
    assert ghost.mean() <= 0.02


def test_the_community_calls_for_a_new_council_once_a_year_after_it_dissolved_and_only_then():
    from types import SimpleNamespace

    from sim.compound.management import reform_due

    def due(council, ever=True):
        c = SimpleNamespace(stage_week=100, council=council, council_ever=ever)
        return [t for t in range(100, 420) if reform_due(c, t)]

    dissolved, sitting = SimpleNamespace(active=False), SimpleNamespace(active=True)
    assert due(dissolved) == [152, 204, 256, 308, 360, 412]  # each anniversary of the stage, not its first week
    assert due(sitting) == [] and due(None) == [] and due(dissolved, ever=False) == []


def test_a_company_expects_each_bill_times_the_chance_it_is_paid_to_a_manager_nobody_elected():
    # ODD §7.11: the fee a company expects per household-month, household by household: its bill
    # F = fee·area, paid with the payment rule's probability for a collector of legitimacy T̄·M
    # (raised by published accounts), no follow-up visit and no habit yet, against ability to pay
    from sim.compound import management
    from sim.rules import payment

    m = RenovationModel(regime="three_integrations", n_households=60, n_compounds=3, years=1, rng=4, psi_pay=0.8)
    c, h, p = m.compounds[1], m.hh, m.compounds[1].p
    sl = c.sl
    h.met[sl] = np.arange(60) % 3 == 0  # some attended a meeting
    h.trust[sl] = np.linspace(0.2, 0.9, 60)
    c.M = 0.7
    bill = p.fee_per_m2 * h.area[sl]
    leg = payment.collector_legitimacy(h.trust[sl].mean() * 0.7, p.transparency)
    willing = np.clip(
        payment.type_response(h.coop[sl], h.belief[sl])
        + 0.2 * (leg - 0.5)
        + 0.2 * (h.trust[sl] - 0.5)
        - 0.1 * h.area[sl] / h.area[sl].mean()
        + 0.1 * h.met[sl],
        0.0,
        1.0,
    )
    able = np.exp(-0.8 * bill / payment.monthly_income(h.income[sl], h.elderly[sl], p))
    assert management.expected_fee_revenue(c) == pytest.approx((willing * able * bill).mean(), rel=1e-12)
    assert 0.0 < able.min() < able.max() < 1.0 and h.met[sl].any()  # each term varies over households


def _next_anniversary(m, c):
    """The first week after now that is a whole number of years into LONG_TERM."""
    return c.stage_week + 52 * ((m.week - c.stage_week) // 52 + 1)


def test_a_council_formed_again_at_the_communitys_call_starts_a_new_term_that_week():
    from sim.compound.management import renew

    m, c = managed_by_council(rep_quit=0.0)
    council, h = c.council, m.hh
    council.dissolve()
    t = _next_anniversary(m, c)
    h.I[c.sl], h.PBC[c.sl], h.att_vote[c.sl] = 1.0, 1.0, True  # willing candidates, everyone voted
    c.opened = {"meeting": True, "vote": True}
    renew(c, t)
    assert council.active and council.members.size == council.seats
    assert council.formed_week == t and not council.term_over(t + 52 * c.p.council_term - 1)
    assert council.term_over(t + 52 * c.p.council_term)


def test_a_council_converts_into_an_owners_committee_once(monkeypatch):
    from agents.council import CouncilStatus
    from sim.compound.management import renew
    from sim.rules.maintenance import OC_LEG_GAIN

    m, c = managed_by_council(rep_quit=0.0, p_conv=0.3)
    council = c.council
    monkeypatch.setattr(c, "draw", lambda *args: 0.0)  # every chance taken
    c.fee_year, c.M, council.legitimacy = 0.9, 0.9, 0.5  # fees and facilities good enough to convert
    c.opened = {"meeting": False, "vote": False}
    t = _next_anniversary(m, c)
    renew(c, t)
    assert c.mgmt == "OC" and council.status == CouncilStatus.OC
    assert council.legitimacy == pytest.approx(0.5 + OC_LEG_GAIN)
    renew(c, t + 52)  # a year on: already an owners' committee, nothing to convert
    assert council.legitimacy == pytest.approx(0.5 + OC_LEG_GAIN)


def test_nobody_billing_has_no_legitimacy_as_a_manager():
    from sim.compound.management import manager_legitimacy

    m = RenovationModel(regime="top_down", n_households=40, years=1, rng=1)
    c = m.compounds[0]
    assert c.mgmt == "none" and not c.bills
    m.hh.trust[c.sl], c.M = 0.9, 0.9
    assert manager_legitimacy(c) == 0.0
    c.mgmt = "company"
    assert manager_legitimacy(c) == pytest.approx(0.81)


def test_initiators_who_step_back_leave_an_empty_team_of_household_ids():
    from sim.compound.application import disband
    from sim.households import INITIATOR, NONE

    m = RenovationModel(regime="three_integrations", n_households=40, years=1, n_compounds=2, rng=1)
    c, h = m.compounds[1], m.hh
    c.team = np.array([c.lo + 2, c.lo + 5])
    h.role[c.team] = INITIATOR
    h.role[c.lo + 7] = REP
    disband(c)
    assert c.team.dtype == np.int64 and c.team.size == 0
    assert h.role[c.lo + 2] == NONE and h.role[c.lo + 5] == NONE and h.role[c.lo + 7] == REP
    assert h.role[c.team].size == 0  # the empty team still indexes the households


# ---------------------------------------------------------------- fee months
def billing(n_compounds=3, households=60, **params):
    """A batch of compounds after hand-over, billed by a company, with nobody paid yet."""
    m = RenovationModel(regime="three_integrations", n_households=households, n_compounds=n_compounds, rng=3, **params)
    for c in m.compounds:
        c.enter(Stage.LONG_TERM, 0)
        c.mgmt = "company"
        c.visit_order = np.arange(c.lo, c.hi)[::-1].copy()  # visited from the last household back
    m.hh.paid_month[:] = False
    return m


def test_a_fee_months_books_are_what_was_billed_and_what_the_payers_paid():
    m = billing()
    c, h = m.compounds[1], m.hh
    h.paid_month[c.lo : c.lo + 45] = True
    management.bill_month(m, [c])
    bill = c.p.fee_per_m2 * h.area[c.sl]
    assert c.fee_billed == pytest.approx(bill.sum()) and c.fee_collected == pytest.approx(bill[:45].sum())
    assert c.last_fee_rate == pytest.approx(bill[:45].sum() / bill.sum())
    assert c.fee_months == 1 and c.fee_year == c.last_fee_rate
    other = m.compounds[0]
    assert other.fee_months == 0 and other.fee_billed == 0.0  # only the compounds billed


def test_the_yearly_rate_is_the_mean_of_the_last_twelve_fee_months():
    m = billing()
    c, h = m.compounds[2], m.hh
    rates, billed = [], 0.0
    for month in range(15):
        h.paid_month[c.sl] = np.arange(c.n) < 5 * month  # more households pay each month
        management.bill_month(m, [c])
        rates.append(c.last_fee_rate)
        billed += c.p.fee_per_m2 * h.area[c.sl].sum()
        assert c.fee_year == sum(rates[-12:]) / len(rates[-12:])  # Python's sum, to the bit
    assert c.fee_months == 15 and rates[0] == 0.0 and rates[-1] == 1.0
    assert c.fee_billed == pytest.approx(billed)
    assert c.fee_collected / c.fee_billed == pytest.approx(np.average(rates))  # same bill every month


def test_a_project_not_yet_handed_over_reports_no_completion_week():
    m = RenovationModel(regime="three_integrations", n_households=40, n_compounds=2, years=1, rng=3)
    m.run()
    weeks = m.summary()["completion_week"]
    assert weeks.dtype == np.float64 and weeks.isna().all()


def test_a_new_compound_has_drawn_no_visiting_order_yet():
    m = RenovationModel(regime="three_integrations", n_households=40, n_compounds=2, rng=3)
    for c in m.compounds:
        assert c.visit_order.dtype == np.int64 and c.visit_order.size == 0


def test_the_manager_follows_up_thirty_unpaid_households_in_the_visiting_order():
    m = billing()
    c, h = m.compounds[1], m.hh
    h.visit_weight[:] = 0.7  # last month's visits, everywhere
    h.paid_month[c.hi - 10 : c.hi] = True  # the first ten in the order paid: not visited
    management.bill_month(m, [c])
    order = np.arange(c.lo, c.hi)[::-1]
    unpaid = order[~h.paid_month[order]][: payment.MANAGER_VISITS_PER_MONTH]
    visited = np.flatnonzero(h.visit_weight[c.sl]) + c.lo
    assert sorted(visited) == sorted(unpaid) and (h.visit_weight[unpaid] == 1.0).all()
    assert (h.visit_weight[m.compounds[0].sl] == 0.7).all()  # another compound's visits stay


def _seat(m, c, members, party=(), mobilised=True):
    council = Council(m, c)
    c.council = council
    council.members = np.asarray(members, dtype=np.int64)
    council.status = CouncilStatus.ACTIVE
    m.hh.party[c.sl] = False
    m.hh.party[list(party)] = True
    c.p = c.p.model_copy(update={"mu_party": 1.5 if mobilised else 1.0})
    return council


@pytest.mark.parametrize("mobilised", [True, False])
def test_representatives_share_the_visits_and_a_mobilised_party_members_weighs_more(mobilised):
    m = billing()
    c, h = m.compounds[1], m.hh
    reps = [c.lo + 1, c.lo + 2, c.lo + 3, c.lo + 4]
    _seat(m, c, reps, party=[c.lo + 2], mobilised=mobilised)
    management.bill_month(m, [c])
    per = payment.MANAGER_VISITS_PER_MONTH // len(reps)  # 30 shared among four: 7 each
    order = np.arange(c.lo, c.hi)[::-1]
    visited = order[: per * len(reps)]  # nobody paid: the first 28 in the order
    assert sorted(np.flatnonzero(h.visit_weight[c.sl]) + c.lo) == sorted(visited)
    # visitors take the households in turn: the second visitor (the party member) every fourth from the second
    by_party = visited[1::4]
    weight = payment.PARTY_VISIT_WEIGHT if mobilised else 1.0
    assert (h.visit_weight[by_party] == weight).all()
    assert (h.visit_weight[np.setdiff1d(visited, by_party)] == 1.0).all()


def test_a_council_whose_members_all_left_leaves_the_visits_to_the_manager():
    m = billing()
    c, h = m.compounds[1], m.hh
    council = _seat(m, c, [c.lo + 1, c.lo + 2, c.lo + 3])
    council.lose_member(council.members.copy())  # all moved out; the seats wait for a by-election
    assert c.council_active and council.members.size == 0
    management.bill_month(m, [c])
    assert np.count_nonzero(h.visit_weight[c.sl]) == payment.MANAGER_VISITS_PER_MONTH


def test_without_a_council_or_a_bill_nobody_follows_up():
    # nobody manages the compound (no bill) and no council sits: last visits are cleared, none made
    m = billing()
    c, h = m.compounds[1], m.hh
    c.mgmt = "none"
    h.visit_weight[:] = 0.7
    followup.visit_unpaid(c, h.paid_cofund, payment.REP_VISITS_PER_WEEK)
    assert (h.visit_weight[c.sl] == 0.0).all() and (h.visit_weight[m.compounds[2].sl] == 0.7).all()


def test_following_up_no_compounds_changes_nothing():
    m = billing()
    m.hh.visit_weight[:] = 0.7
    followup.follow_up(m, [], m.hh.paid_month, np.zeros(0, dtype=np.int64))
    assert (m.hh.visit_weight == 0.7).all()


def test_many_compounds_at_once_are_each_compound_on_its_own():
    kw = {"n_compounds": 4, "households": 50}
    together, alone = billing(**kw), billing(**kw)
    for m in (together, alone):
        _seat(m, m.compounds[2], [m.compounds[2].lo + 5, m.compounds[2].lo + 9], party=[m.compounds[2].lo + 9])
        m.hh.paid_month[:] = np.arange(m.hh.n) % 3 == 0
    management.bill_month(together, together.compounds)
    for c in alone.compounds:
        management.bill_month(alone, [c])
    for name in ("fee_billed", "fee_collected", "fee_year", "last_fee_rate", "fee_months"):
        assert np.array_equal(getattr(together.compound_table, name), getattr(alone.compound_table, name)), name
    assert np.array_equal(together.hh.visit_weight, alone.hh.visit_weight)


# ---------------------------------------------------------------- formation's retries
def forming(monkeypatch, elected: bool, fallback_draw: float = 0.5):
    """A compound at its council election, whose elections succeed or fail as told; the fallback
    draw (stream 1, purpose FALLBACK) is ``fallback_draw``, any other draw 0.5."""
    from sim.compound import formation
    from sim.rng import Purpose

    m = RenovationModel(regime="three_integrations", n_households=150, years=3, rng=2)
    c = m.compounds[0]
    while m.running and c.stage != Stage.COUNCIL_FORMATION:
        m.step()
    assert c.stage == Stage.COUNCIL_FORMATION
    monkeypatch.setattr(c.council, "add_candidates", lambda t: None)
    monkeypatch.setattr(c.council, "hold_election", lambda t: elected)
    fallback = (1, Purpose.FALLBACK)
    monkeypatch.setattr(c, "draw", lambda j, t, purpose: fallback_draw if (j, purpose) == fallback else 0.5)
    c.p = c.p.model_copy(update={"p_fallback": 0.5})
    return m, c, formation


def test_an_elected_council_starts_deliberation_and_the_consensus_clock(monkeypatch):
    from sim.households import INITIATOR
    from sim.rng import Purpose

    m, c, formation = forming(monkeypatch, elected=True)
    t = c.next_attempt
    team = c.team.copy()
    assert team.size and (m.hh.role[team] == INITIATOR).any()
    formation.act(c, t)
    assert c.stage == Stage.DELIBERATION and c.stage_week == t and c.clock_start == t and c.council_ever
    assert not (m.hh.role[team] == INITIATOR).any()  # the initiators step back
    assert np.array_equal(c.order, c.shuffle(t, Purpose.CANVASS + 3))  # a new canvassing round


def test_failed_elections_are_retried_for_half_a_year(monkeypatch):
    from sim.rules.council import GIVE_UP_WEEKS, RETRY_WEEKS

    m, c, formation = forming(monkeypatch, elected=False)
    t = c.formation_start + GIVE_UP_WEEKS - 1
    c.next_attempt = t
    formation.act(c, t)
    assert c.stage == Stage.COUNCIL_FORMATION and c.next_attempt == t + RETRY_WEEKS


@pytest.mark.parametrize("draw, stage", [(0.2, Stage.DELIBERATION), (0.5, Stage.ABANDONED), (0.9, Stage.ABANDONED)])
def test_after_half_a_year_of_failed_elections_the_office_leads_or_the_project_is_abandoned(monkeypatch, draw, stage):
    # p_fallback = 0.5: the office takes the deliberation over on a draw below it, else nobody does
    from agents.council import CouncilStatus
    from sim.rules.council import GIVE_UP_WEEKS

    m, c, formation = forming(monkeypatch, elected=False, fallback_draw=draw)
    t = c.formation_start + GIVE_UP_WEEKS
    c.next_attempt = t
    clock = c.clock_start
    formation.act(c, t)
    assert c.stage == stage and c.stage_week == t
    if stage == Stage.DELIBERATION:
        assert c.council.status == CouncilStatus.DISSOLVED and c.clock_start == t
    else:
        assert c.clock_start == clock


# ---------------------------------------------------------------- the co-funding window's close
def fundraising(**params):
    """A compound in its co-funding window (ODD §7.9), nobody paid yet."""
    m = RenovationModel(regime="three_integrations", n_households=150, years=4, rng=2, **params)
    c = m.compounds[0]
    while m.running and c.stage != Stage.FUNDRAISING:
        m.step()
    assert c.stage == Stage.FUNDRAISING and c.required > 0
    m.hh.paid_cofund[c.sl] = False
    return m, c


def _pay(m, c, share):
    """The households that pay, in id order, until ``share`` of the bill is in (or just above)."""
    owed = m.hh.owed[c.sl]
    m.hh.paid_cofund[c.sl] = np.cumsum(owed) - owed < share * owed.sum()


def test_what_each_household_paid_is_its_share_of_the_bill_or_nothing():
    from sim.compound import cofunding

    m, c = fundraising()
    _pay(m, c, 0.5)
    cofunding.fundraise(c, c.window_start)
    h = m.hh
    paid = h.paid_cofund[c.sl]
    assert (h.paid_amount[c.sl][paid] == h.owed[c.sl][paid]).all() and (h.paid_amount[c.sl][~paid] == 0.0).all()
    assert c.cofund_share == pytest.approx(h.owed[c.sl][paid].sum() / c.required)


def test_a_window_short_of_the_target_is_extended_once_then_the_plan_is_scaled_down():
    from sim import items
    from sim.compound import cofunding

    m, c = fundraising()
    plan = c.plan.copy()
    _pay(m, c, 0.5)
    cofunding.fundraise(c, c.window_start + c.window_len - 1)
    assert c.stage == Stage.FUNDRAISING and c.extended
    assert c.window_len == payment.COFUND_WEEKS + payment.COFUND_EXTENSION
    cofunding.fundraise(c, c.window_start + c.window_len - 1)
    assert c.stage != Stage.FUNDRAISING and c.cofunding_collection == c.cofund_share < payment.COFUND_TARGET
    # enhancements go first, then improvements, until what was collected covers 80 % of the rest
    collected, expected = c.cofund_share * c.required, plan.copy()
    for cat in (items.ENHANCEMENT, items.IMPROVEMENT):
        if collected >= payment.COFUND_TARGET * c.p.s_res * c.cost[expected].sum() * c.n:
            break
        expected[items.CATEGORY == cat] = False
    assert (c.plan == expected).all() and not (c.plan == plan).all()  # something was dropped
    rest = c.p.s_res * c.cost[c.plan].sum() * c.n
    assert c.topup == pytest.approx(max(0.0, rest - collected))


def test_under_a_government_top_up_the_plan_stays_and_the_shortfall_is_topped_up():
    from sim.compound import cofunding

    m, c = fundraising(shortfall_policy="gov_topup")
    plan = c.plan.copy()
    _pay(m, c, 0.5)
    c.extended = True
    cofunding.fundraise(c, c.window_start + c.window_len - 1)
    assert (c.plan == plan).all()
    assert c.topup == pytest.approx(c.required - c.cofund_share * c.required) and c.topup > 0


def test_a_window_that_reaches_the_target_closes_on_time_with_no_top_up():
    from sim.compound import cofunding

    m, c = fundraising()
    _pay(m, c, 1.0)
    cofunding.fundraise(c, c.window_start + c.window_len - 1)
    assert not c.extended and c.stage != Stage.FUNDRAISING
    assert c.cofunding_collection == pytest.approx(1.0) and c.topup == pytest.approx(0.0, abs=1e-6)


def test_plan_sign_offs_that_run_out_exactly_this_week_open_the_co_funding_window():
    from sim.compound import cofunding

    m, c = three_compounds()
    c.enter(Stage.PLAN_APPROVAL, 3)
    c.plan[c.menu] = True
    c.remaining = c.office.progress_for(c)  # exactly one week's progress left
    cofunding.plan_approval(c, 9)
    assert c.stage == Stage.FUNDRAISING and c.window_start == 10


def test_a_window_at_exactly_the_target_closes_on_time_and_keeps_the_whole_plan():
    from sim.compound import cofunding

    m, c = fundraising()
    plan, h = c.plan.copy(), m.hh
    h.owed[c.sl] = 0.0
    h.owed[c.lo : c.lo + 5] = 1.0
    c.required = 5.0
    h.paid_cofund[c.lo : c.lo + 4] = True  # 4 of 5: exactly the 80 % target
    cofunding.fundraise(c, c.window_start + c.window_len - 1)
    assert c.cofund_share == payment.COFUND_TARGET
    assert not c.extended and c.stage != Stage.FUNDRAISING and (c.plan == plan).all()


def test_a_plan_is_scaled_down_only_until_the_money_in_covers_the_target_of_what_is_left():
    # §7.9 scale_down: enhancements go first; if what was collected is then exactly 80 % of the
    # residents' share of the smaller plan, the improvements stay and the works start
    from sim import items
    from sim.compound import cofunding

    m, c = fundraising()
    h = m.hh
    basic, improvement, enhancement = (
        int(np.flatnonzero(items.CATEGORY == k)[0]) for k in (items.BASIC, items.IMPROVEMENT, items.ENHANCEMENT)
    )
    c.plan[:] = False
    c.plan[[basic, improvement, enhancement]] = True
    c.cost = np.full(items.N_ITEMS, 0.001)
    c.cost[enhancement] = 1.0
    smaller = np.zeros(items.N_ITEMS, dtype=bool)
    smaller[[basic, improvement]] = True
    enough = payment.COFUND_TARGET * c.p.s_res * float(c.cost[smaller].sum()) * c.n
    c.required = 64.0  # a power of two: the share times the bill is the money in, to the bit
    h.owed[c.sl] = 0.0
    h.owed[c.lo] = enough
    h.paid_cofund[c.lo] = True
    c.extended = True
    cofunding.fundraise(c, c.window_start + c.window_len - 1)
    assert c.cofund_share * c.required == enough
    assert c.plan.tolist() == smaller.tolist()
    assert c.stage == Stage.CONSTRUCTION and c.topup == pytest.approx(enough / payment.COFUND_TARGET - enough)


# ---------------------------------------------------------------- deliberation without a council
@pytest.mark.parametrize(
    "room, called_at",
    [
        ({}, None),  # the default: a vote is called once the room converges
        ({"consensus_spread": 0.5}, "meetings_before_vote"),  # converged at once: the earliest meeting
        ({"consensus_spread": 0.0, "max_meetings": 4}, "max_meetings"),  # never converged: the last
    ],
)
def test_without_a_council_first_the_meetings_draft_the_plan_and_nobody_votes_on_it(room, called_at):
    # council_first off and co_decision below 0.5: after admission the office runs the meetings
    # straight away and drafts the plan from them; the plan vote is called but not held (§7.8)
    from sim.compound import deliberation
    from sim.rng import Purpose
    from sim.rules import deliberation as delib

    kw = {"council_first": False, "co_decision": 0.3, **room}
    m = RenovationModel(regime="three_integrations", n_households=150, years=5, rng=2, **kw)
    c, p = m.compounds[0], m.compounds[0].p
    seen, called, start = set(), None, None
    while m.running and c.stage not in (Stage.PLAN_APPROVAL, Stage.STALLED, Stage.ABANDONED):
        if c.stage == Stage.DELIBERATION and start is None:
            start = c.stage_week
            assert c.clock_start == start and np.array_equal(c.order, c.shuffle(start, Purpose.CANVASS + 2))
        before = (c.meetings, c.spread)
        m.step()
        seen.add(c.stage)
        if called is None and c.vote_called:
            called = (c.meetings, before)
    assert c.stage == Stage.PLAN_APPROVAL and Stage.COUNCIL_FORMATION not in seen and start is not None
    assert not c.council_ever and c.rounds == 0 and c.last_vote is None
    # the vote is called at the first meeting with enough meetings held and a converged room (or too many)
    meetings, (held_before, spread_before) = called
    assert meetings == held_before + 1 and meetings >= p.meetings_before_vote
    assert delib.converged(c.spread, p.consensus_spread) or meetings >= p.max_meetings
    due_before = delib.converged(spread_before, p.consensus_spread) or held_before >= p.max_meetings
    assert not (held_before >= p.meetings_before_vote and due_before)  # not due a meeting earlier
    if called_at is not None:
        assert meetings == getattr(p, called_at)
    assert c.consensus_week == c.stage_week - start
    assert c.plan.any() and not (c.plan & ~np.isin(np.arange(c.plan.size), c.menu)).any()
    assert (deliberation.canvassers(c) == c.team).all()


# ---------------------------------------------------------------- hand-over: who manages
def handing_over(monkeypatch, company: bool, **params):
    """A compound in construction, about to be handed over; a company would (or would not) enter."""
    m = RenovationModel(regime="three_integrations", n_households=150, years=5, rng=2, **params)
    c = m.compounds[0]
    while m.running and c.stage != Stage.CONSTRUCTION:
        m.step()
    assert c.stage == Stage.CONSTRUCTION
    monkeypatch.setattr(management, "company_enters", lambda c, t: company)
    return m, c


@pytest.mark.parametrize(
    "council, status, leg, company, form",
    [
        (True, CouncilStatus.OC, 0.1, True, "OC"),  # an owners' committee manages, however legitimate
        (True, CouncilStatus.ACTIVE, 0.4, True, "self"),  # legitimate enough (LEG_MANAGE) to manage
        (True, CouncilStatus.ACTIVE, 0.39, True, "company"),  # not quite: a company if one enters ...
        (True, CouncilStatus.ACTIVE, 0.39, False, CARETAKER),  # ... else the street office caretakes
        (False, None, 0.0, True, "company"),
        (False, None, 0.0, False, CARETAKER),
    ],
)
def test_at_hand_over_the_council_the_committee_a_company_or_the_office_manages(
    monkeypatch, council, status, leg, company, form
):
    from sim.compound import construction

    m, c = handing_over(monkeypatch, company)
    h, t = m.hh, m.week
    if council:
        c.council.status, c.council.legitimacy = status, leg
        assert c.council_active and c.council.members.size
    else:
        c.council.dissolve()
    h.supervisor[c.sl], h.paid_month[c.sl] = True, True
    construction.complete(c, t)
    assert c.mgmt == form and c.stage == Stage.LONG_TERM and c.completion_week == t
    assert not h.supervisor[c.sl].any() and not h.paid_month[c.sl].any()  # the works' team stands down
    assert c.delivered == (c.p.transparency > 0 or c.council_active)


def test_delivery_is_seen_only_with_published_accounts_or_a_council(monkeypatch):
    from sim.compound import construction

    m, c = handing_over(monkeypatch, True, transparency=0.0)
    c.council.dissolve()
    construction.complete(c, m.week)
    assert not c.delivered


@pytest.mark.parametrize(
    "status, leg, form",
    [(CouncilStatus.ACTIVE, 0.4, "self"), (CouncilStatus.OC, 0.4, "OC"), (CouncilStatus.ACTIVE, 0.3999, CARETAKER)],
)
def test_a_council_legitimate_enough_takes_over_from_the_caretaker(status, leg, form):
    from sim.compound import weekly

    m, c = managed_by_council()
    c.mgmt = CARETAKER
    c.council.status, c.council.legitimacy = status, leg
    changes = weekly.form_changes(m.compound_table)[c.index]  # the weekly pass's test of the same rule
    management.decide_form(c, m.week)
    assert c.mgmt == form and changes == (form != CARETAKER)


@pytest.mark.parametrize("company, form", [(True, "company"), (False, CARETAKER)])
@pytest.mark.parametrize("managing", ["self", "OC"])
def test_when_the_council_is_gone_a_company_or_the_office_takes_over(monkeypatch, company, form, managing):
    m, c = managed_by_council()
    monkeypatch.setattr(management, "company_enters", lambda c, t: company)
    c.mgmt = managing
    c.council.dissolve()
    management.decide_form(c, m.week)
    assert c.mgmt == form


# ---------------------------------------------------------------- the supervision team
@pytest.mark.parametrize("acted, recruits", [(-13, True), (-14, False)])
def test_neighbours_active_last_week_bring_volunteers_onto_the_supervision_team(acted, recruits):
    # κ = 0.2 and ρ = 4: a household with m_cc close neighbours active at the end of last week
    # volunteers for certain (κ(1 + ρ) = 1), any other one time in five (§7.10). Activity lasts 13
    # weeks: an act 13 weeks before this week was still active last week, one 14 weeks before was not.
    from sim.compound import construction
    from sim.households import NONE

    m = RenovationModel(regime="three_integrations", n_households=40, years=1, rng=2, kappa=0.2, recruit=4.0)
    c, h, t = m.compounds[0], m.hh, 30
    h.I[c.sl], h.avail[c.sl], h.role[c.sl], h.supervisor[:] = 1.0, 1.0, NONE, False
    h.last_act[c.sl] = t + acted
    cues = m.ties.cue_sums(c.lo, c.hi, np.ones(c.n, dtype=bool))
    k = int(np.median(cues[cues > 0]))
    c.p = c.p.model_copy(update={"m_cc": k, "supervision_team": 50})
    construction.form_supervision_team(c, t)
    joined = h.supervisor[c.sl]
    close = cues >= k  # exactly m_cc close neighbours included
    assert (cues == k).any() and 0 < close.sum() < c.n
    assert joined[close].all() == recruits
    assert joined[~close].mean() < 0.6  # the others at κ = 0.2


# ---------------------------------------------------------------- consensus
@pytest.mark.parametrize("co_decision, co_decide", [(1.0, True), (0.5, True), (0.3, False)])
def test_at_consensus_the_proposers_of_adopted_items_co_decide_and_the_clock_stops(co_decision, co_decide):
    # §7.8: where residents co-decide the plan, a proposal the plan adopted makes its proposer a
    # co-decider; the consensus time counts from the clock's start (the council's election)
    from sim import ladder
    from sim.compound import deliberation
    from sim.households import NEVER, NONE

    m = RenovationModel(regime="three_integrations", n_households=60, years=1, rng=2, co_decision=co_decision)
    c, h, t = m.compounds[0], m.hh, 40
    c.enter(Stage.DELIBERATION, 30)
    c.clock_start = 25
    h.role[c.sl], h.rung_week[c.sl] = NONE, NEVER
    c.plan[:] = False
    c.plan[[0, 3]] = True  # items 0 and 3 adopted, 1 and 2 not
    h.proposal[c.sl] = np.arange(c.n) % 5 - 1  # -1 (no proposal), 0, 1, 2, 3
    deliberation.consensus(c, t)
    assert c.consensus_week == t - 25 and c.stage == Stage.PLAN_APPROVAL and c.stage_week == t
    top = h.rung_week[c.sl, ladder.Rung.CO_DECIDING - 1] == t
    adopted = np.isin(h.proposal[c.sl], [0, 3])
    assert (top == (adopted & co_decide)).all()


# ---------------------------------------------------------------- the plan's draft, proposals and vote
def three_compounds(**params):
    """The middle of three compounds (so its households' ids start above zero and below the last's)."""
    m = RenovationModel(regime="three_integrations", n_households=40, n_compounds=3, rng=4, **params)
    return m, m.compounds[1]


def test_the_draft_holds_the_items_the_attendees_value_on_average_one_by_one():
    # §7.8 with residents deciding (co_decision 1): an item is drafted if the attendees' mean net
    # value of it is positive. Five attendees want item 0 only; every other owner wants item 1 only.
    from sim.compound import deliberation

    m, c = three_compounds(co_decision=1.0)
    h = m.hh
    h.owner[c.sl] = True
    att = np.arange(c.lo, c.lo + 5)
    others = np.arange(c.lo + 5, c.hi)
    k = np.array([0, 1, 5, 9])
    h.v[c.sl] = -10.0
    h.v[att, 0] = 10.0
    h.v[others, 1] = 10.0
    h.v[m.compounds[2].sl] = 10.0  # the next compound wants everything: none of its business
    assert deliberation.draft(c, att, k).tolist() == [0]
    # nobody attended: the draft is the owners' (item 1: 35 of 40 owners want it, item 0 only 5)
    assert deliberation.draft(c, np.zeros(0, dtype=np.int64), k).tolist() == [1]


@pytest.mark.parametrize("co_decision", [0.3, 1.0])
def test_with_no_owner_and_nobody_in_the_room_only_the_bureaus_priorities_are_drafted(co_decision):
    # nobody's values to average: the mean net value is 0, so the score is the bureau's term
    # (1 − c)(g − 0.5) — its priority items under the bureau's plan, nothing where residents decide
    from sim import items
    from sim.compound import deliberation

    m, c = three_compounds(co_decision=co_decision)
    m.hh.owner[c.sl] = False
    k = c.menu
    drafted = deliberation.draft(c, np.zeros(0, dtype=np.int64), k)
    expected = k[items.bureau_priority()[k] > 0.5] if co_decision < 1 else k[:0]
    assert drafted.tolist() == expected.tolist()
    assert co_decision == 1.0 or drafted.size > 0


def _speakers(m, c, att):
    """Everyone in ``att`` takes the floor if they may (perceived control 1) and values item 5 most."""
    m.hh.PBC[att] = 1.0
    m.hh.v[att] = 0.0
    m.hh.v[att, 5] = 10.0


def test_who_has_proposed_an_item_does_not_propose_again_and_item_zero_counts():
    from sim.compound import deliberation

    m, c = three_compounds()
    att = np.arange(c.lo, c.lo + 6)
    _speakers(m, c, att)
    m.hh.proposal[att] = 0  # all proposed item 0 at an earlier meeting
    deliberation.propose(c, att, np.array([0, 5]), 7)
    assert (m.hh.proposal[att] == 0).all()


def test_proposals_with_one_item_on_the_table_and_with_none():
    from sim.compound import deliberation

    m, c = three_compounds()
    att = np.arange(c.lo, c.lo + 6)
    _speakers(m, c, att)
    m.hh.proposal[c.sl] = -1
    deliberation.propose(c, att, np.zeros(0, dtype=np.int64), 7)  # everything dropped: nothing to speak for
    assert (m.hh.proposal[c.sl] == -1).all()
    deliberation.propose(c, att, np.array([9]), 7)
    spoke = m.hh.proposal[att] >= 0
    assert 0 < spoke.sum() <= deliberation.SPEAKERS_PER_MEETING and (m.hh.proposal[att][spoke] == 9).all()


def test_a_vote_nobody_attends_fails_without_a_quorum_and_the_last_round_stalls_the_project():
    from sim.compound import deliberation

    m, c = three_compounds(max_vote_rounds=2)
    c.enter(Stage.DELIBERATION, 5)
    m.hh.att_vote[:] = False
    c.plan[:] = False
    c.plan[c.menu[:3]] = True
    deliberation.vote(c, 10)
    assert c.last_vote == {"week": 10, "round": 1, "turnout": 0.0, "yes_share": 0.0, "passed": False, "quorum": False}
    assert c.stage == Stage.DELIBERATION and not c.dropped.any()  # no quorum: nothing learnt, nothing dropped
    deliberation.vote(c, 11)
    assert c.stage == Stage.STALLED and c.rounds == 2


def test_the_vote_counts_the_compounds_own_owners():
    # every owner of the middle compound votes and wants the plan; the last compound's do not
    from sim.compound import deliberation

    m, c = three_compounds(approval_rule="civil_code")
    h, last = m.hh, m.compounds[2]
    c.enter(Stage.DELIBERATION, 5)
    h.owner[:] = True
    h.att_vote[:] = True
    c.plan[:] = False
    c.plan[c.menu[:3]] = True
    h.v[c.sl] = 10.0
    h.v[last.sl] = -10.0
    deliberation.vote(c, 10)
    assert c.last_vote["turnout"] == 1.0 and c.last_vote["yes_share"] == 1.0 and c.last_vote["passed"]
    assert c.stage == Stage.PLAN_APPROVAL


def test_a_failed_vote_with_a_quorum_drops_the_plan_item_fewest_voters_value():
    # §7.8: the council learns from a lost vote which item to drop: the one on the plan with the
    # smallest share of voters valuing it above nothing (a value of exactly 0 is no support)
    from sim.compound import deliberation

    m, c = three_compounds(approval_rule="majority", s_res=0.0, max_vote_rounds=3)  # no bill: net value = value
    h = m.hh
    c.enter(Stage.DELIBERATION, 5)
    h.owner[:], h.att_vote[:] = True, True
    c.plan[:] = False
    c.plan[[0, 1, 2]] = True
    rank = np.arange(c.n)
    h.v[c.sl, 0] = np.where(rank < 24, 1.0, -1.0)  # 60 % support
    h.v[c.sl, 1] = np.where(rank < 12, 1.0, -1.0)  # 30 %
    h.v[c.sl, 2] = np.where(rank < 4, 1.0, 0.0)  # 10 %, the rest indifferent
    deliberation.vote(c, 10)
    assert c.last_vote["quorum"] and not c.last_vote["passed"] and c.last_vote["yes_share"] == 12 / 40
    assert np.flatnonzero(c.dropped).tolist() == [2] and c.stage == Stage.DELIBERATION


def test_a_lone_owner_who_votes_is_a_full_turnout():
    from sim.compound import deliberation

    m, c = three_compounds()
    c.enter(Stage.DELIBERATION, 5)
    m.hh.owner[c.sl] = False
    m.hh.owner[c.lo + 3] = True
    m.hh.att_vote[:] = True
    c.plan[:] = False
    c.plan[c.menu[:2]] = True
    deliberation.vote(c, 10)
    assert c.last_vote["turnout"] == 1.0


def test_the_consensus_clock_counts_from_the_stage_when_no_clock_was_started():
    from sim.compound import deliberation

    m, c = three_compounds()
    c.enter(Stage.DELIBERATION, 30)
    c.clock_start = None  # e.g. a top-down plan: no council election started a clock
    deliberation.consensus(c, 41)
    assert c.consensus_week == 11.0


# ---------------------------------------------------------------- the consent drive (§7.5)
def test_three_owners_exactly_at_the_leaders_thresholds_form_a_team():
    # §7.5: a team forms once TEAM_SIZE owners could lead (I >= 0.7, PBC >= 0.3), with weekly
    # probability 1 - exp(-0.2·κ·leaders); with two such owners, never
    import math

    from sim.compound import application
    from sim.constants import LEADER_I, LEADER_PBC, TEAM_RATE, TEAM_SIZE
    from sim.rng import Purpose

    for leaders in (TEAM_SIZE - 1, TEAM_SIZE):
        m, c = three_compounds(party_rule=False, kappa=1.0)
        h = m.hh
        c.enter(Stage.AWARE, 0)
        c.cooldown_until = 0
        h.owner[c.sl], h.I[c.sl], h.PBC[c.sl] = True, 0.0, 0.0
        h.I[c.lo : c.lo + leaders], h.PBC[c.lo : c.lo + leaders] = LEADER_I, LEADER_PBC
        chance = 1 - math.exp(-TEAM_RATE * c.p.kappa * leaders)
        week = next(t for t in range(1, 500) if c.draw(0, t, Purpose.TEAM) < chance)
        application.try_team(c, week)
        formed = c.stage == Stage.CONSENT_DRIVE
        assert formed == (leaders == TEAM_SIZE)
        assert c.team.tolist() == (list(range(c.lo, c.lo + TEAM_SIZE)) if formed else [])


def test_signers_exactly_at_the_leaders_thresholds_collect_signatures_too():
    from sim.compound import application
    from sim.constants import LEADER_I, LEADER_PBC

    m, c = three_compounds()
    h = m.hh
    c.team = np.zeros(0, dtype=np.int64)
    h.signed[c.sl], h.I[c.sl], h.PBC[c.sl] = False, 0.0, 0.0
    h.signed[c.lo : c.lo + 4] = True
    h.I[c.lo : c.lo + 4] = [LEADER_I, LEADER_I, np.nextafter(LEADER_I, 0), 1.0]
    h.PBC[c.lo : c.lo + 4] = [LEADER_PBC, 1.0, 1.0, np.nextafter(LEADER_PBC, 0)]
    assert application.collectors(c).tolist() == [c.lo, c.lo + 1]


def test_a_drive_with_exactly_the_quorum_of_signatures_applies():
    # q_apply 1/2 of 20 owners: the 10th signature is enough; nobody else can sign this week
    from sim.compound import application

    m, c = three_compounds(q_apply=0.5)
    h = m.hh
    c.enter(Stage.CONSENT_DRIVE, 3)
    c.drive_start, c.team = 3, np.array([c.lo])
    h.owner[c.sl], h.signed[c.sl] = False, False
    h.owner[c.lo : c.lo + 20] = True
    h.signed[c.lo : c.lo + 10] = True
    h.A[c.sl] = 0.0  # nobody left supports it: no new signature
    application.consent_drive(c, 5)
    assert int(h.signed[c.sl].sum()) == 10 and c.stage == Stage.APPLICATION_REVIEW


def test_each_households_unmet_share_is_of_the_items_it_demanded():
    # §7.12: the share of a household's demanded items (value >= 0.2 with no bill) left off the plan;
    # a household that demanded nothing has nothing unmet
    from sim.compound import deliberation

    m, c = three_compounds(s_res=0.0)
    h = m.hh
    h.v[c.sl] = 0.0
    h.v[c.lo + 1, 0] = 1.0  # one item, left off
    h.v[c.lo + 2, [0, 1]] = 1.0  # two items, one on the plan
    h.v[c.lo + 3, [1, 2]] = 1.0  # two items, both on the plan
    c.plan[:] = False
    c.plan[[1, 2]] = True
    deliberation.record_unmet(c)
    assert h.unmet[c.lo : c.lo + 4].tolist() == [0.0, 1.0, 0.5, 0.0]


@pytest.mark.parametrize(
    "params, stage",
    [
        ({"regime": "three_integrations"}, Stage.AWARE),  # owners apply themselves: aware from week 0
        ({"regime": "three_integrations", "self_application": False}, Stage.COUNCIL_FORMATION),
        ({"regime": "pilot", "self_application": False, "council_first": False}, Stage.DELIBERATION),
    ],
)
def test_where_a_project_starts_at_week_zero(params, stage):
    # ODD §8: without self-application the office admits the project at t = 0: a council election
    # first (its first attempt the next week), or straight to the meetings with the clock running
    m = RenovationModel(n_households=40, rng=4, **params)
    c = m.compounds[0]
    assert c.stage == stage and c.stage_week == 0
    if stage == Stage.COUNCIL_FORMATION:
        assert c.formation_start == 0 and c.next_attempt == 1
    if stage == Stage.DELIBERATION:
        assert c.clock_start == 0


def test_an_elderly_household_feels_the_price_more_than_a_younger_one_on_the_same_income():
    # ODD §7.8: ψ_i = ψ·y_mid / y_i, an elderly household's income × elderly_income
    from sim.compound import deliberation

    m, c = three_compounds()
    h = m.hh
    pair = np.array([c.lo, c.lo + 1])
    h.income[pair], h.elderly[pair] = 1, [True, False]  # both middle income
    psi = deliberation.price_sensitivity(c, pair)
    assert psi[1] == pytest.approx(c.p.psi) and psi[0] == pytest.approx(c.p.psi / c.p.elderly_income)


# ---------------------------------------------------------------- sign-offs and the canvassing rounds
def test_each_submission_draws_its_own_sign_off_delay():
    m, c = three_compounds()
    delays = []
    for _ in range(3):  # application, plan, and a second project's application (city mode)
        c.approval(m.week)
        delays.append(c.remaining)
    assert c.n_approvals == 3 and len(set(delays)) == 3
    assert c.delay_total == pytest.approx(sum(delays))


@pytest.mark.parametrize("council_first, stage", [(True, Stage.COUNCIL_FORMATION), (False, Stage.DELIBERATION)])
def test_sign_offs_that_run_out_exactly_this_week_start_the_project(council_first, stage):
    from sim.compound import application

    m, c = three_compounds(council_first=council_first)
    c.enter(Stage.APPLICATION_REVIEW, 3)
    c.remaining = c.office.progress_for(c)  # exactly one week's progress left
    application.review(c, 9)
    assert c.stage == stage and c.stage_week == 9


def test_every_visiting_order_a_compound_draws_in_a_week_is_drawn_afresh():
    # §7.5 and the counter-based RNG: the council election, the meetings, the co-funding follow-ups
    # and the hand-over each walk the compound in an order of their own
    from sim.compound import application, cofunding, construction

    orders = {}
    for council_first in (True, False):
        m, c = three_compounds(council_first=council_first, s_res=0.3)
        t = 20
        c.plan[c.menu] = True
        application.start_project(c, t)
        orders["council" if council_first else "meetings"] = c.order.copy()
    cofunding.plan_approved(c, t)
    orders["co-funding"] = c.visit_order.copy()
    c.contractor = SimpleNamespace(quality=0.8)
    construction.complete(c, t)
    orders["hand-over"] = c.visit_order.copy()
    names = list(orders)
    for i, a in enumerate(names):
        assert sorted(orders[a]) == list(range(c.lo, c.hi)), a
        for b in names[i + 1 :]:
            assert not np.array_equal(orders[a], orders[b]), (a, b)


def test_without_a_visiting_order_the_manager_visits_in_a_fixed_shuffle():
    # a compound billed with no order drawn (e.g. handed over before the works drew one) is visited
    # in one fixed order: the same households each month, a shuffle rather than id order
    from sim.rng import Purpose

    m = billing()
    c, h = m.compounds[1], m.hh
    c.visit_order = np.zeros(0, dtype=np.int64)
    fixed = c.shuffle(0, Purpose.CANVASS + 5)
    assert not np.array_equal(fixed, np.arange(c.lo, c.hi))
    for _ in range(2):
        management.bill_month(m, [c])
        visited = np.flatnonzero(h.visit_weight[c.sl]) + c.lo
        assert sorted(visited) == sorted(fixed[: payment.MANAGER_VISITS_PER_MONTH])


def test_a_council_larger_than_the_thirty_visits_sends_each_member_once():
    m = billing()
    c, h = m.compounds[1], m.hh
    _seat(m, c, np.arange(c.lo, c.lo + 40))
    management.bill_month(m, [c])
    assert np.count_nonzero(h.visit_weight[c.sl]) == 40  # at least one visit each, not two
