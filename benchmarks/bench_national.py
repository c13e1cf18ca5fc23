"""Speed and memory of `renosim national` (issue 19): 1 -> 2 workers, where the time goes, and the
peak memory at any scale.

    python benchmarks/bench_national.py speedup --scale 0.01 --repeat 3   # 1 vs 2 workers, paired
    python benchmarks/bench_national.py profile --scale 0.01              # build / step / outputs / parent
    python benchmarks/bench_national.py memory --scale 10 --seconds 900   # peak RSS of the process tree

``speedup`` runs the command with 1 and 2 workers in turn (pairs, so drift in the machine's speed
cancels) and prints each pair's ratio and the median. ``memory`` runs ``renosim national --out`` for
at most ``--seconds`` (a scale-10 run takes days), sampling the summed resident memory of the
command and all its workers every 0.2 s, and prints the peak and the slices finished: the peak is
that of the slices in flight, so it does not grow with the scale. ``profile`` runs in this process
(1 worker) and splits the time into the slices' model build, weekly steps and yearly outputs, and
the parent's share (planning, writing the folder, the tables); with ``--cprofile`` it also prints the
functions the steps spend most in. Figures vary with the machine's load: quote medians.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil


def command(scale: float, end: int, workers: int, out: Path) -> list[str]:
    return [sys.executable, "-m", "experiments", "national", "--scale", str(scale), "--to", str(end)] + [
        "--workers",
        str(workers),
        "--out",
        str(out),
        "--no-progress",
        "--json",
    ]


PSS = [0.0]  # the last watch's peak summed PSS (GB): shared pages counted once, not once per process


def watch(argv: list[str], seconds: float | None = None) -> tuple[float, float, bool]:
    """Run ``argv``; return its wall seconds, the peak summed RSS (GB) of its tree, whether it finished.

    The summed RSS counts the libraries every process maps once per process (an upper bound); the
    peak summed PSS, which shares them out, is left in ``PSS[0]``.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent, peak, PSS[0] = psutil.Process(proc.pid), 0, 0.0
    while proc.poll() is None:
        try:
            tree = [p for p in [parent, *parent.children(recursive=True)] if p.is_running()]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
            PSS[0] = max(PSS[0], sum(p.memory_full_info().pss for p in tree) / 1e9)
        except psutil.Error:
            pass
        if seconds is not None and time.perf_counter() - start > seconds:
            for p in [*parent.children(recursive=True), parent]:
                p.kill()
            proc.wait()
            return time.perf_counter() - start, peak / 1e9, False
        time.sleep(0.2)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}")
    return time.perf_counter() - start, peak / 1e9, True


def speedup(args) -> None:
    ratios, walls = [], {1: [], 2: []}
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            for w in (1, 2) if i % 2 == 0 else (2, 1):
                wall, peak, _ = watch(command(args.scale, args.to, w, Path(tmp) / f"w{w}"))
                walls[w].append(wall)
                print(f"  pair {i + 1}: {w} worker(s) {wall:7.1f} s, peak {peak:.2f} GB", flush=True)
        ratios.append(walls[1][-1] / walls[2][-1])
        print(f"  pair {i + 1}: 1 -> 2 workers {ratios[-1]:.2f}x", flush=True)
    print(
        f"scale {args.scale:g}, 2019-{args.to}: median {statistics.median(walls[1]):.1f} s on 1 worker, "
        f"{statistics.median(walls[2]):.1f} s on 2; speed-up median {statistics.median(ratios):.2f}x "
        f"(pairs: {', '.join(f'{r:.2f}' for r in ratios)})"
    )


def memory(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "nat"
        wall, peak, done = watch(command(args.scale, args.to, args.workers, out), args.seconds)
        slices = len(list((out / "summary").glob("part-*.parquet"))) if (out / "summary").is_dir() else 0
        disk = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 1e6
    state = "finished" if done else f"stopped after {args.seconds:g} s"
    print(
        f"scale {args.scale:g}, {args.workers} workers: peak {peak:.2f} GB RSS, {PSS[0]:.2f} GB PSS "
        f"(command and workers summed), "
        f"{slices} slices written ({disk:.0f} MB), {wall:.0f} s, {state}"
    )


def profile(args) -> None:
    import cProfile
    import pstats

    from experiments.national import load, run_national

    run = load(scale=args.scale, start=2019, end=args.to)
    prof = cProfile.Profile() if args.cprofile else None
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        t = time.perf_counter()
        tasks = run.tasks(keep_compounds=True)
        plan = time.perf_counter() - t
        if prof:
            prof.enable()
        res = run_national(run, Path(tmp) / "nat", workers=1, progress=False)
        if prof:
            prof.disable()
        wall = time.perf_counter() - start
    split = res.split
    parent = wall - sum(split.values())
    households = sum(t.slice.households for t in tasks)
    weeks = 52 * (args.to - 2019 + 1)
    print(f"scale {args.scale:g}, 2019-{args.to}: {len(tasks)} slices, {households:,} households, {wall:.1f} s")
    for name, sec in [*split.items(), ("parent (plan, writes, tables)", parent)]:
        print(f"  {name:32s} {sec:8.1f} s  {100 * sec / wall:5.1f} %")
    print(f"  of which planning the slices     {plan:8.2f} s")
    print(f"  model: {split['run'] / households / weeks * 1e6:.2f} us per household-week")
    if prof:
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    for name in ("speedup", "memory", "profile"):
        p = sub.add_parser(name)
        p.add_argument("--scale", type=float, default=0.01)
        p.add_argument("--to", type=int, default=2025)
        if name == "speedup":
            p.add_argument("--repeat", type=int, default=3)
        if name == "memory":
            p.add_argument("--workers", type=int, default=2)
            p.add_argument("--seconds", type=float, default=None)
        if name == "profile":
            p.add_argument("--cprofile", action="store_true")
    args = ap.parse_args()
    {"speedup": speedup, "memory": memory, "profile": profile}[args.what](args)


if __name__ == "__main__":
    main()
