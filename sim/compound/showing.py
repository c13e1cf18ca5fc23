"""What a compound shows its households this week: its row of the context contract (ODD §4 step 1).

Each value is declared, with its meaning, in :mod:`sim.context`; this module says how a compound's
stage and actors set it: :func:`context` for one compound, :func:`columns` for many at once from the
compound table (the model's weekly path), with the same numbers.
"""

from __future__ import annotations

import numpy as np

from sim.compound import management
from sim.compound.table import MGMT_CODE
from sim.constants import COMMENT_WEEKS, QUARTER
from sim.kernels import sums
from sim.rules import payment
from sim.rules.intention import transaction_cost
from sim.stages import Stage


def context(c, t: int, model) -> dict:
    p = c.p
    st = c.stage
    council = c.council_active
    meeting = vote = consult = False
    vote_owners = False
    since = t - c.stage_week
    if st == Stage.COUNCIL_FORMATION and t == c.next_attempt:
        vote = True
    elif st == Stage.DELIBERATION and since % 2 == 0:
        meeting = True
        if p.co_decision >= 0.5 and c.vote_called:
            vote, vote_owners = True, True
    elif st == Stage.PLAN_APPROVAL:
        consult = since < COMMENT_WEEKS  # the posted plan's comment period (公示征求意见), every regime
    elif st == Stage.LONG_TERM and council and since > 0 and since % QUARTER == 0:
        meeting = True
        vote = c.ballot_due  # a by-election or the end of the council's term
    elif st == Stage.LONG_TERM and management.reform_due(c, t):
        vote = True  # the community calls an election to form the council again
    notice = c.notice_due or meeting and st == Stage.LONG_TERM  # posted plans, works, minutes
    c.notice_due = False
    c.opened = {"meeting": meeting, "vote": vote}
    chan = 1.0 if (p.self_application or council) else 0.0
    seats = c.council.seats if council else 1
    # a fee month bills the households; a zero fee is no bill (fee collection then does not exist)
    fee_month = st == Stage.LONG_TERM and c.bills and model.new_month and c.fee > 0
    elapsed = (t - c.window_start + 1) / c.window_len if st == Stage.FUNDRAISING else 1.0
    share = payment.run_rate(c.cofund_share, elapsed) if st == Stage.FUNDRAISING else c.last_fee_rate
    leg_pay = payment.collector_legitimacy(c.leg if council else management.manager_legitimacy(c), p.transparency)
    return {
        "vis": 1.0 if (council or p.tau_info > 0) else 0.3,
        "tc": transaction_cost(p.tau_info, p.tau_train, p.tau_mon, chan),
        "eff": efficacy(c.n, seats),
        "meeting": meeting,
        "event": model.scheduled(t, p.events_per_yr, event=True) and c.aware,
        "vote": vote,
        "vote_owners": vote_owners,
        "consult": consult,
        "notice": notice,
        "campaign": model.scheduled(t, p.campaigns_per_yr) and c.aware,
        "completed": st == Stage.LONG_TERM,
        "tau_info": p.tau_info,
        "p_reach": p.p_reach,
        "cofund_open": st == Stage.FUNDRAISING,
        "fee_month": fee_month,
        "fee": c.fee,
        "leg": leg_pay if st in (Stage.FUNDRAISING, Stage.LONG_TERM) else c.leg,
        "tau_tr": payment.observed_share_weight(p.transparency, 1.0 if council else 0.0),
        "share": float(share),
        "elapsed": float(elapsed),
        "disruption": 1.0 if st == Stage.CONSTRUCTION else 0.0,
        "council": 1.0 if council else 0.0,
        "M": c.M,
        "delivered": c.delivered,
    }


def efficacy(n: int, seats: int) -> float:
    """Households per representative as efficacy, (25 / (n / seats))^0.1 capped at 1 (§7.2)."""
    return min(1.0, (25.0 / (n / seats)) ** 0.1)


