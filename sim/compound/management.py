"""Long-term management: monthly fees, follow-up visits, by-elections and conversion (ODD §7.11; E13, E21).

The management forms: the council managing itself (``self``), an owners' committee (``OC``), a
property company (``company``), or, where none of them takes the compound on, the street office as
caretaker (``office``, 街道托管): it keeps the compound clean for a basic-service fee
(``caretaker_fee``) but funds no repairs — the state of China's old compounds without property
management (E7). Each month whoever manages bills its fee per m²; who pays is the household rule
(:func:`sim.household.pay`). The council's representatives (or the manager) follow up unpaid
households. Once a year the council holds a by-election, and a legitimate council with good fee
collection and facilities may convert into an owners' committee (``p_conv``). The council renews
itself — by-elections for vacant seats, a re-election at the end of each term — and when it
dissolves the management form is decided again, since nobody self-manages without a council.
"""

from __future__ import annotations

import numpy as np

from agents.council import CouncilStatus
from sim.compound import followup
from sim.kernels import sums
from sim.rng import Purpose
from sim.rules import maintenance as maint
from sim.rules import payment
from sim.stages import TERMINAL, Stage

MANAGEMENT_BODIES = ("self", "OC", "company")  # those that repair the facilities from the fees
CARETAKER = "office"


def init_state(c) -> None:
    """The management form, the fee books and the yearly fee rate (the last twelve months are in the table)."""
    c.mgmt = "none"
    c.fee_billed = 0.0
    c.fee_collected = 0.0
    c.fee_year = 0.0
    c.last_fee_rate = 0.0
    c.ballot_due = False  # the council must fill seats or be re-elected at its next meeting


def manager_legitimacy(c) -> float:
    """The legitimacy of a company or caretaker nobody elected, from the compound's state: residents'
    trust and the upkeep they see (§7.11); 0 where nobody bills."""
    if not c.bills:
        return 0.0
    return float(maint.manager_legitimacy(c.model.hh.trust[c.sl].mean(), c.M))


def expected_fee_revenue(c) -> float:
    """The fee per household-month a property company expects to collect at hand-over (§7.11).

    Each household's bill weighted by its probability of paying a company under the payment rule
    (:func:`sim.rules.payment.pay_probability`), with the company's legitimacy T̄·M, no follow-up
    visit and no habit yet.
    """
    h, p = c.model.hh, c.p
    sl = c.sl
    bill = p.fee_per_m2 * h.area[sl]
    leg = payment.collector_legitimacy(maint.manager_legitimacy(h.trust[sl].mean(), c.M), p.transparency)
    prob = payment.pay_probability(
        h.coop[sl],
        h.belief[sl],
        leg,
        h.trust[sl],
        0.0,
        h.area[sl] / h.area[sl].mean(),
        h.met[sl] * 1.0,
        0.0,
        payment.bill_burden(bill, h.income[sl], h.elderly[sl], p),
        p.psi_pay,
    )
    return float((prob * bill).mean())


def company_enters(c, t: int) -> bool:
    """Whether a property company takes the compound on when nobody else manages it (§7.11; E7)."""
    prob = maint.company_entry_probability(expected_fee_revenue(c), c.p.mgmt_cost)
    return c.draw(2, t, Purpose.MGMT_BODY) < prob


def act(c, t: int) -> None:
    """LONG_TERM: a fee month's books and follow-up; the council's renewal, conversion and form."""
    if c.bills and c.model.new_month and c.fee > 0:
        bill_month(c.model, [c])
    if c.council is not None:
        renew(c, t)
    decide_form(c, t)


def bill_month(model, compounds: list) -> None:
    """A fee month of each of ``compounds`` (all billing, after hand-over): books and follow-up (§7.11).

    Whoever manages bills ``fee × area`` to every household; the month's collection rate is what the
    households who paid (:func:`sim.household.pay`) paid over what was billed, and ``fee_year`` the
    mean rate of the last twelve fee months. Then the council's representatives (or the manager)
    follow up the households who did not pay: the manager makes 30 visits a month, the council the
    same 30 shared among its members, at least one each.
    """
    tab, h = model.compound_table, model.hh
    rows = np.array([c.index for c in compounds], dtype=np.int64)
    billed, collected = sums.segment_bills(h.area, h.paid_month, tab.fee(rows), model.bounds, rows)
    rate = collected / billed
    tab.fee_billed[rows] += billed
    tab.fee_collected[rows] += collected
    months = tab.fee_months[rows]
    tab.fee_ring[rows, months % tab.fee_ring.shape[1]] = rate
    tab.fee_months[rows] = months + 1
    tab.fee_year[rows] = sums.ring_means(tab.fee_ring, tab.fee_months, rows)
    tab.last_fee_rate[rows] = rate
    council = tab.council_active()[rows]
    shared = np.maximum(1, payment.MANAGER_VISITS_PER_MONTH // np.maximum(1, tab.members[rows]))
    followup.follow_up(model, compounds, h.paid_month, np.where(council, shared, payment.MANAGER_VISITS_PER_MONTH))


def renew(c, t: int) -> None:
    """The council renews itself (ODD §7.7): quits once a year, by-elections for vacant seats and a
    re-election when its term ends, both at the next quarterly meeting; a council that dissolved may
    be formed again at the community's yearly call.
    """
    council, p = c.council, c.p
    since = t - c.stage_week
    if c.opened["vote"]:
        if council.active and council.term_over(t):
            council.add_candidates(t)
            if not council.hold_election(t):
                council.dissolve()
        elif council.active:
            council.by_election(t)
        else:
            council.add_candidates(t)
            council.hold_election(t)
    if since > 0 and since % 52 == 0 and council.active:
        council.quit(t)
        if c.mgmt != "OC":
            prob = maint.conversion_probability(p.p_conv, c.leg, c.fee_year, c.M)
            if c.draw(3, t, Purpose.CONVERSION) < prob:
                c.mgmt = "OC"
                council.status = CouncilStatus.OC
                council.legitimacy = min(1.0, council.legitimacy + maint.OC_LEG_GAIN)
    c.ballot_due = council.active and (council.vacancies > 0 or council.term_over(t))


def reform_due(c, t: int) -> bool:
    """The community's yearly call to form the council again where one led the project and dissolved."""
    since = t - c.stage_week
    council = c.council
    return council is not None and c.council_ever and not council.active and since > 0 and since % 52 == 0


def decide_form(c, t: int) -> None:
    """Who manages follows who can (§7.11): no self-management or owners' committee without a council.

    When the council dissolves, a company takes the compound on if the fees cover its cost
    (:func:`company_enters`), else the street office caretakes; a council formed again takes over from
    the caretaker once it is legitimate enough to manage.
    """
    active = c.council_active
    if c.mgmt in ("self", "OC") and not active:
        c.mgmt = "company" if company_enters(c, t) else CARETAKER
    elif active and c.mgmt == CARETAKER and c.leg >= maint.LEG_MANAGE:
        c.mgmt = "OC" if c.council.status == CouncilStatus.OC else "self"


def yearly(c, t: int) -> None:
    """Before completion, representatives turn over once a year and their seats are filled at once."""
    if c.council_active and c.stage != Stage.LONG_TERM and c.stage not in TERMINAL:
        c.council.quit(t)
        c.council.by_election(t)
