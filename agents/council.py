"""The Laoyou council (老友议事会) of one compound (ODD §3, §7.7, §7.8, §7.9, §7.11; E16, E25).

Elected volunteer representatives, registered with the street office and guided by the community's
party and residents' committees. The council canvasses for ballots, runs plan meetings and votes,
follows up unpaid bills and, later, manages the compound or converts into an owners' committee.
Representatives are residents with ``role = REP``.
"""

from __future__ import annotations

from enum import Enum

import mesa
import numpy as np

from sim import rng
from sim.households import NONE, REP
from sim.ladder import Rung, reach
from sim.rng import Purpose
from sim.rules import council as rules


class CouncilStatus(Enum):
    FORMING = "forming"
    ACTIVE = "active"
    OC = "owners_committee"
    DISSOLVED = "dissolved"


class Council(mesa.Agent):
    """A compound's council: members (global household ids), seats, legitimacy and status."""

    def __init__(self, model, compound):
        super().__init__(model)
        self.compound = compound
        self._row = (compound.table, compound.index)
        self.seats = rules.seats(compound.n)
        compound.table.seats[compound.index] = self.seats
        self.members = np.zeros(0, dtype=np.int64)
        self.legitimacy = 0.0
        self.status = CouncilStatus.FORMING
        self.turnout = 0.0
        self.formed_week: int | None = None

    @property
    def status(self) -> CouncilStatus:
        return self._status

    @status.setter
    def status(self, value: CouncilStatus) -> None:
        self._status = value
        # read every week by every compound: kept as a plain attribute, not recomputed
        self.active = value in (CouncilStatus.ACTIVE, CouncilStatus.OC)
        table, k = self._row
        table.council_on[k] = self.active

    # members and legitimacy are mirrored in the compound table, which the weekly passes read
    @property
    def members(self) -> np.ndarray:
        return self._members

    @members.setter
    def members(self, value: np.ndarray) -> None:
        self._members = value
        table, k = self._row
        table.members[k] = value.size

    @property
    def formed_week(self) -> int | None:
        return self._formed_week

    @formed_week.setter
    def formed_week(self, value: int | None) -> None:
        self._formed_week = value
        table, k = self._row
        table.formed_week[k] = -1 if value is None else value

    @property
    def legitimacy(self) -> float:
        return self._legitimacy

    @legitimacy.setter
    def legitimacy(self, value: float) -> None:
        self._legitimacy = value
        table, k = self._row
        table.legitimacy[k] = value

    @property
    def party_share(self) -> float:
        if self.members.size == 0:
            return float("nan")
        return float(self.model.hh.party[self.members].mean())

    def add_candidates(self, t: int) -> None:
        """Eligible households (I > 0.6, PBC > 0.25) stand with P = κ·I·avail·(1 + b_party·party) (§7.7).

        Standing is acting on intention, in person and for a term, so it scales with the conversion κ
        and the time the household has; standing is an involved act (:mod:`sim.ladder`). The pool is
        refreshed from the households living here now at every election and by-election.
        """
        h, c = self.model.hh, self.compound
        sl = slice(c.lo, c.hi)
        eligible = (h.I[sl] > rules.ELIGIBLE_I) & (h.PBC[sl] > rules.ELIGIBLE_PBC) & ~h.candidate[sl]
        eligible &= h.role[sl] != REP
        b = self.compound.p.b_party if self.compound.mobilised else 0.0
        prob = rules.candidacy_probability(h.I[sl], h.party[sl] * 1.0, b, h.avail[sl], self.compound.p.kappa)
        joins = eligible & (rng.uniform(h.key[sl], t, Purpose.CANDIDATE) < prob)
        h.candidate[sl] |= joins
        reach(h, np.flatnonzero(joins) + c.lo, Rung.INVOLVED, t)

    def hold_election(self, t: int) -> bool:
        """Tally this week's ballots; seat the council if enough candidates stood and voted (§7.7).

        Also the re-election at the end of a term: the sitting representatives stand again with the
        other candidates, and a council that cannot be re-elected dissolves.
        """
        h, c = self.model.hh, self.compound
        sl = slice(c.lo, c.hi)
        cand = np.flatnonzero(h.candidate[sl] | (h.role[sl] == REP)) + c.lo
        voters = np.flatnonzero(h.att_vote[sl]) + c.lo
        self.turnout = voters.size / c.n
        if not rules.forms(cand.size, self.seats, self.turnout):
            return False
        h.role[self.members] = NONE
        self.members = self._elect(cand, voters, self.seats)
        self._seat(self.members)
        self.legitimacy = rules.legitimacy(self.turnout, self.party_share)
        # a compound that already has an owners' committee re-seats it for the project (city mode)
        if self.status != CouncilStatus.OC:
            self.status = CouncilStatus.OC if c.existing_oc else CouncilStatus.ACTIVE
        self.formed_week = t
        return True

    def _seat(self, idx: np.ndarray) -> None:
        h = self.model.hh
        h.role[idx] = REP
        h.ever_rep[idx] = True
        h.candidate[idx] = False

    def _elect(self, cand: np.ndarray, voters: np.ndarray, n_seats: int) -> np.ndarray:
        """Expected ballots: each voter spreads its ``seats`` votes by softmax; the top ``n_seats`` win."""
        m = self.model
        strength = m.ties.row_sums(cand)
        strength = strength / strength.max() if strength.max() > 0 else strength
        tie = m.ties.block(voters, cand)
        bonus = self.compound.p.vote_bonus_party if self.compound.mobilised else 0.0
        weights = rules.ballot_weights(tie, m.hh.party[cand] * 1.0, strength[None, :], bonus)
        share = weights / weights.sum(axis=1, keepdims=True)
        votes = share.sum(axis=0) * min(self.seats, cand.size)
        order = np.lexsort((cand, -votes))
        return np.sort(cand[order[:n_seats]])

    @property
    def vacancies(self) -> int:
        return self.seats - int(self.members.size) if self.active else 0

    def term_over(self, t: int) -> bool:
        """The council's term has run out and it must be re-elected (§7.7)."""
        years = self.compound.p.council_term
        return self.active and self.formed_week is not None and t - self.formed_week >= years * 52

    def quit(self, t: int) -> None:
        """Yearly: representatives quit at ``rep_quit`` a year; their seats fall vacant (§7.7)."""
        h, p = self.model.hh, self.compound.p
        quits = rng.uniform(h.key[self.members], t, Purpose.QUIT) < p.rep_quit
        h.role[self.members[quits]] = NONE
        self.members = self.members[~quits]

    def by_election(self, t: int) -> None:
        """Fill vacant seats from the households living here now (§7.7).

        The candidate pool is refreshed, and this week's voters (or, without a ballot, every
        household) spread their votes over the candidates as at an election. A council that cannot
        keep three representatives dissolves.
        """
        c = self.compound
        open_seats = self.vacancies
        if open_seats > 0:
            h = self.model.hh
            self.add_candidates(t)
            sl = slice(c.lo, c.hi)
            pool = np.flatnonzero(h.candidate[sl] & (h.role[sl] != REP)) + c.lo
            if pool.size:
                voters = np.flatnonzero(h.att_vote[sl]) + c.lo
                if voters.size == 0:
                    voters = np.arange(c.lo, c.hi)
                pick = self._elect(pool, voters, open_seats)
                self._seat(pick)
                self.members = np.sort(np.concatenate([self.members, pick]))
                self.legitimacy = rules.legitimacy(self.turnout, self.party_share)
        if self.members.size < rules.MIN_MEMBERS:
            self.dissolve()

    def lose_member(self, idx: np.ndarray) -> None:
        """Members who moved out leave the council; their seats wait for a by-election."""
        self.members = self.members[~np.isin(self.members, idx)]

    def dissolve(self) -> None:
        self.model.hh.role[self.members] = NONE
        self.members = np.zeros(0, dtype=np.int64)
        self.status = CouncilStatus.DISSOLVED
        self.legitimacy = 0.0

    def visitors(self) -> np.ndarray:
        """Who follows up unpaid bills: the representatives (§7.9)."""
        return self.members if self.active else np.zeros(0, dtype=np.int64)
