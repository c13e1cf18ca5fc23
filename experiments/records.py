"""Reading a provenance record back (``renosim show``, reports), whatever file it is handed.

A record is read from an output folder's ``provenance.json``, a Parquet file's schema metadata,
a report's embedded JSON, or a ``--json`` dump of ``compare``. The file is read within a size
limit, must be UTF-8 text (or Parquet), and the record must have the shape
:func:`experiments.provenance.record` writes; a YAML file, a binary, a corrupt Parquet file,
broken JSON or a stranger's ``{"command": "x"}`` each get one line naming what is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from experiments.manifest import PROVENANCE
from sim.errors import InputError

PARQUET_KEY = b"renosim.provenance"
#: The largest record read: a 20,000-point sensitivity design's record is a few megabytes.
MAX_RECORD_BYTES = 64 << 20
SUFFIXES = (".json", ".parquet", ".html")
_SCRIPT = '<script type="application/json" id="renosim-provenance">'


class _Arm(BaseModel):
    model_config = ConfigDict(extra="allow")
    regime: str
    overrides: dict[str, Any]
    parameters: dict[str, Any] | None = None


class _Record(BaseModel):
    """The fields ``renosim show`` prints; others are kept as they are."""

    model_config = ConfigDict(extra="allow")
    command: str
    created: str
    renosim: str
    git_commit: str
    python: str
    versions: dict[str, str]
    run: dict[str, Any] = {}
    seeds: list[int] = []
    arms: dict[str, _Arm]
    presets: dict[str, dict[str, Any]] | None = None


def read_record(path: str | Path) -> dict[str, Any]:
    """The checked record at ``path`` (a folder, or a ``.json``, ``.parquet`` or ``.html`` file)."""
    p = Path(path)
    if p.is_dir():
        if not (p / PROVENANCE).is_file():
            raise InputError(f"{p}: no {PROVENANCE} here (not a renosim output folder, or written by an older version)")
        p = p / PROVENANCE
    if not p.exists():
        raise FileNotFoundError(2, "no such file", str(p))
    if p.suffix not in SUFFIXES:
        raise InputError(f"{p}: not a renosim output; give an output folder or a {', '.join(SUFFIXES)} file it holds")
    doc = _from_parquet(p) if p.suffix == ".parquet" else _from_text(p)
    if isinstance(doc, dict) and "provenance" in doc and "command" not in doc:
        doc = doc["provenance"]  # `renosim compare --json` output
    try:
        _Record.model_validate(doc)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "record"
        raise InputError(f"{p}: not a renosim provenance record ({where}: {err['msg']})") from None
    return doc


def _from_parquet(p: Path) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(p).metadata or {}
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{p}: not a readable Parquet file ({str(exc).splitlines()[0][:120]})") from None
    if PARQUET_KEY not in meta:
        raise InputError(f"{p}: this Parquet file carries no renosim provenance")
    return _json(meta[PARQUET_KEY], p)


def _from_text(p: Path) -> Any:
    from sim.inputs import read_text

    text = read_text(p, "provenance file", limit=MAX_RECORD_BYTES, expect="a renosim output (JSON or HTML)")
    if p.suffix == ".html":
        start = text.find(_SCRIPT)
        end = text.find("</script>", start)
        if start < 0 or end < 0:
            raise InputError(f"{p}: this report carries no renosim provenance")
        text = text[start + len(_SCRIPT) : end]
    return _json(text, p)


def _json(text: str | bytes, p: Path) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{p}: malformed provenance JSON ({str(exc).splitlines()[0][:120]})") from None
