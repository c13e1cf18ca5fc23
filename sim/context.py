"""The contract between a compound and its households: what a compound shows them each week.

Every field is declared once here — name, type and meaning, with the ODD section that uses it. A
compound shows one row per week (:meth:`sim.compound.Compound.context`; the model fills every row at
once from the compound table, :func:`sim.compound.showing.columns`), the model keeps all rows in
a :class:`ContextTable`, and both executors read the same columns, so a new compound value for a
household rule is one line here, one in the compound and one in the rule.

The household-side fields that the weekly rule reads (:data:`HOUSEHOLD_FIELDS`) are declared here
too, for the same reason: the vector executor and ``Resident.decide`` gather exactly these.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Field:
    """One context value: ``kind`` is ``"bool"`` or ``"float"``; ``odd`` the section that reads it."""

    name: str
    kind: str
    meaning: str
    odd: str


FIELDS: tuple[Field, ...] = (
    Field("vis", "float", "visibility of neighbours' acts: 1 with a council or a platform, else 0.3", "§7.2"),
    Field("tc", "float", "transaction cost of taking part (information, training, monitoring channels)", "§7.2"),
    Field("eff", "float", "efficacy: households per representative, (25 / (n / seats))^0.1 capped at 1", "§7.2"),
    Field("meeting", "bool", "a plan or management meeting is held this week", "§7.8, §7.11"),
    Field("event", "bool", "a garden or anti-epidemic event is held this week", "§7.1"),
    Field("vote", "bool", "a ballot is open this week (council election or plan vote)", "§7.7, §7.8"),
    Field("vote_owners", "bool", "only owners may vote (the plan vote under co-decision)", "§7.8"),
    Field("consult", "bool", "a consultation is open: the comment period of a posted plan (公示征求意见)", "§7.3"),
    Field("notice", "bool", "a notice is posted this week (公示: plan, works, hand-over, council minutes)", "§9"),
    Field("campaign", "bool", "a street-office information campaign runs this week", "§7.4"),
    Field("completed", "bool", "the works are finished (long-term management)", "§7.4"),
    Field("tau_info", "float", "smart-platform lever: online ballots and information", "§7.2, §7.3"),
    Field("p_reach", "float", "probability a campaign reaches a household", "§7.4"),
    Field("cofund_open", "bool", "the co-funding window is open", "§7.9"),
    Field("fee_month", "bool", "a monthly property-fee bill is due", "§7.9"),
    Field("fee", "float", "monthly fee per m² of whoever manages (property fee, or the caretaker's)", "§7.9, §7.11"),
    Field("leg", "float", "legitimacy of whoever asks for payment or resolves complaints", "§7.9, §7.12"),
    Field("tau_tr", "float", "transparency of the accounts (at least 0.5 with a council)", "§7.9"),
    Field("share", "float", "share paid so far (run rate in a co-funding window, last month's fee rate)", "§7.9"),
    Field("elapsed", "float", "share of the co-funding window elapsed (1 outside it)", "§7.9"),
    Field("disruption", "float", "1 during construction", "§7.12"),
    Field("council", "float", "1 while a council is active", "§7.12"),
    Field("M", "float", "facility condition (maintenance state, 0–1)", "§7.11, §7.12"),
    Field("delivered", "bool", "this week the works were handed over with the accounts shown", "§7.4"),
)
NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
BOOL = frozenset(f.name for f in FIELDS if f.kind == "bool")
BY_NAME = {f.name: f for f in FIELDS}

# what each part of the weekly household rule (sim/household.py) reads of its compound
INTEND_CONTEXT = (
    "vis",
    "xbar",
    "tc",
    "eff",
    "meeting",
    "event",
    "vote",
    "vote_owners",
    "consult",
    "campaign",
    "completed",
    "tau_info",
    "p_reach",
)
PAY_CONTEXT = ("leg", "tau_tr", "share", "elapsed", "fee")
COMPLAIN_CONTEXT = ("disruption", "council", "M", "leg", "delivered")
# ``xbar`` (the compound's mean activity at t−1) is the one value computed from the households'
# snapshot rather than by the compound; the model adds it after the table is filled
DERIVED = ("xbar",)

# the household's own state that the weekly rule reads
HOUSEHOLD_FIELDS = (
    "A",
    "cap",
    "theta",
    "trust",
    "owner",
    "canvassed",
    "last_act",
    "conflict",
    "sat",
    "avail",
)


class ContextTable:
    """Every compound's context as one float table (compounds × :data:`NAMES`), kept between weeks."""

    def __init__(self, n_compounds: int):
        self.values = np.empty((n_compounds, len(NAMES)), dtype=np.float64)
        self.m_col = NAMES.index("M")

    def set_row(self, k: int, ctx: dict) -> None:
        """Store compound ``k``'s context (a mapping with exactly the declared names)."""
        self.values[k] = [ctx[name] for name in NAMES]

    def set_rows(self, rows, columns: dict) -> None:
        """Store the context of compounds ``rows``: one array (or scalar) per declared name."""
        for j, name in enumerate(NAMES):
            self.values[rows, j] = columns[name]

    def row(self, k: int) -> dict:
        """Compound ``k``'s stored context as a mapping (booleans for ``bool`` fields)."""
        return {name: bool(v > 0) if name in BOOL else float(v) for name, v in zip(NAMES, self.values[k], strict=True)}

    def set_facilities(self, M) -> None:
        """Renew the facility column of every row (it changes weekly even for a waiting compound)."""
        self.values[:, self.m_col] = M

    def columns(self) -> dict[str, np.ndarray]:
        """One array per field over compounds: booleans for ``bool`` fields, float copies otherwise."""
        v = self.values
        return {name: (v[:, j] > 0) if name in BOOL else v[:, j].copy() for j, name in enumerate(NAMES)}


__all__ = [
    "BOOL",
    "COMPLAIN_CONTEXT",
    "ContextTable",
    "DERIVED",
    "FIELDS",
    "Field",
    "HOUSEHOLD_FIELDS",
    "INTEND_CONTEXT",
    "NAMES",
    "PAY_CONTEXT",
]
