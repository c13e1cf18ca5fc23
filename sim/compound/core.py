"""The compound agent: identity, shared state and the weekly lookup from stage to procedure.

The per-household rule lives in :mod:`sim.household`; the collective procedures of each stage live in
the sibling modules (see the package docstring). This class holds only what several stages share —
the households it spans, its actors (street office, contractor, council), the canvassing round and
the facility condition — and the hooks a city compound overrides (:class:`sim.city.CityCompound`).
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from agents.contractor import Contractor
from agents.council import Council
from agents.street_office import StreetOffice
from sim import items, rng
from sim.compound import (
    application,
    canvassing,
    cofunding,
    construction,
    deliberation,
    formation,
    management,
    showing,
)
from sim.compound.management import MANAGEMENT_BODIES
from sim.compound.row import CompoundRow
from sim.rng import Purpose
from sim.stages import PROJECT_STAGES, Stage

# stages whose start is posted as a notice (公示) to the households (ODD §9: the informed rung)
NOTICED = frozenset(
    {
        Stage.COUNCIL_FORMATION,
        Stage.DELIBERATION,
        Stage.PLAN_APPROVAL,
        Stage.FUNDRAISING,
        Stage.CONSTRUCTION,
        Stage.LONG_TERM,
    }
)
# the weekly procedure of each stage; QUEUED, STALLED and ABANDONED have none
PROCEDURES = {
    Stage.AWARE: application.try_team,
    Stage.CONSENT_DRIVE: application.consent_drive,
    Stage.APPLICATION_REVIEW: application.review,
    Stage.COUNCIL_FORMATION: formation.act,
    Stage.DELIBERATION: deliberation.act,
    Stage.PLAN_APPROVAL: cofunding.plan_approval,
    Stage.FUNDRAISING: cofunding.fundraise,
    Stage.CONSTRUCTION: construction.act,
    Stage.LONG_TERM: management.act,
}
STAGE_MODULES = (canvassing, application, formation, deliberation, cofunding, construction, management)


def is_top_down(p) -> bool:
    """The bureau runs the project: no self-application, no council first, no co-decision (E4–E6)."""
    return not p.self_application and not p.council_first and p.co_decision < 0.5


class Compound(CompoundRow, mesa.Agent):
    """State and weekly procedures of one compound (households ``lo..hi-1`` of the model).

    Parameters
    ----------
    model : RenovationModel
    index : int
        Position in ``model.compounds``.
    seed, cid : int
        The compound's key: every draw of it and its households is keyed by ``(seed, cid)``.
    lo, hi : int
        Its households' rows in ``model.hh``.
    office : StreetOffice, optional
        A shared office (city mode); by default the compound gets one of its own.
    params : Params, optional
        The levers its project runs under (default: the model's).
    """

    existing_oc = False  # an owners' committee already exists (city mode, E25)

    def __init__(self, model, index: int, seed: int, cid: int, lo: int, hi: int, office=None, params=None):
        super().__init__(model)
        self.index, self.seed, self.cid = index, seed, cid
        self.table = model.compound_table
        self.key = rng.compound_key(seed, cid)
        self._keys = [int(k) for k in rng.slot_keys(self.key, rng.COMPOUND_SLOT + 100 + np.arange(8))]
        self.lo, self.hi, self.n = lo, hi, hi - lo
        self.table.eff_alone[index] = showing.efficacy(self.n, 1)
        self.p = params if params is not None else model.p
        self.top_down = is_top_down(self.p)
        self.office = office if office is not None else StreetOffice(model)
        self.staff_hours = 0.0
        self.contractor = Contractor(model, self)
        self.council = Council(model, self) if self.p.council_first else None
        self.M = float(rng.uniform(rng.slot_keys(self.key, rng.COMPOUND_SLOT), 0, Purpose.MAINT0)) * 0.2 + 0.1
        self.plan = np.zeros(items.N_ITEMS, dtype=bool)
        self.dropped = np.zeros(items.N_ITEMS, dtype=bool)
        self.set_menu(self.p)
        self.remaining = 0.0  # weeks of an approval still to run
        self.delay_total = 0.0
        self.n_approvals = 0
        self.clock_start: int | None = None  # when the consensus clock started
        self.complaints = 0
        self.escalated = 0
        self.social_capital = 0.0
        self.council_ever = False
        self.stage = Stage.AWARE
        self.stage_week = 0
        self.delivered = False
        self.week_complaints = self.week_escalated = 0
        self.notice_due = False  # a stage began: its notice is posted next week
        for module in STAGE_MODULES:
            module.init_state(self)
        self.begin()

    def begin(self) -> None:
        """Where the project starts at t = 0 under this compound's levers (ODD §8)."""
        if self.top_down:
            self.enter(Stage.PLAN_APPROVAL, 0)
            self.plan[self.menu] = True
            self.remaining = self.office.approval_delay(self, 0)
            self.delay_total += self.remaining
        elif self.p.self_application:
            self.enter(Stage.AWARE, 0)
        else:
            application.start_project(self, 0)

    def set_menu(self, p) -> None:
        self.menu = items.menu(p.menu)
        self.cost = items.costs(p.menu)
        self.mean_cost = items.mean_cost(p.menu)
        self.phi = items.value_factor(p.menu)

    # ------------------------------------------------------------------ hooks a city compound overrides
    def may_start_team(self) -> bool:
        """Whether an initiating team may form this week (city mode: only once aware, §7.13)."""
        return True

    def application_ready(self, t: int) -> None:
        """The consent drive reached its quorum: the application goes to review (§7.5–7.6)."""
        self.approval(t)
        self.enter(Stage.APPLICATION_REVIEW, t)

    def completed(self, t: int) -> None:
        """Called when the works are handed over (city mode marks a phase-1 renovation)."""

    def quiet(self, t: int) -> bool:
        """Whether the compound's week is empty and its context unchanged (city mode only)."""
        return False

    # ------------------------------------------------------------------ shared helpers
    @property
    def sl(self) -> slice:
        return slice(self.lo, self.hi)

    @property
    def mobilised(self) -> bool:
        """Party members act as core actors (μ_party > 1) under this compound's levers."""
        return self.p.mu_party > 1.0

    @property
    def council_active(self) -> bool:
        council = self.council
        return council is not None and council.active

    @property
    def new_council(self) -> bool:
        """A newly founded council has led the project (not an owners' committee that existed, E25)."""
        return self.council_ever and not self.existing_oc

    @property
    def leg(self) -> float:
        return self.council.legitimacy if self.council_active else 0.0

    @property
    def body(self) -> bool:
        """A management body that repairs the facilities exists: a company, the council or an OC (§7.11)."""
        return self.mgmt in MANAGEMENT_BODIES

    @property
    def bills(self) -> bool:
        """Someone bills a monthly fee: a management body or the street office as caretaker (§7.11)."""
        return self.mgmt != "none"

    @property
    def fee(self) -> float:
        """This compound's monthly fee per m² (:meth:`sim.compound.table.CompoundTable.fee`)."""
        return float(self.table.fee(self.index))

    @property
    def plan_cost(self) -> float:
        return cofunding.plan_cost(self)

    @property
    def representatives(self) -> int:
        return int(self.council.members.size) if self.council_active else 0

    def enter(self, stage: Stage, t: int) -> None:
        self.stage = stage
        self.stage_week = t
        self.notice_due = self.notice_due or stage in NOTICED

    def draw(self, j: int, t: int, purpose: int) -> float:
        """A compound-level uniform draw (stream ``j``), keyed like every other draw."""
        return rng.uniform_int(self._keys[j], t, purpose)

    def shuffle(self, t: int, purpose: int) -> np.ndarray:
        """The compound's households in an order drawn for ``(t, purpose)``."""
        u = rng.uniform(self.model.hh.key[self.sl], t, purpose)
        return np.lexsort((np.arange(self.n), u)) + self.lo

    def new_round(self, t: int, purpose: int) -> None:
        """Start a new canvassing round in a freshly drawn order (:mod:`sim.compound.canvassing`)."""
        canvassing.new_round(self, self.shuffle(t, purpose))

    def canvass(self, t: int, canvassers: np.ndarray) -> np.ndarray:
        """This week's door-to-door visits by ``canvassers`` along their ties (sets the cue, §7.2)."""
        return canvassing.visit(self, t, canvassers)

    def approval(self, t: int) -> None:
        """Submit for the street office's sign-offs (§7.6)."""
        self.remaining = self.office.approval_delay(self, self.n_approvals)
        self.delay_total += self.remaining
        self.n_approvals += 1

    # ------------------------------------------------------------------ the week
    def context(self, t: int, model) -> dict:
        """What this compound shows its households this week (ODD §4 step 1; :mod:`sim.context`)."""
        return showing.context(self, t, model)

    def step(self) -> None:
        """This week's collective procedure for the current stage (ODD §4 steps 3–6).

        The model sets ``week_complaints`` and ``week_escalated`` from the household phase first.
        """
        t = self.model.week
        if self.week_complaints == 0 and self.quiet(t):
            return  # waiting for the bureau with nothing to report: its week is empty
        self.delivered = False
        self.complaints += self.week_complaints
        self.escalated += self.week_escalated
        self.office.week(self, self.stage in PROJECT_STAGES, self.week_escalated)
        procedure = PROCEDURES.get(self.stage)
        if procedure is not None:
            procedure(self, t)

    def yearly(self) -> None:
        """Representative turnover before completion (after completion it runs in management)."""
        management.yearly(self, self.model.week)

    def status(self) -> dict:
        """Plain facts for status lines (visualisation)."""
        return {
            "stage": self.stage.label,
            "week": self.model.week,
            "council_formed": self.council_active,
            "representatives": self.representatives,
            "last_vote": dict(self.last_vote) if self.last_vote else None,
            "cofunding_collection": None if math.isnan(self.cofunding_collection) else self.cofunding_collection,
            "cofund_share_so_far": self.cofund_share,
            "fee_collection": self.last_fee_rate if self.fee_months else None,
            "maintenance": self.M,
            "complaints": self.complaints,
            "management": self.mgmt,
        }


__all__ = ["Compound", "PROCEDURES", "is_top_down"]
