"""A compound of a city run: it waits to learn it may apply, queues for the bureau's quota, and may be
renovated top-down first (ODD §7.13; E4–E6, E15, E18, E26).

Everything that only city mode has lives here: awareness, the queue, admission under the regime in
force, the phase-1 (top-down) renovation and the owners' committee some compounds already have
(E25). The project itself runs through the same stage procedures as in compound mode.
"""

from __future__ import annotations

import math

from agents.council import Council
from sim.compound import Compound, cofunding, deliberation
from sim.compound.core import is_top_down
from sim.stages import Stage


class CityCompound(Compound):
    """A compound that starts dormant: not yet aware it may apply, no project under way."""

    def __init__(self, model, index: int, seed: int, cid: int, lo: int, hi: int, office):
        self.phase1_done = False  # renovated top-down in 2014–2018
        self.admitted_regime: str | None = None
        self.admitted_year: int | None = None
        self.started_year: int | None = None  # admitted, or selected top-down: its latest project began
        self.eligible = True  # inside the programme's scope (the scenario's built_before)
        super().__init__(model, index, seed, cid, lo, hi, office=office)
        self.aware = False  # learns it may apply at the city's awareness hazard (a column of the table)

    def begin(self) -> None:
        self.top_down = False
        self.enter(Stage.AWARE, 0)

    @property
    def waiting(self) -> bool:
        """Nothing under way and not aware it may apply: its households act on month starts only."""
        return not self.aware and self.stage in (Stage.AWARE, Stage.LONG_TERM)

    # ------------------------------------------------------------------ hooks of Compound
    def may_start_team(self) -> bool:
        return self.aware and self.p.self_application

    def application_ready(self, t: int) -> None:
        """The consents are in: wait in the bureau's first-in-first-out queue for its quota."""
        self.enter(Stage.QUEUED, t)
        self.model.enqueue(self)

    def completed(self, t: int) -> None:
        if self.top_down:
            self.phase1_done = True
            self.aware = False

    def quiet(self, t: int) -> bool:
        """Waiting for the bureau since before this week: its context row stays as it was."""
        return bool(self.table.quiet_ready[self.index]) and t > 0 and not self.aware and self.stage == Stage.AWARE

    def context(self, t: int, model) -> dict:
        if self.quiet(t):
            # a compound waiting for the bureau offers nothing: only its facilities change
            quiet = model.context_table.row(self.index)
            quiet["M"] = self.M
            return quiet
        ctx = super().context(t, model)
        if not self.aware and self.stage == Stage.AWARE and t > 0:
            self.table.quiet_ready[self.index] = True
        return ctx

    # ------------------------------------------------------------------ the bureau's acts
    def new_project(self, p) -> None:
        """Reset the project's state (a second project after a top-down one)."""
        self.p = p
        self.set_menu(p)
        self.top_down = is_top_down(p)
        self.plan[:] = False
        self.dropped[:] = False
        deliberation.reset(self)
        cofunding.reset(self)
        self.completion_week = math.nan
        if p.council_first and (self.council is None or not self.council.active):
            self.council = Council(self.model, self)

    def start_top_down(self, t: int, p) -> None:
        """Selected by the bureau (2014–2018): its own light plan, no council, no vote (E4–E6)."""
        self.new_project(p)
        self.model.ladder.new_project(self.index, t)
        self.top_down = True
        self.started_year = self.model.year
        self.plan[self.menu] = True
        self.approval(t)
        self.enter(Stage.PLAN_APPROVAL, t)

    def become_aware(self, t: int, p) -> None:
        """The compound learns it can apply; a phase-1 compound starts a new project."""
        self.aware = True
        self.table.quiet_ready[self.index] = False
        self.new_project(p)
        self.model.ladder.new_project(self.index, t)
        if self.stage != Stage.AWARE:
            self.enter(Stage.AWARE, t)

    def admit(self, t: int, p, regime: str) -> None:
        """The bureau admits the queued application under the regime now in force."""
        self.p = p
        self.set_menu(p)
        if p.council_first and self.council is None:
            self.council = Council(self.model, self)
        self.admitted_regime = regime
        self.admitted_year = self.started_year = self.model.year
        self.approval(t)
        self.enter(Stage.APPLICATION_REVIEW, t)
