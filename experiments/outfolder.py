"""The ``--out`` folder of ``run`` and ``compare``: claimed before computing, cleaned of its last run's leftovers.

A command that writes a folder of its own files (not a results store) calls :func:`claimed` once
every input is valid and before computing anything. It refuses at once — one line, nothing
written — a folder another run holds (the lock of :func:`experiments.store.folder_lock`), a results
store (``manifest.json``: a sweep, sensitivity analysis or calibration), the output of another
command (its ``provenance.json`` says which), files of its own names that no provenance vouches
for, and a folder or device where one of its files belongs. The same command may write the folder
again: :meth:`Output.finish` then removes what the previous run wrote that this one did not (a
regime's ``params/top_down.yaml``, a figure no longer drawn). If the computation fails or is
interrupted, a folder the claim created is removed again and an existing one is left as it was.
"""

from __future__ import annotations

import contextlib
import json
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from experiments.files import check_writable, inside, read_bytes
from experiments.manifest import MANIFEST, PROVENANCE
from sim.errors import InputError

#: What each command writes: files, and folders of files with the given suffix.
OWNED: dict[str, dict[str, tuple[str, ...]]] = {
    "run": {
        "files": ("summary.parquet", "timeseries.parquet", "summary.csv", "timeseries.csv", PROVENANCE, "params.yaml"),
        "folders": (),
    },
    "compare": {
        "files": (
            "summary.parquet",
            "timeseries.parquet",
            "summary.csv",
            "timeseries.csv",
            "outcomes.csv",
            "report.html",
            PROVENANCE,
            "params.yaml",
        ),
        "folders": ("figures/*.png", "params/*.yaml"),
    },
}


def kind_of(folder: Path) -> str | None:
    """The command whose output ``folder`` holds, from its ``provenance.json``; None if unknown."""
    try:
        rec = json.loads(read_bytes(folder, PROVENANCE, 64 << 20).decode("utf-8"))
    except (FileNotFoundError, InputError, ValueError):
        return None
    if not isinstance(rec, dict):
        return None
    if isinstance(rec.get("kind"), str):
        return rec["kind"]
    try:
        words = shlex.split(str(rec.get("command", "")))
    except ValueError:
        return None
    return words[1] if len(words) > 1 and words[0] == "renosim" else None


def check_folder(folder: Path, kind: str) -> None:
    """Refuse (one line) a folder ``kind`` may not write; see the module docstring. Writes nothing."""
    check_writable(folder)
    if not folder.is_dir() or not any(not p.name.startswith(".") for p in folder.iterdir()):
        return
    if (folder / MANIFEST).exists():
        raise InputError(
            f"output folder {folder} holds the results of a sweep, sensitivity analysis or calibration "
            f"({MANIFEST}); choose another --out"
        )
    owned = OWNED[kind]
    for name in owned["files"]:
        path = inside(folder, name)
        if path is None or (path.exists() and not path.is_file()):
            raise InputError(f"{folder / name} is a folder or a link where renosim writes a file; move it away")
    for pattern in owned["folders"]:
        path = inside(folder, pattern.split("/")[0])
        if path is None or (path.exists() and not path.is_dir()):
            raise InputError(f"{folder / pattern.split('/')[0]} is not a folder; move it away")
    found = kind_of(folder)
    if found is not None and found != kind:
        raise InputError(f"output folder {folder} holds the output of `renosim {found}`; choose another --out")
    if found is None:
        ours = [n for n in (*owned["files"], *(f.split("/")[0] for f in owned["folders"])) if (folder / n).exists()]
        if ours:
            raise InputError(
                f"output folder {folder} holds {ours[0]}, which no renosim {kind} recorded "
                f"(no {PROVENANCE} of one); choose another --out"
            )


@dataclass
class Output:
    """A claimed output folder; :meth:`wrote` records each file written, :meth:`finish` removes the rest."""

    folder: Path
    kind: str
    written: set[str] = field(default_factory=set)

    def path(self, name: str) -> Path:
        self.written.add(name)
        return self.folder / name

    def wrote(self, paths) -> None:
        self.written.update(str(Path(p).relative_to(self.folder)) for p in paths)

    def retire_provenance(self) -> None:
        """Remove the last run's ``provenance.json`` before writing: a half-written folder has none, not a wrong one."""
        (self.folder / PROVENANCE).unlink(missing_ok=True)

    def finish(self) -> list[str]:
        """Remove this command's files that the previous run wrote and this one did not; return them."""
        owned = OWNED[self.kind]
        stale = [n for n in owned["files"] if n not in self.written and (self.folder / n).is_file()]
        for pattern in owned["folders"]:
            sub, _, glob = pattern.partition("/")
            d = inside(self.folder, sub)
            if d is not None and d.is_dir():
                stale += [
                    f"{sub}/{p.name}" for p in d.glob(glob) if p.is_file() and f"{sub}/{p.name}" not in self.written
                ]
        for name in stale:
            (self.folder / name).unlink()
        for pattern in owned["folders"]:
            with contextlib.suppress(OSError):
                (self.folder / pattern.split("/")[0]).rmdir()  # only if now empty
        return stale


@contextlib.contextmanager
def claimed(folder: str | Path, kind: str) -> Iterator[Output]:
    """Check, then lock ``folder`` for ``kind`` (see the module docstring); yield an :class:`Output`."""
    from experiments.store import LOCK, folder_lock

    folder = Path(folder)
    check_folder(folder, kind)
    created = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        with folder_lock(folder):
            check_folder(folder, kind)  # again, now that no other run can change it
            yield Output(folder, kind)
    except BaseException:
        if created and folder.is_dir() and not any(p.name != LOCK for p in folder.iterdir()):
            (folder / LOCK).unlink(missing_ok=True)
            for d in created:  # innermost first: only the folders the claim made, and only if empty
                with contextlib.suppress(OSError):
                    d.rmdir()
        raise
