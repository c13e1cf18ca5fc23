"""The compiled kernels (sim/kernels/) give exactly the numbers of the numpy code they replace.

Each reference below is the numpy (or scipy) formulation the model used before the kernels; every
comparison is bit-for-bit (``np.array_equal``) on random inputs with fixed seeds.
"""

import numpy as np
import pytest
import scipy.sparse as sp

from sim import rng
from sim.kernels import csr, hashing, sums
from sim.kernels import ties as tk
from sim.network import CUE_TIE, DROP_TIE, STRONG_TIE, Ties

G = np.random.default_rng(20240518)

# ---------------------------------------------------------------- numpy references
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def mix_ref(x):
    z = np.asarray(x, dtype=np.uint64).reshape(-1) + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return (z ^ (z >> np.uint64(31))).reshape(np.shape(x))


def combine_ref(key, value):
    return mix_ref(np.asarray(key, dtype=np.uint64) ^ mix_ref(np.asarray(value, dtype=np.uint64)))


def unit_ref(h):
    return (h >> np.uint64(11)).astype(np.float64) * (1.0 / float(1 << 53))


def uniform_ref(keys, tick, purpose):
    return unit_ref(combine_ref(combine_ref(keys, np.uint64(tick)), purpose))


def random_keys(n):
    k = G.integers(0, 2**64 - 1, size=n, dtype=np.uint64, endpoint=True)
    k[:4] = [0, 1, 2**63, 2**64 - 1]  # the corners of the wrap-around
    return k


def random_ties(n, m, seed):
    """A random undirected edge list without duplicates, ``src < dst``, and weights with dead ties."""
    g = np.random.default_rng(seed)
    pairs = np.unique(np.sort(g.integers(0, n, size=(m, 2)), axis=1), axis=0)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    g.shuffle(pairs)  # the edge list is in no particular order once ties are added
    w = g.random(len(pairs))
    w[g.random(len(pairs)) < 0.2] = 0.0
    w[g.random(len(pairs)) < 0.1] = CUE_TIE  # exactly at the cue threshold
    return pairs[:, 0], pairs[:, 1], w


def mirror_ref(n, src, dst):
    """The CSR of edge ids as the model first built it: scipy from COO, sorted indices."""
    ids = np.arange(1, src.size + 1, dtype=np.float64)
    M = sp.csr_matrix((np.concatenate([ids, ids]), (np.concatenate([src, dst]), np.concatenate([dst, src]))), (n, n))
    M.sort_indices()
    return M.indptr, M.indices, M.data.astype(np.int64) - 1


# ---------------------------------------------------------------- counter-based hashing
def test_hash_ufuncs_match_numpy_bit_for_bit():
    k, v = random_keys(100_000), random_keys(100_000)
    assert np.array_equal(hashing.mix(k), mix_ref(k))
    assert np.array_equal(hashing.combine(k, v), combine_ref(k, v))
    assert np.array_equal(hashing.combine(k, v, mixed=True), mix_ref(k ^ v))
    for tick in (0, 1, 519, 1 << 32):
        for purpose in (rng.Purpose.PAY, rng.Purpose.TIE_WEIGHT + 249):
            ref = uniform_ref(k, tick, purpose)
            assert np.array_equal(rng.uniform(k, tick, purpose), ref)
            assert np.array_equal(rng.draw(rng.tick_keys(k, tick), purpose), ref)


def test_hashing_broadcasts_and_takes_scalars_like_numpy():
    k = random_keys(50)
    purposes = rng.Purpose.CONFLICT + np.arange(7)
    got = rng.uniform(k[:, None], 12, purposes[None, :])
    assert got.shape == (50, 7)
    assert np.array_equal(got, uniform_ref(k[:, None], 12, purposes[None, :]))
    assert rng.uniform(k[3], 5, rng.Purpose.PAY) == uniform_ref(k[3:4], 5, rng.Purpose.PAY)[0]
    assert rng.compound_key(7, 2) == combine_ref(mix_ref(np.uint64(7)), np.uint64(2))
    assert np.array_equal(rng.combine(k, np.arange(50)), combine_ref(k, np.arange(50)))  # int64 values


