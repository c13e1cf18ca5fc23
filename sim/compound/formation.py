"""Council formation: candidates, the election and its retries (ODD §7.7; E16, E25).

The team (or the street office) canvasses for ballots while eligible households join the candidate
pool; every ``RETRY_WEEKS`` an election is held (:meth:`agents.council.Council.hold_election`). After
``GIVE_UP_WEEKS`` of failures the project falls back to office-led deliberation with probability
``p_fallback``, or is abandoned.
"""

from __future__ import annotations

from agents.council import CouncilStatus
from sim.households import INITIATOR, NONE
from sim.rng import Purpose
from sim.rules import council as council_rules
from sim.stages import Stage


def init_state(c) -> None:
    """When formation began and the week of the next election attempt."""
    c.formation_start = 0
    c.next_attempt = 0


def act(c, t: int) -> None:
    """COUNCIL_FORMATION: the initiators canvass for the election, then the election if one is due."""
    c.canvass(t, c.team)
    election_week(c, t)


def election_week(c, t: int) -> None:
    """An election attempt when one is due: a council is seated, or formation retries or gives up."""
    if t != c.next_attempt:
        return
    c.council.add_candidates(t)
    if c.council.hold_election(t):
        c.council_ever = True
        h = c.model.hh
        h.role[c.team[h.role[c.team] == INITIATOR]] = NONE
        c.clock_start = t
        c.enter(Stage.DELIBERATION, t)
        c.new_round(t, Purpose.CANVASS + 3)
        return
    c.next_attempt = t + council_rules.RETRY_WEEKS
    if t - c.formation_start >= council_rules.GIVE_UP_WEEKS:
        if c.draw(1, t, Purpose.FALLBACK) < c.p.p_fallback:
            c.council.status = CouncilStatus.DISSOLVED
            c.clock_start = t
            c.enter(Stage.DELIBERATION, t)
        else:
            c.enter(Stage.ABANDONED, t)
