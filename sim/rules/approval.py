"""Line-department approvals and street-office capacity (ODD §7.6; E19 条块整合).

Every approval needs K = 5 departmental sign-offs [P], each Gamma(shape 2, mean 4 weeks) [A]. With
integration ι the sign-offs run in parallel: D(ι) = (1−ι)·Σ d_k + ι·max d_k — 20.0, 16.3, 10.1 and
7.6 weeks on average at ι = 0, 0.3, 0.8 and 1.
"""

from __future__ import annotations

import numpy as np

COUNCIL_PROJECT_HOURS = 8.0
TOP_DOWN_PROJECT_HOURS = 2.0
COMPLAINT_HOURS = 2.0


def approval_delay(signoffs, integration):
    """D(ι) from an array of sign-off durations (last axis: departments)."""
    signoffs = np.asarray(signoffs, dtype=float)
    return (1 - integration) * signoffs.sum(axis=-1) + integration * signoffs.max(axis=-1)


def project_hours(council_active: bool, top_down: bool) -> float:
    """Street-office hours a project takes per week: 8·(1 − 0.5·council), or 2 where the bureau leads."""
    if top_down:
        return TOP_DOWN_PROJECT_HOURS
    return COUNCIL_PROJECT_HOURS * (1 - 0.5 * council_active)


def progress_factor(hours_available: float, demand: float) -> float:
    """When demand exceeds the office's hours every project's progress is scaled by H/demand."""
    return 1.0 if demand <= hours_available else hours_available / demand
