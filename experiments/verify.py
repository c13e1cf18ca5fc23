"""Verifying a results folder against its manifest (``renosim verify DIR``, ``--resume``, end of a run).

A part is good when it is listed in the manifest, its bytes have the listed SHA-256, it has the
listed number of rows, and it holds exactly the (point, seed) keys its chunk of the plan must hold,
each (point, seed, compound) once (and each week once, in the timeseries). Because the plan's
chunks are disjoint and cover every (point, seed) of the experiment, a folder whose every chunk
has good parts holds every (point, seed, compound) key exactly once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from experiments.store import KINDS, MANIFEST, PART, ResultsStore, chunk_plan, file_sha256, part_name
from sim.errors import InputError


def _plan(manifest: dict[str, Any]) -> tuple[list[list[tuple[int, int, int]]], int]:
    try:
        first, last = (int(s) for s in manifest["seeds"])
        plan = chunk_plan(int(manifest["points"]), last - first + 1, int(manifest["chunk_runs"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"manifest: missing or malformed plan entry ({exc})") from None
    return plan, first


def _expected(pieces: list[tuple[int, int, int]], first: int) -> pd.MultiIndex:
    pairs = [(p, first + s) for p, a, b in pieces for s in range(a, b)]
    return pd.MultiIndex.from_tuples(pairs, names=["point", "seed"])


def _keys_problem(path: Path, kind: str, expected: pd.MultiIndex) -> str | None:
    """Why the part at ``path`` does not hold exactly its chunk's keys, or None."""
    cols = ["point", "seed", "compound"] + (["week"] if kind == "timeseries" else [])
    try:
        keys = pq.read_table(path, columns=cols).to_pandas()
    except Exception as exc:  # noqa: BLE001 - any unreadable part is simply recomputed
        return f"unreadable ({type(exc).__name__})"
    if keys.duplicated().any():
        return f"{int(keys.duplicated().sum())} duplicated {'/'.join(cols)} keys"
    sizes = keys.groupby(["point", "seed"]).size()
    if not sizes.index.sort_values().equals(expected.sort_values()):
        return "holds keys of another chunk"
    if kind == "summary" and (sizes != 1).any():
        return "a (point, seed) with more than one compound row"
    if sizes.nunique() > 1:
        return "runs with different numbers of weeks"
    return None


def check_parts(folder: Path, manifest: dict[str, Any]) -> tuple[set[int], dict[str, str]]:
    """Verify every part file of ``folder`` against ``manifest``.

    Returns the ids of chunks whose parts are all good, and ``{part: reason}`` for every part that
    is not (missing, corrupt, unlisted, outside the plan, or holding the wrong keys).
    """
    plan, first = _plan(manifest)
    kinds = KINDS if manifest.get("timeseries") else KINDS[:1]
    listed: dict[str, Any] = manifest.get("parts", {})
    problems: dict[str, str] = {}
    for kind in KINDS:
        d = folder / kind
        for p in sorted(d.iterdir()) if d.is_dir() else []:
            m = PART.match(p.name)
            name = f"{kind}/{p.name}"
            if m and name not in listed:
                problems[name] = "not in the manifest (unfinished)"
            elif m and (kind not in kinds or int(m.group(1)) >= len(plan)):
                problems[name] = "not part of the chunk plan"
    good = set()
    for cid, pieces in enumerate(plan):
        ok = True
        for kind in kinds:
            name = part_name(kind, cid)
            if name in problems:
                ok = False
                continue
            why = _part_problem(folder / name, kind, listed.get(name), pieces, first)
            if why:
                problems[name] = why
                ok = False
        if ok:
            good.add(cid)
    for name in listed:
        if name not in problems and not any(name == part_name(k, c) for k in kinds for c in good):
            problems.setdefault(name, "listed but not part of the chunk plan")
    return good, problems


def _part_problem(path: Path, kind: str, record: Any, pieces, first: int) -> str | None:
    if record is None:
        return "missing" if not path.exists() else "not in the manifest (unfinished)"
    if not isinstance(record, dict) or "sha256" not in record or "rows" not in record:
        return "malformed manifest entry"
    if not path.is_file():
        return "missing"
    if file_sha256(path) != record["sha256"]:
        return "content does not match its hash (corrupt or replaced)"
    if pq.ParquetFile(path).metadata.num_rows != record["rows"]:
        return "row count does not match the manifest"
    return _keys_problem(path, kind, _expected(pieces, first))


def verify_folder(folder: str | Path) -> dict[str, int]:
    """Check a finished results folder; raise :class:`InputError` (one line) on any fault.

    Returns counts: chunks, runs, and rows per dataset.
    """
    store = ResultsStore(folder)
    if not store.folder.is_dir():
        raise InputError(f"verify: {store.folder} is not a folder")
    manifest = store.read_manifest()
    if manifest is None:
        raise InputError(f"verify: {store.folder} holds no renosim results (no {MANIFEST})")
    plan, _ = _plan(manifest)
    good, problems = check_parts(store.folder, manifest)
    missing = len(plan) - len(good)
    if problems or missing:
        shown = "; ".join(f"{k}: {v}" for k, v in list(problems.items())[:3])
        more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
        raise InputError(
            f"{store.folder}: {missing} of {len(plan)} chunks are not verified" + (f" — {shown}{more}" if shown else "")
        )
    points = store.folder / "points.parquet"
    if not points.is_file() or pq.ParquetFile(points).metadata.num_rows != manifest["points"]:
        raise InputError(f"{store.folder}: points.parquet is missing or does not hold {manifest['points']} points")
    rows = {k: sum(r["rows"] for n, r in manifest["parts"].items() if n.startswith(k + "/")) for k in KINDS}
    return {"chunks": len(plan), "runs": int(manifest["runs"]), **rows}
