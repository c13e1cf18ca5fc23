"""How long ``renosim`` takes from start to exit: ``--help``, ``run --help`` and a default ``run``.

Run:  python benchmarks/bench_cli.py                          (3 repeats, medians)
      python benchmarks/bench_cli.py --vs e3cfd48 --repeats 5  (that revision side by side, ratios)

Each figure is one fresh ``python -m experiments ARGS`` process (what the ``renosim`` script runs),
timed from its start to its exit with its output discarded; ``MB`` is its peak RSS. harness.py runs
each case *cold* (an empty compiled-kernel cache) and then *warm* (the cache the cold run filled);
only ``run`` compiles kernels, so the help's two kinds are the same measurement twice. The default
``run`` is 1 compound of 150 households for 10 years. Issue 18 asks for ``run`` within 2 s warm, and
for the help well under a second.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

CASES = [["--help"], ["run", "--help"], ["run"]]


def case(args: list[str]) -> dict:
    """Time one ``python -m experiments ARGS`` process (the environment says whose code and cache)."""
    import resource

    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "experiments", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"renosim {' '.join(args)} exited {out.returncode}:\n{out.stderr[-3000:]}")
    return {"wall_s": wall, "max_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


HEADER = f"{'command':<20} {'side':>4} {'kind':>4} {'s':>6} {'MB':>6}"


def line(side: str, kind: str, c: list[str], r: dict) -> str:
    return f"{'renosim ' + ' '.join(c):<20} {side:>4} {kind:>4} {r['wall_s']:6.2f} {r['max_rss_mb']:6.0f}"


def main() -> None:
    from harness import dump, load_note, median, run_all

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vs", metavar="REV", help="also measure git revision REV, interleaved, and print ratios")
    ap.add_argument("--repeats", type=int, default=3, help="runs of each case (medians are reported)")
    ap.add_argument("--json", type=Path, help="write every single run to this file")
    args = ap.parse_args()
    print(f"bench_cli: {load_note()}")
    print(HEADER, flush=True)
    results = run_all(
        Path(__file__), CASES, args.vs, args.repeats, lambda s, k, c, r: print(line(s, k, c, r), flush=True)
    )
    print("\nmedians" + (f"; ratio = working tree / {args.vs}" if args.vs else ""))
    print(HEADER + ("  ratio" if args.vs else ""))
    for c in CASES:
        for kind in ("cold", "warm"):
            head = results[("head", kind, tuple(c))]
            ratio = ""
            if args.vs:
                base = results[("base", kind, tuple(c))]
                print(line("base", kind, c, {k: median(base, k) for k in base[0]}))
                ratio = f"  x {median(head, 'wall_s') / median(base, 'wall_s'):.2f}"
            print(line("head", kind, c, {k: median(head, k) for k in head[0]}) + ratio)
    dump(args.json, results, {"vs": args.vs, "repeats": args.repeats, "note": load_note(), "argv": sys.argv})


if __name__ == "__main__":
    if sys.argv[1:2] == ["--case"]:  # one measurement, run by harness.run_case (ARGS may start with --)
        print(json.dumps(case(sys.argv[2:])))
    else:
        main()
