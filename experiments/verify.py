"""Verifying a results folder against its manifest (``renosim verify DIR``, ``--resume``, end of a run).

A part is good when it is on the manifest's file set (:func:`experiments.manifest.listed_parts`),
its bytes have the listed SHA-256, it has the listed number of rows, and it holds exactly the
(point, seed) keys its chunk of the plan must hold, each (point, seed, compound) once (and each
week once, in the timeseries). Because the plan's chunks are disjoint and cover every (point, seed)
of the experiment, a folder whose every chunk has good parts holds every (point, seed, compound)
key exactly once. A finished folder is verified further: its ``points.parquet`` and
``provenance.json`` match their hashes, nothing else sits among the parts, the counts add up, and
the experiment recorded in the manifest is the one its hash, runs, points and seeds describe.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import files
from experiments.manifest import (
    KINDS,
    MANIFEST,
    POINTS,
    PROVENANCE,
    Header,
    listed_parts,
    max_part_rows,
    parse_header,
    record_problem,
)
from sim.errors import InputError

#: The largest part file read whole to hash it (a chunk holds seconds of work: megabytes).
MAX_PART_BYTES = 2 << 30


def _keys_problem(data: bytes, kind: str, pieces: list[tuple[int, int, int]], first: int) -> str | None:
    """Why a part does not hold exactly its chunk's keys, or None."""
    cols = ["point", "seed", "compound"] + (["week"] if kind == "timeseries" else [])
    try:
        keys = files.read_parquet_bytes(data, cols)
    except Exception as exc:  # noqa: BLE001 - any unreadable part is simply recomputed
        return f"unreadable ({type(exc).__name__})"
    if keys.duplicated().any():
        return f"{int(keys.duplicated().sum())} duplicated {'/'.join(cols)} keys"
    expected = pd.MultiIndex.from_tuples(
        [(p, first + s) for p, a, b in pieces for s in range(a, b)], names=["point", "seed"]
    )
    sizes = keys.groupby(["point", "seed"]).size()
    if not sizes.index.sort_values().equals(expected.sort_values()):
        return "holds keys of another chunk"
    if kind == "summary" and (sizes != 1).any():
        return "a (point, seed) with more than one compound row"
    if sizes.nunique() > 1:
        return "runs with different numbers of weeks"
    return None


def part_problem(folder: Path, name: str, kind: str, cid: int, record: dict, header: Header) -> str | None:
    """Why the listed part ``name`` (chunk ``cid``) is not good, or None."""
    try:
        data = files.read_bytes(folder, name, MAX_PART_BYTES)
    except FileNotFoundError:
        return "missing"
    except InputError as exc:
        return str(exc).removeprefix(f"{folder / name}: ")
    if hashlib.sha256(data).hexdigest() != record["sha256"]:
        return "content does not match its hash (corrupt or replaced)"
    try:
        rows = files.parquet_rows(data)
    except Exception as exc:  # noqa: BLE001 - hash matched, yet not Parquet: an edited manifest
        return f"unreadable ({type(exc).__name__})"
    if rows != record["rows"]:
        return "row count does not match the manifest"
    runs = header.chunk_runs_of(cid)
    if (kind == "summary" and rows != runs) or rows > max_part_rows(header, kind, cid) or rows % runs:
        return f"{rows} rows, not what the {runs} runs of its chunk give"
    return _keys_problem(data, kind, header.pieces(cid), header.seeds[0])


def _dataset_entries(folder: Path, kind: str) -> list[str]:
    """Names (``kind/entry``) of the visible entries of a dataset folder, which must be a real folder."""
    d = files.inside(folder, kind)
    if d is None:
        raise InputError(f"{folder / kind} is a symbolic link; a results folder's dataset folders must be real folders")
    if not d.exists():
        return []
    if not d.is_dir():
        raise InputError(f"{folder / kind} is not a folder; move it away (renosim keeps part files there)")
    names = []
    for entry in sorted(d.iterdir()):
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            continue  # a writer's temporary file: invisible to readers, removed by --resume
        if entry.is_dir() and not entry.is_symlink():
            raise InputError(f"{entry} is a folder among the part files; move it away")
        names.append(f"{kind}/{entry.name}")
    return names


