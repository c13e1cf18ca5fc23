"""Complaints and their handling (ODD §7.12). Coefficients are [A].

Complaints rise with dissatisfaction, construction disruption (halved by a council that liaises
with the contractor), run-down facilities and unmet demands (需求无止境).
"""

from __future__ import annotations

import numpy as np

from sim.kernels.dual import rule


@rule
def complaint_probability(sat, disruption, council, maintenance, unmet):
    """Weekly P(complain) = 0.001 + 0.004(1−Sat) + 0.005·disr·(2−council) + 0.004·max(0, 0.5−M) + 0.003·unmet."""
    return (
        0.001
        + 0.004 * (1.0 - sat)
        + 0.005 * disruption * (2.0 - council)
        + 0.004 * np.maximum(0.0, 0.5 - maintenance)
        + 0.003 * unmet
    )


@rule
def resolve_probability(leg):
    """The council resolves a complaint with probability 0.6·Leg; otherwise it escalates."""
    return 0.6 * leg
