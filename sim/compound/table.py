"""Compound state as arrays: one row per compound, one column per field (DESIGN.md §3).

The weekly passes over all compounds — the facility upkeep, the complaint books, the recorder, which
compounds have a procedure to run this week — read and write whole columns here instead of asking
each :class:`~sim.compound.Compound` in a Python loop. Each compound still reads and writes its own
row through attributes of the same names (:class:`Column`), so the stage procedures and everything
that shows a compound (``c.stage``, ``c.M``, ``c.council_active``, ...) keep working unchanged.

A view hands out plain Python values (``int``, ``float``, ``bool``, :class:`~sim.stages.Stage`), so
the arithmetic of the per-compound code is the same as with plain attributes.
"""

from __future__ import annotations

import numpy as np

from sim.stages import Stage

# management forms (sim.compound.management) as small integer codes; "none" first
MGMT_FORMS = ("none", "self", "OC", "company", "office")
MGMT_CODE = {name: code for code, name in enumerate(MGMT_FORMS)}
_STAGES = tuple(Stage)
FEE_MONTHS_KEPT = 12  # the fee rate of a "year" is the mean of the last twelve fee months

# name -> (dtype, initial value)
COLUMNS = {
    "stage": (np.int8, 0),
    "stage_week": (np.int64, 0),
    "M": (np.float64, 0.0),
    "social_capital": (np.float64, 0.0),
    "fee_year": (np.float64, 0.0),
    "last_fee_rate": (np.float64, 0.0),
    "fee_months": (np.int64, 0),  # months billed so far (fee_collection is NaN before the first)
    "fee_billed": (np.float64, 0.0),  # the fee books since hand-over (sim.compound.management)
    "fee_collected": (np.float64, 0.0),
    "cofund_share": (np.float64, 0.0),
    "required": (np.float64, 0.0),
    "complaints": (np.int64, 0),
    "escalated": (np.int64, 0),
    "week_complaints": (np.int64, 0),
    "week_escalated": (np.int64, 0),
    "mgmt": (np.int8, 0),
    "aware": (np.bool_, True),  # may apply (a city compound learns it, sim.city.CityCompound)
    "quiet_ready": (np.bool_, False),  # a city compound's waiting context is stored
    "delivered": (np.bool_, False),
    "ballot_due": (np.bool_, False),
    "notice_due": (np.bool_, False),  # a stage began: its notice is posted next week
    "meeting_open": (np.bool_, False),  # this week's context opened a meeting (Compound.opened)
    "vote_open": (np.bool_, False),  # ... or a ballot
    "next_attempt": (np.int64, 0),  # week of the next council election attempt (formation)
    "vote_called": (np.bool_, False),  # deliberation has called the plan vote
    "council_ever": (np.bool_, False),
    "window_start": (np.int64, 0),  # the co-funding window (cofunding)
    "window_len": (np.int64, 0),
    "eff_alone": (np.float64, 1.0),  # the context's efficacy without a council (showing.efficacy) ...
    "eff_council": (np.float64, 1.0),  # ... and with the compound's council
    "p_index": (np.int64, 0),  # the compound's levers: CompoundTable.params[p_index]
    "mu_party": (np.float64, 1.0),
    "council_term": (np.int64, 0),  # years (the levers of the compound's project)
    # the current council (sim.compound.Compound.council), kept by agents.council.Council
    "has_council": (np.bool_, False),
    "council_on": (np.bool_, False),
    "members": (np.int64, 0),
    "legitimacy": (np.float64, 0.0),
    "seats": (np.int64, 0),
    "formed_week": (np.int64, -1),  # -1: never formed
}


class CompoundTable:
    """The columns of :data:`COLUMNS` over ``n`` compounds."""

    def __init__(self, n: int):
        self.n = n
        for name, (dtype, init) in COLUMNS.items():
            setattr(self, name, np.full(n, init, dtype=dtype))
        self.params: list = []  # the distinct lever sets compounds run under (few: one per regime)
        # the last twelve monthly fee rates, month m in column m % 12 (sim.compound.management.bill_month)
        self.fee_ring = np.zeros((n, FEE_MONTHS_KEPT))

    def param_index(self, p) -> int:
        """The row of lever set ``p`` in :attr:`params` (added if new; compared by identity)."""
        for i, q in enumerate(self.params):
            if q is p:
                return i
        self.params.append(p)
        return len(self.params) - 1

    def lever(self, name: str, rows) -> np.ndarray:
        """Lever ``name`` of each compound of ``rows``."""
        return np.array([getattr(p, name) for p in self.params])[self.p_index[rows]]

    def fee(self, rows) -> np.ndarray:
        """Each compound's monthly fee per m²: the caretaker's basic-service fee or the property fee."""
        caretaker = self.mgmt[rows] == MGMT_CODE["office"]  # the street office caretakes (management.CARETAKER)
        return np.where(caretaker, self.lever("caretaker_fee", rows), self.lever("fee_per_m2", rows))

    def body(self) -> np.ndarray:
        """Compounds whose facilities a management body repairs (after hand-over, §7.11)."""
        managed = (
            (self.mgmt == MGMT_CODE["self"]) | (self.mgmt == MGMT_CODE["OC"]) | (self.mgmt == MGMT_CODE["company"])
        )
        return (self.stage == int(Stage.LONG_TERM)) & managed

    def council_active(self) -> np.ndarray:
        return self.has_council & self.council_on

    def ballot_needed(self, t: int) -> np.ndarray:
        """Councils that must fill seats or be re-elected (``Council.vacancies``, ``Council.term_over``)."""
        on = self.council_active()
        term_over = (self.formed_week >= 0) & (t - self.formed_week >= self.council_term * 52)
        return on & ((self.seats - self.members > 0) | term_over)


class Column:
    """A compound attribute stored in its row of the model's :class:`CompoundTable`."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, c, owner=None):
        if c is None:
            return self
        return getattr(c.table, self.name)[c.index].item()

    def __set__(self, c, value) -> None:
        getattr(c.table, self.name)[c.index] = value


class StageColumn(Column):
    def __get__(self, c, owner=None):
        if c is None:
            return self
        return _STAGES[c.table.stage[c.index]]


class MgmtColumn(Column):
    """The management form by name (``"none"``, ``"self"``, ``"OC"``, ``"company"``, ``"office"``)."""

    def __get__(self, c, owner=None):
        if c is None:
            return self
        return MGMT_FORMS[c.table.mgmt[c.index]]

    def __set__(self, c, value: str) -> None:
        c.table.mgmt[c.index] = MGMT_CODE[value]


__all__ = ["COLUMNS", "Column", "CompoundTable", "MGMT_CODE", "MGMT_FORMS", "MgmtColumn", "StageColumn"]
