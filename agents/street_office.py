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
    """Serves one compound (in compound mode) with the community's remaining hours."""

    def __init__(self, model, compound):
        super().__init__(model)
        self.compound = compound
        self.hours_used = 0.0
        self.progress = 1.0
        self.approvals = 0

    def week(self, project_active: bool, council_active: bool, top_down: bool, escalated: int) -> None:
        """Book this week's hours and set the progress factor of the compound's pipeline."""
        p = self.model.p
        demand = approval.COMPLAINT_HOURS * escalated
        if project_active:
            demand += approval.project_hours(council_active, top_down)
        self.hours_used += demand
        available = max(0.0, p.office_hours - p.office_background_hours)
        self.progress = approval.progress_factor(available, demand) if project_active else 1.0

    def approval_delay(self, number: int) -> float:
        """Draw D(ι) for this compound's ``number``-th approval (K sign-offs, Gamma(2, mean))."""
        p, c = self.model.p, self.compound
        j = np.arange(p.departments)
        key = rng.slot_keys(c.key, rng.COMPOUND_SLOT + 1000 + number)
        half = p.signoff_weeks / 2.0
        d = rng.exponential(key, 0, Purpose.DELAY + 2 * j, half) + rng.exponential(
            key, 0, Purpose.DELAY + 2 * j + 1, half
        )
        self.approvals += 1
        return float(approval.approval_delay(d, p.integration))