def test_hashing_compiles_one_signature_whatever_the_arrays_flags():
    # a read-only or broadcast argument is another numba type: each would compile the loop again on
    # a user's first run (a second of the cold start); the wrappers hand the loops writable arrays
    k = random_keys(64)
    frozen = k.copy()
    frozen.setflags(write=False)
    purposes = rng.Purpose.CONFLICT + np.arange(64, dtype=np.uint64)
    purposes.setflags(write=False)
    cases = [(k, 3, rng.Purpose.PAY), (frozen, 3, rng.Purpose.PAY), (frozen, np.full(64, 3), purposes)]
    cases += [(k, np.uint64(3), purposes), (frozen[:1], 3, np.arange(5)), (k[::-1], 3, rng.Purpose.PAY)]
    for keys, tick, purpose in cases:
        assert np.array_equal(rng.uniform(keys, tick, purpose), uniform_ref(np.asarray(keys), tick, purpose))
        assert np.array_equal(rng.combine(keys, purpose), combine_ref(np.asarray(keys), np.asarray(purpose)))
        assert np.array_equal(rng.draw(keys, purpose), unit_ref(combine_ref(np.asarray(keys), np.asarray(purpose))))
    for kernel in (hashing._uniform, hashing._combine, hashing._draw):
        assert len(kernel.signatures) == 1, (kernel, kernel.signatures)


# ---------------------------------------------------------------- the CSR mirror
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mirror_build_matches_scipy(seed):
    n = 300
    src, dst, _ = random_ties(n, 1500, seed)
    indptr, indices, perm = np.empty(n + 1, np.int32), *(np.empty(2 * src.size, np.int32) for _ in range(2))
    csr.build(src.astype(np.int32), dst.astype(np.int32), indptr, indices, perm)
    ref = mirror_ref(n, src, dst)
    assert np.array_equal(indptr, ref[0]) and np.array_equal(indices, ref[1]) and np.array_equal(perm, ref[2])


def test_find_locates_pairs_or_says_absent():
    n = 200
    src, dst, _ = random_ties(n, 800, 4)
    indptr, indices, _ = mirror_ref(n, src, dst)
    rows, cols = G.integers(0, n, 5000), G.integers(0, n, 5000)
    pos = csr.find(indptr, indices, rows, cols)
    codes = np.repeat(np.arange(n), np.diff(indptr)) * n + indices  # the former sorted-codes lookup
    q = rows * n + cols
    ref = np.searchsorted(codes, q)
    hit = (ref < codes.size) & (codes[np.minimum(ref, codes.size - 1)] == q)
    assert hit.any() and (~hit).any()
    assert np.array_equal(pos, np.where(hit, ref, -1))


@pytest.mark.parametrize("subset", [False, True])
def test_influence_sums_are_the_sparse_matvecs(subset):
    n = 400
    src, dst, w = random_ties(n, 3000, 5)
    indptr, indices, perm = mirror_ref(n, src, dst)
    W = sp.csr_matrix((w[perm], indices, indptr), (n, n))
    S = sp.csr_matrix(((W.data >= CUE_TIE) * 1.0, indices, indptr), (n, n))
    x = (G.random(n) < 0.4) * 1.0
    s = np.where(G.random(n) < 0.1, 1.7, 1.0)
    leader = x * (G.random(n) < 0.2)
    rows = np.sort(G.choice(n, 150, replace=False)) if subset else np.arange(n)
    num, den, strong, lead = csr.influence(indptr, indices, W.data, rows, s * x, s, x, leader, CUE_TIE)
    assert np.array_equal(num, (W @ (s * x))[rows])
    assert np.array_equal(den, (W @ s)[rows])
    assert np.array_equal(strong, (S @ x)[rows])
    assert np.array_equal(lead, (S @ leader)[rows] > 0)


def test_payment_counts_are_the_live_tie_matvecs():
    n = 300
    src, dst, w = random_ties(n, 2000, 6)
    indptr, indices, perm = mirror_ref(n, src, dst)
    data = w[perm]
    A = sp.csr_matrix(((data > 0) * 1.0, indices, indptr), (n, n))
    paid = (G.random(n) < 0.5) * 1.0
    rows = np.flatnonzero(G.random(n) < 0.6)
    nb_paid, nb_count = csr.payments(indptr, indices, data, rows, paid)
    assert np.array_equal(nb_paid, A[rows] @ paid) and np.array_equal(nb_count, A[rows] @ np.ones(n))


