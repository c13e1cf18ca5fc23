"""Follow-up visits about unpaid bills, in the co-funding window and on fee months (ODD §7.9, §7.11).

Representatives (or, without a council, the manager) visit unpaid households in a shuffled order; a
visit raises the household's payment probability, and a mobilised party representative's visit
weighs more (E16: party members as the backbone of the councils).
"""

from __future__ import annotations

import numpy as np

from sim.rng import Purpose
from sim.rules import payment
from sim.stages import Stage


def visit_unpaid(c, unpaid_mask_fn, per_visitor: int) -> None:
    """Representatives follow up unpaid households; a party representative's visit weighs 1.5."""
    h = c.model.hh
    h.visit_weight[c.sl] = 0.0
    visitors = c.council.visitors() if c.council is not None else np.zeros(0, dtype=np.int64)
    if c.council_active and visitors.size:
        n = per_visitor * visitors.size
    elif c.bills and c.stage == Stage.LONG_TERM:
        n, visitors = per_visitor, np.zeros(0, dtype=np.int64)
    else:
        return
    order = c.visit_order if c.visit_order.size else c.shuffle(0, Purpose.CANVASS + 5)
    unpaid = order[unpaid_mask_fn(order)][:n]
    if visitors.size:
        who = visitors[np.arange(unpaid.size) % visitors.size]
        h.visit_weight[unpaid] = np.where(h.party[who] & c.mobilised, payment.PARTY_VISIT_WEIGHT, 1.0)
    else:
        h.visit_weight[unpaid] = 1.0
