"""The social-capital network (ODD §6, §7.1): weighted ties, block-diagonal by compound.

Ties are held once as an undirected edge list (``src < dst``, weight ``w``) — the source of truth for
structural change — and mirrored into a symmetric CSR matrix for gathering over neighbours. Households
are numbered compound by compound, so the matrix is block-diagonal and each compound's rows are
contiguous in memory (DESIGN.md §3).

Generators (parameter ``network``): ``buildings`` — Watts–Strogatz rings inside each building with
sparse random cross-building ties (the default, Watts & Strogatz 1998); ``small_world``,
``scale_free`` (Barabási–Albert), ``erdos_renyi`` and ``complete`` over the whole compound, for
experiment X6 and the docking tests. ``mean_degree`` sets the expected degree of each generator.
networkx generators are seeded from the counter-based keys, so a compound's network depends only
on its key.

Tie strength (ODD §5, §7.1). Each tie has an *affinity* a_ij drawn from ``tie_weights`` (Beta with
mean ``tie_mean`` and concentration ``tie_concentration`` — Beta(1, 4) at the defaults — or equal to
the mean) and a *contact level* c_ij = a_ij for neighbours in the same building and
``cross_contact``·a_ij across buildings: everyday contact in a shared building (Festinger, Schachter
& Back 1950; Feld 1981, foci of activity) is what keeps a tie alive. Each week a tie relaxes toward
its contact level, w ← w + δ_w(c − w) (Burt 2000: ties decay unless contact renews them), so shared
events and meetings raise ties above that level for a while and a newcomer's ties grow toward it
with tenure (Sampson 1988; Kasarda & Janowitz 1974). Social capital without events therefore settles
where affinities and contact put it, neither at zero nor at a floor.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from sim import rng
from sim.rng import Purpose

HOUSEHOLDS_PER_BUILDING = 23.2  # E8
WS_K = 4
STRONG_TIE = 0.5  # social-capital index threshold (§7.1)
CUE_TIE = 0.3  # ties that carry complex contagion and leadership cues (§7.2)
DROP_TIE = 0.05
NEWCOMER_TIES = 2
NEWCOMER_WEIGHT = 0.1
NEW_TIE_WEIGHT = 0.2


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


def compound_edges(ckey, n: int, kind: str, rewire: float, cross_mean: float, p=None, buildings: int | None = None):
    """Edges (local slot pairs), initial tie weights and building of each household for one compound.

    Initial weights are the contact levels (affinity × contact factor), so a compound starts where
    everyday contact holds it (§7.1). Without ``p`` the historical defaults apply (degree 4, Beta(1, 4)).
    ``buildings`` is the compound's count from a city stock file (§7.13); by default N / 23.2.
    """
    nb = n_buildings(n) if buildings is None else min(int(buildings), n)
    building = np.repeat(np.arange(nb), [len(a) for a in np.array_split(np.arange(n), nb)])
    k_mean = WS_K if p is None else p.mean_degree
    if kind == "buildings":
        parts = []
        starts = np.searchsorted(building, np.arange(nb))
        for b in range(nb):
            size = int(np.sum(building == b))
            k = ring_degree(k_mean, size)
            if k_mean <= 0:
                g = nx.empty_graph(size)
            elif size > k + 1:
                g = nx.connected_watts_strogatz_graph(size, k, rewire, tries=100, seed=_nx_seed(ckey, b))
            else:
                g = nx.complete_graph(size)
            parts.append(_graph_edges(g, int(starts[b])))
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
        parts.append(np.stack([src, dst], axis=1))
        edges = np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64)
    elif kind == "small_world":
        k = ring_degree(k_mean, n)
        edges = _graph_edges(nx.connected_watts_strogatz_graph(n, k, rewire, tries=100, seed=_nx_seed(ckey, 0)))
    elif kind == "scale_free":
        m = max(1, min(n - 1, int(round(k_mean / 2.0))))
        edges = _graph_edges(nx.barabasi_albert_graph(n, m, seed=_nx_seed(ckey, 0)))
    elif kind == "erdos_renyi":
        # G(n, p) with p = z / (n − 1): expected degree z (Erdős & Rényi 1959; Watts 2002)
        edges = _graph_edges(_gnp(n, min(1.0, k_mean / max(1, n - 1)), _nx_seed(ckey, 0)))
    elif kind == "complete":
        edges = _graph_edges(nx.complete_graph(n))
    else:  # pragma: no cover - validated by the schema
        raise ValueError(kind)
    edges = np.sort(edges, axis=1)
    edges = edges[edges[:, 0] != edges[:, 1]]
    edges = np.unique(edges, axis=0)
    keys = rng.slot_keys(ckey, edges[:, 0])
    w = affinity(keys, edges[:, 1], p) * contact_factor(building, edges[:, 0], edges[:, 1], p)
    return edges, w, building


def _gnp(n: int, prob: float, seed: int) -> nx.Graph:
    """G(n, p); the sparse-graph algorithm for large sparse compounds (same distribution, faster)."""
    if n > 2000 and prob < 0.05:
        return nx.fast_gnp_random_graph(n, prob, seed=seed)
    return nx.gnp_random_graph(n, prob, seed=seed)


class Ties:
    """Weighted undirected ties among all households of a model, with a CSR mirror.

    Attributes
    ----------
    src, dst : int64 arrays — global household ids, ``src < dst``.
    w : float64 array — tie weights; a tie that decays below 0.05 is set to 0 and dropped at the next
        rebuild.
    W : scipy.sparse.csr_matrix — symmetric weights, sorted column indices (so gathering in a Python
        loop over ``indices[indptr[i]:indptr[i+1]]`` adds in the same order as ``W @ x``).
    """

    def __init__(self, n: int, src, dst, w, building=None, keys=None, p=None):
        self.n = n
        self.src = np.asarray(src, dtype=np.int64)
        self.dst = np.asarray(dst, dtype=np.int64)
        self.w = np.asarray(w, dtype=np.float64)
        # contact level c_ij each tie relaxes toward (§7.1); the initial weights are those levels
        self.base = self.w.copy()
        self.building = building
        self.keys = keys
        self.p = p
        # how many households have lived in each dwelling before the current one (moves cut ties)
        self.generation = np.zeros(n, dtype=np.int64)
        self.rebuild()

    def rebuild(self, full: bool = True) -> None:
        """Rebuild the CSR mirror after structural change.

        ``full`` drops dead ties and re-sorts everything; otherwise the ties added since the last
        rebuild are merged in (a linear merge, since new pairs never collide with existing ones).
        """
        if full or not hasattr(self, "E"):
            keep = self.w > 0
            self.src, self.dst, self.w = self.src[keep], self.dst[keep], self.w[keep]
            self.base = self.base[keep]
            self.E = self._ids(self.src, self.dst, 0)
        elif self._pending.size:
            first = self.src.size - self._pending.size
            self.E = self.E + self._ids(self.src[first:], self.dst[first:], first)
        self.indices = self.E.indices
        self.indptr = self.E.indptr
        self.perm = self.E.data.astype(np.int64) - 1
        self.codes = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(self.indptr)) * self.n + self.indices
        self._pending = np.zeros(0, dtype=np.int64)
        shape = (self.n, self.n)
        data = self.w[self.perm]
        self.W = sp.csr_matrix((data, self.indices, self.indptr), shape=shape)
        self.S = sp.csr_matrix(((data >= CUE_TIE) * 1.0, self.indices, self.indptr), shape=shape)
        self.A = sp.csr_matrix(((data > 0) * 1.0, self.indices, self.indptr), shape=shape)
        self._fresh, self._decays, self._touched = True, [], []

    def _ids(self, src, dst, first: int):
        """Symmetric CSR whose data are 1-based edge ids (exact in float64), sorted indices."""
        ids = np.arange(first + 1, first + src.size + 1, dtype=np.float64)
        rows, cols = np.concatenate([src, dst]), np.concatenate([dst, src])
        M = sp.csr_matrix((np.concatenate([ids, ids]), (rows, cols)), shape=(self.n, self.n))
        M.sort_indices()
        return M

    def sync(self) -> None:
        """Bring the CSR mirror up to date after weights changed (no structural change).

        While only :meth:`decay` and :meth:`strengthen` have run since the last sync, the decay is
        replayed on ``W.data`` (the same arithmetic on the same values, so the same bits) and only
        the strengthened entries are gathered, instead of gathering every tie; after :meth:`add` or
        :meth:`cut` all weights are gathered again.
        """
        data = self.W.data
        # weights relax toward per-tie levels, so the mirror is gathered again (one take per week)
        np.take(self.w, self.perm, out=data)
        self._fresh, self._decays, self._touched = True, [], []
        self.S.data[:] = data >= CUE_TIE
        self.A.data[:] = data > 0

    def decay(self, delta: float) -> None:
        """Weekly relaxation w ← w + δ_w(c − w) toward the contact level c; ties below 0.05 die.

        ODD §7.1. Burt (2000): ties decay unless renewed; everyday contact in a shared building
        renews them up to their contact level c (Festinger, Schachter & Back 1950), so the decay
        only erodes what events and meetings added above it. A dead tie (w = 0) stays dead.
        """
        live = self.w > 0
        self.w = np.where(live, self.w + delta * (self.base - self.w), 0.0)
        self.w[self.w < DROP_TIE] = 0.0
        self._decays.append(delta)

    def neighbours(self, i: int):
        """Neighbour ids and weights of household ``i`` in CSR order."""
        a, b = self.indptr[i], self.indptr[i + 1]
        return self.indices[a:b], self.W.data[a:b]

    def strengthen(self, mask, delta: float) -> None:
        """w += δ(1 − w) for live ties whose endpoints both satisfy ``mask`` (co-attendees).

        Walks only the attendees' CSR rows (each tie once, from its lower endpoint), plus the ties
        added since the last rebuild, instead of the whole edge list.
        """
        rows = np.flatnonzero(mask)
        if rows.size:
            start, stop = self.indptr[rows], self.indptr[rows + 1]
            lengths = stop - start
            pos = np.repeat(start - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
            owner = np.repeat(rows, lengths)
            nbr = self.indices[pos]
            eid = self.perm[pos[mask[nbr] & (nbr > owner)]]
            eid = eid[self.w[eid] > 0]
            self.w[eid] += delta * (1.0 - self.w[eid])
            self._touched.append(pos[mask[nbr]])  # both directions of each strengthened tie
        if self._pending.size:
            tail = slice(self.src.size - self._pending.size, None)
            both = mask[self.src[tail]] & mask[self.dst[tail]] & (self.w[tail] > 0)
            self.w[tail][both] += delta * (1.0 - self.w[tail][both])

    def add(self, src, dst, w) -> None:
        """Add ties between untied pairs; call :meth:`rebuild` afterwards.

        A pair whose tie died but is still in the CSR structure (until the yearly full rebuild) is
        revived in place rather than duplicated.
        """
        src, dst = np.minimum(src, dst), np.maximum(src, dst)
        w = np.broadcast_to(np.asarray(w, dtype=float), src.shape)
        base = self.new_levels(src, dst, w)
        q = src * self.n + dst
        if self.codes.size:
            pos = np.minimum(np.searchsorted(self.codes, q), self.codes.size - 1)
            present = self.codes[pos] == q
            self.w[self.perm[pos[present]]] = w[present]
            self.base[self.perm[pos[present]]] = base[present]
            src, dst, w, q, base = src[~present], dst[~present], w[~present], q[~present], base[~present]
        self.src = np.concatenate([self.src, src])
        self.dst = np.concatenate([self.dst, dst])
        self.w = np.concatenate([self.w, w])
        self.base = np.concatenate([self.base, base])
        self._pending = np.concatenate([self._pending, q])
        self._fresh = False

    def new_levels(self, src, dst, w):
        """Contact levels of new ties (events, newcomers): a fresh affinity × the contact factor.

        A new tie starts at ``w`` and grows (or fades) toward its level with shared tenure (§7.1).
        Without the model's household keys (a bare ``Ties``) a new tie keeps its starting weight.
        """
        if self.keys is None or self.building is None or src.size == 0:
            return np.array(w, dtype=float)
        # keyed by the two households (dwelling and occupant), never by what else happens in the
        # batch, so a compound's numbers do not depend on the other compounds run beside it
        pair = rng.combine(self.keys[dst], self.generation[dst].astype(np.uint64))
        draw = (self.generation[src] << 20) + 1
        a = affinity(rng.combine(self.keys[src], pair), np.zeros_like(dst), self.p, draw)  # no global ids
        return a * contact_factor(self.building, src, dst, self.p)

    def has(self, src, dst) -> np.ndarray:
        """Whether each pair is currently tied (live in the CSR mirror, or added since)."""
        lo, hi = np.minimum(src, dst), np.maximum(src, dst)
        q = lo * self.n + hi
        pos = np.minimum(np.searchsorted(self.codes, q), max(self.codes.size - 1, 0))
        if self.codes.size:
            live = (self.codes[pos] == q) & (self.w[self.perm[pos]] > 0)
        else:
            live = np.zeros(q.size, dtype=bool)
        if self._pending.size:
            live |= np.isin(q, self._pending)
        return live

    def cut(self, households) -> None:
        """Remove every tie of ``households`` (they moved out)."""
        gone = np.zeros(self.n, dtype=bool)
        gone[households] = True
        np.add.at(self.generation, households, 1)
        self.w[gone[self.src] | gone[self.dst]] = 0.0
        self._fresh = False

    def strong_share(self, lo: int, hi: int) -> float:
        """Social capital SC of households lo..hi-1: share with at least one tie of w >= 0.5."""
        W = self.W[lo:hi]
        if W.nnz == 0:
            return 0.0
        mx = W.max(axis=1).toarray().ravel()
        return float(np.mean(mx >= STRONG_TIE))

    def graph(self, lo: int, hi: int) -> nx.Graph:
        """A networkx view of one compound's current ties (local ids), for display."""
        g = nx.Graph()
        g.add_nodes_from(range(hi - lo))
        sel = (self.src >= lo) & (self.src < hi) & (self.w > 0)
        g.add_weighted_edges_from(zip(self.src[sel] - lo, self.dst[sel] - lo, self.w[sel], strict=True))
        return g
