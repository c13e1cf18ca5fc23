"""What people see of the model's state: the one definition of a resident's state, the network view
of a compound and node positions grouped by building (for Mesa's space component and the workshop).
"""

from __future__ import annotations

from enum import Enum

import networkx as nx
import numpy as np
import pandas as pd
from mesa.discrete_space import Network

from sim.households import INITIATOR, REP
from sim.rules.participation import STATE_NAMES, resident_state


class ResidentState(Enum):
    """What a workshop sees of a resident (ODD §7.3): the one definition, used everywhere."""

    UNWILLING = STATE_NAMES[0]
    WILLING = STATE_NAMES[1]
    ACTIVE = STATE_NAMES[2]
    REPRESENTATIVE = STATE_NAMES[3]


def resident_states(h, week: int, idx) -> np.ndarray:
    """The state of households ``idx`` after ``week`` weeks have run (as strings).

    The rule itself is :func:`sim.rules.participation.resident_state`, read at the last completed week
    (``week - 1``), as the outputs count it.
    """
    codes = resident_state(h.role[idx] == REP, h.last_act[idx], h.I[idx], week - 1)
    return np.asarray(STATE_NAMES)[codes]


def network_view(model, c: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes (id, building, state, party, role) and current ties of compound ``c``."""
    comp = model.compounds[c]
    h = model.hh
    sl = slice(comp.lo, comp.hi)
    rep = h.role[sl] == REP
    nodes = pd.DataFrame(
        {
            "id": np.arange(comp.n),
            "building": h.building[sl].astype(np.int64),  # stored narrow (int16); shown as before
            "state": resident_states(h, model.week, sl),
            "party": h.party[sl],
            "role": np.where(rep, "representative", np.where(h.role[sl] == INITIATOR, "initiator", "none")),
            "intention": h.I[sl],
            "attitude": h.A[sl],
        }
    )
    T = model.ties
    sel = (T.src >= comp.lo) & (T.src < comp.hi) & (T.w > 0)
    src, dst = T.src[sel].astype(np.int64) - comp.lo, T.dst[sel].astype(np.int64) - comp.lo  # stored as int32
    edges = pd.DataFrame({"source": src, "target": dst, "weight": T.w[sel]})
    return nodes, edges


def building_layout(model) -> dict[int, tuple[float, float]]:
    """Node positions grouped by building: buildings on a grid, households in a block inside each.

    Compounds of a batch sit side by side. Deterministic (no draws), so a page shows the same picture
    for the same compound.
    """
    h = model.hh
    pos: dict[int, tuple[float, float]] = {}
    x0 = 0.0
    for comp in model.compounds:
        blds = h.building[comp.lo : comp.hi]
        uniq = np.unique(blds)
        cols = int(np.ceil(np.sqrt(uniq.size)))
        for b_i, b in enumerate(uniq):
            members = np.flatnonzero(blds == b) + comp.lo
            side = int(np.ceil(np.sqrt(members.size)))
            bx, by = x0 + (b_i % cols) * 1.2, (b_i // cols) * 1.2
            for j, i in enumerate(members):
                pos[int(i)] = (bx + 0.9 * (j % side) / max(side, 1), by + 0.9 * (j // side) / max(side, 1))
        x0 += cols * 1.2 + 1.0
    return pos


def _live_edges(ties) -> set[tuple[int, int]]:
    live = ties.w > 0
    src, dst = ties.src[live], ties.dst[live]
    return set(zip(np.minimum(src, dst).tolist(), np.maximum(src, dst).tolist(), strict=True))


def tie_network(model) -> Network:
    """A Mesa ``Network``: one cell per household, an edge per live tie, positions by building."""
    g = nx.Graph()
    g.add_nodes_from(range(model.hh.n))
    g.add_edges_from(sorted(_live_edges(model.ties)))
    return Network(g, capacity=1, random=model.random, layout=building_layout(model))


def sync_tie_network(grid: Network, ties) -> None:
    """Bring the network's edges up to date with the tie matrix (ties form, decay and are cut)."""
    cells = grid._cells
    now = _live_edges(ties)
    old = {(min(a, b), max(a, b)) for a, b in grid.G.edges}
    for a, b in old - now:
        grid.remove_connection(cells[a], cells[b])
    for a, b in now - old:
        grid.add_connection(cells[a], cells[b])
