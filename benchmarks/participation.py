"""What participation measures, and what moves it: the six measurements of issue 17, on paired seeds.

    python benchmarks/participation.py                 # every item, 50 paired seeds
    python benchmarks/participation.py --items 1 4     # some of them
    python benchmarks/participation.py --seeds 200 --items 4

1. the headline ``participation_rate`` and the ladder at target willingness 0.1 / 0.36 / 0.7, per regime
2. where top_down's participation comes from (its own opportunities on the same ladder)
3. who takes part: the ladder's rungs, and the headline for owners, renters, the elderly, party members
4. pilot vs three_integrations: paired differences with 95 % CIs
5. rewiring a small world 0 -> 1 with tie strength held fixed (``rewired_ties: keep``) and with it
   following the buildings (``rewired_ties: buildings``)
6. ghost management: compounds billed as ``self`` or ``OC`` with no council at year 10

150 households and 10 years unless an item says otherwise. A CI is mean ± 1.96 sd/√n over seeds
(paired: over the seed-by-seed differences). A script, not a test: it prints what it measured.
"""

from __future__ import annotations

import argparse

import numpy as np

from sim.run import run_batch

REGIMES = ("top_down", "pilot", "three_integrations")
LADDER = ("ladder_informed", "ladder_consulted", "ladder_involved", "ladder_co_deciding")


def ci(x) -> str:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    half = 1.96 * x.std(ddof=1) / np.sqrt(x.size) if x.size > 1 else float("nan")
    return f"{x.mean():+.4f} [{x.mean() - half:+.4f}, {x.mean() + half:+.4f}]"


def summary(seeds, **kw):
    params = {k: v for k, v in kw.items() if k not in ("regime", "n_households", "years")}
    opts = {k: kw[k] for k in ("regime", "n_households", "years") if k in kw}
    return run_batch(params, seeds, timeseries=False, **opts).summary


def item1(seeds):
    print("1. headline (and involved) by target willingness, mean over seeds")
    for regime in REGIMES:
        cells = []
        for tw in (0.1, 0.36, 0.7):
            s = summary(seeds, regime=regime, target_willingness=tw)
            cells.append(f"{tw}: {s.participation_rate.mean():.3f} ({s.ladder_involved.mean():.3f})")
        lo = summary(seeds, regime=regime, target_willingness=0.1).participation_rate.to_numpy()
        hi = summary(seeds, regime=regime, target_willingness=0.7).participation_rate.to_numpy()
        print(f"   {regime:<20} " + "  ".join(cells) + f"   0.1 -> 0.7: {ci(hi - lo)}")


def item2(seeds):
    print("2. top_down on the ladder (project phase / after completion)")
    s = summary(seeds, regime="top_down")
    print("   project:", "  ".join(f"{c[7:]} {s[c].mean():.3f}" for c in LADDER))
    print("   after:  ", "  ".join(f"{c[7:]} {s['ladder_mgmt_' + c[7:]].mean():.3f}" for c in LADDER))
    for kappa in (0.0, 0.5):
        s = summary(seeds, regime="top_down", kappa=kappa)
        print(f"   kappa {kappa}: participation_rate {s.participation_rate.mean():.3f}")


def item3(seeds):
    print("3. who takes part (three_integrations and pilot)")
    for regime in ("pilot", "three_integrations"):
        s = summary(seeds, regime=regime)
        rungs = "  ".join(f"{c[7:]} {s[c].mean():.3f}" for c in LADDER)
        groups = "  ".join(
            f"{g} {s['participation_rate_' + g].mean():.3f}" for g in ("owner", "renter", "elderly", "party")
        )
        print(f"   {regime:<20} {rungs}\n   {'':<20} {groups}")


def item4(seeds):
    print("4. three_integrations - pilot, paired over seeds")
    a = summary(seeds, regime="pilot")
    b = summary(seeds, regime="three_integrations")
    cols = ("participation_rate", "ladder_involved", "ladder_co_deciding", "engagement_end")
    cols += ("cofunding_collection", "fee_collection", "consensus_weeks", "maintenance_year5", "completion_week")
    for col in cols:
        d = b[col].to_numpy(dtype=float) - a[col].to_numpy(dtype=float)
        print(f"   {col:<22} pilot {a[col].mean():.3f}  three_integrations {b[col].mean():.3f}  diff {ci(d)}")


def item5(seeds):
    from sim.params import resolve
    from sim.rng import compound_key
    from sim.topology import compound_edges

    print("5. rewiring a small world 0 -> 1 at the same degree (three_integrations, no visibility or cues)")
    p = resolve("three_integrations")
    for mode in ("keep", "buildings"):
        q = p.model_copy(update={"rewired_ties": mode})
        close = []
        for rewire in (0.0, 1.0):
            w = np.concatenate(
                [compound_edges(compound_key(s, 0), 150, "small_world", rewire, 0.0, q)[1] for s in seeds]
            )
            close.append((w >= 0.3).mean())
        base = {"network": "small_world", "omega_vis": 0.0, "omega_lead": 0.0, "rewired_ties": mode}
        lo = summary(seeds, ws_rewire=0.0, **base)
        hi = summary(seeds, ws_rewire=1.0, **base)
        print(f"   rewired_ties={mode}: close ties (w >= 0.3) {close[0]:.3f} -> {close[1]:.3f}")
        for col in ("participation_mean", "participation_rate", "ladder_involved", "completion_week"):
            print(f"      {col:<20} random - clustered {ci(hi[col].to_numpy() - lo[col].to_numpy())}")


def item6(seeds):
    print("6. billed as self or OC with no council at year 10")
    for n in (40, 150):
        s = summary(seeds, n_households=n)
        ghost = s.management.isin(["self", "OC"]) & (s.representatives == 0)
        print(f"   {n} households: {ghost.mean():.3f}")


ITEMS = {1: item1, 2: item2, 3: item3, 4: item4, 5: item5, 6: item6}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=50)
    ap.add_argument("--items", type=int, nargs="*", default=list(ITEMS))
    args = ap.parse_args()
    seeds = list(range(args.seeds))
    for i in args.items:
        ITEMS[i](seeds)


if __name__ == "__main__":
    main()