def check_parts(folder: Path, manifest: dict[str, Any]) -> tuple[set[int], dict[str, str]]:
    """Verify every part file of ``folder`` against ``manifest``.

    Returns the ids of chunks whose parts are all good, and ``{name: reason}`` for every part
    entry or file that is not (missing, corrupt, unlisted, outside the plan, wrong keys). Raises
    :class:`InputError` when the folder cannot hold results (a dataset folder that is a link).
    """
    folder = Path(folder)
    header = manifest if isinstance(manifest, Header) else parse_header(manifest, str(folder / MANIFEST))
    listed, problems = listed_parts(header)
    for kind in KINDS:
        for name in _dataset_entries(folder, kind):
            if name not in listed and name not in problems:  # a malformed entry keeps its own reason
                problems[name] = "not in the manifest (unfinished, or not written by renosim)"
    parts_of: dict[int, dict[str, str]] = {}
    for name, (kind, cid, record) in listed.items():
        why = part_problem(folder, name, kind, cid, record, header)
        if why:
            problems[name] = why
        else:
            parts_of.setdefault(cid, {})[kind] = name
    good = {cid for cid, kinds in parts_of.items() if len(kinds) == len(header.kinds)}
    for cid, kinds in parts_of.items():
        if cid not in good:
            for name in kinds.values():
                problems[name] = "the other part of its chunk is missing or bad"
    return good, problems


def file_problem(folder: Path, header: Header, name: str) -> str | None:
    """Why ``points.parquet`` or ``provenance.json`` does not match the manifest's record of it, or None."""
    record = header.files.get(name)
    if record is None:
        return f"the manifest records no hash of {name} (an older renosim wrote it; --resume adds one)"
    if why := record_problem(record, rows=name == POINTS):
        return f"{name}: {why}"
    try:
        data = files.read_bytes(folder, name, MAX_PART_BYTES)
    except FileNotFoundError:
        return f"{name}: missing"
    except InputError as exc:
        return f"{name}: {str(exc).removeprefix(f'{folder / name}: ')}"
    if hashlib.sha256(data).hexdigest() != record["sha256"]:
        return f"{name}: content does not match its hash (edited or replaced)"
    if name == POINTS:
        try:
            rows = files.parquet_rows(data)
        except Exception as exc:  # noqa: BLE001 - hash matched, yet not Parquet: an edited manifest
            return f"{name}: unreadable ({type(exc).__name__})"
        if not rows == record["rows"] == header.points:
            return f"{name}: holds {rows} points, the manifest {header.points}"
    return None


def verify_folder(folder: str | Path, max_runs: int | None = None) -> dict[str, int]:
    """Check a finished results folder; raise :class:`InputError` (one line) on any fault.

    Returns counts: chunks, runs, and rows per dataset. ``max_runs`` bounds what the manifest may
    claim (default :data:`experiments.limits.MAX_RUNS`).
    """
    from experiments.limits import check_max_runs
    from experiments.store import ResultsStore
    from experiments.verify_spec import check_spec

    store = ResultsStore(folder)
    if not store.folder.is_dir():
        raise InputError(f"verify: {store.folder} is not a folder")
    manifest = store.read_manifest()
    if manifest is None:
        raise InputError(f"verify: {store.folder} holds no renosim results (no {MANIFEST})")
    header = parse_header(manifest, str(store.manifest_path), check_max_runs(max_runs))
    check_spec(manifest, header, str(store.manifest_path), max_runs)
    good, problems = check_parts(store.folder, header)
    for name in (POINTS, PROVENANCE):
        if why := file_problem(store.folder, header, name):
            problems[name] = why.removeprefix(f"{name}: ")
    if problems or len(good) < header.chunks:
        shown = "; ".join(f"{k}: {v}" for k, v in list(problems.items())[:3])
        more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
        raise InputError(
            f"{store.folder}: NOT verified — {len(good)} of {header.chunks} chunks have good parts"
            + (f"; {len(problems)} fault{'s' if len(problems) > 1 else ''}: {shown}{more}" if problems else "")
        )
    listed, _ = listed_parts(header)
    rows = {k: sum(r["rows"] for kind, _, r in listed.values() if kind == k) for k in KINDS}
    if rows["summary"] != header.runs:
        raise InputError(f"{store.folder}: NOT verified — {rows['summary']} summary rows for {header.runs} runs")
    return {"chunks": header.chunks, "runs": header.runs, **rows}
