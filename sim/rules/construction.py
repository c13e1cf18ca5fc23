"""Construction and supervision (ODD §7.10): a principal–agent contractor (Holmström 1979).

Monitoring combines the council's supervision (0.6·Leg), the platform (τ_mon) and government
inspection (0.3); effort rises with monitoring; undetected defects lower quality.
"""

from __future__ import annotations

GOV_INSPECTION = 0.3
DEFECT_RATE = 0.2
DEFECT_COST = 0.03


def duration_weeks(n_items: int) -> float:
    """8 + 1.5·|P| weeks."""
    return 8 + 1.5 * n_items


def monitoring(leg: float, council: bool, tau_mon: float) -> float:
    """Mon = 1 − (1 − m_c)(1 − τ_mon)(1 − 0.3), with m_c = 0.6·Leg when a council exists."""
    m_c = 0.6 * leg if council else 0.0
    return 1 - (1 - m_c) * (1 - tau_mon) * (1 - GOV_INSPECTION)


def effort(e0: float, mon: float) -> float:
    """e = e0 + (1 − e0)·Mon."""
    return e0 + (1 - e0) * mon


def quality(e: float, undetected: int) -> float:
    """Q = clip(e − 0.03·undetected, 0, 1)."""
    return min(1.0, max(0.0, e - DEFECT_COST * undetected))
