"""The city housing bureau (ODD §3, §7.13; E4, E6, E19).

Funds the works (the government's share of the plan, plus any co-funding top-up) and, in the
top-down regime, selects compounds and writes their plan. In compound mode every application is
admitted (the quota does not bind); the bureau keeps the books.
"""

from __future__ import annotations

import mesa


class HousingBureau(mesa.Agent):
    """Keeps the government's capital spending per compound."""

    def __init__(self, model):
        super().__init__(model)
        self.capex: dict[int, float] = {}
        self.projects = 0

    def fund(self, compound_index: int, amount: float) -> None:
        self.capex[compound_index] = self.capex.get(compound_index, 0.0) + amount
        self.projects += 1

    def spent(self, compound_index: int) -> float:
        return self.capex.get(compound_index, 0.0)
