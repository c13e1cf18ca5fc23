"""Speed and memory of the model: household-weeks per second, cold and warm, with peak memory.

Run:  python benchmarks/bench_model.py                     (150, 15,000, 113,900 and 1,000,000 households)
      python benchmarks/bench_model.py --quick             (150 and 15,000 only)
      python benchmarks/bench_model.py --vs 6498d53 --repeats 3   (that revision side by side, ratios)
      python benchmarks/bench_model.py --sizes 15000,113900 --no-agents

Sizes: 150 = 1 compound of 150; 15,000 = 100 × 150; 113,900 = 670 × 170 (Nanning's stock);
1,000,000 = 5,000 × 200. The vector executor runs 520 weeks (52 at 1,000,000: the "one year of a
million households" case); the agents executor runs only at 150 (52 weeks) and 15,000 (2 weeks),
being a thousand times slower.

Each case runs in a fresh process (harness.py): *cold* with an empty compiled-kernel cache, so the
first-run compilation is included; *warm* in a second process that reuses the cache the cold one
filled. Columns: import, init (building the model) and run seconds; ``run hh-wk/s`` = households ×
weeks / run seconds; ``e2e hh-wk/s`` divides by import + init + run instead (what a user waits
for); ``MB`` the peak RSS of the process; ``B/hh`` the bytes of model state per household after the
run (household arrays, tie arrays and matrices, each buffer counted once); ``ties/hh`` the ties
per household at the end (events add ties over the years).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from harness import dump, load_note, max_rss_mb, median, run_all

# label -> (compounds, households per compound, vector weeks, agents weeks or 0)
SIZES = {
    "150": (1, 150, 520, 52),
    "15000": (100, 150, 520, 2),
    "113900": (670, 170, 520, 0),
    "1000000": (5000, 200, 52, 0),
}


def state_bytes(model) -> dict:
    """Bytes of the household arrays and of the ties (each memory buffer counted once)."""
    import numpy as np
    import scipy.sparse as sp

    seen: set[int] = set()

    def size(obj) -> int:
        if sp.issparse(obj):
            return sum(size(getattr(obj, a)) for a in ("data", "indices", "indptr"))
        if isinstance(obj, list | tuple):
            return sum(size(o) for o in obj)
        if not isinstance(obj, np.ndarray):
            return 0
        while isinstance(obj.base, np.ndarray):
            obj = obj.base
        if id(obj) in seen:
            return 0
        seen.add(id(obj))
        return obj.nbytes

    return {
        "hh_bytes": sum(size(v) for v in vars(model.hh).values()),
        "ties_bytes": sum(size(v) for v in vars(model.ties).values()),
        "tie_count": int(model.ties.src.size),
    }


def case(executor: str, compounds: int, households: int, weeks: int) -> dict:
    t0 = time.perf_counter()
    from sim.model import RenovationModel

    t1 = time.perf_counter()
    m = RenovationModel(
        regime="three_integrations", n_households=households, n_compounds=compounds, years=10, executor=executor, rng=1
    )
    t2 = time.perf_counter()
    for _ in range(weeks):
        m.step()
    t3 = time.perf_counter()
    return {
        "import_s": t1 - t0,
        "init_s": t2 - t1,
        "run_s": t3 - t2,
        "weeks": weeks,
        "households": compounds * households,
        "max_rss_mb": max_rss_mb(),
        **state_bytes(m),
    }


def cases(sizes: list[str], agents: bool) -> list[list[str]]:
    out = []
    for label in sizes:
        c, h, wv, wa = SIZES[label]
        out.append(["vector", str(c), str(h), str(wv)])
        if agents and wa:
            out.append(["agents", str(c), str(h), str(wa)])
    return out


def rates(r: dict) -> tuple[float, float]:
    hw = r["households"] * r["weeks"]
    return hw / r["run_s"], hw / (r["import_s"] + r["init_s"] + r["run_s"])


HEADER = (
    f"{'households':>10} {'executor':>8} {'weeks':>5} {'side':>4} {'kind':>4} {'import':>6} {'init s':>7}"
    f" {'run s':>7} {'run hh-wk/s':>12} {'e2e hh-wk/s':>12} {'MB':>6} {'B/hh':>6} {'ties/hh':>7}"
)


def line(side: str, kind: str, c: list[str], r: dict) -> str:
    run, e2e = rates(r)
    bph = (r["hh_bytes"] + r["ties_bytes"]) / r["households"]
    return (
        f"{r['households']:>10,} {c[0]:>8} {r['weeks']:>5} {side:>4} {kind:>4} {r['import_s']:6.2f} {r['init_s']:7.2f}"
        f" {r['run_s']:7.2f} {run:12,.0f} {e2e:12,.0f} {r['max_rss_mb']:6.0f} {bph:6.0f}"
        f" {r['tie_count'] / r['households']:7.2f}"
    )


def _order(item):
    (side, kind, c), _ = item
    return (c[0], int(c[1]) * int(c[2]), kind, side)


def _ratio(head: list[dict], base: list[dict], f) -> float:
    return statistics.median(f(r) for r in head) / statistics.median(f(r) for r in base)


def summarise(results: dict, vs: str | None) -> None:
    print("\nmedians" + (f"; ratio = working tree / {vs}" if vs else ""))
    print(HEADER)
    for (side, kind, c), rows in sorted(results.items(), key=_order):
        print(line(side, kind, list(c), {k: median(rows, k) for k in rows[0]}))
    if not vs:
        return
    print(f"\n{'households':>10} {'executor':>8} {'kind':>4} {'run rate x':>10} {'e2e rate x':>10}", end="")
    print(f" {'MB x':>6} {'B/hh x':>6}")
    for (side, kind, c), rows in sorted(results.items(), key=_order):
        if side == "head":
            base = results[("base", kind, c)]
            run = _ratio(rows, base, lambda r: rates(r)[0])
            e2e = _ratio(rows, base, lambda r: rates(r)[1])
            mb = _ratio(rows, base, lambda r: r["max_rss_mb"])
            bph = _ratio(rows, base, lambda r: (r["hh_bytes"] + r["ties_bytes"]) / r["households"])
            print(f"{rows[0]['households']:>10,} {c[0]:>8} {kind:>4} {run:10.2f} {e2e:10.2f} {mb:6.2f} {bph:6.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="150 and 15,000 households only")
    ap.add_argument("--sizes", help=f"comma-separated, from {','.join(SIZES)}")
    ap.add_argument("--no-agents", action="store_true", help="skip the agents executor")
    ap.add_argument("--vs", metavar="REV", help="also measure git revision REV, interleaved, and print ratios")
    ap.add_argument("--repeats", type=int, default=1, help="runs of each case (medians are reported)")
    ap.add_argument("--json", type=Path, help="write every single run to this file")
    ap.add_argument("--case", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        ex, c, h, w = args.case
        print(json.dumps(case(ex, int(c), int(h), int(w))))
        return
    sizes = args.sizes.replace(",", " ").replace("_", "").split() if args.sizes else list(SIZES)
    if args.quick and not args.sizes:
        sizes = ["150", "15000"]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        ap.error(f"unknown size {unknown[0]}; allowed: {', '.join(SIZES)}")
    print(f"bench_model: {load_note()}")
    print(HEADER, flush=True)

    def report(side, kind, c, r):
        print(line(side, kind, c, r), flush=True)

    results = run_all(Path(__file__), cases(sizes, not args.no_agents), args.vs, args.repeats, report)
    summarise(results, args.vs)
    dump(args.json, results, {"vs": args.vs, "repeats": args.repeats, "note": load_note(), "argv": sys.argv})


if __name__ == "__main__":
    main()
