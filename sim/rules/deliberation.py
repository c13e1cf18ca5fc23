"""Deliberation, plan drafting and votes (ODD §7.8).

Plan meetings follow bounded confidence (Deffuant et al. 2000): attendees whose valuation of an item
is within ε of the meeting mean move toward it; the rest may clash. Training in the 13 deliberation
rules widens ε, speeds convergence and defuses conflict. Votes follow the Civil Code art. 278
thresholds (turnout ≥ 2/3 of owners, yes ≥ 3/4 of voters) or a simple majority.
"""

from __future__ import annotations

from sim.rules.payment import monthly_income

DISRUPTION = 0.1
CONFLICT_BASE = 0.2
DEMAND_FLOOR = 0.2


def confidence_bound(tau_train):
    """ε = 0.3(1 + τ_train)."""
    return 0.3 * (1 + tau_train)


def convergence_rate(tau_train):
    """μ_D = 0.2(1 + τ_train)."""
    return 0.2 * (1 + tau_train)


def conflict_probability(tau_train):
    """P(conflict on a disagreement beyond ε) = 0.2(1 − τ_train)."""
    return CONFLICT_BASE * (1 - tau_train)


def price_sensitivity(income_tier, elderly, p):
    """ψ_i = ψ · y_mid / y_i: the same bill weighs more the less the household earns (ODD §7.8).

    y_i is :func:`sim.rules.payment.monthly_income` (income tier, elderly). With the defaults ψ_i is
    1.67ψ for a low-income, 0.56ψ for a high-income and 1.25ψ for an elderly middle-income household,
    so support for a plan falls household by household as the cost share rises, not all at once.
    """
    return p.psi * p.income_mid / monthly_income(income_tier, elderly, p)


def net_values(v, psi_i, s_res, cost, mean_cost):
    """u_ik = v_ik − ψ_i·s_res·c_k/ĉ (households × items)."""
    return v - (psi_i * s_res)[:, None] * (cost / mean_cost)[None, :]


def demanded(v, psi_i, s_res, cost, mean_cost):
    """Items a household demands: v_ik ≥ 0.2 + ψ_i·s_res·c_k/ĉ (all valued items when s_res = 0)."""
    return v >= DEMAND_FLOOR + (psi_i * s_res)[:, None] * (cost / mean_cost)[None, :]


def converged(spread: float, threshold: float) -> bool:
    """The council calls a vote once attendees' mean distance from the meeting mean is below the threshold.

    Deffuant et al. (2000) opinion dynamics converge into clusters; a vote is called when the
    meeting has (mostly) converged to one cluster [A].
    """
    return spread == spread and spread < threshold  # NaN (nobody attended) is not convergence


def item_scores(mean_net_value, priority, co_decision):
    """score_k = c·ū_k + (1 − c)(g_k − 0.5); the draft holds the items with a positive score."""
    return co_decision * mean_net_value + (1 - co_decision) * (priority - 0.5)


def votes_yes(u_plan_sum):
    """A voter says yes if the plan's total net value exceeds the disruption cost 0.1."""
    return u_plan_sum - DISRUPTION > 0


def vote_passes(n_voters: int, n_yes: int, n_owners: int, rule: str) -> tuple[bool, bool]:
    """(quorum met, passed) under ``civil_code`` (2/3 turnout, 3/4 yes) or ``majority`` (1/2, >1/2)."""
    if rule == "civil_code":
        quorum = n_voters * 3 >= 2 * n_owners
        return quorum, quorum and n_yes * 4 >= 3 * n_voters
    quorum = n_voters * 2 >= n_owners
    return quorum, quorum and n_yes * 2 > n_voters
