"""What a compound shows its households this week: its row of the context contract (ODD §4 step 1).

Each value is declared, with its meaning, in :mod:`sim.context`; this module says how a compound's
stage and actors set it.
"""

from __future__ import annotations

from sim.compound import management
from sim.constants import COMMENT_WEEKS, QUARTER
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
        "eff": min(1.0, (25.0 / (c.n / seats)) ** 0.1),
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
