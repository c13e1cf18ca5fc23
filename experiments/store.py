"""A results folder: Parquet datasets written one part per finished chunk, and a verified manifest.

Layout::

    OUT/manifest.json               experiment name and hash, chunk plan, the experiment itself,
                                    and every finished part with its row count and SHA-256
    OUT/points.parquet              one row per design point (id, label, regime, overrides)
    OUT/summary/part-00012.parquet  one row per compound run of chunk 12
    OUT/timeseries/part-00012.parquet   weekly rows (only when the experiment asks for them)
    OUT/.renosim.lock               held by the run writing the folder (a second writer is refused)

A part is written under a hidden temporary name unique to its writer and renamed with
:func:`os.replace` (atomic on POSIX). A chunk's parts are written first, the timeseries part then the
summary part, and only then is the chunk recorded in the manifest (rows and hash of each part),
itself replaced atomically. A part the manifest does not list is therefore unfinished, whatever it
holds. ``--resume`` checks every listed part against its hash, its row count and the (point, seed)
keys its chunk must hold (:mod:`experiments.verify`), and recomputes every chunk with a part that is
missing, corrupt, mislabelled or unlisted. A manifest that contradicts the experiment (another
experiment, other runs, points or seeds) is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock, Timeout

from sim.errors import InputError

MANIFEST = "manifest.json"
PROVENANCE_KEY = "renosim.provenance"  # Parquet schema metadata key of the provenance record
LOCK = ".renosim.lock"
KINDS = ("summary", "timeseries")
PART = re.compile(r"^part-(\d{5,})\.parquet$")
#: Manifest entries that must agree with the experiment for ``--resume`` to continue a folder.
IDENTITY = ("experiment", "hash", "runs", "points", "seeds", "timeseries")


def check_writable(folder: str | Path) -> Path:
    """Fail early, before any run, if ``folder`` cannot be created or written. Writes nothing.

    A folder this check creates (to probe by writing, which tells the truth where ``os.access``
    says yes to root on a read-only file system) is removed again.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"output {folder} exists and is not a folder; give a folder path")
    created: list[Path] = []
    try:
        p = folder
        while not p.exists():
            created.append(p)
            p = p.parent
        for d in reversed(created):
            d.mkdir()
        fd, probe = tempfile.mkstemp(prefix=".renosim-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(f"cannot write to output folder {str(folder)[:200]}: {exc.strerror or exc}") from None
    finally:
        for d in created:
            with contextlib.suppress(OSError):
                d.rmdir()
    return folder


def file_sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def write_parquet_atomic(
    frame: pd.DataFrame, path: str | Path, provenance: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Write ``frame`` to ``path`` via a temporary file of its own and an atomic rename (mode 0644).

    ``provenance`` (a record of :mod:`experiments.provenance`) goes into the schema metadata under
    ``renosim.provenance``. Returns the part's record: its row count and the SHA-256 of the bytes.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if provenance is not None:
        meta = dict(table.schema.metadata or {})
        meta[PROVENANCE_KEY] = json.dumps(provenance, ensure_ascii=False, default=str).encode()
        table = table.replace_schema_metadata(meta)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        record = {"rows": len(frame), "sha256": file_sha256(Path(tmp))}
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; results are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return record


def write_json_atomic(doc: dict[str, Any], path: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w") as fh:
        json.dump(doc, fh, indent=1, sort_keys=True, default=str)
    os.replace(tmp, path)


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold ``folder/.renosim.lock`` (creating the folder); refuse at once if another run holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(folder / LOCK, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise InputError(
            f"output folder {folder} is in use by another renosim run; wait for it to finish or choose another --out"
        ) from None
    try:
        yield
    finally:
        lock.release()


def chunk_plan(n_points: int, n_seeds: int, chunk_runs: int) -> list[list[tuple[int, int, int]]]:
    """The chunk plan as key ranges: per chunk, ``(point, first seed index, end seed index)`` pieces.

    Point-major, ``chunk_runs`` runs per chunk. :func:`experiments.runner.plan_chunks` cuts the
    runs this way and :mod:`experiments.verify` checks the parts against it.
    """
    if chunk_runs < 1:
        raise InputError(f"chunk size must be at least 1 run, got {chunk_runs}")
    chunks: list[list[tuple[int, int, int]]] = []
    pieces: list[tuple[int, int, int]] = []
    room = chunk_runs
    for point in range(n_points):
        start = 0
        while start < n_seeds:
            take = min(room, n_seeds - start)
            pieces.append((point, start, start + take))
            start += take
            room -= take
            if room == 0:
                chunks.append(pieces)
                pieces, room = [], chunk_runs
    if pieces:
        chunks.append(pieces)
    return chunks


def part_name(kind: str, chunk_id: int) -> str:
    return f"{kind}/part-{chunk_id:05d}.parquet"


class ResultsStore:
    """A results folder for one experiment; see the module docstring for the layout."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.manifest: dict[str, Any] = {}

    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST

    def read_manifest(self) -> dict[str, Any] | None:
        from experiments.inputs import read_text

        if not self.manifest_path.exists():
            return None
        try:
            doc = json.loads(read_text(self.manifest_path, "manifest", limit=256 << 20))
        except ValueError as exc:
            raise InputError(f"{self.manifest_path}: unreadable manifest ({str(exc).splitlines()[0]})") from None
        if not isinstance(doc, dict):
            raise InputError(f"{self.manifest_path}: unreadable manifest (not a JSON object)")
        return doc

    def prepare(self, identity: dict[str, Any], *, resume: bool) -> dict[str, Any] | None:
        """Check the folder may receive this experiment; return the old manifest on resume. Writes nothing.

        ``identity`` holds the :data:`IDENTITY` entries of this experiment. Refuses a manifest of
        another experiment or one that contradicts this one, a started folder without ``resume``,
        ``resume`` without a started folder, and a non-empty folder that is not a results folder.
        """
        check_writable(self.folder)
        old = self.read_manifest()
        name = identity["experiment"]
        if old is None:
            if resume:
                raise InputError(
                    f"--resume: {self.folder} holds no renosim results (no {MANIFEST}); run without --resume to start"
                )
            if self.folder.is_dir() and any(not p.name.startswith(".") for p in self.folder.iterdir()):
                raise InputError(
                    f"output folder {self.folder} is not empty and holds no renosim manifest; choose another --out"
                )
            return None
        if old.get("hash") != identity["hash"]:
            raise InputError(
                f"output folder {self.folder} holds results of experiment {old.get('experiment')!r} "
                f"(hash {old.get('hash')}), not this one ({name!r}, hash {identity['hash']}); choose another --out"
            )
        if not resume:
            raise InputError(
                f"output folder {self.folder} already holds results of {name!r}; "
                "pass --resume to continue it or choose another --out"
            )
        for key in IDENTITY:
            if old.get(key) != identity[key]:
                raise InputError(
                    f"{self.manifest_path}: {key} = {old.get(key)!r} contradicts the experiment "
                    f"({identity[key]!r}); the manifest was edited or damaged — choose another --out"
                )
        chunk_runs = old.get("chunk_runs")
        if not isinstance(chunk_runs, int) or isinstance(chunk_runs, bool) or chunk_runs < 1:
            raise InputError(f"{self.manifest_path}: chunk_runs = {chunk_runs!r} is not a positive integer")
        if not isinstance(old.get("parts", {}), dict):
            raise InputError(f"{self.manifest_path}: parts is not a mapping of part files")
        return old

    def start(self, manifest: dict[str, Any], points: pd.DataFrame, old: dict[str, Any] | None) -> set[int]:
        """Write the manifest and the points table; on resume, verify the parts and drop bad ones.

        Call with the folder's lock held. Returns the ids of the chunks already finished and verified.
        """
        from experiments.verify import check_parts

        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob("**/.*.tmp"):
            stale.unlink()  # written by a run that was killed; we hold the lock, so nobody else's
        parts = dict(old.get("parts", {})) if old else {}
        created = old.get("created") if old else datetime.now(UTC).isoformat(timespec="seconds")
        self.manifest = {**manifest, "created": created, "parts": parts}
        good, bad = check_parts(self.folder, self.manifest)
        for name in bad:
            parts.pop(name, None)
            (self.folder / name).unlink(missing_ok=True)
        write_json_atomic(self.manifest, self.manifest_path)
        write_parquet_atomic(points, self.folder / "points.parquet")
        return good

    def write_chunk(self, chunk_id: int, summary: pd.DataFrame, timeseries: pd.DataFrame | None) -> None:
        """Store one finished chunk: its parts (timeseries, then summary), then its manifest entry."""
        records = {}
        if timeseries is not None:
            records[part_name("timeseries", chunk_id)] = write_parquet_atomic(
                timeseries, self.folder / part_name("timeseries", chunk_id)
            )
        records[part_name("summary", chunk_id)] = write_parquet_atomic(
            summary, self.folder / part_name("summary", chunk_id)
        )
        self.manifest["parts"].update(records)
        write_json_atomic(self.manifest, self.manifest_path)

    def read(self, kind: str = "summary") -> pd.DataFrame:
        """Read one dataset (``summary`` or ``timeseries``), sorted by point, seed, compound."""
        from experiments.runner import sort_rows

        d = self.folder / kind
        parts = sorted(p for p in d.glob("part-*.parquet")) if d.is_dir() else []
        if not parts:
            return pd.DataFrame()
        frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        return sort_rows(frame)


def read_results(folder: str | Path, kind: str = "summary") -> pd.DataFrame:
    """Read a sweep's results as one DataFrame (``kind``: ``summary`` or ``timeseries``)."""
    return ResultsStore(folder).read(kind)
