"""The contractor of one project (ODD §3, §7.10): effort responds to monitoring (Holmström 1979)."""

from __future__ import annotations

import math

import mesa

from sim import rng
from sim.rng import Purpose
from sim.rules import construction as rules


class Contractor(mesa.Agent):
    """Builds the plan; defects arise at 0.2(1 − e) a week and are caught with probability Mon."""

    def __init__(self, model, compound):
        super().__init__(model)
        self.compound = compound
        self.remaining = 0.0
        self.effort = compound.p.e0
        self.monitoring = 0.0
        self.defects = 0
        self.undetected = 0
        self._key = int(rng.slot_keys(compound.key, rng.COMPOUND_SLOT + 7))

    def start(self, n_items: int, leg: float, council: bool) -> None:
        p = self.compound.p
        self.remaining = rules.duration_weeks(n_items)
        self.monitoring = rules.monitoring(leg, council, p.tau_mon)
        self.effort = rules.effort(p.e0, self.monitoring)

    def work(self, t: int) -> bool:
        """One week of works; returns True when the works are finished."""
        key = self._key
        new = _poisson(rng.uniform_int(key, t, Purpose.DEFECT), rules.DEFECT_RATE * (1 - self.effort))
        for j in range(new):
            self.defects += 1
            if rng.uniform_int(key, t, Purpose.DETECT + j) >= self.monitoring:
                self.undetected += 1
        self.remaining -= 1
        return self.remaining <= 0

    @property
    def quality(self) -> float:
        return rules.quality(self.effort, self.undetected)


def _poisson(u: float, lam: float) -> int:
    """Poisson(lam) by inversion of one uniform."""
    k, p = 0, math.exp(-lam)
    cdf = p
    while u >= cdf and k < 100:
        k += 1
        p *= lam / k
        cdf += p
    return k
