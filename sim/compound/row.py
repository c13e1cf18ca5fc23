"""The compound's row of the compound table, as attributes (:mod:`sim.compound.table`).

:class:`CompoundRow` is the part of :class:`sim.compound.Compound` that lives in the table: each
attribute below reads and writes this compound's row, so per-compound code (the stage procedures,
the workshop page, ``agents/``) and the weekly passes over all compounds see the same state.
"""

from __future__ import annotations

from sim.compound import showing
from sim.compound.table import Column, MgmtColumn, StageColumn


class CompoundRow:
    """Views of row ``self.index`` of ``self.table``; the levers, the council and what this week opened."""

    # state that weekly passes over all compounds read
    aware = Column()
    stage = StageColumn()
    mgmt = MgmtColumn()
    stage_week = Column()
    M = Column()
    social_capital = Column()
    fee_year = Column()
    last_fee_rate = Column()
    fee_months = Column()
    fee_billed = Column()
    fee_collected = Column()
    cofund_share = Column()
    required = Column()
    complaints = Column()
    escalated = Column()
    week_complaints = Column()
    week_escalated = Column()
    delivered = Column()
    ballot_due = Column()
    notice_due = Column()
    next_attempt = Column()
    vote_called = Column()
    council_ever = Column()
    window_start = Column()
    window_len = Column()

    @property
    def p(self):
        """The levers this compound's project runs under."""
        return self._p

    @p.setter
    def p(self, value) -> None:
        self._p = value
        tab, k = self.table, self.index
        tab.p_index[k] = tab.param_index(value)
        tab.mu_party[k] = value.mu_party
        tab.council_term[k] = value.council_term

    @property
    def opened(self) -> dict:
        """What this week's context opened: ``{"meeting": bool, "vote": bool}``."""
        tab, k = self.table, self.index
        return {"meeting": bool(tab.meeting_open[k]), "vote": bool(tab.vote_open[k])}

    @opened.setter
    def opened(self, value: dict) -> None:
        self.table.meeting_open[self.index] = value["meeting"]
        self.table.vote_open[self.index] = value["vote"]

    @property
    def council(self):
        """The compound's council (:class:`agents.council.Council`), or None where none is elected."""
        return self._council

    @council.setter
    def council(self, value) -> None:
        self._council = value
        self.table.has_council[self.index] = value is not None
        if value is not None:
            self.table.eff_council[self.index] = showing.efficacy(self.n, value.seats)


__all__ = ["CompoundRow"]
