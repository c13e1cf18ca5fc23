"""Unit tests of the tie rules in sim/network.py (ODD §5, §7.1)."""

from types import SimpleNamespace

import numpy as np
import pytest

from sim import rng
from sim.network import Ties
from sim.topology import compound_edges, ring_degree


def test_ties_relax_toward_their_contact_level():
    T = Ties(4, [0, 1], [1, 2], [0.4, 0.3])
    T.w[:] = [0.6, 0.1]  # an event lifted one tie, a newcomer's tie starts low
    T.decay(0.1)
    assert T.w == pytest.approx([0.6 + 0.1 * (0.4 - 0.6), 0.1 + 0.1 * (0.3 - 0.1)])
    for _ in range(500):
        T.decay(0.1)
    assert T.w == pytest.approx([0.4, 0.3])  # neither zero nor a floor: where contact holds them


def test_dead_ties_stay_dead():
    T = Ties(3, [0], [1], [0.04])
    T.decay(0.002)
    assert T.w[0] == 0.0
    T.decay(0.5)
    assert T.w[0] == 0.0


def test_mean_degree_and_generators():
    p = SimpleNamespace(
        mean_degree=6.0,
        tie_weights="equal",
        tie_mean=0.5,
        tie_concentration=5.0,
        cross_contact=1.0,
        rewired_ties="keep",
    )
    key = rng.compound_key(1, 0)
    edges, w, _ = compound_edges(key, 100, "small_world", 0.0, 0.0, p)
    assert len(edges) == 300 and (w == 0.5).all()  # a ring with k = 6
    edges, _, _ = compound_edges(key, 30, "complete", 0.0, 0.0, p)
    assert len(edges) == 30 * 29 // 2
    assert ring_degree(5.0, 100) in (4, 6) and ring_degree(3.0, 3) == 2


def test_cross_building_ties_carry_less_contact():
    p = SimpleNamespace(
        mean_degree=4.0,
        tie_weights="equal",
        tie_mean=0.5,
        tie_concentration=5.0,
        cross_contact=0.6,
        rewired_ties="keep",
    )
    edges, w, building = compound_edges(rng.compound_key(2, 0), 100, "buildings", 0.1, 1.0, p)
    cross = building[edges[:, 0]] != building[edges[:, 1]]
    assert cross.any() and (~cross).any()
    assert np.allclose(w[cross], 0.3) and np.allclose(w[~cross], 0.5)


@pytest.mark.parametrize("kind", ["small_world", "buildings"])
def test_rewiring_changes_topology_not_tie_strength(kind):
    # issue 17: a rewired tie keeps the affinity and contact level of the lattice tie it replaces, so
    # the multiset of tie strengths is the same at every rewiring probability; with
    # rewired_ties = buildings a tie takes the contact level of the buildings it now joins
    p = SimpleNamespace(mean_degree=4.0, tie_weights="beta", tie_mean=0.2, tie_concentration=5.0, cross_contact=0.6)
    key = rng.compound_key(5, 0)
    weights = {}
    for mode in ("keep", "buildings"):
        p.rewired_ties = mode
        for rewire in (0.0, 1.0):
            edges, w, building = compound_edges(key, 150, kind, rewire, 0.0, p)
            weights[mode, rewire] = np.sort(w)
            if rewire == 1.0 and kind == "small_world":
                assert (building[edges[:, 0]] != building[edges[:, 1]]).mean() > 0.5
    assert np.array_equal(weights["keep", 0.0], weights["keep", 1.0])
    if kind == "small_world":  # rewired ties cross buildings: their contact level falls
        assert weights["buildings", 1.0].sum() < 0.8 * weights["buildings", 0.0].sum()
    else:  # rewiring inside a building never crosses one
        assert np.array_equal(weights["buildings", 0.0], weights["buildings", 1.0])


def test_watts_strogatz_rewires_the_share_asked_and_stays_connected():
    from scipy.sparse import coo_matrix, csgraph

    from sim.topology import watts_strogatz

    for rewire, lo, hi in ((0.0, 0.0, 0.0), (0.1, 0.05, 0.15), (1.0, 0.85, 1.0)):
        e, o = watts_strogatz(200, 4, rewire, rng.compound_key(3, 0))
        share = (e != o).any(axis=1).mean()
        assert lo <= share <= hi, rewire
        assert len(np.unique(np.sort(e, axis=1), axis=0)) == len(e)  # no duplicate ties
        g = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(200, 200))
        assert csgraph.connected_components(g, directed=False)[0] == 1


