"""The renovation pipeline of one compound (ODD §4), as stages that only move forward.

Council-led regimes: AWARE → CONSENT_DRIVE → APPLICATION_REVIEW → COUNCIL_FORMATION → DELIBERATION →
PLAN_APPROVAL → FUNDRAISING → CONSTRUCTION → LONG_TERM. The top-down regime starts at PLAN_APPROVAL
with the bureau's own plan and skips co-funding. STALLED (votes exhausted) and ABANDONED (no council
and no fallback) are terminal. A failed consent drive goes back to AWARE — the one step back, since
the team disbands and may retry (§7.5). In city mode an application waits in QUEUED for the
bureau's quota, and a compound renovated top-down in 2014–2018 may later start a second,
council-led project (back to AWARE).
"""

from enum import IntEnum


class Stage(IntEnum):
    AWARE = 0
    CONSENT_DRIVE = 1
    QUEUED = 2
    APPLICATION_REVIEW = 3
    COUNCIL_FORMATION = 4
    DELIBERATION = 5
    PLAN_APPROVAL = 6
    FUNDRAISING = 7
    CONSTRUCTION = 8
    LONG_TERM = 9
    STALLED = 10
    ABANDONED = 11

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
