"""The week's two passes over every household outside the rule: what neighbours see, and the ladder.

:func:`snapshot` is :func:`sim.executors.snapshot` (what each household shows its neighbours at the
end of t−1, DESIGN.md §3) and :func:`ladder_week` the household part of :func:`sim.ladder.record_week`
(this week's acts put on the participation ladder, ODD §9). Each was a dozen numpy passes with their
temporaries over every household, once a week; here each is one loop. Comparisons, a product and the
notice draw's hash are the same operations in the same order, so the results are the bits of the
numpy code (``tests/test_kernels.py`` checks both on random states).
"""

from __future__ import annotations

import numpy as np

from sim.kernels import jit
from sim.kernels.csr import unsigned
from sim.kernels.hashing import mix1, unit1

#: The fewest households a thread's piece of the snapshot gets (:func:`sim.parallel.over`): it is a few
#: nanoseconds a household, so only a city's hundred thousand households gain from a second thread.
MIN_SPLIT = 32_768


@jit
def snapshot(t, window, rep, last_act, role, party, comp, mu_party, paid_cofund, paid_month, att_event, rung_week, out):
    """Fill ``out`` = (x, s, sx, leader, paid_cofund, paid_month, is_rep, att_event, informed_week).

    ``x`` is 1 for a household active at t−1 (acted within ``window`` weeks); ``s`` its salience, the
    compound's party multiplier for a representative or a party member of a mobilised compound
    (multiplier above 1), else 1; ``leader`` 1 for an active one of those.
    """
    x, s, sx, leader, cofund, month, is_rep, event, informed_week = out
    for i in range(comp.size):
        mu = mu_party[unsigned(comp[i])]
        xi = 1.0 if (t - 1) - last_act[i] < window else 0.0
        rep_i = role[i] == rep
        lead = (party[i] and mu > 1.0) or rep_i
        si = mu if lead else 1.0
        x[i] = xi
        s[i] = si
        sx[i] = si * xi
        leader[i] = 1.0 if lead and xi > 0 else 0.0
        cofund[i] = 1.0 if paid_cofund[i] else 0.0
        month[i] = 1.0 if paid_month[i] else 0.0
        is_rep[i] = rep_i
        event[i] = att_event[i]
        informed_week[i] = rung_week[i, 0]


@jit
def ladder_week(t, none, comp, flags, canvassed, visit_weight, role, key, notice, tau_info, notice_reach, purpose,
                rung_week, last_act):  # fmt: skip
    """Put week ``t``'s acts of every household on the ladder: the highest rung reached sets the
    rung columns up to it to ``t``, and a consulted act or higher is the household's latest act.

    ``flags`` = (informed, att_vote, att_opinion, voiced, att_adopt, att_meeting, att_event);
    ``purpose`` the notice draw's purpose, already mixed. A household of a compound that posted a
    notice (``notice``) saw it with probability 1 − (1 − ``notice_reach``)(1 − ``tau_info``).
    """
    informed, vote, opinion, voiced, adopt, meeting, event = flags
    mt = mix1(np.uint64(t))
    keep = 1.0 - notice_reach
    for i in range(comp.size):
        k = unsigned(comp[i])
        if role[i] != none:
            top = 4
        elif meeting[i] or event[i]:
            top = 3
        elif vote[i] or opinion[i] or voiced[i] or adopt[i]:
            top = 2
        elif informed[i] or canvassed[i] == t or visit_weight[i] > 0:
            top = 1
        elif notice[k]:
            seen = 1.0 - keep * (1.0 - tau_info[k])
            top = 1 if unit1(mix1(mix1(key[i] ^ mt) ^ purpose)) < seen else 0
        else:
            top = 0
        for r in range(top):
            rung_week[i, r] = t
        if top >= 2:
            last_act[i] = t


__all__ = ["ladder_week", "snapshot"]
