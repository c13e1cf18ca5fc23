"""Every compound's week at once: the books over the compound table, then only the procedures due.

:meth:`sim.compound.Compound.step` is one compound's week; :func:`step_all` gives the same result
for all of a model's compounds (ODD §4 steps 3–6). The complaint books and the reset of the
hand-over flag are column operations on :class:`sim.compound.table.CompoundTable`; the stage
procedures run only for the compounds that have something to do this week:

- a compound waiting for the bureau with no complaint (city mode) has an empty week;
- the street office books hours only for projects under way and escalated complaints;
- QUEUED, STALLED and ABANDONED have no procedure;
- a compound waiting for its initiators' team skips :func:`sim.compound.application.try_team`
  where it would return at once: a city compound not yet aware it may apply
  (:meth:`sim.city.CityCompound.may_start_team`; every compound of a compound-scale run is aware),
  or fewer than three would-be leaders (counted for every such compound at once);
- the consent drives' canvassing and signatures run for every drive at once
  (:func:`sim.compound.application.consent_drives`); whether a drive goes in or disbands is decided
  in compound order; so are the rounds before plan votes and council elections
  (:func:`sim.compound.canvassing.visit_many`), the rest of those stages' weeks in compound order;
- the open co-funding windows' follow-up visits are made at once
  (:func:`sim.compound.cofunding.follow_up_all`), their tallies and closing in compound order;
- after hand-over (LONG_TERM) the management procedure (:func:`sim.compound.management.act`) runs in
  parts: the fee month's books and follow-up visits of every billing compound at once
  (:func:`~sim.compound.management.bill_month`); a council's renewal only where it votes this week
  or turns a year (elections, by-elections, the yearly quits and conversion); who manages only where
  it changes (:func:`form_changes`); and whether a ballot is due at the next meeting as a column
  operation everywhere else.

A compound that steps runs in compound order, as before, so the shared offices see the same
sequence; the draws are counter-based, so the batched fee months draw what each compound would.
"""

from __future__ import annotations

import numpy as np

from sim.compound import application, canvassing, cofunding, deliberation, formation, management
from sim.compound.core import PROCEDURES
from sim.compound.management import CARETAKER
from sim.compound.table import MGMT_CODE
from sim.constants import QUARTER
from sim.rules import maintenance as maint
from sim.stages import PROJECT_STAGES, Stage

_N = max(int(s) for s in Stage) + 1
HAS_PROCEDURE = np.zeros(_N, dtype=bool)
HAS_PROCEDURE[[int(s) for s in PROCEDURES]] = True
IN_PROJECT = np.zeros(_N, dtype=bool)
IN_PROJECT[[int(s) for s in PROJECT_STAGES]] = True
LONG_TERM = int(Stage.LONG_TERM)
CONSENT_DRIVE = int(Stage.CONSENT_DRIVE)
AWARE = int(Stage.AWARE)
DELIBERATION, COUNCIL_FORMATION = int(Stage.DELIBERATION), int(Stage.COUNCIL_FORMATION)
FUNDRAISING = int(Stage.FUNDRAISING)
# who canvasses in each stage that starts its week with a round, and the rest of its week
ROUND_CANVASSERS = {Stage.DELIBERATION: deliberation.canvassers, Stage.COUNCIL_FORMATION: lambda c: c.team}
AFTER_ROUND = {Stage.DELIBERATION: deliberation.meeting_week, Stage.COUNCIL_FORMATION: formation.election_week}