def test_row_reaches_is_the_row_max_test():
    n = 300
    src, dst, w = random_ties(n, 700, 7)
    indptr, indices, perm = mirror_ref(n, src, dst)
    W = sp.csr_matrix((w[perm], indices, indptr), (n, n))
    ref = W.max(axis=1).toarray().ravel() >= STRONG_TIE
    assert ref.any() and (~ref).any()
    assert np.array_equal(csr.row_reaches(indptr, W.data, STRONG_TIE), ref)


def test_knows_is_the_submatrix_matvec_test():
    """Canvassing's frontier: who a live tie links to a relaying household, within one block of rows."""
    n = 300
    src, dst, w = random_ties(n, 900, 11)
    w = np.where(G.random(w.size) < 0.2, 0.0, w)  # dead ties stay in the mirror with weight 0
    indptr, indices, perm = mirror_ref(n, src, dst)
    W = sp.csr_matrix((w[perm], indices, indptr), (n, n))
    for lo, hi in ((0, n), (40, 170), (299, 300)):
        relay = G.random(hi - lo) < 0.1
        ref = (W[lo:hi, lo:hi] @ relay.astype(np.float64)) > 0
        assert np.array_equal(csr.knows(indptr, indices, W.data, lo, hi, relay), ref)
        assert hi - lo == 1 or (ref.any() and (~ref).any())  # both answers occur


def test_segment_means_are_numpys_means():
    """Pairwise summation in numpy's order: short, blocked and split lengths, at any offset."""
    lengths = np.array([1, 2, 7, 8, 9, 15, 16, 127, 128, 129, 150, 255, 256, 257, 1000, 4099])
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    values = G.random(bounds[-1]) * 10 - 3
    rows = np.arange(lengths.size)[::-1].copy()
    ref = np.array([values[bounds[k] : bounds[k + 1]].mean() for k in rows])
    assert np.array_equal(sums.segment_means(values, bounds, rows), ref)
    seq = np.bincount(np.repeat(np.arange(lengths.size), lengths), values) / lengths
    assert not np.array_equal(seq[rows], ref)  # a sequential sum would not do


def test_segment_bills_are_numpys_sums_of_each_compounds_bills():
    lengths = np.array([1, 7, 8, 9, 127, 128, 129, 150, 257, 1000])
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    area = G.random(bounds[-1]) * 80 + 30
    paid = G.random(bounds[-1]) < 0.7
    rows = np.array([9, 0, 3, 7, 5, 2, 8, 1, 6, 4])
    fee = G.random(rows.size) * 2
    billed, collected = sums.segment_bills(area, paid, fee, bounds, rows)
    for r, k in enumerate(rows):
        bill = fee[r] * area[bounds[k] : bounds[k + 1]]
        assert billed[r] == bill.sum() and collected[r] == (bill * paid[bounds[k] : bounds[k + 1]]).sum()


def test_nan_means_are_numpys_nanmeans_of_each_row():
    rows = G.random((6, 700)) * 4 - 1
    rows[0, ::3] = np.nan  # some missing
    rows[1, :] = np.nan  # none there
    rows[2, 5] = np.inf  # an infinite value counts, as in np.nanmean
    rows[3, :-1] = np.nan  # one value
    rows[4, :] = np.nan
    rows[4, 10] = -np.inf  # nothing finite: NaN, without numpy's warning
    means = sums.nan_means(rows)
    for r in (0, 2, 3, 5):
        assert means[r] == np.nanmean(rows[r]) or np.isnan(means[r]) and np.isnan(np.nanmean(rows[r]))
    assert means[2] == np.inf and np.isnan(means[1]) and np.isnan(means[4])


def test_python_sum_is_the_builtin_sum_of_floats():
    # Python 3.12+ compensates its float sums: values of mixed magnitude make that show in the bits
    x = np.concatenate([G.random(4000), G.random(4000) * 1e-9, G.random(4000) * 1e6])
    G.shuffle(x)
    plain_differs = 0
    for start in range(0, 3000, 7):
        for n in (1, 2, 5, 12):
            ref = sum(x[start : start + n].tolist())
            assert sums.python_sum(x, start, n) == ref
            plain = 0.0
            for v in x[start : start + n].tolist():
                plain += v
            plain_differs += plain != ref
    assert plain_differs > 0  # a plain loop would not do


