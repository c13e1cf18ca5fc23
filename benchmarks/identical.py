"""Are two checkouts' outputs bit-identical? Snapshot one, snapshot the other, compare.

    python benchmarks/identical.py snapshot OUT [--city]   # summaries, time series, tie weights
    python benchmarks/identical.py compare A B              # exit 1 and name the files that differ

Run ``snapshot`` once per checkout (e.g. with ``PYTHONPATH=/path/to/other/checkout``). The snapshot
holds 6 seeds x 3 regimes under the vector executor, three_integrations under the agents executor, a
4-compound agents batch and, with ``--city``, the Nanning city run to 2022. Frames are compared with
``check_exact=True`` and tie arrays element by element: a refactor must change nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd


def _dump(out: Path, name: str, model) -> None:
    model.summary().to_pickle(out / f"{name}-summary.pkl")
    model.timeseries().to_pickle(out / f"{name}-ts.pkl")
    t = model.ties
    np.savez(out / f"{name}-ties.npz", src=t.src, dst=t.dst, w=t.w)


def snapshot(out: Path, city: bool) -> None:
    from sim.model import RenovationModel

    out.mkdir(parents=True, exist_ok=True)
    for regime in ("top_down", "pilot", "three_integrations"):
        m = RenovationModel(regime=regime, n_households=150, years=10, seeds=list(range(6))).run()
        _dump(out, f"{regime}-vector", m)
    m = RenovationModel(
        regime="three_integrations", n_households=150, years=10, seeds=list(range(6)), executor="agents"
    )
    _dump(out, "three_integrations-agents", m.run())
    m = RenovationModel(n_households=150, years=3, n_compounds=4, rng=7, executor="agents").run()
    _dump(out, "batch-agents", m)
    if city:
        from sim.city import CityModel, load_scenario

        sc = load_scenario()
        m = CityModel(sc, rng=0)
        end = (2022 - sc.start_year + 1) * 52
        while m.running and m.week < end:
            m.step()
        _dump(out, "city2022", m)
        m.rollout().to_pickle(out / "city2022-rollout.pkl")


def compare(a: Path, b: Path) -> int:
    bad = []
    for f in sorted(a.iterdir()):
        g = b / f.name
        if not g.exists():
            bad.append(f"{f.name}: missing in {b}")
        elif f.suffix == ".pkl":
            try:
                pd.testing.assert_frame_equal(pd.read_pickle(f), pd.read_pickle(g), check_exact=True)
            except AssertionError as exc:
                bad.append(f"{f.name}: {str(exc).splitlines()[0]}")
        else:
            x, y = np.load(f), np.load(g)
            bad += [f"{f.name}: {k} differs" for k in x.files if not np.array_equal(x[k], y[k])]
    print(f"{len(list(a.iterdir()))} files compared, {len(bad)} differ")
    print("\n".join(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("out", type=Path)
    s.add_argument("--city", action="store_true")
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = ap.parse_args()
    if args.cmd == "snapshot":
        snapshot(args.out, args.city)
    else:
        sys.exit(compare(args.a, args.b))
