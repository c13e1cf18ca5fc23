"""Sweep throughput: runs per second of a 1,000-run sweep on 1 and 2 workers.

The sweep is the default compound (150 households, 10 years, three_integrations) on seeds
0..N-1, run through ``experiments.sweep.run_sweep`` into a temporary results folder (Parquet parts,
manifest, progress bookkeeping: everything a real sweep does). The baseline is a bare loop over
:func:`sim.run.run_batch` in this process with the same batch sizes; the difference per run is the
experiment layer's overhead (chunk planning, pickling, process pool, Parquet writes).

Usage::

    python benchmarks/bench_sweep.py                 # 1,000 runs, 1 and 2 workers
    python benchmarks/bench_sweep.py --runs 200 --workers 1,2,4

Not a test: run it on demand and compare with the figures in the closing notes.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from experiments import runner
from experiments.spec import parse_experiment
from experiments.sweep import run_sweep


def bare_loop(seeds: list[int], chunk_runs: int, households: int, years: int):
    """(wall, CPU) seconds of run_batch over the seeds in batches of ``chunk_runs``, in process."""
    from sim.run import run_batch

    start, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(seeds), chunk_runs):
        run_batch(seeds=seeds[i : i + chunk_runs], n_households=households, years=years, timeseries=False)
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--households", type=int, default=150)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--repeat", type=int, default=1, help="best of N timings (the machine may be shared)")
    ap.add_argument("--no-bare", action="store_true", help="skip the bare-loop baseline")
    args = ap.parse_args()
    workers = [int(w) for w in args.workers.split(",")]

    exp = parse_experiment(
        dict(
            name="bench",
            design="grid",
            households=args.households,
            years=args.years,
            seeds=args.runs,
            factors={"regime": ["three_integrations"]},
        ),
        "bench",
    )
    load = os.getloadavg()[0]
    print(
        f"sweep of {args.runs} runs: {args.households} households x {args.years} years, "
        f"three_integrations, summary only; {os.cpu_count()} cores, load average {load:.1f}"
    )
    # Warm up this process (imports, first-call caches) so the sweep and the bare loop start
    # equal; worker processes still pay their own start-up, as a one-shot `renosim sweep` does.
    from sim.run import run_batch

    run_batch(seeds=[0], n_households=args.households, years=1, timeseries=False)
    results = {}
    for w in workers:
        chunk = runner.choose_chunk_runs(args.runs, args.households, args.years, w)
        wall = cpu = float("inf")
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                # The first call starts the worker pool (about a second); it is counted, as in
                # a one-shot `renosim sweep`.
                start, cpu0 = time.perf_counter(), time.process_time()
                res = run_sweep(exp, Path(tmp) / "out", workers=w, progress=False)
                wall = min(wall, time.perf_counter() - start)
                cpu = min(cpu, time.process_time() - cpu0)
        results[w] = (wall, chunk, cpu)
        print(
            f"  {w} worker(s): {wall:7.1f} s  {args.runs / wall:7.1f} runs/s  "
            f"({res.chunks_total} chunks of <= {chunk} runs; model CPU in workers "
            f"{res.worker_cpu_seconds / args.runs * 1000:.0f} ms per run)"
        )
    if len(workers) > 1:
        w0, w1 = workers[0], workers[-1]
        print(f"  speed-up {w1} vs {w0} worker(s): {results[w0][0] / results[w1][0]:.2f}x")
    if not args.no_bare:
        wall1, chunk1, cpu1 = results.get(1, next(iter(results.values())))
        seeds = list(range(args.runs))
        bare, bare_cpu = min(bare_loop(seeds, chunk1, args.households, args.years) for _ in range(args.repeat))
        print(
            f"  bare loop over run_batch (batches of {chunk1}, 1 process): {bare:7.1f} s  "
            f"{args.runs / bare:7.1f} runs/s"
        )
        if 1 in results:
            # One worker runs in this process, so CPU time compares like with like and is
            # far less disturbed than wall time by other load on a shared machine.
            print(
                f"  experiment-layer overhead on 1 worker: "
                f"{(wall1 - bare) / args.runs * 1000:+.2f} ms per run wall "
                f"({(wall1 / bare - 1) * 100:+.1f} %), "
                f"{(cpu1 - bare_cpu) / args.runs * 1000:+.2f} ms per run CPU "
                f"({(cpu1 / bare_cpu - 1) * 100:+.1f} %)"
            )
        n1 = min(20, args.runs)
        one, _ = bare_loop(seeds[:n1], 1, args.households, args.years)
        print(f"  for scale, one compound per run_batch call: {n1 / one:7.1f} runs/s")
    print(f"  load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