def _converge_numpy(V, att, k, keys, t, tau):
    """The meeting round as numpy code (what sim.compound.deliberation ran before the kernel)."""
    from sim.rng import Purpose
    from sim.rules import deliberation as delib

    eps, mu = delib.confidence_bound(tau), delib.convergence_rate(tau)
    v = V[np.ix_(att, k)]
    vbar = v.mean(axis=0)
    close = np.abs(v - vbar) < eps
    v = np.where(close, v + mu * (vbar - v), v)
    V[np.ix_(att, k)] = v
    spread = float(np.abs(v - v.mean(axis=0)).mean())
    draws = rng.uniform(keys[att][:, None], t, Purpose.CONFLICT + k[None, :])
    return spread, (~close & (draws < delib.conflict_probability(tau))).any(axis=1)


def test_a_meeting_round_is_the_numpy_round_bit_for_bit():
    from sim.kernels import meetings
    from sim.rng import Purpose
    from sim.rules import deliberation as delib

    g = np.random.default_rng(4)
    clashes = single = 0
    for trial in range(300):
        n = int(g.integers(2, 300))
        V = g.random((n, 12))
        keys = g.integers(0, 2**63, n).astype(np.uint64)
        att = np.sort(g.choice(n, int(g.integers(1, min(n, 200))), replace=False)).astype(np.int64)
        k = np.sort(g.choice(12, int(g.integers(1, 4 if trial % 2 else 13)), replace=False)).astype(np.int64)
        t, tau = int(g.integers(0, 600)), float(g.random())
        ref = V.copy()
        spread, clash = _converge_numpy(ref, att, k, keys, t, tau)
        got = np.zeros(att.size, dtype=bool)
        args = (delib.confidence_bound(tau), delib.convergence_rate(tau), delib.conflict_probability(tau), got)
        s = meetings.converge(V, att, k, keys[att], np.uint64(t), np.uint64(Purpose.CONFLICT), *args)
        assert np.array_equal(V, ref) and s == spread and np.array_equal(got, clash), trial
        clashes += clash.sum()
        single += k.size == 1
    assert clashes > 0 and single > 0  # clashes drawn; a lone item (numpy sums its column pairwise) met
    empty = np.ones(3, dtype=bool)
    assert np.isnan(
        meetings.converge(
            V,
            np.arange(3),
            np.zeros(0, dtype=np.int64),
            keys[:3],
            np.uint64(1),
            np.uint64(Purpose.CONFLICT),
            0.2,
            0.3,
            0.1,
            empty,
        )
    )
    assert not empty.any()  # no item left on the table: nobody moves or clashes


def test_weekly_counts_are_the_bincounts_of_the_recorder():
    n, K, t, window = 5000, 7, 300, 13
    comp = np.sort(G.integers(0, K, n)).astype(np.int32)
    last_act = np.where(G.random(n) < 0.3, -(10**9), G.integers(250, 301, n)).astype(np.int32)
    rung_week = G.integers(270, 301, (n, 4)).astype(np.int32)
    I, A = G.random(n), G.random(n)
    bounds = np.searchsorted(comp, np.arange(K + 1))  # each compound's households are one run of rows
    got = np.empty((7, K))
    sums.weekly_counts(bounds, t, window, last_act, rung_week, I, A, got)
    flags = [(t - last_act) < window, *((t - rung_week) < window).T, I > 0.5, A > 0.5]
    ref = np.array([np.bincount(comp, f * 1.0, K) for f in flags])
    assert np.array_equal(got, ref) and (ref > 0).all() and (ref < np.bincount(comp, minlength=K)).all()


def _households(n, K, t):
    """A random week's household state: acts, roles, last acts and rungs around week ``t``."""
    comp = np.sort(G.integers(0, K, n))
    h = {name: G.random(n) < share for name, share in HOUSEHOLD_FLAGS.items()}
    h["role"] = G.choice(np.array([0, 0, 0, 0, 1, 2], dtype=np.int8), n)
    h["last_act"] = np.where(G.random(n) < 0.3, -(10**9), G.integers(t - 30, t, n)).astype(np.int32)
    h["rung_week"] = np.sort(np.where(G.random((n, 4)) < 0.2, -(10**9), G.integers(t - 30, t, (n, 4))), axis=1)[:, ::-1]
    h["rung_week"] = np.ascontiguousarray(h["rung_week"], dtype=np.int32)
    h["canvassed"] = G.choice(np.array([t, t - 1, -(10**9)], dtype=np.int32), n)
    h["visit_weight"] = np.where(G.random(n) < 0.05, G.random(n), 0.0)
    h["key"] = random_keys(n)
    return comp, h


