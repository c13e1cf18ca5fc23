"""Partitioned Parquet datasets beside a results folder's chunk parts (hive layout, e.g. year / province).

A chunk of :class:`experiments.store.ResultsStore` may carry rows too many to keep as one part: a
national slice's compound-year rows. They go to ``OUT/<kind>/<col>=<value>/.../part-<chunk>.parquet``,
one file per partition the chunk touches, written atomically by
:func:`experiments.store.write_parquet_atomic` and listed (rows, SHA-256, chunk) under the manifest's
``partitions`` entry *before* :meth:`ResultsStore.write_chunk` records the chunk — so a chunk is
finished only when its partition files, its summary and its timeseries parts are all listed. The
partition columns live in the path, not in the file (the hive convention); :func:`read` puts them back.

On resume :func:`check` drops every partition file that is unlisted, corrupt, holds rows of another
chunk or key, or belongs to a chunk whose chunk parts are not verified, and returns the chunks whose
partition files are all good; the caller recomputes the others. :func:`verify` checks a finished
folder: each chunk has exactly its expected partitions, each key once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from experiments.store import ResultsStore, file_sha256, write_json_atomic, write_parquet_atomic
from sim.errors import InputError

KEY = "partitions"  # the manifest entry: {path: {"rows", "sha256", "chunk"}}
_PART = re.compile(r"^part-(\d{5,})\.parquet$")
_VALUE = re.compile(r"^[A-Za-z0-9_.-]{1,60}$")


def path(kind: str, values: dict[str, Any], chunk_id: int) -> str:
    """``kind/col=value/.../part-00012.parquet`` (values: letters, digits, ``_ . -`` only)."""
    parts = []
    for col, value in values.items():
        if not _VALUE.match(str(value)):
            raise InputError(f"partition value {value!r} of {col} is not a plain name")
        parts.append(f"{col}={value}")
    return "/".join([kind, *parts, f"part-{chunk_id:05d}.parquet"])


def values_of(name: str) -> dict[str, str]:
    """The partition values a path names: ``{"year": "2019", "province": "Guangxi"}``."""
    return dict(p.split("=", 1) for p in name.split("/")[1:-1])


def write(store: ResultsStore, chunk_id: int, frame: pd.DataFrame, kind: str, by: tuple[str, ...]) -> None:
    """Write one chunk's rows of ``kind``, one file per partition of ``by``; list them (not yet saved).

    The manifest is saved with the chunk by :meth:`ResultsStore.write_chunk`, called next.
    """
    listed = store.manifest.setdefault(KEY, {})
    for name in [n for n, r in listed.items() if r.get("chunk") == chunk_id and n.startswith(kind + "/")]:
        del listed[name]  # a recomputed chunk replaces its old listing
    for values, group in frame.groupby(list(by), sort=True):
        values = values if isinstance(values, tuple) else (values,)
        name = path(kind, dict(zip(by, values, strict=True)), chunk_id)
        record = write_parquet_atomic(group.drop(columns=list(by)), store.folder / name)
        listed[name] = {**record, "chunk": chunk_id}


def check(store: ResultsStore, kind: str, good: set[int], expected) -> set[int]:
    """Drop bad or unlisted partition files of ``kind``; return the chunks of ``good`` whose files are all good.

    ``expected(chunk_id)`` gives the paths a finished chunk must have; the manifest is saved.
    """
    listed: dict[str, Any] = store.manifest.setdefault(KEY, {})
    ok = set(good)
    for name in [n for n in listed if n.startswith(kind + "/")]:
        chunk = listed[name].get("chunk") if isinstance(listed[name], dict) else None
        if chunk not in ok or _problem(store.folder, name, listed[name]):
            ok.discard(chunk)
    for chunk in list(ok):
        mine = {n for n, r in listed.items() if n.startswith(kind + "/") and r.get("chunk") == chunk}
        if mine != set(expected(chunk)):
            ok.discard(chunk)
    for name in [n for n in listed if n.startswith(kind + "/") and listed[n].get("chunk") not in ok]:
        del listed[name]
        (store.folder / name).unlink(missing_ok=True)
    root = store.folder / kind
    for file in sorted(root.rglob("part-*.parquet")) if root.is_dir() else []:
        if file.relative_to(store.folder).as_posix() not in listed:
            file.unlink()  # unfinished: written by a run killed before its chunk was recorded
    write_json_atomic(store.manifest, store.manifest_path)
    return ok


def _problem(folder: Path, name: str, record: Any) -> str | None:
    if not isinstance(record, dict) or not {"rows", "sha256", "chunk"} <= set(record):
        return "malformed manifest entry"
    file = folder / name
    if not file.is_file():
        return "missing"
    if file_sha256(file) != record["sha256"]:
        return "content does not match its hash (corrupt or replaced)"
    try:
        rows = pq.ParquetFile(file).metadata.num_rows
    except Exception as exc:  # noqa: BLE001 - any unreadable file is simply recomputed
        return f"unreadable ({type(exc).__name__})"
    if rows != record["rows"]:
        return "row count does not match the manifest"
    m = _PART.match(file.name)
    if not m or int(m.group(1)) != record["chunk"]:
        return "named for another chunk"
    return None


def verify(folder: str | Path, kind: str, expected, key: str) -> int:
    """Check a finished folder's partitions of ``kind``; raise :class:`InputError` (one line) on a fault.

    Every chunk of the plan has exactly ``expected(chunk)``, each file is intact and holds each
    ``key`` once. Returns the rows.
    """
    store = ResultsStore(folder)
    manifest = store.read_manifest() or {}
    listed = {n: r for n, r in manifest.get(KEY, {}).items() if n.startswith(kind + "/")}
    problems = {n: why for n, r in listed.items() if (why := _problem(store.folder, n, r))}
    for chunk in range(int(manifest.get("chunks", 0))):
        mine = {n for n, r in listed.items() if r.get("chunk") == chunk}
        for name in set(expected(chunk)) ^ mine:
            problems.setdefault(name, "missing" if name not in mine else "not in the plan")
    for name in [n for n in listed if n not in problems]:
        if pq.read_table(store.folder / name, columns=[key]).column(0).to_pandas().duplicated().any():
            problems[name] = f"a {key} twice"
    if problems:
        shown = "; ".join(f"{k}: {v}" for k, v in list(problems.items())[:3])
        raise InputError(f"{store.folder}: {len(problems)} {kind} partition files are not verified — {shown}")
    return sum(r["rows"] for r in listed.values())


def read(folder: str | Path, kind: str, columns: list[str] | None = None) -> pd.DataFrame:
    """The listed partition files of ``kind`` as one frame, partition columns first, in path order."""
    store = ResultsStore(folder)
    listed = sorted(n for n in (store.read_manifest() or {}).get(KEY, {}) if n.startswith(kind + "/"))
    frames = []
    for name in listed:
        frame = pd.read_parquet(store.folder / name, columns=columns)
        for col, value in reversed(values_of(name).items()):
            frame.insert(0, col, int(value) if value.isdigit() else value)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
