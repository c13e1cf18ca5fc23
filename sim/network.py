"""The social-capital network (ODD §6, §7.1): weighted ties, block-diagonal by compound.

Ties are held once as an undirected edge list (``src < dst``, weight ``w``) — the source of truth for
structural change — and mirrored into one symmetric CSR structure for gathering over neighbours
(compiled kernels, :mod:`sim.kernels`). Households
are numbered compound by compound, so the matrix is block-diagonal and each compound's rows are
contiguous in memory (DESIGN.md §3).

The generators of a compound's ties and their initial strength are in :mod:`sim.topology`.

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
from sim.kernels import csr
from sim.kernels import ties as tie_kernels
from sim.topology import affinity, contact_factor

STRONG_TIE = 0.5  # social-capital index threshold (§7.1)
CUE_TIE = 0.3  # ties that carry complex contagion and leadership cues (§7.2)
DROP_TIE = 0.05
NEWCOMER_TIES = 2
NEWCOMER_WEIGHT = 0.1
NEW_TIE_WEIGHT = 0.2


def _index_dtype(size: int):
    """int32 indices while they fit (half the memory of int64, and what scipy keeps without copying)."""
    return np.int32 if size < 2**31 - 1 else np.int64


class Ties:
    """Weighted undirected ties among all households of a model, with a CSR mirror.

    Stored once: the edge list (``src, dst, w, base``) and one CSR structure over it — ``indptr``,
    ``indices`` and ``perm`` (the edge id of each entry) — whose weights ``W.data`` are gathered
    from ``w`` after each week. The strong-tie and live-tie masks of ODD §7.2 and §7.9 are read
    off ``W.data`` by the gathering kernels (:mod:`sim.kernels.csr`), not kept as matrices.

    Attributes
    ----------
    src, dst : int32 arrays (int64 beyond 2**31 households) — global household ids, ``src < dst``.
    w : float64 array — tie weights; a tie that decays below 0.05 is set to 0 and dropped at the next
        full rebuild (until then it stays in the mirror with weight 0).
    W : scipy.sparse.csr_matrix — symmetric weights, sorted column indices (so gathering in a Python
        loop over ``indices[indptr[i]:indptr[i+1]]`` adds in the same order as ``W @ x``).
    """

    def __init__(self, n: int, src, dst, w, building=None, keys=None, p=None):
        self.n = n
        idx = _index_dtype(n)
        w = np.asarray(w, dtype=np.float64)
        live = w > 0  # a tie without weight (e.g. across buildings at cross_contact = 0) is no tie
        self.src = np.asarray(src, dtype=idx)[live]
        self.dst = np.asarray(dst, dtype=idx)[live]
        self.w = w[live]  # a copy: the weights change in place
        # contact level c_ij each tie relaxes toward (§7.1); the initial weights are those levels
        self.base = self.w.copy()
        self.building = building
        self.keys = keys
        self.p = p
        # how many households have lived in each dwelling before the current one (moves cut ties)
        self.generation = np.zeros(n, dtype=np.int16)  # at most one move a quarter: fits int16
        self._build()

    def rebuild(self, full: bool = True) -> None:
        """Rebuild the CSR mirror after structural change.

        ``full`` drops dead ties first (yearly); otherwise the ties added since the last rebuild join
        the mirror and dead ones stay in it with weight 0. Either way the old mirror and the new ties
        are merged row by row in one linear pass (:func:`sim.kernels.csr.merge`), and the result is
        the mirror :func:`sim.kernels.csr.build` would make of the edge list from scratch.
        """
        m, first = self.src.size, self._first_pending
        keep = self.w > 0 if full else None
        if first == m and (keep is None or keep.all()):
            self.sync()  # no tie added or dropped: only the weights changed
            return
        new_id = np.arange(m) if keep is None else np.where(keep, np.cumsum(keep) - 1, -1)
        size = m if keep is None else int(keep.sum())
        idx = _index_dtype(max(2 * size, self.n))
        indptr = np.empty(self.n + 1, dtype=idx)
        indices, perm = np.empty(2 * size, dtype=idx), np.empty(2 * size, dtype=idx)
        csr.merge(self.indptr, self.indices, self.perm, self.src, self.dst, first, new_id, indptr, indices, perm)
        if keep is not None:
            self.src, self.dst, self.w, self.base = self.src[keep], self.dst[keep], self.w[keep], self.base[keep]
        self._set_mirror(indptr, indices, perm)

    def _build(self) -> None:
        """The mirror of the whole edge list from scratch (at construction)."""
        m = self.src.size
        idx = _index_dtype(max(2 * m, self.n))
        indptr = np.empty(self.n + 1, dtype=idx)
        indices, perm = np.empty(2 * m, dtype=idx), np.empty(2 * m, dtype=idx)
        csr.build(self.src, self.dst, indptr, indices, perm)
        self._set_mirror(indptr, indices, perm)

    def _set_mirror(self, indptr, indices, perm) -> None:
        self.indptr, self.indices, self.perm = indptr, indices, perm
        self.W = sp.csr_matrix((np.empty(perm.size), indices, indptr), shape=(self.n, self.n))
        self.sync()
        self._first_pending = self.src.size
        self._pending = np.zeros(0, dtype=np.int64)

    def sync(self) -> None:
        """Bring the mirror's weights up to date after weights changed (no structural change)."""
        csr.gather(self.w, self.perm, self.W.data)

    def decay(self, delta: float) -> None:
        """Weekly relaxation w ← w + δ_w(c − w) toward the contact level c; ties below 0.05 die.

        ODD §7.1. Burt (2000): ties decay unless renewed; everyday contact in a shared building
        renews them up to their contact level c (Festinger, Schachter & Back 1950), so the decay
        only erodes what events and meetings added above it. A dead tie (w = 0) stays dead.
        """
        tie_kernels.decay(self.w, self.base, float(delta), DROP_TIE)

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
        if rows.size or self.src.size > self._first_pending:
            tie_kernels.strengthen(
                self.indptr,
                self.indices,
                self.perm,
                self.w,
                mask,
                rows,
                self.src,
                self.dst,
                self._first_pending,
                float(delta),
            )

    def add(self, src, dst, w) -> None:
        """Add ties between untied pairs; call :meth:`rebuild` afterwards.

        A pair whose tie died but is still in the CSR structure (until the yearly full rebuild) is
        revived in place rather than duplicated.
        """
        src, dst = np.minimum(src, dst).astype(np.int64), np.maximum(src, dst).astype(np.int64)
        w = np.broadcast_to(np.asarray(w, dtype=float), src.shape)
        base = self.new_levels(src, dst, w)
        pos = csr.find(self.indptr, self.indices, src, dst)
        present = pos >= 0
        if present.any():
            eid = self.perm[pos[present]]
            self.w[eid] = w[present]
            self.base[eid] = base[present]
            src, dst, w, base = src[~present], dst[~present], w[~present], base[~present]
        self.src = np.concatenate([self.src, src.astype(self.src.dtype)])
        self.dst = np.concatenate([self.dst, dst.astype(self.dst.dtype)])
        self.w = np.concatenate([self.w, w])
        self.base = np.concatenate([self.base, base])
        self._pending = np.concatenate([self._pending, src * self.n + dst])

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
        draw = (self.generation[src].astype(np.int64) << 20) + 1
        a = affinity(rng.combine(self.keys[src], pair), np.zeros_like(dst), self.p, draw)  # no global ids
        return a * contact_factor(self.building, src, dst, self.p)

    def has(self, src, dst) -> np.ndarray:
        """Whether each pair is currently tied (live in the CSR mirror, or added since)."""
        lo = np.minimum(src, dst).astype(np.int64)
        hi = np.maximum(src, dst).astype(np.int64)
        pos = csr.find(self.indptr, self.indices, lo, hi)
        live = pos >= 0
        live[live] = self.w[self.perm[pos[live]]] > 0
        if self._pending.size:
            live |= np.isin(lo * self.n + hi, self._pending)
        return live

    def cut(self, households) -> None:
        """Remove every tie of ``households`` (they moved out)."""
        gone = np.zeros(self.n, dtype=bool)
        gone[households] = True
        np.add.at(self.generation, households, 1)
        tie_kernels.cut(self.src, self.dst, gone, self.w)

    def strong_share(self, lo: int, hi: int) -> float:
        """Social capital SC of households lo..hi-1: share with at least one tie of w >= 0.5."""
        if self.indptr[hi] == self.indptr[lo]:
            return 0.0
        return float(np.mean(csr.row_reaches(self.indptr[lo : hi + 1], self.W.data, STRONG_TIE)))

    def cue_sums(self, lo: int, hi: int, x) -> np.ndarray:
        """``S @ x`` for households lo..hi-1, ``S`` = 1 on ties of w >= 0.3 (the cue ties of §7.2).

        ``x`` holds one value per household lo..hi-1: the matrix is block-diagonal by compound, so
        these rows reach no one else.
        """
        a, b = int(self.indptr[lo]), int(self.indptr[hi])
        row = np.repeat(np.arange(hi - lo), np.diff(self.indptr[lo : hi + 1]))
        cue = self.W.data[a:b] >= CUE_TIE
        x_j = np.asarray(x, dtype=np.float64)[self.indices[a:b] - lo]
        return np.bincount(row, weights=cue * x_j, minlength=hi - lo)

    def row_sums(self, rows) -> np.ndarray:
        """``W[rows].sum(axis=1)`` (tie strength) with scipy's own arithmetic, without building ``W[rows]``.

        scipy sums a row's stored weights with numpy's ``add.reduceat`` (the first value plus the
        pairwise sum of the rest); :func:`sim.kernels.csr.row_sums` adds in that order, so every bit is kept.
        """
        rows = np.asarray(rows, dtype=np.int64)
        out = np.empty(rows.size)
        csr.row_sums(self.indptr, self.W.data, rows, out)
        return out

    def block(self, rows, cols) -> np.ndarray:
        """``W[rows][:, cols].toarray()``: the tie weights from ``rows`` to ``cols``, 0 where untied."""
        rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        out = np.zeros((rows.size, cols.size))
        csr.block(self.indptr, self.indices, self.W.data, rows, cols, out)
        return out

    def graph(self, lo: int, hi: int) -> nx.Graph:
        """A networkx view of one compound's current ties (local ids), for display."""
        g = nx.Graph()
        g.add_nodes_from(range(hi - lo))
        sel = (self.src >= lo) & (self.src < hi) & (self.w > 0)
        g.add_weighted_edges_from(zip(self.src[sel] - lo, self.dst[sel] - lo, self.w[sel], strict=True))
        return g