def step_all(model, t: int) -> None:
    """This week's collective procedures of every compound (what ``Compound.step`` does for one)."""
    tab, compounds = model.compound_table, model.compounds
    wc, we = tab.week_complaints, tab.week_escalated
    quiet = model.quiet_compounds(t) if model.city else None  # sim.city.CityModel
    active = np.ones(tab.n, dtype=bool) if quiet is None else ~(quiet & (wc == 0))
    tab.delivered[active] = False
    tab.complaints[active] += wc[active]
    tab.escalated[active] += we[active]
    stage = tab.stage
    project = IN_PROJECT[stage]
    managed = stage == LONG_TERM
    since = t - tab.stage_week
    council = tab.council_active()
    meeting = tab.has_council & (since > 0) & (since % QUARTER == 0)
    form = form_changes(tab)
    due = active & HAS_PROCEDURE[stage] & (~managed | model.new_month | meeting | form)
    books = active & (project | (we > 0))
    # after hand-over (sim.compound.management.act, split): every fee month's books and follow-up at
    # once, then per compound only a council's renewal where it votes or has its anniversary, and the
    # management form where it changes
    kept = due & managed
    if model.new_month:
        fee_month = kept & (tab.mgmt != MGMT_CODE["none"]) & (tab.fee(np.arange(tab.n)) > 0)
        if fee_month.any():
            management.bill_month(model, [compounds[k] for k in np.flatnonzero(fee_month).tolist()])
    anniversary = council & (since > 0) & (since % 52 == 0)
    renewing = kept & tab.has_council & (tab.vote_open | anniversary)
    # the consent drives' canvassing and signatures at once (households and draws are each
    # compound's own); whether each goes in or disbands stays in compound order with the office
    drive = due & (stage == CONSENT_DRIVE)
    quorum = np.zeros(tab.n, dtype=bool)
    if drive.any():
        quorum[drive] = application.consent_drives(model, t, np.flatnonzero(drive))
    # a compound waiting for a team has nothing to do without three would-be leaders
    aware = due & (stage == AWARE) & tab.aware  # a city compound that has not heard it may apply waits
    due[due & (stage == AWARE) & ~tab.aware] = False
    if aware.any():
        due[aware] = application.may_form(model, np.flatnonzero(aware))
    # the open co-funding windows' follow-up visits, at once
    funding = due & (stage == FUNDRAISING)
    if funding.sum() >= canvassing.BATCH_MIN:
        cofunding.follow_up_all(model, [compounds[k] for k in np.flatnonzero(funding).tolist()])
    else:
        funding[:] = False
    # the canvassing rounds before plan votes and council elections, at once (as the drives')
    rounds = due & ((stage == DELIBERATION) | (stage == COUNCIL_FORMATION))
    if rounds.any():
        rows = np.flatnonzero(rounds)
        going = [compounds[k] for k in rows.tolist()]
        canvassing.visit_many(model, t, rows, [ROUND_CANVASSERS[c.stage](c) for c in going])
    for k in np.flatnonzero((due & ~managed) | (kept & (renewing | form)) | books).tolist():
        c = compounds[k]
        if books[k]:
            c.office.week(c, bool(project[k]), int(we[k]))
        if not due[k]:
            continue
        if drive[k]:
            application.close_drive(c, t, bool(quorum[k]))
            continue
        if rounds[k]:
            AFTER_ROUND[c.stage](c, t)
            continue
        if funding[k]:
            cofunding.fundraise(c, t, followed_up=True)
            continue
        if not managed[k]:
            PROCEDURES[c.stage](c, t)
            continue
        if renewing[k]:
            management.renew(c, t)
        management.decide_form(c, t)
    # the councils that did not vote or turn a year: whether a ballot is due at the next meeting
    # (sim.compound.management.renew ends with the same test)
    idle = active & managed & tab.has_council & ~renewing
    tab.ballot_due[idle] = tab.ballot_needed(t)[idle]


def form_changes(tab) -> np.ndarray:
    """Where :func:`sim.compound.management.decide_form` would change who manages: a self-managing
    council or owners' committee without an active council, or an active council legitimate enough to
    take over from the caretaker."""
    on = tab.council_active()
    own = (tab.mgmt == MGMT_CODE["self"]) | (tab.mgmt == MGMT_CODE["OC"])
    takes_over = on & (tab.mgmt == MGMT_CODE[CARETAKER]) & (tab.legitimacy >= maint.LEG_MANAGE)
    return (own & ~on) | takes_over


__all__ = ["form_changes", "step_all"]
