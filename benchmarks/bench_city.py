"""Speed and memory of one Nanning city run (911 compounds, 113,900 households, 2014-2030).

Run:  python benchmarks/bench_city.py [--executor vector] [--end-year 2030]

Prints wall time, household-weeks per second and peak memory (max RSS) of one run on one core.
"""

from __future__ import annotations

import argparse
import resource
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--executor", default="vector", choices=["vector", "agents"])
    ap.add_argument("--end-year", type=int, default=2030)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from sim.city import CityModel, load_scenario

    sc = load_scenario().model_copy(update={"end_year": args.end_year})
    t0 = time.perf_counter()
    m = CityModel(sc, rng=args.seed, executor=args.executor)
    t1 = time.perf_counter()
    m.run()
    t2 = time.perf_counter()
    hh_weeks = m.hh.n * m.n_weeks
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    last = m.rollout().iloc[-1]
    print(f"city {sc.start_year}-{sc.end_year}: {len(m.compounds)} compounds, {m.hh.n:,} households, {m.n_weeks} weeks")
    print(f"init {t1 - t0:.1f} s, run {t2 - t1:.1f} s, total {t2 - t0:.1f} s")
    print(f"{hh_weeks / (t2 - t1):,.0f} household-weeks/s; peak memory {rss:,.0f} MB")
    print(f"renovated (started) by {int(last.year)}: {int(last.cumulative_renovated)}")


if __name__ == "__main__":
    main()
