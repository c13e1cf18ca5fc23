"""Attitude, satisfaction and trust (ODD §7.4).

Campaigns (open letters, short videos, 更新南宁 films) and garden or anti-epidemic events raise the
attitude toward renovation; conflicts lower it. After completion the attitude drifts toward the
household's satisfaction with what was built. Trust rises when approved work is delivered with
published accounts and falls with conflicts and unresolved complaints. All rates are [A].
"""

from __future__ import annotations

import numpy as np

from sim.kernels.dual import clip, rule, where

SAT_DRIFT = 0.1
TRUST_STEP = 0.05


@rule
def update_attitude(A, campaign_reached, attended_event, conflict, completed, sat, p):
    """A += η_c·camp(1−A) + η_e·event(1−A) − η_x·conflict·A; after completion A → Sat at 0.1/week."""
    A = A + p.eta_c * campaign_reached * (1.0 - A) + p.eta_e * attended_event * (1.0 - A)
    A = A - p.eta_x * conflict * A
    A = where(completed, A + SAT_DRIFT * (sat - A), A)
    return clip(A, 0.0, 1.0)


@rule
def update_trust(T, delivered_published, bad_events):
    """T += 0.05(1−T) on delivery with published accounts; T −= 0.05·T per conflict or unresolved complaint."""
    T = where(delivered_published, T + TRUST_STEP * (1.0 - T), T)
    return T * (1.0 - TRUST_STEP) ** bad_events


def satisfaction(quality, delivered_value, demanded_value):
    """Sat = Q · min(1, Σ_{k∈P∩Dem} φ_k v_k / Σ_{k∈Dem} v_k); Q where nothing is demanded.

    (Before completion the caller holds Sat at 0.5, ODD §7.4.)
    """
    ratio = np.where(demanded_value > 0, delivered_value / np.where(demanded_value > 0, demanded_value, 1), 1.0)
    return quality * np.minimum(1.0, ratio)
