"""A results folder: Parquet datasets written one part per finished chunk, and a manifest.

Layout::

    OUT/manifest.json               experiment name and hash, chunk plan, the experiment itself
    OUT/points.parquet              one row per design point (id, label, regime, overrides)
    OUT/summary/part-00012.parquet  one row per compound run of chunk 12
    OUT/timeseries/part-00012.parquet   weekly rows (only when the experiment asks for them)

A part is written under a hidden temporary name (``.part-00012.parquet.tmp``, which Parquet
readers skip) and renamed with :func:`os.replace`, atomic on POSIX: a part file is either complete
or absent. The summary part is renamed last, so its presence marks the chunk finished. A killed
sweep therefore loses only the chunks in flight, and ``--resume`` runs exactly the chunks whose
summary part is missing. A folder holding another experiment (a different hash) is refused.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.errors import InputError

MANIFEST = "manifest.json"
_PART = re.compile(r"^part-(\d{5,})\.parquet$")


def check_writable(folder: Path) -> None:
    """Fail early, before any run, if ``folder`` cannot be created or written.

    Nothing is left behind: a folder this check creates is removed again.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"output {folder} exists and is not a folder")
    created: list[Path] = []
    try:
        missing = []
        p = folder
        while not p.exists():
            missing.append(p)
            p = p.parent
        for d in reversed(missing):
            d.mkdir()
            created.append(d)
        # os.access says yes to root on a read-only file system; writing tells the truth.
        fd, probe = tempfile.mkstemp(prefix=".renosim-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(f"cannot write to output folder {folder}: {exc.strerror or exc}") from None
    finally:
        for d in reversed(created):
            try:
                d.rmdir()
            except OSError:
                pass


def write_parquet_atomic(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` via a hidden temporary file and an atomic rename."""
    tmp = path.with_name(f".{path.name}.tmp")
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, tmp)
    os.replace(tmp, path)


class ResultsStore:
    """A results folder for one experiment; see the module docstring for the layout."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST

    def read_manifest(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.manifest_path.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise InputError(f"{self.manifest_path}: unreadable manifest ({exc})") from None

    def prepare(self, *, name: str, digest: str, resume: bool) -> dict[str, Any] | None:
        """Check the folder may receive this experiment; return the old manifest on resume.

        Writes nothing. Raises :class:`InputError` for a folder of another experiment, for a
        finished or started folder of this one without ``resume``, and for a non-empty folder that
        is not a results folder.
        """
        check_writable(self.folder)
        old = self.read_manifest()
        if old is None:
            leftovers = (
                [p for p in self.folder.iterdir() if not p.name.startswith(".")] if (self.folder.is_dir()) else []
            )
            if leftovers:
                raise InputError(
                    f"output folder {self.folder} is not empty and holds no renosim manifest; choose another --out"
                )
            return None
        if old.get("hash") != digest:
            raise InputError(
                f"output folder {self.folder} holds results of experiment "
                f"{old.get('experiment')!r} (hash {old.get('hash')}), not this one "
                f"({name!r}, hash {digest}); choose another --out"
            )
        if not resume:
            raise InputError(
                f"output folder {self.folder} already holds results of {name!r}; "
                "pass --resume to continue it or choose another --out"
            )
        return old

    def start(self, manifest: dict[str, Any], points: pd.DataFrame) -> None:
        """Create the folder and write the manifest and the points table."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for sub in ("summary", "timeseries"):
            d = self.folder / sub
            if d.is_dir():
                for stale in d.glob(".part-*.tmp"):
                    stale.unlink()  # a chunk that was in flight when a sweep was killed
        manifest = {**manifest, "created": datetime.now(UTC).isoformat(timespec="seconds")}
        tmp = self.folder / f".{MANIFEST}.tmp"
        tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str))
        os.replace(tmp, self.manifest_path)
        write_parquet_atomic(points, self.folder / "points.parquet")

    def finished_chunks(self) -> set[int]:
        """Ids of chunks whose summary part exists."""
        d = self.folder / "summary"
        if not d.is_dir():
            return set()
        return {int(m.group(1)) for p in d.iterdir() if (m := _PART.match(p.name))}

    def write_chunk(self, chunk_id: int, summary: pd.DataFrame, timeseries: pd.DataFrame | None) -> None:
        """Store one finished chunk: the timeseries part first, the summary part last."""
        name = f"part-{chunk_id:05d}.parquet"
        if timeseries is not None:
            (self.folder / "timeseries").mkdir(exist_ok=True)
            write_parquet_atomic(timeseries, self.folder / "timeseries" / name)
        (self.folder / "summary").mkdir(exist_ok=True)
        write_parquet_atomic(summary, self.folder / "summary" / name)

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