HOUSEHOLD_FLAGS = {"party": 0.2, "paid_cofund": 0.4, "paid_month": 0.6, "att_event": 0.1, "informed": 0.1}
HOUSEHOLD_FLAGS |= {"att_vote": 0.05, "att_opinion": 0.05, "voiced": 0.02, "att_adopt": 0.05, "att_meeting": 0.05}


def test_snapshot_is_the_numpy_snapshot():
    from sim.households import REP
    from sim.kernels import weekly
    from sim.rules.participation import ACTIVE_WINDOW

    n, K, t = 4000, 9, 120
    comp, h = _households(n, K, t)
    mu_party = np.array([1.0, 1.6, 0.9, 1.0000001, 2.0, 1.3, 1.0, 1.8, 1.2])  # multipliers on both sides of 1
    got = {name: np.empty(n) for name in ("x", "s", "sx", "leader", "paid_cofund", "paid_month")}
    got |= {"is_rep": np.empty(n, dtype=bool), "att_event": np.empty(n, dtype=bool)}
    got["informed_week"] = np.empty(n, dtype=np.int32)
    weekly.snapshot(t, ACTIVE_WINDOW, REP, h["last_act"], h["role"], h["party"], comp, mu_party, h["paid_cofund"],
                    h["paid_month"], h["att_event"], h["rung_week"], tuple(got.values()))  # fmt: skip
    # the numpy snapshot the kernel replaced
    x = ((t - 1 - h["last_act"]) < ACTIVE_WINDOW).astype(np.float64)
    is_rep = h["role"] == REP
    mu = mu_party[comp]
    lead = (h["party"] & (mu > 1.0)) | is_rep
    s = np.where(lead, mu, 1.0)
    ref = {"x": x, "s": s, "sx": s * x, "leader": (lead & (x > 0)).astype(np.float64)}
    ref |= {"paid_cofund": h["paid_cofund"] * 1.0, "paid_month": h["paid_month"] * 1.0, "is_rep": is_rep}
    ref |= {"att_event": h["att_event"], "informed_week": h["rung_week"][:, 0]}
    for name, want in ref.items():
        assert got[name].dtype == want.dtype and np.array_equal(got[name], want), name
    assert 0 < x.sum() < n and 0 < ref["leader"].sum() and (s > 1).any()


def test_ladder_week_is_the_numpy_ladder():
    from sim.kernels import weekly
    from sim.ladder import NOTICE_PURPOSE

    n, K, t = 4000, 9, 120
    comp, h = _households(n, K, t)
    notice = np.arange(K) % 3 == 0
    tau_info = G.random(K)
    flags = tuple(h[f] for f in ("informed", "att_vote", "att_opinion", "voiced", "att_adopt", "att_meeting"))
    flags += (h["att_event"],)
    rung_week, last_act = h["rung_week"].copy(), h["last_act"].copy()
    weekly.ladder_week(t, 0, comp, flags, h["canvassed"], h["visit_weight"], h["role"], h["key"], notice, tau_info,
                       0.4, NOTICE_PURPOSE, rung_week, last_act)  # fmt: skip
    # the numpy passes the kernel replaced: the notice draws, then each rung's acts in turn
    informed = h["informed"] | (h["canvassed"] == t) | (h["visit_weight"] > 0)
    idx = np.flatnonzero(notice[comp])
    seen = 1.0 - (1.0 - 0.4) * (1.0 - tau_info[comp[idx]])
    informed[idx] |= rng.uniform(h["key"][idx], t, rng.Purpose.NOTICE) < seen
    ref_rw, ref_last = h["rung_week"].copy(), h["last_act"].copy()
    consulted = h["att_vote"] | h["att_opinion"] | h["voiced"] | h["att_adopt"]
    for rung, who in enumerate((informed, consulted, h["att_meeting"] | h["att_event"], h["role"] != 0), start=1):
        ref_rw[who, :rung] = t
        if rung >= 2:
            ref_last[who] = t
    assert np.array_equal(rung_week, ref_rw) and np.array_equal(last_act, ref_last)
    # every rung was reached by someone this week, and a notice informed some who had no visit
    assert all((rung_week[:, r] == t).any() for r in range(4))
    assert (informed & ~(h["informed"] | (h["canvassed"] == t) | (h["visit_weight"] > 0))).any()


