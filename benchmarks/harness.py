"""What the model and city benchmarks share: fresh processes, cold and warm caches, and ``--vs REV``.

Every case runs in a fresh Python process, so its peak memory (max RSS) is its own. *Cold* gives the
process an empty compiled-kernel cache (``NUMBA_CACHE_DIR`` pointing at a new, empty folder), so
numba compiles every kernel it uses — what a user sees the first time after installing. *Warm* runs
the same case again in a second process with the cache the cold process filled.

``--vs REV`` checks the git revision REV out into a temporary ``git worktree``, runs each case of REV
and of the working tree with ``PYTHONPATH`` pointing at the respective tree, interleaved case by
case (the order alternates between repeats), so that whatever else loads the machine hits both
sides alike. Ratios of medians are the figures to quote on a shared machine.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def max_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports kilobytes)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextlib.contextmanager
def checkout(rev: str | None) -> Iterator[Path | None]:
    """A temporary worktree of ``rev`` (removed afterwards); ``None`` for no revision."""
    if rev is None:
        yield None
        return
    tmp = Path(tempfile.mkdtemp(prefix="renosim-bench-"))
    tree = tmp / "tree"
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), rev], check=True, capture_output=True
    )
    try:
        yield tree
    finally:
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False, capture_output=True
        )
        subprocess.run(["rm", "-rf", str(tmp)], check=False)


def run_case(script: Path, args: list[str], tree: Path, cache: Path) -> dict:
    """Run ``script --case ARGS`` in a fresh process importing the code of ``tree``; its JSON line."""
    env = dict(os.environ, PYTHONPATH=str(tree), NUMBA_CACHE_DIR=str(cache))
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(script), "--case", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),
    )
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"case {args} failed under {tree}:\n{out.stderr[-3000:]}")
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["process_s"] = wall
    return res


def run_all(
    script: Path,
    cases: list[list[str]],
    vs: str | None,
    repeats: int,
    report: Callable[[str, str, list[str], dict], None],
) -> dict:
    """Each case cold then warm, on the working tree and (with ``vs``) on REV, interleaved.

    Returns ``{(side, kind, tuple(case)): [result, ...]}`` with ``side`` in ``{"head", "base"}``;
    ``report`` is called after every single run (for progress output).
    """
    results: dict = {}
    with checkout(vs) as base, tempfile.TemporaryDirectory(prefix="renosim-cache-") as caches:
        sides = [("head", REPO)] + ([("base", base)] if base is not None else [])
        n = 0
        for r in range(repeats):
            for case in cases:
                order = sides if r % 2 == 0 else sides[::-1]
                dirs = {}
                for side, tree in order:
                    n += 1
                    dirs[side] = Path(caches) / f"{n}"
                    dirs[side].mkdir()
                    res = run_case(script, case, tree, dirs[side])
                    results.setdefault((side, "cold", tuple(case)), []).append(res)
                    report(side, "cold", case, res)
                for side, tree in order:
                    res = run_case(script, case, tree, dirs[side])  # the cache the cold run filled
                    results.setdefault((side, "warm", tuple(case)), []).append(res)
                    report(side, "warm", case, res)
    return results


def median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def load_note() -> str:
    """The machine's state, for the header of a benchmark's output."""
    return f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}"


def dump(path: Path | None, results: dict, meta: dict) -> None:
    """Every single run as JSON (``--json PATH``), for the record."""
    if path is None:
        return
    rows = [{"side": s, "kind": k, "case": list(c), "runs": v} for (s, k, c), v in results.items()]
    path.write_text(json.dumps({"meta": meta, "results": rows}, indent=1))
