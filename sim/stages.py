"""The renovation pipeline of one compound (ODD §4), as stages that only move forward.

Council-led regimes: AWARE → CONSENT_DRIVE → APPLICATION_REVIEW → COUNCIL_FORMATION → DELIBERATION →
PLAN_APPROVAL → FUNDRAISING → CONSTRUCTION → LONG_TERM. The top-down regime starts at PLAN_APPROVAL
with the bureau's own plan and skips co-funding. STALLED (votes exhausted) and ABANDONED (no council
and no fallback) are terminal. A failed consent drive goes back to AWARE — the one step back, since
the team disbands and may retry (§7.5).
"""

from enum import IntEnum


class Stage(IntEnum):
    AWARE = 0
    CONSENT_DRIVE = 1
    APPLICATION_REVIEW = 2
    COUNCIL_FORMATION = 3
    DELIBERATION = 4
    PLAN_APPROVAL = 5
    FUNDRAISING = 6
    CONSTRUCTION = 7
    LONG_TERM = 8
    STALLED = 9
    ABANDONED = 10

    @property
    def label(self) -> str:
        return self.name.lower()


PROJECT_STAGES = frozenset(
    {
        Stage.CONSENT_DRIVE,
        Stage.APPLICATION_REVIEW,
        Stage.COUNCIL_FORMATION,
        Stage.DELIBERATION,
        Stage.PLAN_APPROVAL,
        Stage.FUNDRAISING,
        Stage.CONSTRUCTION,
    }
)
TERMINAL = frozenset({Stage.STALLED, Stage.ABANDONED})