# ---------------------------------------------------------------- tie dynamics
def test_decay_is_the_numpy_relaxation():
    w = G.random(10_000) * (G.random(10_000) > 0.2)
    w[:5] = [0.0, DROP_TIE, np.nextafter(DROP_TIE, 0), 1.0, 0.051]
    base = G.random(10_000) * 0.5
    ref = np.where(w > 0, w + 0.03 * (base - w), 0.0)
    ref[ref < DROP_TIE] = 0.0
    tk.decay(w, base, 0.03, DROP_TIE)
    assert np.array_equal(w, ref)


def test_strengthen_matches_the_numpy_walk_including_pending_ties():
    n = 300
    src, dst, w = random_ties(n, 2000, 8)
    first = src.size - 40  # the last 40 ties were added since the last rebuild: not in the mirror
    indptr, indices, perm = mirror_ref(n, src[:first], dst[:first])
    mask = G.random(n) < 0.3
    ref = w.copy()
    # the model's former numpy code: each mirrored tie once from its lower end, then the pending tail
    rows = np.flatnonzero(mask)
    start, stop = indptr[rows], indptr[rows + 1]
    lengths = stop - start
    pos = np.repeat(start - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    owner, nbr = np.repeat(rows, lengths), indices[pos]
    eid = perm[pos[mask[nbr] & (nbr > owner)]]
    eid = eid[ref[eid] > 0]
    ref[eid] += 0.1 * (1.0 - ref[eid])
    tail = slice(first, None)
    both = mask[src[tail]] & mask[dst[tail]] & (ref[tail] > 0)
    ref[tail][both] += 0.1 * (1.0 - ref[tail][both])
    got = w.copy()
    tk.strengthen(indptr, indices, perm, got, mask, rows, src, dst, first, 0.1)
    assert not np.array_equal(ref, w)
    assert np.array_equal(got, ref)


def test_cut_kills_every_tie_of_the_movers():
    src, dst, w = random_ties(200, 900, 12)
    gone = G.random(200) < 0.1
    ref = w.copy()
    ref[gone[src] | gone[dst]] = 0.0
    tk.cut(src.astype(np.int32), dst.astype(np.int32), gone, w)
    assert np.array_equal(w, ref)


def test_event_pairs_match_the_pair_loop():
    bounds = np.array([0, 40, 41, 100, 180])
    n = int(bounds[-1])
    attended = G.random(n) < 0.4
    keys = random_keys(n)
    slot_mix = rng.mix((np.arange(n) - np.repeat(bounds[:-1], np.diff(bounds))).astype(np.uint64))
    pi, pj = [], []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        att = np.flatnonzero(attended[lo:hi]) + lo
        a, b = np.triu_indices(att.size, 1)
        pi.append(att[a])
        pj.append(att[b])
    i, j = np.concatenate(pi), np.concatenate(pj)
    u = uniform_ref(mix_ref(keys[i] ^ slot_mix[j]), 33, rng.Purpose.EVENT_TIE)
    s, d = tk.event_pairs(attended, bounds, keys, slot_mix, np.uint64(33), np.uint64(rng.Purpose.EVENT_TIE), 0.3)
    assert 0 < s.size < i.size
    assert np.array_equal(s, i[u < 0.3]) and np.array_equal(d, j[u < 0.3])


def test_ties_add_has_and_rebuild_keep_one_consistent_mirror():
    n = 120
    src, dst, w = random_ties(n, 400, 9)
    T = Ties(n, src, dst, w + 0.01)  # every tie starts live
    T.cut(np.array([3, 7]))
    new = np.array([[1, 2], [5, 90], [3, 4]])
    fresh = ~T.has(new[:, 0], new[:, 1])
    T.add(new[fresh, 0], new[fresh, 1], np.full(int(fresh.sum()), 0.2))
    assert T.has(new[:, 0], new[:, 1]).all()
    for full in (False, True):
        T.rebuild(full=full)
        ref = mirror_ref(n, T.src, T.dst)
        assert np.array_equal(T.indptr, ref[0]) and np.array_equal(T.indices, ref[1]) and np.array_equal(T.perm, ref[2])
        assert np.array_equal(T.W.data, T.w[T.perm])
    live = {(a, b) for a, b, x in zip(T.src.tolist(), T.dst.tolist(), T.w.tolist(), strict=True) if x > 0}
    q = G.integers(0, n, size=(3000, 2))
    assert np.array_equal(T.has(q[:, 0], q[:, 1]), [(min(a, b), max(a, b)) in live for a, b in q.tolist()])


@pytest.mark.parametrize("seed", [10, 11])
def test_merge_of_the_old_mirror_and_new_ties_equals_a_fresh_build(seed):
    n = 250
    src, dst, w = random_ties(n, 1800, seed)
    first = src.size - 300  # ties added since the last rebuild
    indptr, indices, perm = (a.astype(np.int32) for a in mirror_ref(n, src[:first], dst[:first]))
    for drop in (False, True):
        keep = (w > 0) if drop else np.ones(src.size, dtype=bool)
        new_id = np.where(keep, np.cumsum(keep) - 1, -1)
        size = int(keep.sum())
        out = np.empty(n + 1, np.int32), np.empty(2 * size, np.int32), np.empty(2 * size, np.int32)
        csr.merge(indptr, indices, perm, src, dst, first, new_id, *out)
        ref = mirror_ref(n, src[keep], dst[keep])
        assert all(np.array_equal(a, b) for a, b in zip(out, ref, strict=True)), drop


def test_ties_without_weight_are_dropped_at_construction():
    T = Ties(4, [0, 1, 2], [1, 2, 3], [0.3, 0.0, 0.2])  # e.g. a cross-building tie at cross_contact = 0
    assert T.src.tolist() == [0, 2] and T.dst.tolist() == [1, 3] and T.w.tolist() == [0.3, 0.2]
    assert np.diff(T.indptr).tolist() == [1, 1, 1, 1]  # degrees count live ties only


def test_the_scipy_view_shares_the_mirror_arrays():
    T = Ties(50, np.arange(49), np.arange(1, 50), np.full(49, 0.4))
    assert np.shares_memory(T.W.indices, T.indices) and np.shares_memory(T.W.indptr, T.indptr)  # not copied
    assert T.indices.dtype == np.int32 and T.perm.dtype == np.int32


# ---------------------------------------------------------------- an installed, read-only package
_USE_KERNELS = """
import numpy as np
from sim import rng
from sim.kernels import cache_dir
from sim.network import Ties
T = Ties(5, [0, 1, 2], [1, 2, 3], [0.4, 0.3, 0.6])
T.decay(0.1)
T.strengthen(np.ones(5, dtype=bool), 0.1)
T.add(np.array([0]), np.array([4]), 0.2)
T.rebuild(full=False)
from sim.kernels import sums
bounds, rows = np.array([0, 9, 150, 300]), np.array([2, 0])
x = np.linspace(0.5, 2.0, 300)
means = sums.segment_means(x, bounds, rows)  # pairwise_sum (recursive) from two callers
bills = sums.segment_bills(x, x > 1.0, np.array([0.5, 2.0]), bounds, rows)
ring = sums.ring_means(np.linspace(0.1, 1.0, 24).reshape(2, 12), np.array([5, 30]), np.array([1, 0]))
from sim.kernels import meetings
V, clash = np.linspace(0.0, 1.0, 60).reshape(5, 12), np.zeros(3, dtype=bool)
spread = meetings.converge(V, np.array([0, 2, 4]), np.array([1, 3]), np.arange(3, dtype=np.uint64),
                           np.uint64(7), np.uint64(9), 0.5, 0.3, 0.9, clash)
import sim
print(sim.__file__)
print(cache_dir())
print(float(rng.uniform(np.uint64(3), 1, 2)), T.w.tolist())
print(means.tolist(), [b.tolist() for b in bills], ring.tolist(), spread, V.tolist(), clash.tolist())
"""


def _chmod_tree(root, writable: bool):
    for path in [root, *root.rglob("*")]:
        path.chmod((0o755 if path.is_dir() else 0o644) if writable else (0o555 if path.is_dir() else 0o444))


@pytest.mark.slow
def test_kernels_compile_and_cache_outside_a_read_only_package(tmp_path):
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    site = tmp_path / "site"
    shutil.copytree(root / "sim", site / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    _chmod_tree(site, writable=False)  # as root the mode alone does not stop writes: checked below
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "PYTHONPATH")}
    env |= {"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1", "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    cache = tmp_path / "xdg" / "renosim" / "numba"
    runs, stamps = [], []
    try:
        for _ in range(2):
            runs.append(
                subprocess.run(
                    [sys.executable, "-c", _USE_KERNELS],
                    capture_output=True,
                    text=True,
                    env=env,
                    cwd=tmp_path,
                    timeout=600,
                )
            )
            stamps.append({p: p.stat().st_mtime_ns for p in cache.rglob("*")})
    finally:
        _chmod_tree(site, writable=True)
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert runs[0].stdout == runs[1].stdout
    where, cached = runs[0].stdout.splitlines()[:2]
    assert where.startswith(str(site)) and cached == str(cache)  # the read-only copy ran, caching outside it
    assert any(p.suffix == ".nbi" for p in stamps[0]) and any(p.suffix == ".nbc" for p in stamps[0])
    assert stamps[1] == stamps[0]  # the second process loaded what the first compiled, and wrote nothing
    assert not [p for p in site.rglob("*") if p.suffix in (".nbi", ".nbc", ".pyc")]  # nothing written beside it


@pytest.mark.parametrize("seed", [20, 21])
def test_row_sums_and_blocks_are_scipys_bit_for_bit(seed):
    g = np.random.default_rng(seed)
    pairs = np.unique(np.sort(g.integers(0, 300, (4000, 2)), axis=1), axis=0)
    pairs = pairs[pairs[:, 0] < pairs[:, 1]]
    hub = np.stack([np.zeros(200, dtype=np.int64), np.arange(100, 300)], axis=1)  # a row beyond 128 entries
    pairs = np.unique(np.concatenate([pairs[pairs[:, 0] > 0], hub]), axis=0)
    T = Ties(300, pairs[:, 0], pairs[:, 1], g.random(len(pairs)) + 0.05)
    T.w[g.random(T.w.size) < 0.2] = 0.0  # dead ties stay in the mirror until the next rebuild
    T.sync()
    assert np.diff(T.indptr).max() > 128  # rows long enough for numpy's pairwise summation, halved
    rows, cols = np.sort(g.choice(300, 60, replace=False)), np.sort(g.choice(300, 30, replace=False))
    rows[0], cols[0] = 0, 0  # the hub, and a pair with no tie
    assert np.array_equal(T.row_sums(rows), np.asarray(T.W[rows].sum(axis=1)).ravel())
    assert np.array_equal(T.block(rows, cols), T.W[rows][:, cols].toarray())
    assert T.row_sums(np.array([], dtype=np.int64)).size == 0


def test_leader_counts_are_the_per_compound_counts_of_try_team():
    from sim.constants import LEADER_I, LEADER_PBC
    from sim.kernels import visits

    g = np.random.default_rng(7)
    n, K = 3000, 20
    bounds = np.concatenate([[0, 2], np.sort(g.choice(np.arange(3, n), K - 2, replace=False)), [n]])  # one of 2
    owner = g.random(n) < 0.7
    I = np.where(g.random(n) < 0.1, LEADER_I, g.random(n))  # some exactly at the thresholds
    PBC = np.where(g.random(n) < 0.1, LEADER_PBC, g.random(n))
    party = g.random(n) < 0.2
    rows = np.arange(0, K, 2)
    got = visits.leader_counts(rows, bounds, owner, I, PBC, party)
    leads = owner & (I >= LEADER_I) & (PBC >= LEADER_PBC)
    spans = zip(bounds[rows], bounds[rows + 1], strict=True)
    want = [[int(leads[a:b].sum()), int((leads & party)[a:b].sum())] for a, b in spans]
    assert got.tolist() == want and min(w[0] for w in want) < 3 <= max(w[1] for w in want)
