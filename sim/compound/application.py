"""Application: the initiators' team, the consent drive and the application review (ODD §7.5–7.6).

Under self-application (pilot, three_integrations) three owners with high intention and perceived
control — one a party member where the party rule holds (E23) — form a team, canvass their
neighbours for consent signatures and submit once ``q_apply`` of the owners have signed (E17). A
drive that misses its quorum in ``DRIVE_WEEKS`` disbands; the compound may try again after a cool-down.
The street office then reviews the application (§7.6), as slow as its staff hours allow.
"""

from __future__ import annotations

import math

import numpy as np

from sim import rng
from sim.compound import canvassing
from sim.constants import (
    DRIVE_RETRY_WEEKS,
    DRIVE_WEEKS,
    TEAM_RATE,
    TEAM_SIZE,
)
from sim.households import INITIATOR, NONE
from sim.kernels import visits
from sim.ladder import Rung, reach
from sim.rng import Purpose
from sim.rules import participation
from sim.stages import Stage


def init_state(c) -> None:
    """The team (household ids), when its drive started and when a failed team may try again."""
    c.team = np.zeros(0, dtype=np.int64)
    c.drive_start = 0
    c.cooldown_until = 0


def try_team(c, t: int) -> None:
    """AWARE: a team forms with weekly probability 1 − exp(−0.2·κ·leaders) once three leaders exist.

    Coming together to lead is acting on intention, so it scales with the conversion κ like every
    other act (0.1 per leader a week at κ = 0.5).
    """
    h, p = c.model.hh, c.p
    if t < c.cooldown_until or not c.may_start_team():
        return
    sl = c.sl
    leaders = np.flatnonzero(h.owner[sl] & participation.could_lead(h.I[sl], h.PBC[sl])) + c.lo
    has_party = bool(h.party[leaders].any())
    if leaders.size < TEAM_SIZE or (p.party_rule and not has_party):
        return
    u = c.draw(0, t, Purpose.TEAM)
    if u >= 1 - math.exp(-TEAM_RATE * p.kappa * leaders.size):
        return
    ranked = leaders[np.lexsort((leaders, -h.I[leaders]))]
    if p.party_rule:
        first_party = ranked[h.party[ranked]][0]
        ranked = np.concatenate([[first_party], ranked[ranked != first_party]])
    c.team = np.sort(ranked[:TEAM_SIZE])
    h.role[c.team] = INITIATOR
    h.signed[sl] = False
    c.new_round(t, Purpose.CANVASS)
    c.drive_start = t
    c.enter(Stage.CONSENT_DRIVE, t)


def may_form(model, rows: np.ndarray) -> np.ndarray:
    """Which compounds of ``rows`` have the would-be leaders a team needs — three, one a party member
    where the party rule holds — without whom :func:`try_team` returns at once. Counted for many
    compounds in one compiled pass, so the weekly pass calls :func:`try_team` only where a team can form.
    """
    if rows.size < canvassing.BATCH_MIN:  # a few compounds: try_team tells for itself
        return np.ones(rows.size, dtype=bool)
    h, tab = model.hh, model.compound_table
    counts = visits.leader_counts(rows, model.bounds, h.owner, h.I, h.PBC, h.party)
    party_rule = np.array([p.party_rule for p in tab.params], dtype=bool)[tab.p_index[rows]]
    return (counts[:, 0] >= TEAM_SIZE) & (~party_rule | (counts[:, 1] > 0))


def consent_drive(c, t: int) -> None:
    """CONSENT_DRIVE: the team canvasses; owners who support the project and mean to take part sign.

    Signing is a consulted act (:mod:`sim.ladder`) and follows intention like any other
    (:func:`sim.rules.participation.sign_probability`): the form brought to the door makes it easy, it
    does not make it certain.
    """
    close_drive(c, t, collect_signatures(c, t))


def collect_signatures(c, t: int) -> bool:
    """This week's canvassing and signatures of one drive; whether the owners' quorum is reached."""
    h, p = c.model.hh, c.p
    batch = c.canvass(t, collectors(c))
    prob = participation.sign_probability(h.I_proc[batch], h.A[batch], h.owner[batch], p)
    signs = rng.uniform(h.key[batch], t, Purpose.SIGN) < prob
    newly = batch[signs & ~h.signed[batch]]
    h.signed[newly] = True
    reach(h, newly, Rung.CONSULTED, t)
    owners = int(h.owner[c.sl].sum())
    return bool(h.signed[c.sl].sum() >= p.q_apply * owners)


