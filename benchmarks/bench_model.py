"""Speed and memory of the model: household-weeks per second for both executors.

Run:  python benchmarks/bench_model.py            (full: 150, 15,000 and 113,900 households)
      python benchmarks/bench_model.py --quick    (150 and 15,000 only, shorter agent runs)

Each case runs in a fresh process so that its peak memory (max RSS) is its own. The vector executor
runs the full 520 weeks; the agents executor is ~1,000x slower, so it runs a shorter horizon at the
larger sizes and its rate is reported per household-week (the rate barely depends on the horizon
once the first weeks have passed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

# (label, compounds, households per compound)
SIZES = [("150", 1, 150), ("15,000", 100, 150), ("113,900", 670, 170)]
AGENT_WEEKS = {"150": 520, "15,000": 26, "113,900": 4}


def _case(executor: str, compounds: int, households: int, weeks: int) -> dict:
    import resource

    from sim.model import RenovationModel

    t0 = time.perf_counter()
    m = RenovationModel(
        regime="three_integrations", n_households=households, n_compounds=compounds, years=10, executor=executor, rng=1
    )
    t1 = time.perf_counter()
    for _ in range(weeks):
        m.step()
    t2 = time.perf_counter()
    return {
        "init_s": t1 - t0,
        "run_s": t2 - t1,
        "weeks": weeks,
        "households": compounds * households,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_case(executor: str, compounds: int, households: int, weeks: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--case", executor, str(compounds), str(households), str(weeks)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--case", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        ex, c, h, w = args.case
        print(json.dumps(_case(ex, int(c), int(h), int(w))))
        return
    sizes = SIZES[:2] if args.quick else SIZES
    print(f"{'households':>10} {'executor':>8} {'weeks':>5} {'init s':>7} {'run s':>8} {'hh-weeks/s':>12} {'MB':>7}")
    rates = {}
    for label, c, h in sizes:
        for ex in ("vector", "agents"):
            weeks = 520 if ex == "vector" else (min(AGENT_WEEKS[label], 26) if args.quick else AGENT_WEEKS[label])
            r = run_case(ex, c, h, weeks)
            rate = r["households"] * r["weeks"] / r["run_s"]
            rates[(label, ex)] = rate
            print(
                f"{label:>10} {ex:>8} {weeks:>5} {r['init_s']:7.2f} {r['run_s']:8.2f} {rate:12,.0f}"
                f" {r['max_rss_mb']:7.0f}",
                flush=True,
            )
    for label, _, _ in sizes:
        print(f"vector / agents at {label} households: {rates[(label, 'vector')] / rates[(label, 'agents')]:,.0f}x")


if __name__ == "__main__":
    main()
