"""The street office and community committees (街道/社区两委) (ODD §3, §7.6, §7.12).

Staff hours are scarce (H = 40 h/week per community, shared by about 4.94 compounds [D]); a
council-led project takes half the hours of one the office runs itself, and every escalated
complaint costs two hours. When demand exceeds the hours, approvals and stage progress slow down —
the paper's 'overloaded community' (社区负担重).
"""

from __future__ import annotations

import mesa
import numpy as np

from sim import rng
from sim.rng import Purpose
from sim.rules import approval


class StreetOffice(mesa.Agent):
    """A community's street office, serving one compound (compound mode) or several (city mode).

    In compound mode the office's other compounds are represented by ``office_background_hours``;
    in city mode the compounds of a community share its hours, and this week's progress follows last
    week's total demand.
    """

    def __init__(self, model, shared: bool = False):
        super().__init__(model)
        self.shared = shared
        self.progress = 1.0
        self.approvals = 0
        self._demand = 0.0
        self._own: dict[int, float] = {}

    @property
    def available(self) -> float:
        p = self.model.p
        return p.office_hours if self.shared else max(0.0, p.office_hours - p.office_background_hours)

    def week(self, compound, project_active: bool, escalated: int) -> None:
        """Book a compound's hours this week: its project (if one is under way) and escalated complaints."""
        demand = approval.COMPLAINT_HOURS * escalated
        if project_active:
            demand += approval.project_hours(compound.council_active, compound.top_down)
        compound.staff_hours += demand
        self._demand += demand
        self._own[compound.index] = demand if project_active else 0.0

    def progress_for(self, compound) -> float:
        """Share of a normal week's progress the compound's approvals make (H / demand when overloaded)."""
        if self.shared:
            return self.progress
        demand = self._own.get(compound.index, 0.0)
        return approval.progress_factor(self.available, demand) if demand > 0 else 1.0

    def end_week(self) -> None:
        """Shared offices: next week's progress factor from this week's total demand."""
        self.progress = approval.progress_factor(self.available, self._demand)
        self._demand = 0.0

    def approval_delay(self, compound, number: int) -> float:
        """Draw D(ι) for a compound's ``number``-th approval (K sign-offs, each Gamma(2, mean))."""
        p = compound.p
        j = np.arange(p.departments)
        key = rng.slot_keys(compound.key, rng.COMPOUND_SLOT + 1000 + number)
        half = p.signoff_weeks / 2.0
        d = rng.exponential(key, 0, Purpose.DELAY + 2 * j, half) + rng.exponential(
            key, 0, Purpose.DELAY + 2 * j + 1, half
        )
        self.approvals += 1
        return float(approval.approval_delay(d, p.integration))
