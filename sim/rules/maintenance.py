"""Long-term maintenance of what was built (ODD §7.11; E7, E9).

Facilities decay with a three-year half-life, faster where social capital is thin; a management
body that collects fees repairs them. A council with enough fee collection and upkeep may convert
into an owners' committee (OC).
"""

from __future__ import annotations

import math

LEG_MANAGE = 0.4
OC_MIN_FEES = 0.6
OC_MIN_MAINTENANCE = 0.6
OC_LEG_GAIN = 0.1
BID_SIGMA = 0.5  # dispersion (log scale) of property companies' costs across bidders [A]


def maintenance_step(M, sc, fc, body, p):
    """M ← M − δ_M(1 + 0.5(1 − SC))·M + r_M·b·FC·(1 − M)."""
    return M - p.delta_M * (1 + 0.5 * (1 - sc)) * M + p.r_M * body * fc * (1 - M)


def conversion_probability(p_conv: float, leg: float, fee_rate: float, M: float) -> float:
    """Yearly P(council → OC) = p_conv·Leg if annual fee rate >= 0.6 and M >= 0.6."""
    if fee_rate >= OC_MIN_FEES and M >= OC_MIN_MAINTENANCE:
        return p_conv * leg
    return 0.0


def manager_legitimacy(mean_trust, M):
    """Legitimacy of a property company installed without a council: T̄·M (ODD §7.11).

    Nobody elected it, so residents judge it by what they can see — their trust in institutions and
    the state of the facilities it keeps (performance legitimacy; Tyler 2006), and it needs both: a
    trusted manager of crumbling facilities or a mistrusted one of good ones is not paid. As M falls when
    fees go unpaid, this closes the low-fee, poor-service circle reported for China's old compounds
    (E7): it replaces a fixed company legitimacy of 0.3.
    """
    return mean_trust * M


def company_entry_probability(revenue: float, cost: float) -> float:
    """P(a property company takes the compound on) = Φ((ln R − ln C) / σ_bid) (ODD §7.11; E7).

    ``revenue`` is the fee a company expects to collect per household-month, ``cost`` the median
    bidder's cost of managing one: the cheapest bidder's cost is lognormal around it, so the chance
    that some company finds the contract worth taking rises smoothly with the expected fees (free
    entry where a market is viable; no company where residents pay little and facilities are poor,
    the 'no property management' circle of China's old compounds).
    """
    if revenue <= 0 or cost <= 0:
        return 0.0 if revenue <= 0 else 1.0
    z = (math.log(revenue) - math.log(cost)) / BID_SIGMA
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))
