"""Generators of a compound's ties and their initial strength (ODD §6, §7.1; experiment X6).

``network`` picks the generator: ``buildings`` — Watts–Strogatz rings inside each building with
sparse random cross-building ties (the default, Watts & Strogatz 1998); ``small_world``,
``scale_free`` (Barabási–Albert), ``erdos_renyi`` and ``complete`` over the whole compound, for
experiment X6 and the docking tests. ``mean_degree`` sets the expected degree of each generator.
Draws come from the counter-based keys (networkx generators are seeded from them), so a compound's
network depends only on its key.

Tie strength: each tie has an *affinity* a_ij drawn from ``tie_weights`` (Beta with mean
``tie_mean`` and concentration ``tie_concentration`` — Beta(1, 4) at the defaults — or equal to the
mean) and a *contact level* c_ij = a_ij for neighbours in the same building and ``cross_contact``·a_ij
across buildings (Festinger, Schachter & Back 1950; Feld 1981). A rewired tie keeps the affinity and
contact level of the lattice tie it replaces, so rewiring changes topology alone
(``rewired_ties: keep``); ``rewired_ties: buildings`` lets its contact follow the buildings it joins.
The weekly dynamics of the ties are in :mod:`sim.network`.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from sim import rng
from sim.rng import Purpose

HOUSEHOLDS_PER_BUILDING = 23.2  # E8
WS_K = 4


def n_buildings(n: int) -> int:
    """B = max(1, round(N / 23.2))."""
    return max(1, int(round(n / HOUSEHOLDS_PER_BUILDING)))


def _nx_seed(ckey, k: int) -> int:
    u = rng.uniform(rng.slot_keys(ckey, rng.COMPOUND_SLOT + k), 0, Purpose.NETWORK_SEED)
    return int(float(u) * 2**31)


def _graph_edges(g: nx.Graph, offset: int = 0) -> np.ndarray:
    if g.number_of_edges() == 0:
        return np.zeros((0, 2), dtype=np.int64)
    return np.asarray(list(g.edges()), dtype=np.int64) + offset


def ring_degree(mean_degree: float, size: int) -> int:
    """The even ring degree k nearest ``mean_degree`` that a Watts–Strogatz graph of ``size`` allows."""
    k = 2 * int(round(mean_degree / 2.0))
    return max(2, min(k, size - 1 - (size - 1) % 2))


def affinity(keys, dst, p, n_draw: int = 0):
    """Tie affinities a_ij: Beta(tie_mean·conc, (1 − tie_mean)·conc), or the mean for ``equal`` (§5)."""
    mean = 0.2 if p is None else p.tie_mean
    if p is not None and (p.tie_weights == "equal" or mean >= 1.0):
        return np.full(np.shape(keys), float(mean))
    conc = 5.0 if p is None else p.tie_concentration
    return rng.beta(keys, n_draw, Purpose.TIE_WEIGHT + (dst % 250), mean * conc, (1.0 - mean) * conc)


def contact_factor(building, src, dst, p):
    """Everyday contact of a tie relative to a same-building tie: 1, or ``cross_contact`` (§7.1)."""
    cross = 1.0 if p is None else p.cross_contact
    return np.where(building[src] == building[dst], 1.0, cross)


def watts_strogatz(n: int, k: int, rewire: float, key, tries: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """A connected Watts–Strogatz graph (Watts & Strogatz 1998) that remembers where each tie came from.

    A ring lattice of even degree ``k``; each lattice tie (i, i + j) has its far end moved, with
    probability ``rewire``, to a household drawn uniformly from those i is not yet tied to (a draw that
    would duplicate a tie, or that another tie drew first, leaves the lattice tie in place). Returns the
    edges (local ids) and, row by row, the lattice tie each came from, so a rewired tie can keep the
    strength and contact level of the one it replaces (``rewired_ties``, §6). Retried with fresh draws
    until connected, as networkx's ``connected_watts_strogatz_graph`` does.
    """
    half = k // 2
    src = np.tile(np.arange(n, dtype=np.int64), half)
    step = np.repeat(np.arange(1, half + 1, dtype=np.int64), n)
    origin = np.stack([src, (src + step) % n], axis=1)
    if rewire <= 0 or n < 4:
        return origin.copy(), origin
    keys = rng.slot_keys(key, np.arange(n))[src]
    lattice = np.minimum(origin[:, 0], origin[:, 1]) * n + np.maximum(origin[:, 0], origin[:, 1])
    edges = origin
    for attempt in range(tries):
        u = rng.uniform(keys, step + (attempt << 8), Purpose.REWIRE)
        pick = np.floor(rng.uniform(keys, step + (attempt << 8), Purpose.REWIRE + 1) * (n - 1)).astype(np.int64)
        dst = np.where(pick >= src, pick + 1, pick)
        code = np.minimum(src, dst) * n + np.maximum(src, dst)
        moved = (u < rewire) & ~np.isin(code, lattice)
        first = np.zeros(code.size, dtype=bool)
        first[np.unique(np.where(moved, code, -1), return_index=True)[1]] = True
        moved &= first
        edges = np.stack([src, np.where(moved, dst, origin[:, 1])], axis=1)
        g = sp.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
        if csgraph.connected_components(g, directed=False)[0] == 1:
            break
    return edges, origin


def _building_rings(ckey, building, starts, k_mean: float, rewire: float) -> tuple[np.ndarray, np.ndarray]:
    """The Watts–Strogatz ring of every building of a compound, in building order, with tie origins.

    The same ties, in the same order, as :func:`watts_strogatz` building by building (each building
    keyed ``COMPOUND_SLOT + 200 + b``), with the first attempt of every building drawn at once; only a
    building left unconnected by its first attempt (rare at the default rewiring) is redrawn alone.
    """
    nb = starts.size
    sizes = np.diff(np.append(starts, building.size))
    ks = np.array([ring_degree(k_mean, int(size)) for size in sizes], dtype=np.int64)
    bkeys = rng.slot_keys(ckey, rng.COMPOUND_SLOT + 200 + np.arange(nb))
    if k_mean <= 0 or np.any(sizes <= ks + 1):  # empty rings or complete little buildings: one by one
        return _rings_one_by_one(bkeys, sizes, starts, ks, k_mean, rewire)
    return _rings(bkeys, sizes, starts, ks, rewire, building.size)


def _rings(bkeys, sizes, starts, ks, rewire: float, n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """The rings of buildings of ``sizes`` households from ``starts`` (ids below ``n_nodes``), keyed
    ``bkeys``, degree ``ks``: every building's first attempt drawn at once, then the buildings it
    leaves unconnected redrawn alone (:func:`watts_strogatz`). Returns the edges and their origins.

    Pairs are coded over all ``n_nodes`` ids: pairs of different buildings never meet, so each
    building's duplicates and first draws are what they are alone (one compound's buildings, or a
    whole batch's, :func:`batch_edges`).
    """
    half = ks // 2
    counts = sizes * half
    tb = np.repeat(np.arange(sizes.size), counts)  # the building of each lattice tie
    r = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    size = sizes[tb]
    src, step = r % size, r // size + 1  # as np.tile(arange(size), half), np.repeat(arange(1, half+1), size)
    far = (src + step) % size
    lo = starts[tb]
    origin = np.stack([src + lo, far + lo], axis=1)
    if rewire <= 0:
        return origin.copy(), origin
    keys = rng.combine(bkeys[tb], src.astype(np.uint64))
    u = rng.uniform(keys, step, Purpose.REWIRE)
    pick = np.floor(rng.uniform(keys, step, Purpose.REWIRE + 1) * (size - 1)).astype(np.int64)
    dst = np.where(pick >= src, pick + 1, pick)
    code = (np.minimum(src, dst) + lo) * n_nodes + np.maximum(src, dst) + lo
    lattice = (np.minimum(src, far) + lo) * n_nodes + np.maximum(src, far) + lo
    moved = (u < rewire) & ~np.isin(code, lattice)
    first = np.zeros(code.size, dtype=bool)
    first[np.unique(np.where(moved, code, -1), return_index=True)[1]] = True
    moved &= first
    edges = np.stack([origin[:, 0], np.where(moved, dst + lo, origin[:, 1])], axis=1)
    g = sp.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n_nodes, n_nodes))
    label = csgraph.connected_components(g, directed=False)[1]
    of = np.repeat(np.arange(sizes.size), sizes)  # the building of each of their households
    home = np.repeat(starts, sizes) + np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    split = np.zeros(sizes.size, dtype=bool)
    split[of[label[home] != label[starts[of]]]] = True  # a building not all in its first household's part
    bounds = np.append(0, np.cumsum(counts))
    for b in np.flatnonzero(split).tolist():  # redraw from the first attempt, exactly as alone
        e, _ = watts_strogatz(int(sizes[b]), int(ks[b]), rewire, bkeys[b])
        edges[bounds[b] : bounds[b + 1]] = e + starts[b]
    return edges, origin


def _rings_one_by_one(bkeys, sizes, starts, ks, k_mean: float, rewire: float) -> tuple[np.ndarray, np.ndarray]:
    parts, origins = [], []
    for b, size in enumerate(sizes):
        size, k, lo = int(size), int(ks[b]), int(starts[b])
        if k_mean <= 0:
            e = o = np.zeros((0, 2), dtype=np.int64)
        elif size > k + 1:
            e, o = watts_strogatz(size, k, rewire, bkeys[b])
        else:
            e = o = _graph_edges(nx.complete_graph(size))
        parts.append(e + lo)
        origins.append(o + lo)
    return np.concatenate(parts), np.concatenate(origins)


def compound_edges(ckey, n: int, kind: str, rewire: float, cross_mean: float, p=None, buildings: int | None = None):
    """Edges (local slot pairs), initial tie weights and building of each household for one compound.

    Initial weights are the contact levels (affinity × contact factor), so a compound starts where
    everyday contact holds it (§7.1). A tie's affinity is drawn for the lattice position it comes from,
    and so is its contact level unless ``rewired_ties`` is ``buildings``: rewiring then changes the
    topology alone (§6, X6). Without ``p`` the historical defaults apply (degree 4, Beta(1, 4)).
    ``buildings`` is the compound's count from a city stock file (§7.13); by default N / 23.2.
    """
    nb = n_buildings(n) if buildings is None else min(int(buildings), n)
    building = np.repeat(np.arange(nb), [len(a) for a in np.array_split(np.arange(n), nb)])
    k_mean = WS_K if p is None else p.mean_degree
    if kind == "buildings":
        starts = np.searchsorted(building, np.arange(nb))
        ring, ring_origin = _building_rings(ckey, building, starts, k_mean, rewire)
        parts, origins = [ring], [ring_origin]
        keys = rng.slot_keys(ckey, np.arange(n))
        n_cross = rng.poisson_small(keys, 0, Purpose.CROSS_TIES, cross_mean)
        src = np.repeat(np.arange(n), n_cross)
        j = np.arange(src.size) - np.repeat(np.cumsum(n_cross) - n_cross, n_cross)
        u = rng.uniform(keys[src], 0, Purpose.CROSS_TARGET + (j % 200))
        if nb > 1:
            # uniform over households outside the source's building
            own = np.bincount(building, minlength=nb)[building[src]]
            pick = np.floor(u * (n - own)).astype(np.int64)
            lo = starts[building[src]]
            dst = np.where(pick >= lo, pick + own, pick)
        else:
            pick = np.floor(u * (n - 1)).astype(np.int64)
            dst = np.where(pick >= src, pick + 1, pick)
        cross = np.stack([src, dst], axis=1)
        edges = np.concatenate(parts + [cross])
        origin = np.concatenate(origins + [cross])
    elif kind == "small_world":
        k = ring_degree(k_mean, n)
        edges, origin = watts_strogatz(n, k, rewire, rng.slot_keys(ckey, rng.COMPOUND_SLOT + 200))
    elif kind == "scale_free":
        m = max(1, min(n - 1, int(round(k_mean / 2.0))))
        edges = origin = _graph_edges(nx.barabasi_albert_graph(n, m, seed=_nx_seed(ckey, 0)))
    elif kind == "erdos_renyi":
        # G(n, p) with p = z / (n − 1): expected degree z (Erdős & Rényi 1959; Watts 2002)
        edges = origin = _graph_edges(_gnp(n, min(1.0, k_mean / max(1, n - 1)), _nx_seed(ckey, 0)))
    elif kind == "complete":
        edges = origin = _graph_edges(nx.complete_graph(n))
    else:  # pragma: no cover - validated by the schema
        raise ValueError(kind)
    edges, origin = _canonical(edges, origin)
    okeys = rng.slot_keys(ckey, origin[:, 0])
    keep = p is None or p.rewired_ties == "keep"
    ends = origin if keep else edges
    w = affinity(okeys, origin[:, 1], p) * contact_factor(building, ends[:, 0], ends[:, 1], p)
    return edges, w, building


def batch_edges(ckeys, hkeys, bounds, p, buildings=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`compound_edges` of every compound of a batch, in one set of array passes.

    ``ckeys`` are the compounds' keys, ``hkeys`` their households' (``slot_keys`` of each compound),
    ``bounds`` where each compound's households start and end, ``buildings`` each compound's count of
    buildings from a city stock (or None). Returns the edges in global household ids, compound by
    compound, their initial weights, and each household's building within its compound: exactly the
    per-compound results laid side by side (``tests/test_rules_network.py``). Under the ``buildings``
    network the rings of all compounds' buildings, their rewiring, the cross-building ties and the
    tie weights are drawn at once; a compound the batched rings do not cover (a building too small
    for its ring, no ring at all, another ``network``) is built alone by :func:`compound_edges`.
    """
    bounds = np.asarray(bounds, dtype=np.int64)
    sizes = np.diff(bounds)
    K = sizes.size
    if buildings is None:
        nb = np.maximum(1, np.round(sizes / HOUSEHOLDS_PER_BUILDING).astype(np.int64))  # n_buildings
    else:
        nb = np.minimum(np.asarray(buildings).astype(np.int64), sizes)
    # array_split's buildings: the first n % nb one household larger
    bcomp = np.repeat(np.arange(K), nb)
    j = np.arange(bcomp.size) - np.repeat(np.cumsum(nb) - nb, nb)
    bsize = sizes[bcomp] // nb[bcomp] + (j < sizes[bcomp] % nb[bcomp])
    bstart = np.cumsum(bsize) - bsize  # global household id of each building's first household
    building = np.repeat(j, bsize).astype(np.int64)
    k_mean = p.mean_degree
    ks = np.maximum(2, np.minimum(2 * int(round(k_mean / 2.0)), (bsize - 1) - (bsize - 1) % 2))  # ring_degree
    batched = np.ones(K, dtype=bool) if p.network == "buildings" and k_mean > 0 else np.zeros(K, dtype=bool)
    batched[bcomp[bsize <= ks + 1]] = False  # _building_rings builds these one by one
    parts = []  # (src, dst, w) of each part; merged in compound order below
    if batched.any():
        parts.append(_batched_buildings(ckeys, hkeys, bounds, p, batched, bcomp, j, bsize, bstart, ks, building))
    for k in np.flatnonzero(~batched).tolist():
        lo, n = int(bounds[k]), int(sizes[k])
        nbk = None if buildings is None else int(buildings[k])
        e, w, bld = compound_edges(ckeys[k], n, p.network, p.ws_rewire, p.cross_ties, p, buildings=nbk)
        building[lo : lo + n] = bld
        parts.append((e[:, 0] + lo, e[:, 1] + lo, w))
    src, dst, w = (np.concatenate([part[i] for part in parts]) for i in range(3))
    comp = np.repeat(np.arange(K), sizes)
    order = np.argsort(comp[src], kind="stable")
    return np.stack([src[order], dst[order]], axis=1), w[order], building