def close_drive(c, t: int, quorum: bool) -> None:
    """The application goes in once the quorum has signed; a drive out of time disbands."""
    if quorum:
        c.application_ready(t)
    elif t - c.drive_start >= DRIVE_WEEKS:
        disband(c)
        c.cooldown_until = t + DRIVE_RETRY_WEEKS
        c.enter(Stage.AWARE, t)


def consent_drives(model, t: int, rows: np.ndarray) -> np.ndarray:
    """:func:`collect_signatures` of the drives of compounds ``rows`` (in compound order) at once;
    returns each drive's quorum.

    The collectors (:func:`collectors`) and the signatures are array passes over all the drives'
    households, and the rounds run together (:func:`sim.compound.canvassing.visit_many`). Each
    compound's households and draws are its own, so doing them together changes nothing.
    """
    h, tab = model.hh, model.compound_table
    lo, hi = model.bounds[rows], model.bounds[rows + 1]
    sizes = hi - lo
    homes = np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())  # their households
    collecting = np.zeros(h.n, dtype=bool)
    collecting[homes] = h.signed[homes] & participation.could_lead(h.I[homes], h.PBC[homes])
    collecting[np.concatenate([model.compounds[k].team for k in rows.tolist()])] = True
    canvassers = np.flatnonzero(collecting)
    cut = np.searchsorted(canvassers, np.append(lo, hi[-1]))
    visited = np.zeros(h.n, dtype=bool)
    canvassing.visit_many(model, t, rows, np.split(canvassers, cut[1:-1]), visited)
    batch = np.flatnonzero(visited)
    # each lever set's own signature rule (a city runs a few side by side)
    prob = np.empty(batch.size)
    lever = tab.p_index[h.comp[batch]]
    for j in np.unique(lever).tolist():
        sel = lever == j
        prob[sel] = participation.sign_probability(
            h.I_proc[batch[sel]], h.A[batch[sel]], h.owner[batch[sel]], tab.params[j]
        )
    signs = rng.uniform(h.key[batch], t, Purpose.SIGN) < prob
    newly = batch[signs & ~h.signed[batch]]
    h.signed[newly] = True
    reach(h, newly, Rung.CONSULTED, t)
    K = tab.n
    owners = np.bincount(h.comp[homes], h.owner[homes], K)[rows]
    signed = np.bincount(h.comp[homes], h.signed[homes], K)[rows]
    q_apply = np.array([p.q_apply for p in tab.params])[tab.p_index[rows]]
    return signed >= q_apply * owners


def collectors(c) -> np.ndarray:
    """Who collects signatures: the team, joined by signers who could lead a team themselves.

    Recruits become recruiters (Snow, Zurcher & Ekland-Olson 1980): a committed owner who has signed
    takes the form to its own neighbours, as building heads (楼栋长) do, so a drive's reach grows with
    the compound instead of resting on three initiators (E23).
    """
    h, sl = c.model.hh, c.sl
    keen = h.signed[sl] & participation.could_lead(h.I[sl], h.PBC[sl])
    return np.union1d(c.team, np.flatnonzero(keen) + c.lo)


def disband(c) -> None:
    """The initiators step back to ordinary residents."""
    h = c.model.hh
    h.role[c.team[h.role[c.team] == INITIATOR]] = NONE
    c.team = np.zeros(0, dtype=np.int64)


def review(c, t: int) -> None:
    """APPLICATION_REVIEW: the office's sign-offs run down; then the project starts."""
    c.remaining -= c.office.progress_for(c)
    if c.remaining <= 0:
        start_project(c, t)


def start_project(c, t: int) -> None:
    """An admitted project: elect a council first (§7.7) or go straight to deliberation (§7.8)."""
    if c.p.council_first:
        c.enter(Stage.COUNCIL_FORMATION, t)
        c.formation_start, c.next_attempt = t, t + 1
        c.new_round(t, Purpose.CANVASS + 1)
    else:
        c.enter(Stage.DELIBERATION, t)
        c.clock_start = t
        c.new_round(t, Purpose.CANVASS + 2)