@pytest.mark.parametrize("rewire", [0.0, 0.1, 0.9])
def test_all_buildings_at_once_make_the_rings_each_building_makes_alone(rewire):
    """The batched rings (one draw for every building) are those of watts_strogatz, building by building,
    including buildings the first attempt leaves unconnected (degree 2 at high rewiring), which are redrawn."""
    from sim.topology import _building_rings, _rings_one_by_one, ring_degree

    rewired = 0
    for n, nb, k_mean in ((150, 7, 4), (400, 17, 2), (60, 3, 6), (1000, 40, 2)):
        building = np.repeat(np.arange(nb), [len(a) for a in np.array_split(np.arange(n), nb)])
        starts = np.searchsorted(building, np.arange(nb))
        for seed in range(5):
            ckey = rng.compound_key(seed, n)
            fast = _building_rings(ckey, building, starts, k_mean, rewire)
            sizes = np.bincount(building)
            ks = np.array([ring_degree(k_mean, int(s)) for s in sizes])
            bkeys = rng.slot_keys(ckey, rng.COMPOUND_SLOT + 200 + np.arange(nb))
            alone = _rings_one_by_one(bkeys, sizes, starts, ks, k_mean, rewire)
            assert np.array_equal(fast[0], alone[0]) and np.array_equal(fast[1], alone[1])
            rewired += int((fast[0] != fast[1]).any(axis=1).sum())
    assert (rewired > 0) == (rewire > 0)


def test_initial_activists_by_targeting():
    from sim.model import RenovationModel
    from sim.rules.participation import is_active

    for how in ("random", "party", "degree"):
        m = RenovationModel(
            regime="top_down",
            n_households=100,
            years=1,
            rng=1,
            initial_activists=5,
            initial_activist_targeting=how,
            pi_party=0.1,
        )
        act = is_active(m.hh.last_act, -1)
        assert act.sum() == 5, how
        if how == "party":
            assert m.hh.party[act].all()
        if how == "degree":
            deg = np.diff(m.ties.indptr)
            assert deg[act].min() >= np.sort(deg)[-5]


def test_theta_distributions():
    from sim.errors import InputError
    from sim.model import RenovationModel

    m = RenovationModel(regime="threshold_model", n_households=50, years=1, rng=2)
    assert np.allclose(np.sort(m.hh.theta), np.arange(50) / 49)
    m = RenovationModel(
        regime="top_down", n_households=50, years=1, rng=2, theta_dist="fixed", mu_theta=0.3, pi_party=0.0
    )
    assert np.all(m.hh.theta == 0.3)
    with pytest.raises(InputError):
        RenovationModel(regime="top_down", n_households=50, years=1, rng=2, theta_dist="fixed")


@pytest.mark.parametrize("case", range(8))
def test_a_batch_of_compounds_gets_each_compounds_own_network(case):
    """batch_edges lays the compounds' networks side by side exactly as compound_edges builds each
    alone: the same ties in the same order, the same weights and buildings, whatever the sizes, the
    buildings of a city stock, the degree and rewiring, including compounds built alone (a building
    too small for its ring, a degree of zero, another network kind)."""
    from sim.params import Params
    from sim.topology import batch_edges

    g = np.random.default_rng(case)
    levers = [
        {},
        {"ws_rewire": 0.0, "cross_ties": 0.0},
        {"ws_rewire": 1.0, "mean_degree": 2.0, "rewired_ties": "buildings"},
        {"mean_degree": 7.0, "cross_ties": 3.0, "tie_weights": "equal"},
        {"mean_degree": 0.0},
        {"network": "small_world"},
        {"ws_rewire": 0.5, "mean_degree": 5.0},
        {"cross_ties": 1.0, "rewired_ties": "buildings"},
    ][case]
    p = Params(**levers)
    sizes = np.concatenate([[20, 21, 24, 30], g.integers(20, 400, 8)])  # limits.HOUSEHOLDS: 20 at least
    buildings = g.integers(1, 25, sizes.size) if case % 2 else None  # 20 buildings of 20: rings of one
    ckeys = [rng.compound_key(int(s), c) for c, s in enumerate(g.integers(0, 1000, sizes.size))]
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    hkeys = np.concatenate([rng.slot_keys(ck, np.arange(n)) for ck, n in zip(ckeys, sizes, strict=True)])
    edges, w, building = batch_edges(np.array(ckeys), hkeys, bounds, p, buildings)
    alone = []
    for k, ck in enumerate(ckeys):
        nb = None if buildings is None else int(buildings[k])
        alone.append(compound_edges(ck, int(sizes[k]), p.network, p.ws_rewire, p.cross_ties, p, buildings=nb))
    assert np.array_equal(edges, np.concatenate([e + lo for (e, _, _), lo in zip(alone, bounds, strict=False)]))
    assert np.array_equal(w, np.concatenate([a[1] for a in alone]))
    assert np.array_equal(building, np.concatenate([a[2] for a in alone]))
    assert edges.shape[0] > sizes.sum() // 2 or levers.get("mean_degree") == 0.0