def columns(model, t: int, rows: np.ndarray) -> dict:
    """:func:`context` of the compounds ``rows`` as one array per field, read off the compound table.

    Pure: the notice and what the context opened are booked by :func:`opened`.
    """
    tab = model.compound_table
    st, since = tab.stage[rows], t - tab.stage_week[rows]
    council = tab.council_active()[rows]
    lever = lambda name: tab.lever(name, rows)  # noqa: E731
    co_decide, tau_info, transparency = lever("co_decision") >= 0.5, lever("tau_info"), lever("transparency")
    forming, deliberating = st == Stage.COUNCIL_FORMATION, st == Stage.DELIBERATION
    managed, fundraising = st == Stage.LONG_TERM, st == Stage.FUNDRAISING
    quarter = managed & council & (since > 0) & (since % QUARTER == 0)
    reform = managed & tab.has_council[rows] & tab.council_ever[rows] & ~council & (since > 0) & (since % 52 == 0)
    meeting = (deliberating & (since % 2 == 0)) | quarter
    vote = forming & (t == tab.next_attempt[rows])
    vote_owners = deliberating & (since % 2 == 0) & co_decide & tab.vote_called[rows]
    vote |= vote_owners | (quarter & tab.ballot_due[rows]) | reform
    chan = (lever("self_application") | council) * 1.0
    mgmt = tab.mgmt[rows]
    fee = tab.fee(rows)
    bills = mgmt != MGMT_CODE["none"]
    elapsed = np.where(fundraising, (t - tab.window_start[rows] + 1) / np.maximum(tab.window_len[rows], 1), 1.0)
    share = np.where(fundraising, payment.run_rate(tab.cofund_share[rows], elapsed), tab.last_fee_rate[rows])
    leg = np.where(council, tab.legitimacy[rows], 0.0)
    M = tab.M[rows]
    billed = np.flatnonzero(bills & ~council & (managed | fundraising))
    manager = np.zeros(rows.size)  # sim.compound.management.manager_legitimacy: trust T̄ x facilities M
    manager[billed] = sums.segment_means(model.hh.trust, model.bounds, rows[billed]) * M[billed]
    leg_pay = payment.collector_legitimacy(np.where(council, leg, manager), transparency)
    aware = tab.aware[rows]
    return {
        "vis": np.where(council | (tau_info > 0), 1.0, 0.3),
        "tc": transaction_cost(tau_info, lever("tau_train"), lever("tau_mon"), chan),
        "eff": np.where(council, tab.eff_council[rows], tab.eff_alone[rows]),
        "meeting": meeting,
        "event": _scheduled(model, t, lever("events_per_yr"), True) & aware,
        "vote": vote,
        "vote_owners": vote_owners,
        "consult": (st == Stage.PLAN_APPROVAL) & (since < COMMENT_WEEKS),
        "notice": tab.notice_due[rows] | (meeting & managed),
        "campaign": _scheduled(model, t, lever("campaigns_per_yr"), False) & aware,
        "completed": managed,
        "tau_info": tau_info,
        "p_reach": lever("p_reach"),
        "cofund_open": fundraising,
        "fee_month": managed & bills & model.new_month & (fee > 0),
        "fee": fee,
        "leg": np.where(fundraising | managed, leg_pay, leg),
        "tau_tr": payment.observed_share_weight(transparency, council * 1.0),
        "share": share,
        "elapsed": elapsed,
        "disruption": (st == Stage.CONSTRUCTION) * 1.0,
        "council": council * 1.0,
        "M": M,
        "delivered": tab.delivered[rows],
    }


def opened(model, rows: np.ndarray, ctx: dict) -> None:
    """The compounds ``rows`` showed ``ctx`` (from :func:`columns`): notices posted, meetings and votes open."""
    tab = model.compound_table
    tab.notice_due[rows] = False
    tab.meeting_open[rows] = ctx["meeting"]
    tab.vote_open[rows] = ctx["vote"]


def _scheduled(model, t: int, per_year: np.ndarray, event: bool) -> np.ndarray:
    """``model.scheduled`` for each compound's number of events (or campaigns) a year."""
    rates = np.unique(per_year)
    hits = np.array([model.scheduled(t, int(n), event=event) for n in rates], dtype=bool)
    return hits[np.searchsorted(rates, per_year)]


def fill(model, t: int) -> None:
    """Every compound's row of the model's context table for week ``t`` (ODD §4 step 1).

    A compound waiting for the bureau (city mode, ``quiet``) offers the same context week after week
    except its facilities, so its row is left as it was and only the ``M`` column is renewed.
    """
    tab = model.compound_table
    quiet = model.quiet_compounds(t) if model.city and t > 0 else None
    rows = np.arange(tab.n) if quiet is None else np.flatnonzero(~quiet)
    ctx = columns(model, t, rows)
    opened(model, rows, ctx)
    model.context_table.set_rows(rows, ctx)
    if t > 0:  # from next week on, a compound that waits keeps this row (sim.city.CityCompound.quiet)
        tab.quiet_ready[rows] |= ~tab.aware[rows] & (tab.stage[rows] == Stage.AWARE)
    model.context_table.set_facilities(tab.M)
