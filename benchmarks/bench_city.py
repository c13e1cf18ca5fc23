"""Speed and memory of one Nanning city run (911 compounds, 113,900 households, 2014-2030), cold and warm.

Run:  python benchmarks/bench_city.py                              (vector executor, seed 1, to 2030)
      python benchmarks/bench_city.py --vs 6498d53 --repeats 3     (that revision side by side, ratios)
      python benchmarks/bench_city.py --end-year 2022

Each run is one fresh process (harness.py): *cold* with an empty compiled-kernel cache, *warm* in a
second process reusing the cache the cold one filled. ``total s`` is import + building the city +
running it, what ``renosim city`` costs before it writes anything; ``MB`` is the peak RSS.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from harness import dump, load_note, max_rss_mb, median, run_all


def case(executor: str, end_year: int, seed: int) -> dict:
    t0 = time.perf_counter()
    from sim.city import CityModel, load_scenario

    t1 = time.perf_counter()
    sc = load_scenario().model_copy(update={"end_year": end_year})
    m = CityModel(sc, rng=seed, executor=executor)
    t2 = time.perf_counter()
    m.run()
    last = m.rollout().iloc[-1]
    t3 = time.perf_counter()
    return {
        "import_s": t1 - t0,
        "init_s": t2 - t1,
        "run_s": t3 - t2,
        "total_s": t3 - t0,
        "households": int(m.hh.n),
        "weeks": int(m.n_weeks),
        "max_rss_mb": max_rss_mb(),
        "renovated": int(last.cumulative_renovated),
    }


HEADER = (
    f"{'side':>4} {'kind':>4} {'import':>6} {'init s':>7} {'run s':>7} {'total s':>7} {'hh-wk/s':>11} {'MB':>6}"
    f" {'renovated':>9}"
)


def line(side: str, kind: str, r: dict) -> str:
    rate = r["households"] * r["weeks"] / r["run_s"]
    return (
        f"{side:>4} {kind:>4} {r['import_s']:6.2f} {r['init_s']:7.2f} {r['run_s']:7.2f} {r['total_s']:7.2f}"
        f" {rate:11,.0f} {r['max_rss_mb']:6.0f} {int(r['renovated']):9d}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--executor", default="vector", choices=["vector", "agents"])
    ap.add_argument("--end-year", type=int, default=2030)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--vs", metavar="REV", help="also measure git revision REV, interleaved, and print ratios")
    ap.add_argument("--repeats", type=int, default=1, help="runs of each kind (medians are reported)")
    ap.add_argument("--json", type=Path, help="write every single run to this file")
    ap.add_argument("--case", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        ex, end, seed = args.case
        print(json.dumps(case(ex, int(end), int(seed))))
        return
    print(f"bench_city: {args.executor} executor, seed {args.seed}, 2014-{args.end_year}; {load_note()}")
    print(HEADER, flush=True)
    one = [args.executor, str(args.end_year), str(args.seed)]
    results = run_all(Path(__file__), [one], args.vs, args.repeats, lambda s, k, c, r: print(line(s, k, r), flush=True))
    print("\nmedians" + (f"; ratio = working tree / {args.vs}" if args.vs else ""))
    print(HEADER)
    for (side, kind, _), rows in sorted(results.items()):
        print(line(side, kind, {k: median(rows, k) for k in rows[0]}))
    if args.vs:
        for kind in ("cold", "warm"):
            h, b = results[("head", kind, tuple(one))], results[("base", kind, tuple(one))]
            total, run, mb = (median(h, k) / median(b, k) for k in ("total_s", "run_s", "max_rss_mb"))
            print(f"{kind}: total s x {total:.3f}, run s x {run:.3f}, MB x {mb:.3f}")
    dump(args.json, results, {"vs": args.vs, "repeats": args.repeats, "note": load_note(), "argv": sys.argv})


if __name__ == "__main__":
    main()
