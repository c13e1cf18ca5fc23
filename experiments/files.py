"""Files renosim writes and reads back: atomic writes at one mode, and reads that stay inside a folder.

Every output file is written to a hidden temporary name of its own and renamed with
:func:`os.replace` (atomic on POSIX), at mode :data:`MODE` (0644: results are for sharing; the
README says so). A results folder's own files are read back only through :func:`inside` and
:func:`read_bytes`: a name from a manifest is a relative path of plain components, each
component below the folder is a real file or folder (never a symbolic link), and the size is
checked before anything is read, so an edited manifest cannot make renosim read, hash or delete
anything outside the folder.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.errors import InputError

#: Mode of every file renosim writes (mkstemp's 0600 would hide results from collaborators).
MODE = 0o644
PROVENANCE_KEY = "renosim.provenance"  # Parquet schema metadata key of the provenance record


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


@contextlib.contextmanager
def _temporary(path: Path):
    """A hidden temporary file beside ``path``, renamed onto it (mode :data:`MODE`) if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_parquet_atomic(
    frame: pd.DataFrame, path: str | Path, provenance: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Write ``frame`` to ``path`` atomically (mode 0644); return its record: row count and SHA-256.

    ``provenance`` (a record of :mod:`experiments.provenance`) goes into the schema metadata under
    ``renosim.provenance``.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if provenance is not None:
        meta = dict(table.schema.metadata or {})
        meta[PROVENANCE_KEY] = json.dumps(provenance, ensure_ascii=False, default=str).encode()
        table = table.replace_schema_metadata(meta)
    with _temporary(Path(path)) as tmp:
        pq.write_table(table, tmp)
        record = {"rows": len(frame), "sha256": file_sha256(tmp)}
    return record


def write_text_atomic(path: str | Path, text: str) -> dict[str, Any]:
    """Write UTF-8 text atomically (mode 0644); return its record (SHA-256)."""
    data = text.encode("utf-8")
    with _temporary(Path(path)) as tmp:
        tmp.write_bytes(data)
    return {"sha256": hashlib.sha256(data).hexdigest()}


def write_json_atomic(doc: dict[str, Any], path: str | Path) -> dict[str, Any]:
    return write_text_atomic(path, json.dumps(doc, indent=1, sort_keys=True, default=str))


def file_sha256(path: str | Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


# -- reading inside a folder -------------------------------------------------------------------


def inside(folder: Path, name: Any) -> Path | None:
    """``folder/name`` if ``name`` is a relative path of plain components, written the one way (no
    ``.``, ``..``, doubled or trailing ``/``), and no existing component below ``folder`` is a
    symbolic link; None otherwise (absolute, ``..``, empty, NUL, a link).

    Nothing is read or followed: only ``lstat`` of each component.
    """
    if not isinstance(name, str) or not name or len(name) > 255 or "\0" in name or "\\" in name:
        return None
    pure = PurePosixPath(name)
    if pure.is_absolute() or str(pure) != name or any(p in ("..", ".") for p in pure.parts):
        return None
    path = folder
    for part in pure.parts:
        path = path / part
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return None
        except FileNotFoundError:
            break  # the rest does not exist either: a missing file, not one outside
        except OSError:
            return None
    return folder / name


def read_bytes(folder: Path, name: str, limit: int) -> bytes:
    """The bytes of the regular file ``folder/name`` (see :func:`inside`), at most ``limit`` of them.

    Raises :class:`FileNotFoundError` when it is missing and :class:`InputError` when it is not a
    regular file inside the folder or is larger than ``limit``.
    """
    path = inside(folder, name)
    if path is None:
        raise InputError(f"{folder}: {name!r} is not a file inside the folder (a link, or a path that leaves it)")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise FileNotFoundError(errno.ENOENT, "missing", str(path)) from None
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise InputError(f"{path}: not a regular file")
    with os.fdopen(fd, "rb") as fh:
        if st.st_size > limit:
            raise InputError(f"{path}: {st.st_size:,} bytes, above the limit of {limit:,}")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{path}: larger than the limit of {limit:,} bytes")
    return data


def parquet_rows(data: bytes) -> int:
    """Row count from a Parquet file's footer (nothing else is decoded)."""
    return pq.ParquetFile(pa.BufferReader(data)).metadata.num_rows


def read_parquet_bytes(data: bytes, columns: list[str] | None = None) -> pd.DataFrame:
    return pq.read_table(pa.BufferReader(data), columns=columns).to_pandas()
