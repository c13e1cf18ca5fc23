"""A results folder's manifest: its header, checked before anything is sized from it, and its file set.

The manifest is the one list of what a folder holds. Its header (experiment, hash, runs, points,
seeds, chunk size, chunk count) is validated as a whole — types, ranges and the arithmetic that
ties them together — before any count is used; a chunk's (point, seed) keys are computed from
its id alone (:func:`chunk_pieces`), so a manifest claiming a billion points costs nothing to
refuse. The file set is the manifest's part entries whose names are exactly those the chunk
plan gives (``summary/part-00012.parquet``; :func:`part_name`) and whose records are well formed
(:func:`listed_parts`): the reader, the verifier and ``--resume`` all take it from here, and none
of them looks at a name that is not on it, so no entry can point outside the folder.
"""

from __future__ import annotations

import math
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim import limits as sim_limits
from sim.config_files import one_line
from sim.errors import InputError

MANIFEST = "manifest.json"
POINTS = "points.parquet"
PROVENANCE = "provenance.json"
KINDS = ("summary", "timeseries")
#: A part file's name inside its dataset folder (``part-`` and the chunk id, at least five digits).
PART = re.compile(r"^part-(\d{5,})\.parquet$")
_PART_NAME = re.compile(r"^(summary|timeseries)/part-(\d{5,12})\.parquet$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: Weekly rows of one run at most: the longest run (``sim.limits.YEARS``) and its week 0.
MAX_WEEKS = 52 * sim_limits.YEARS[1] + 1


def part_name(kind: str, chunk_id: int) -> str:
    return f"{kind}/part-{chunk_id:05d}.parquet"


class Header(BaseModel):
    """The entries of a manifest that size everything else; strict (``true`` is not 1, ``"3"`` not 3)."""

    model_config = ConfigDict(extra="allow", strict=True)

    experiment: str = Field(max_length=300)
    hash: str = Field(max_length=128)
    runs: int = Field(ge=1)
    points: int = Field(ge=1)
    seeds: list[int] = Field(min_length=2, max_length=2)
    chunk_runs: int = Field(ge=1)
    chunks: int = Field(ge=1)
    timeseries: bool
    parts: dict[str, Any] = Field(default_factory=dict)
    files: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Header:
        first, last = self.seeds
        if not sim_limits.SEED[0] <= first <= last <= sim_limits.SEED[1]:
            raise ValueError(f"seeds = {self.seeds} is not a range of seeds from 0 to {sim_limits.SEED[1]}")
        if self.runs != self.points * self.n_seeds:
            raise ValueError(f"runs = {self.runs} is not points x seeds = {self.points} x {self.n_seeds}")
        if self.chunks != math.ceil(self.runs / self.chunk_runs):
            raise ValueError(f"chunks = {self.chunks} does not cut {self.runs} runs into chunks of {self.chunk_runs}")
        return self

    @property
    def n_seeds(self) -> int:
        return self.seeds[1] - self.seeds[0] + 1

    @property
    def kinds(self) -> tuple[str, ...]:
        return KINDS if self.timeseries else KINDS[:1]

    def chunk_runs_of(self, chunk_id: int) -> int:
        """Runs in chunk ``chunk_id`` (the last chunk may be short)."""
        return min(self.chunk_runs, self.runs - chunk_id * self.chunk_runs)

    def pieces(self, chunk_id: int) -> list[tuple[int, int, int]]:
        return chunk_pieces(chunk_id, self.n_seeds, self.chunk_runs, self.runs)


def parse_header(doc: Any, where: str, max_runs: int | None = None) -> Header:
    """Validate a manifest's header; one-line :class:`InputError` naming the entry otherwise.

    ``max_runs`` bounds the runs it may claim (None: no bound beyond the arithmetic).
    """
    if not isinstance(doc, dict):
        raise InputError(f"{where}: unreadable manifest (not a JSON object)")
    try:
        header = Header.model_validate(doc)
    except ValidationError as exc:
        raise InputError(_short(one_line(exc, where).replace(": file: ", ": ", 1))) from None
    if max_runs is not None and header.runs > max_runs:
        raise InputError(
            f"{where}: runs = {header.runs:,} is above the limit of {max_runs:,} runs; pass --max-runs N to raise it"
        )
    return header


def _short(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def chunk_pieces(chunk_id: int, n_seeds: int, chunk_runs: int, runs: int) -> list[tuple[int, int, int]]:
    """Chunk ``chunk_id``'s ``(point, first seed index, end seed index)`` pieces, computed from the id alone.

    Runs are numbered point-major (run ``r`` is point ``r // n_seeds``, seed index ``r % n_seeds``)
    and chunk ``c`` holds runs ``c * chunk_runs`` up to the next chunk's first.
    """
    start, end = chunk_id * chunk_runs, min(runs, (chunk_id + 1) * chunk_runs)
    pieces = []
    while start < end:
        point, seed = divmod(start, n_seeds)
        take = min(end - start, n_seeds - seed)
        pieces.append((point, seed, seed + take))
        start += take
    return pieces


def chunk_plan(n_points: int, n_seeds: int, chunk_runs: int) -> list[list[tuple[int, int, int]]]:
    """The chunk plan as key ranges: per chunk, ``(point, first seed index, end seed index)`` pieces.

    Point-major, ``chunk_runs`` runs per chunk. :func:`experiments.runner.plan_chunks` cuts the
    runs this way and :mod:`experiments.verify` checks the parts against it.
    """
    if chunk_runs < 1:
        raise InputError(f"chunk size must be at least 1 run, got {chunk_runs}")
    runs = n_points * n_seeds
    return [chunk_pieces(c, n_seeds, chunk_runs, runs) for c in range(math.ceil(runs / chunk_runs))]


def part_id(name: Any, header: Header) -> tuple[str, int] | None:
    """``(kind, chunk id)`` if ``name`` is exactly the name the plan gives one of its parts, else None."""
    m = _PART_NAME.match(name) if isinstance(name, str) else None
    if m is None:
        return None
    kind, cid = m.group(1), int(m.group(2))
    if kind not in header.kinds or cid >= header.chunks or name != part_name(kind, cid):
        return None
    return kind, cid


def record_problem(record: Any, *, rows: bool = True) -> str | None:
    """Why a manifest record (``{"rows": n, "sha256": hex}``) is malformed, or None."""
    if not isinstance(record, dict) or not isinstance(record.get("sha256"), str):
        return "malformed manifest entry"
    if not _SHA256.match(record["sha256"]):
        return "malformed manifest entry (sha256 is not 64 hex digits)"
    if rows and (type(record.get("rows")) is not int or record["rows"] < 0):
        return "malformed manifest entry (rows is not a count)"
    return None


def listed_parts(header: Header) -> tuple[dict[str, tuple[str, int, dict]], dict[str, str]]:
    """The folder's file set: ``{name: (kind, chunk id, record)}``, and ``{entry: why}`` for the rest.

    An entry whose name the plan does not give (another chunk size, a path, a link, a typo) or
    whose record is malformed is not part of the set; nothing is done with its name but report it.
    """
    good: dict[str, tuple[str, int, dict]] = {}
    bad: dict[str, str] = {}
    for name, record in header.parts.items():
        where = part_id(name, header)
        if where is None:
            bad[_short(name, 120)] = "listed but not a part name of the chunk plan"
        elif why := record_problem(record):
            bad[name] = why
        else:
            good[name] = (*where, record)
    return good, bad


def max_part_rows(header: Header, kind: str, chunk_id: int) -> int:
    """Rows a part may hold: one per run (summary) or one per run and week (timeseries)."""
    runs = header.chunk_runs_of(chunk_id)
    return runs if kind == "summary" else runs * MAX_WEEKS
