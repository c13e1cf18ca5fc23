"""Residents and party members (ODD §3, §7.2–§7.4, §7.9, §7.12).

A ``Resident`` is a Mesa ``CellAgent`` on a ``mesa.discrete_space.Network`` cell; its attributes
read and write one slot of the household arrays, so the vector executor and the visualisation see
the same state. ``decide()`` is the weekly rule for one household, written to be read: gather what the
neighbours did last week, then apply :mod:`sim.household`. Representatives are residents with a
role, since roles change during a run (E16, E25).
"""

from __future__ import annotations

from mesa.discrete_space import CellAgent

from sim import household, rng
from sim.context import COMPLAIN_CONTEXT, HOUSEHOLD_FIELDS, INTEND_CONTEXT
from sim.households import INITIATOR, REP
from sim.network import CUE_TIE
from sim.views import ResidentState, resident_states


class Resident(CellAgent):
    """One household of a compound; a view onto slot ``idx`` of ``model.hh``."""

    def __init__(self, model, idx: int, cell=None):
        super().__init__(model)
        self.idx = int(idx)
        if cell is not None:
            self.cell = cell

    # --- readable attributes (views onto the arrays) ------------------------------------------
    @property
    def compound(self) -> int:
        return int(self.model.hh.comp[self.idx])

    @property
    def attitude(self) -> float:
        return float(self.model.hh.A[self.idx])

    @property
    def intention(self) -> float:
        return float(self.model.hh.I[self.idx])

    @property
    def is_party(self) -> bool:
        return bool(self.model.hh.party[self.idx])

    @property
    def role(self) -> str:
        return {REP: "representative", INITIATOR: "initiator"}.get(int(self.model.hh.role[self.idx]), "none")

    @property
    def state(self) -> ResidentState:
        """The resident's state as the outputs and the network view count it (:mod:`sim.views`)."""
        return ResidentState(str(resident_states(self.model.hh, self.model.week, self.idx)))

    # --- the weekly rule ------------------------------------------------------------------------
    def gather(self, snap: dict) -> dict:
        """Sum over this household's ties what its neighbours showed at t−1 (CSR order)."""
        nbrs, weights = self.model.ties.neighbours(self.idx)
        sx, s, x, leader = snap["sx"], snap["s"], snap["x"], snap["leader"]
        num = den = strong = lead = 0.0
        for j, w in zip(nbrs, weights, strict=True):
            num += w * sx[j]
            den += w * s[j]
            if w >= CUE_TIE:
                strong += 1.0 * x[j]
                lead += 1.0 * leader[j]
        return {"num": num, "den": den, "strong_active": strong, "lead": lead > 0}

    def gather_payments(self, paid) -> dict:
        """Count neighbours with a live tie, and those who paid."""
        nbrs, weights = self.model.ties.neighbours(self.idx)
        count = paid_sum = 0.0
        for j, w in zip(nbrs, weights, strict=True):
            if w > 0:
                count += 1.0
                paid_sum += 1.0 * paid[j]
        return {"nb_paid": paid_sum, "nb_count": count}

    def decide(self, t: int, ctx: dict, snap: dict) -> None:
        """This week's intention, acts, attitude, payments and complaints (ODD §4 step 2).

        A wish to attend a meeting or an event is a request for a place: the compound then seats as
        many as it has room for (:func:`sim.rules.participation.seat`), the same for both executors.
        """
        m, h, i = self.model, self.model.hh, self.idx
        k = h.comp[i]
        tk = rng.tick_keys(h.key[i], t)

        def u(purpose):
            return rng.draw(tk, purpose)

        own = {f: getattr(h, f)[i] for f in HOUSEHOLD_FIELDS}
        own["is_rep"] = snap["is_rep"][i]
        own["att_event"] = snap["att_event"][i]
        own["informed_week"] = snap["informed_week"][i]
        c = {name: ctx[name][k] for name in INTEND_CONTEXT}
        for name, value in household.intend_and_act(own, self.gather(snap), c, u, t, m.p).items():
            getattr(h, name)[i] = value

        for cofund in (True, False):
            if not (ctx["cofund_open"][k] if cofund else ctx["fee_month"][k]):
                continue
            hp, cp = household.pay_inputs(h, m.bill_ratio, ctx, i, k, cofund)
            paid = snap["paid_cofund"] if cofund else snap["paid_month"]
            res = household.pay(hp, self.gather_payments(paid), cp, u, t, m.p)
            h.belief[i] = res["belief"]
            if cofund:
                h.paid_cofund[i] = h.paid_cofund[i] or res["pays"]
            else:
                h.paid_month[i] = res["pays"]

        hc = {
            "sat": h.sat[i],
            "unmet": h.unmet[i],
            "trust": h.trust[i],
            "conflict": h.conflict[i],
            "I_proc": h.I_proc[i],
        }
        cc = {name: ctx[name][k] for name in COMPLAIN_CONTEXT}
        res = household.complain(hc, cc, u, t, m.p)
        for name in ("complained", "escalated", "voiced", "trust"):
            getattr(h, name)[i] = res[name]


class PartyMember(Resident):
    """A household with a CPC member (π_party = 0.08 [A]); mobilised in the council-led regimes.

    Party members carry more weight in neighbours' norms (μ_party), lower thresholds (×0.7) and can
    satisfy the 3-owner application rule (E23).
    """

    @property
    def mobilised(self) -> bool:
        return bool(self.model.compounds[self.compound].mobilised)
