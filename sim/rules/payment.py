"""Who pays: co-funding and monthly property fees (ODD §7.9).

This module is the one place that decides whether a household pays. Payment follows conditional
cooperation (Fischbacher, Gächter & Fehr 2001): most people pay if they believe others pay, β < 1 makes
the cooperation imperfect (Fischbacher & Gächter 2010); representatives' follow-up visits act as a
soft sanction (Fehr & Gächter 2000); having deliberated raises contributions (Ostrom, Walker & Gardner
1992; Balliet 2010); paying last month is a habit. Effect sizes are [A].
"""

from __future__ import annotations

import numpy as np

# cooperation types (coop_type codes)
CONDITIONAL, FREE_RIDER, HUMP, UNCONDITIONAL = 0, 1, 2, 3
_ALPHA = np.array([0.10, 0.0, 0.10, 0.9])
_BETA = np.array([0.85, 0.0, 0.85, 0.0])

COFUND_WEEKS = 12
COFUND_EXTENSION = 8
COFUND_TARGET = 0.8
REP_VISITS_PER_WEEK = 10
MANAGER_VISITS_PER_MONTH = 30
PARTY_VISIT_WEIGHT = 1.5
BELIEF_MEMORY = 0.7


def type_response(coop, belief):
    """α_τ + β_τ·g_τ(Ĉ), with g = Ĉ for conditional cooperators and min(Ĉ, 1−Ĉ) for hump-shaped."""
    g = np.where(coop == HUMP, np.minimum(belief, 1.0 - belief), belief)
    return _ALPHA[coop] + _BETA[coop] * g


def monthly_income(income_tier, elderly, p):
    """Household income y_i in yuan a month: the tier's income, × ``elderly_income`` if elderly [A].

    Ability to pay is what makes the price bite (Deaton & Muellbauer 1980 on budget shares; in
    Chinese renovation surveys low-income and elderly households object most to co-funding).
    """
    tiers = np.array([p.income_low, p.income_mid, p.income_high])
    return tiers[income_tier] * np.where(elderly, p.elderly_income, 1.0)


def bill_burden(bill, income_tier, elderly, p):
    """The bill in months of the household's income, F / y_i (the absolute price, ODD §7.9)."""
    return bill / monthly_income(income_tier, elderly, p)


def pay_probability(coop, belief, leg, trust, visit, bill_ratio, met, habit, burden=0.0, psi_pay=0.0):
    """Probability of paying one bill (a co-funding window or one month of fees).

    p = clip(α + β·g(Ĉ) + 0.2(Leg−0.5) + 0.2(T−0.5) + 0.5·S − 0.1·F/F̄ + 0.1·met + 0.25·H, 0, 1)
        · exp(−ψ_pay·F/y)
    with S the weight of a follow-up visit (1, or 1.5 from a party representative), ``bill_ratio`` =
    F/F̄ (the bill against the compound's mean: fairness), ``met`` = attended a deliberation,
    ``habit`` = paid last month (fees only), and ``burden`` = F/y, the bill in months of the
    household's income. The burden multiplies: willingness to pay is bounded by ability to pay,
    which neither a visit nor a belief restores, so a higher cost share lowers payment smoothly, as
    a downward-sloping demand does, instead of being absorbed by the clip.
    """
    p = (
        type_response(coop, belief)
        + 0.2 * (leg - 0.5)
        + 0.2 * (trust - 0.5)
        + 0.5 * visit
        - 0.1 * bill_ratio
        + 0.1 * met
        + 0.25 * habit
    )
    return np.clip(p, 0.0, 1.0) * np.exp(-psi_pay * burden)


def weekly_hazard(p_window, window_weeks=COFUND_WEEKS):
    """Weekly payment hazard 1 − (1 − p)^(1/12) that spreads p over a 12-week window."""
    return 1.0 - (1.0 - p_window) ** (1.0 / window_weeks)


def update_belief(belief, compound_share, neighbour_share, tau_tr):
    """Ĉ ← 0.7·Ĉ + 0.3·obs, obs = τ_tr·compound share + (1 − τ_tr)·neighbours' share."""
    obs = tau_tr * compound_share + (1.0 - tau_tr) * neighbour_share
    return BELIEF_MEMORY * belief + (1.0 - BELIEF_MEMORY) * obs


def run_rate(paid_share, elapsed_fraction):
    """During co-funding a share is read as a run-rate: min(1, paid share ÷ elapsed fraction)."""
    return np.minimum(1.0, paid_share / np.maximum(elapsed_fraction, 1e-9))


ACCOUNTS_WEIGHT = 0.5


def observed_share_weight(transparency, council):
    """τ_tr: weight of the compound-wide paid share in the belief, 1 − (1 − transparency)(1 − ½·council).

    Published payments (the platform) and the council's notices are two channels; either lets a
    household see the compound's share instead of only its neighbours' (ODD §7.9).
    """
    return 1.0 - (1.0 - transparency) * (1.0 - 0.5 * council)


def collector_legitimacy(leg, transparency):
    """Legitimacy of whoever collects, raised by published accounts: Leg + (1 − Leg)·½·transparency.

    Residents who can see where the money goes suspect misuse less (ODD §7.9; Ostrom 1990 on
    monitoring; Fung & Wright 2003 on accountable participatory governance) [A].
    """
    return leg + (1.0 - leg) * ACCOUNTS_WEIGHT * transparency
