"""Long-term maintenance of what was built (ODD §7.11; E7, E9).

Facilities decay with a three-year half-life, faster where social capital is thin; a management
body that collects fees repairs them. A council with enough fee collection and upkeep may convert
into an owners' committee (OC).
"""

from __future__ import annotations

LEG_MANAGE = 0.4
MANAGER_LEG = 0.3  # legitimacy of a property company installed without a council [A]
OC_MIN_FEES = 0.6
OC_MIN_MAINTENANCE = 0.6
OC_LEG_GAIN = 0.1


def maintenance_step(M, sc, fc, body, p):
    """M ← M − δ_M(1 + 0.5(1 − SC))·M + r_M·b·FC·(1 − M)."""
    return M - p.delta_M * (1 + 0.5 * (1 - sc)) * M + p.r_M * body * fc * (1 - M)


def conversion_probability(p_conv: float, leg: float, fee_rate: float, M: float) -> float:
    """Yearly P(council → OC) = p_conv·Leg if annual fee rate >= 0.6 and M >= 0.6."""
    if fee_rate >= OC_MIN_FEES and M >= OC_MIN_MAINTENANCE:
        return p_conv * leg
    return 0.0
