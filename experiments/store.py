"""A results folder: Parquet datasets written one part per finished chunk, and a verified manifest.

Layout::

    OUT/manifest.json               experiment name and hash, chunk plan, the experiment itself,
                                    every finished part with its row count and SHA-256, and the
                                    SHA-256 of points.parquet and provenance.json
    OUT/points.parquet              one row per design point (id, label, regime, overrides)
    OUT/provenance.json             what produced the folder (``renosim show``)
    OUT/summary/part-00012.parquet  one row per compound run of chunk 12
    OUT/timeseries/part-00012.parquet   weekly rows (only when the experiment asks for them)
    OUT/.renosim.lock               held by the run writing the folder (a second writer is refused)

The store is content-addressed: every file a reader takes is named in the manifest with its hash,
and the reader reads exactly the manifest's parts (:func:`experiments.manifest.listed_parts`) and
checks each one's hash as it reads it — never a glob, so a stray copy in ``summary/`` joins
nothing. A part is written under a hidden temporary name unique to its writer and renamed with
:func:`os.replace` (atomic on POSIX). A chunk's parts are written first, the timeseries part then
the summary part, and only then is the chunk recorded in the manifest, itself replaced atomically.
A part the manifest does not list is therefore unfinished, whatever it holds. ``--resume`` checks
every listed part against its hash, its row count and the (point, seed) keys its chunk must hold
(:mod:`experiments.verify`), recomputes every chunk with a part that is missing, corrupt,
mislabelled or unlisted, and removes what lies among the parts unlisted. It deletes only files
it found in the folder's own ``summary/`` and ``timeseries/`` folders, never a path a manifest
names. A manifest that contradicts the experiment (another experiment, other runs, points or
seeds) is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from filelock import FileLock, Timeout

from experiments.files import (  # noqa: F401 - re-exported: the store's public writers
    PROVENANCE_KEY,
    check_writable,
    file_sha256,
    inside,
    read_bytes,
    read_parquet_bytes,
    write_json_atomic,
    write_parquet_atomic,
    write_text_atomic,
)
from experiments.manifest import (  # noqa: F401 - re-exported
    KINDS,
    MANIFEST,
    PART,
    POINTS,
    PROVENANCE,
    Header,
    chunk_plan,
    listed_parts,
    parse_header,
    part_name,
)
from sim.errors import InputError

LOCK = ".renosim.lock"
#: Manifest entries that must agree with the experiment for ``--resume`` to continue a folder.
IDENTITY = ("experiment", "hash", "runs", "points", "seeds", "timeseries")
#: The largest manifest read (a few hundred bytes per chunk: a million chunks fit).
MAX_MANIFEST_BYTES = 256 << 20
MAX_FILE_BYTES = 2 << 30


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold ``folder/.renosim.lock`` (creating the folder); refuse at once if another run holds it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(folder / LOCK, timeout=0, mode=0o644)
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


class ResultsStore:
    """A results folder for one experiment; see the module docstring for the layout."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.manifest: dict[str, Any] = {}

    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST

    def read_manifest(self) -> dict[str, Any] | None:
        """The manifest as a JSON object, or None when the folder has none."""
        try:
            data = read_bytes(self.folder, MANIFEST, MAX_MANIFEST_BYTES)
        except FileNotFoundError:
            return None
        try:
            doc = json.loads(data.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            raise InputError(f"{self.manifest_path}: unreadable manifest ({str(exc).splitlines()[0][:200]})") from None
        if not isinstance(doc, dict):
            raise InputError(f"{self.manifest_path}: unreadable manifest (not a JSON object)")
        return doc

    def header(self, max_runs: int | None = None) -> Header:
        """The validated manifest header (one-line :class:`InputError` if absent or malformed)."""
        doc = self.read_manifest()
        if doc is None:
            raise InputError(f"{self.folder} holds no renosim results (no {MANIFEST})")
        return parse_header(doc, str(self.manifest_path), max_runs)

    def prepare(self, identity: dict[str, Any], *, resume: bool) -> dict[str, Any] | None:
        """Check the folder may receive this experiment; return the old manifest on resume. Writes nothing.

        ``identity`` holds the :data:`IDENTITY` entries of this experiment. Refuses a manifest of
        another experiment or one that contradicts this one, a started folder without ``resume``,
        ``resume`` without a started folder, and a non-empty folder that is not a results folder.
        """
        from experiments.verify import check_parts

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
                f"output folder {self.folder} holds results of experiment {str(old.get('experiment'))[:100]!r} "
                f"(hash {str(old.get('hash'))[:64]}), not this one ({name!r}, hash {identity['hash']}); "
                "choose another --out"
            )
        if not resume:
            raise InputError(
                f"output folder {self.folder} already holds results of {name!r}; "
                "pass --resume to continue it or choose another --out"
            )
        for key in IDENTITY:
            if old.get(key) != identity[key]:
                raise InputError(
                    f"{self.manifest_path}: {key} = {str(old.get(key))[:100]} contradicts the experiment "
                    f"({identity[key]!r}); the manifest was edited or damaged — choose another --out"
                )
        if _positive(old.get("chunk_runs")):  # an edited chunk size re-plans: its count follows
            old = {**old, "chunks": -(-identity["runs"] // old["chunk_runs"])}
        header = parse_header(old, str(self.manifest_path))
        check_parts(self.folder, header.model_copy(update={"parts": {}}))  # the dataset folders are real folders
        return old

    def start(
        self,
        manifest: dict[str, Any],
        points: pd.DataFrame,
        old: dict[str, Any] | None,
        record: dict[str, Any] | None = None,
    ) -> set[int]:
        """Write the manifest, the points table and the provenance ``record``; on resume, verify the parts.

        Call with the folder's lock held. A resumed folder keeps the provenance of its start when
        it still matches its hash. Returns the ids of the chunks already finished and verified.
        """
        from experiments.verify import check_parts

        self.folder.mkdir(parents=True, exist_ok=True)
        self._remove_temporaries()
        parts = dict(old.get("parts", {})) if old else {}
        created = old.get("created") if old else datetime.now(UTC).isoformat(timespec="seconds")
        self.manifest = {**manifest, "created": created, "parts": parts, "files": {}}
        good, bad = check_parts(self.folder, self.manifest)
        for name in bad:
            parts.pop(name, None)
            self._remove_part_file(name)
        self.manifest["files"][POINTS] = write_parquet_atomic(points, self.folder / POINTS)
        kept = self._kept_provenance(old)
        if kept is None and record is not None:
            kept = write_text_atomic(self.folder / PROVENANCE, json.dumps(record, indent=1, ensure_ascii=False) + "\n")
        if kept is not None:
            self.manifest["files"][PROVENANCE] = kept
        write_json_atomic(self.manifest, self.manifest_path)
        return good

    def _kept_provenance(self, old: dict[str, Any] | None) -> dict[str, Any] | None:
        """The record of the provenance a resumed folder keeps (its start's, if still intact)."""
        if old is None:
            return None
        try:
            data = read_bytes(self.folder, PROVENANCE, MAX_FILE_BYTES)
        except (FileNotFoundError, InputError):
            return None
        digest = hashlib.sha256(data).hexdigest()
        listed = old.get("files", {}).get(PROVENANCE) if isinstance(old.get("files"), dict) else None
        if isinstance(listed, dict) and listed.get("sha256") != digest:
            return None  # edited since: the resuming run writes its own record
        return {"sha256": digest}

    def _remove_temporaries(self) -> None:
        """Remove hidden temporary files of a killed writer (we hold the lock: nobody else's)."""
        for sub in ("", *KINDS):
            d = inside(self.folder, sub) if sub else self.folder
            if d is None or not d.is_dir():
                continue
            for p in d.iterdir():
                if p.name.startswith(".") and p.name.endswith(".tmp") and not p.is_dir():
                    p.unlink(missing_ok=True)

    def _remove_part_file(self, name: str) -> None:
        """Delete ``name`` only if it is an entry of this folder's own dataset folders (never a listed path)."""
        kind, sep, entry = name.partition("/")
        if kind not in KINDS or not sep or "/" in entry or entry in ("", ".", ".."):
            return
        path = inside(self.folder, kind)
        if path is None:
            return
        path = path / entry
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            path.unlink()

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

    def _read_checked(self, name: str, record: dict[str, Any]) -> pd.DataFrame:
        """One file of the manifest, its hash checked on the bytes that are then parsed."""
        try:
            data = read_bytes(self.folder, name, MAX_FILE_BYTES)
        except FileNotFoundError:
            raise InputError(f"{self.folder / name} is missing; `renosim verify` lists every fault") from None
        if hashlib.sha256(data).hexdigest() != record.get("sha256"):
            raise InputError(
                f"{self.folder / name} does not match its hash in the manifest (corrupt or replaced); "
                "--resume recomputes it"
            )
        return read_parquet_bytes(data)

    def read(self, kind: str = "summary") -> pd.DataFrame:
        """Read one dataset (``summary`` or ``timeseries``): the manifest's parts, sorted by point, seed, compound."""
        from experiments.runner import sort_rows

        if kind not in KINDS:
            raise InputError(f"unknown dataset {kind!r}; allowed: {', '.join(KINDS)}")
        listed, _ = listed_parts(self.header())
        mine = sorted((cid, name, rec) for name, (k, cid, rec) in listed.items() if k == kind)
        if not mine:
            return pd.DataFrame()
        return sort_rows(pd.concat([self._read_checked(name, rec) for _, name, rec in mine], ignore_index=True))

    def read_points(self) -> pd.DataFrame:
        """``points.parquet``, checked against its hash when the manifest records one."""
        record = self.header().files.get(POINTS)
        if not isinstance(record, dict):
            raise InputError(f"{self.manifest_path} records no hash of {POINTS}; --resume adds one")
        return self._read_checked(POINTS, record)


def _positive(value: Any) -> bool:
    return type(value) is int and value >= 1


def read_results(folder: str | Path, kind: str = "summary") -> pd.DataFrame:
    """Read a sweep's results as one DataFrame (``kind``: ``summary`` or ``timeseries``)."""
    return ResultsStore(folder).read(kind)
