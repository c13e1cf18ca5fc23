"""Building a batch of compounds: household arrays, keys, the tie network and the initial measures.

One batch holds 1..K compounds side by side (DESIGN.md §5), households numbered compound by
compound. Every draw is keyed by (seed, compound, household slot), so a compound's households and ties
do not depend on the batch it is built in.
"""

from __future__ import annotations

import numpy as np

from sim import items, rng
from sim.households import INIT_TICK, Households, baseline_score, calibrate_mu_theta, seed_activists
from sim.network import Ties
from sim.topology import batch_edges


def build(model, keys, sizes, buildings=None, party_share=None) -> None:
    """Set ``model.bounds, hh, ties, mu_theta, bill_ratio`` and the t = 0 measures for ``keys``.

    A city stock (§7.13) may give each compound its ``buildings`` and ``party_share`` (NaN: the
    parameter ``pi_party``); by default buildings follow N / 23.2 and every compound has ``pi_party``.
    """
    p = model.p
    K = len(keys)
    sizes = np.asarray(sizes, dtype=np.int64)
    model.bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    H = int(model.bounds[-1])
    # ``comp`` indexes compound arrays every week, so it stays intp (numpy copies a narrower index
    # array to intp on every fancy index); slots (<= 10,000) and buildings (<= 431) fit int16
    comp = np.repeat(np.arange(K, dtype=np.int64), sizes)
    slot = (np.arange(H, dtype=np.int64) - model.bounds[comp]).astype(np.int16)
    seeds = np.array([s for s, _ in keys], dtype=np.uint64)
    ckeys = rng.combine(rng.mix(seeds), np.array([c for _, c in keys], dtype=np.uint64))  # compound_key
    hkeys = rng.slot_keys(ckeys[comp], slot.astype(np.uint64))
    edges, w, bld = batch_edges(ckeys, hkeys, model.bounds, p, buildings)
    building = bld.astype(np.int16)
    model.hh = h = Households(comp, slot, hkeys, building)
    if party_share is not None:
        h.pi_party = np.where(np.isnan(party_share), p.pi_party, party_share)[comp]
    model.slot_mix = rng.mix(slot.astype(np.uint64))  # pair draws key on (household, partner's slot)
    model.mu_theta = calibrate_mu_theta(sizes, p)
    h.draw_attributes(np.arange(H), INIT_TICK, p, model.mu_theta)
    model.ties = Ties(H, edges[:, 0], edges[:, 1], w, building, hkeys, p)
    seed_activists(h, model.ties, model.bounds, p)  # households active at t0 (initial_activists)
    model.bill_ratio = np.ones(H)
    counts = sizes.astype(float)
    # the survey's support and willingness (E10, E11, E13) are owners' answers
    owners = np.bincount(comp, h.owner * 1.0, K)
    model.support_t0 = np.bincount(comp, ((h.A > 0.5) & h.owner) * 1.0, K) / np.maximum(owners, 1)
    z0 = baseline_score(h.A, h.cap, h.theta, sizes[comp], p, h.owner)
    model.willingness_t0 = np.bincount(comp, ((z0 > 0) & h.owner) * 1.0, K) / np.maximum(owners, 1)
    # E12's demand order: share of households valuing an item above 0.5, averaged per category
    model.item_support_t0 = np.stack(
        [
            np.bincount(comp, (h.v[:, items.CATEGORY == cat] > 0.5).mean(axis=1), K) / counts
            for cat in (items.BASIC, items.IMPROVEMENT, items.ENHANCEMENT)
        ],
        axis=1,
    )
    h.I[:] = 1.0 / (1.0 + np.exp(-z0 / p.logit_T))
