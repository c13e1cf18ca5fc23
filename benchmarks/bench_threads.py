"""What a second thread buys a Nanning city run: the run and each part that splits, 1 thread against N.

The parts that :mod:`sim.parallel` cuts into pieces on threads — the Beta draws of households'
attributes (set-up and households moving in), the household rule with its neighbour sums and the
week's snapshot — are timed inside the run, in fresh processes alternating ``RENOSIM_THREADS=1``
and ``RENOSIM_THREADS=N``, with the compiled-kernel cache warm (a first process fills it). The
numbers are the same whatever the threads (``tests/test_threads.py``); only the time moves.

    python benchmarks/bench_threads.py --threads 2 --repeats 2
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from harness import REPO, load_note

PARTS = {
    "attributes": ("sim.households", "Households.draw_attributes"),
    "rule": ("sim.kernels.household", "decide"),
    "snapshot": ("sim.executors", "snapshot"),
}


def case(end_year: int) -> dict:
    import importlib

    spent = dict.fromkeys(PARTS, 0.0)

    def timed(part, f):
        def g(*args, **kwargs):
            t = time.perf_counter()
            try:
                return f(*args, **kwargs)
            finally:
                spent[part] += time.perf_counter() - t

        return g

    for part, (module, name) in PARTS.items():
        owner = importlib.import_module(module)
        *path, attr = name.split(".")
        for step in path:
            owner = getattr(owner, step)
        setattr(owner, attr, timed(part, getattr(owner, attr)))
    from sim.city import CityModel, load_scenario

    t0 = time.perf_counter()
    m = CityModel(load_scenario().model_copy(update={"end_year": end_year}), rng=1)
    t1 = time.perf_counter()
    m.run()
    t2 = time.perf_counter()
    return {"setup": t1 - t0, "run": t2 - t1, **spent}


def run(threads: int, end_year: int) -> dict:
    env = dict(os.environ, RENOSIM_THREADS=str(threads), PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, __file__, "--case", str(end_year)], capture_output=True, text=True, env=env, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"the run on {threads} thread(s) failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=2, help="threads to compare with one (default 2)")
    ap.add_argument("--end-year", type=int, default=2030)
    ap.add_argument("--repeats", type=int, default=2, help="runs on each side (medians are reported)")
    ap.add_argument("--case", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.case is not None:
        print(json.dumps(case(a.case)))
        return
    print(f"# {load_note()}; city run 2014-{a.end_year}, 1 thread against {a.threads}")
    run(1, 2014)  # fills the compiled-kernel cache
    seen: dict[int, list[dict]] = {1: [], a.threads: []}
    for r in range(a.repeats):
        for threads in (1, a.threads) if r % 2 == 0 else (a.threads, 1):
            seen[threads].append(run(threads, a.end_year))
            print(f"{threads} thread(s): " + ", ".join(f"{k} {v:.2f} s" for k, v in seen[threads][-1].items()))
    print(f"\nmedians (s); ratio = {a.threads} threads / 1")
    for key in ("setup", "run", *PARTS):
        one, many = (statistics.median(x[key] for x in seen[n]) for n in (1, a.threads))
        print(f"{key:>10} {one:8.2f} {many:8.2f}   x {many / one:.3f}")


if __name__ == "__main__":
    main()