def _batched_buildings(ckeys, hkeys, bounds, p, batched, bcomp, j, bsize, bstart, ks, building):
    """The ``buildings`` network of the compounds ``batched``: :func:`_building_rings` over all their
    buildings at once, then :func:`compound_edges`'s cross-building ties, canonical order and weights."""
    H = int(bounds[-1])
    comp = np.repeat(np.arange(bounds.size - 1), np.diff(bounds))
    lo_of = bounds[:-1]
    mine = batched[bcomp]
    bcomp, j, bsize, bstart, ks = bcomp[mine], j[mine], bsize[mine], bstart[mine], ks[mine]
    bkeys = rng.combine(np.asarray(ckeys, dtype=np.uint64)[bcomp], (rng.COMPOUND_SLOT + 200 + j).astype(np.uint64))
    # the rings of all their buildings at once, as _building_rings builds one compound's
    edges, origin = _rings(bkeys, bsize, bstart, ks, p.ws_rewire, H)
    # the cross-building ties of each household, as compound_edges
    home = np.flatnonzero(batched[comp])
    n_cross = rng.poisson_small(hkeys[home], 0, Purpose.CROSS_TIES, p.cross_ties)
    csrc = np.repeat(home, n_cross)
    jj = np.arange(csrc.size) - np.repeat(np.cumsum(n_cross) - n_cross, n_cross)
    u = rng.uniform(hkeys[csrc], 0, Purpose.CROSS_TARGET + (jj % 200))
    k = comp[csrc]
    n = np.diff(bounds)[k]
    local = csrc - lo_of[k]
    nb_of = np.bincount(bcomp, minlength=bounds.size - 1)[k]
    many = nb_of > 1
    bid = np.searchsorted(bstart, csrc, side="right") - 1  # each source's building (among these)
    own = bsize[bid]
    blo = bstart[bid] - lo_of[k]
    pick = np.where(many, np.floor(u * (n - own)), np.floor(u * (n - 1))).astype(np.int64)
    cdst = np.where(many, np.where(pick >= blo, pick + own, pick), np.where(pick >= local, pick + 1, pick))
    cross = np.stack([csrc, cdst + lo_of[k]], axis=1)
    # each compound's ring ties, then its cross ties, as compound_edges concatenates them
    all_edges = np.concatenate([edges, cross])
    all_origin = np.concatenate([origin, cross])
    part = np.concatenate([np.zeros(len(edges), dtype=np.int64), np.ones(len(cross), dtype=np.int64)])
    order = np.argsort(comp[all_edges[:, 0]] * 2 + part, kind="stable")
    edges, origin = _canonical(all_edges[order], all_origin[order])
    okeys = hkeys[origin[:, 0]]
    ends = origin if p.rewired_ties == "keep" else edges
    w = affinity(okeys, origin[:, 1] - lo_of[comp[origin[:, 1]]], p) * contact_factor(
        building, ends[:, 0], ends[:, 1], p
    )
    return edges[:, 0], edges[:, 1], w


def _canonical(edges: np.ndarray, origin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edges as sorted (low, high) pairs without self-loops or duplicates, origins alongside."""
    edges = np.sort(edges, axis=1)
    origin = np.sort(origin, axis=1)
    ok = edges[:, 0] != edges[:, 1]
    edges, origin = edges[ok], origin[ok]
    _, first = np.unique(edges, axis=0, return_index=True)
    first = np.sort(first)
    order = np.lexsort((edges[first, 1], edges[first, 0]))
    return edges[first][order], origin[first][order]


def _gnp(n: int, prob: float, seed: int) -> nx.Graph:
    """G(n, p); the sparse-graph algorithm for large sparse compounds (same distribution, faster)."""
    if n > 2000 and prob < 0.05:
        return nx.fast_gnp_random_graph(n, prob, seed=seed)
    return nx.gnp_random_graph(n, prob, seed=seed)
