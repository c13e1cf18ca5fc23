"""What produced an output: recorded in every file renosim writes, printed back by ``renosim show``.

A provenance record is a JSON-able dict::

    kind        the command whose output folder it describes (``run``, ``compare``; absent for others)
    command     the command line as typed (``renosim run --set party_rule=false ...``)
    created     UTC time the record was made
    renosim     package version; git_commit: the checkout's commit (``-dirty`` if it has edits),
                or "unknown" outside a git checkout (an installed wheel)
    python, versions    Python and the mesa / numpy / pandas versions
    run         settings that are not parameters (households, years, seeds, executor, ...)
    seeds       the replication seeds, in full
    arms        per arm: regime, the overrides given, and the full resolved parameter set

It is written as ``provenance.json`` in the output folder, into each Parquet file's schema metadata
(key ``renosim.provenance``), into the HTML report and as a caption on each PNG. Each arm's
parameters are also written as a config that ``renosim run --config`` reads back
(:func:`write_params_yaml`), so a run can be repeated exactly. Files are written mode 0644.
"""

from __future__ import annotations

import json
import platform
import shlex
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from experiments import files, invocation
from experiments.files import MODE  # noqa: F401 - the one mode of every file renosim writes
from experiments.manifest import PROVENANCE as FILE
from sim.errors import InputError

PARQUET_KEY = b"renosim.provenance"
LIBRARIES = ("mesa", "numpy", "pandas")
#: Settings of ``renosim run`` that are not model parameters; a params.yaml may carry them under ``run:``.
RUN_KEYS = ("households", "years", "seed", "compounds", "seeds", "executor")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


@cache
def git_commit() -> str:
    """The commit of the checkout the code runs from, ``-dirty`` if tracked files differ; else "unknown"."""
    here = Path(__file__).resolve().parent
    git = ["git", "-c", f"safe.directory={here.parent}", "-C", str(here)]
    try:
        top = subprocess.run([*git, "rev-parse", "--show-toplevel"], capture_output=True, text=True, timeout=5)
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != here.parent:
            return "unknown"  # not a checkout of this project (e.g. a wheel inside someone's repository)
        head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if head.returncode != 0:
        return "unknown"
    return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def command_line(argv: Sequence[str] | None = None) -> str:
    """The command as typed, with the program shown as ``renosim``."""
    if argv is None:
        args = invocation.INVOCATION  # set by experiments.cli.main
        argv = ["renosim", *args] if args is not None else sys.argv
    argv = list(argv)
    if not argv:
        return "renosim"
    prog = "renosim" if Path(argv[0]).name in ("renosim", "__main__.py", "cli.py") else Path(argv[0]).name
    return shlex.join([prog, *argv[1:]])


def resolved_parameters(regime: str, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every model parameter of an arm: the regime preset, then the overrides (validated)."""
    from sim.params import resolve

    return resolve(regime, dict(overrides or {})).model_dump(mode="json")


def arm(regime: str, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One arm of a provenance record."""
    return {
        "regime": regime,
        "overrides": dict(overrides or {}),
        "parameters": resolved_parameters(regime, overrides),
    }


def record(
    arms: Mapping[str, Mapping[str, Any]],
    *,
    seeds: Iterable[int] = (),
    run: Mapping[str, Any] | None = None,
    argv: Sequence[str] | None = None,
    kind: str | None = None,
) -> dict[str, Any]:
    """A provenance record; ``arms`` maps an arm's name to :func:`arm`'s dict.

    ``kind`` names the command whose output folder it describes (``run``, ``compare``), so a
    later command can tell whose folder it is (:mod:`experiments.outfolder`).
    """
    return {
        **({"kind": kind} if kind else {}),
        "command": command_line(argv),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "renosim": _version("renosim"),
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "versions": {lib: _version(lib) for lib in LIBRARIES},
        "run": dict(run or {}),
        "seeds": [int(s) for s in seeds],
        "arms": {name: dict(a) for name, a in arms.items()},
    }


def overrides_text(overrides: Mapping[str, Any]) -> str:
    """``party_rule=false, tau_train=0`` for console headers ("no overrides" when empty)."""
    if not overrides:
        return "no overrides"
    return "overrides " + ", ".join(f"{k}={_yaml_scalar(v)}" for k, v in overrides.items())


def _yaml_scalar(v: Any) -> str:
    return yaml.safe_dump(v, default_flow_style=True).strip().removesuffix("...").strip()


def caption(rec: Mapping[str, Any]) -> str:
    """One line for a figure: version, commit, command."""
    commit = str(rec.get("git_commit", "unknown"))[:12]
    return f"renosim {rec.get('renosim')} ({commit}) · {rec.get('command')}"


# -- writing -------------------------------------------------------------------------------------


def write_text(path: Path, text: str) -> Path:
    """Write a text file atomically via a hidden temporary name; mode 0644."""
    files.write_text_atomic(path, text)
    return Path(path)


def write_json(folder: Path, rec: Mapping[str, Any]) -> Path:
    """``FOLDER/provenance.json``."""
    return write_text(Path(folder) / FILE, json.dumps(rec, indent=1, ensure_ascii=False) + "\n")


def write_parquet(frame: pd.DataFrame, path: Path, rec: Mapping[str, Any] | None) -> Path:
    """A Parquet file with the record in its schema metadata, written atomically, mode 0644."""
    from experiments.store import write_parquet_atomic

    write_parquet_atomic(frame, path, provenance=None if rec is None else dict(rec))
    return Path(path)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """A CSV file (UTF-8, header row, no index; NaN as an empty field), written atomically, mode 0644."""
    return write_text(path, frame.to_csv(index=False))


def params_config(rec: Mapping[str, Any], arm_name: str) -> dict[str, Any]:
    """A config ``renosim run --config`` reads: the arm's regime, every parameter, the run settings."""
    a = rec["arms"][arm_name]
    run = {k: v for k, v in rec.get("run", {}).items() if k in RUN_KEYS}
    return {
        "name": arm_name,
        "description": f"written by: {rec['command']}",
        "regime": a["regime"],
        "run": run,
        "parameters": a["parameters"],
    }


def write_params_yaml(path: Path, rec: Mapping[str, Any], arm_name: str) -> Path:
    """Write one arm's :func:`params_config` as YAML."""
    doc = params_config(rec, arm_name)
    return write_text(path, yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def write_folder(folder: Path, rec: Mapping[str, Any]) -> list[Path]:
    """``provenance.json`` and the arms' configs: ``params.yaml`` for one arm, ``params/ARM.yaml`` for several."""
    folder = Path(folder)
    paths = [write_json(folder, rec)]
    names = list(rec["arms"])
    if len(names) == 1:
        paths.append(write_params_yaml(folder / "params.yaml", rec, names[0]))
    else:
        paths += [write_params_yaml(folder / "params" / f"{n}.yaml", rec, n) for n in names]
    return paths


# -- reading -------------------------------------------------------------------------------------


def read_run_config(path: str | Path) -> tuple[str | None, dict[str, Any], dict[str, Any]]:
    """A user config or a saved ``params.yaml``: (regime, parameters, run settings).

    Like :func:`sim.params.read_config`, plus an optional ``run:`` mapping of the settings in
    :data:`RUN_KEYS`; unknown keys are errors.
    """
    from sim.params import REGIMES, load_yaml, validate

    p = Path(path)
    doc = load_yaml(p)
    if not isinstance(doc, dict):
        raise InputError(f"{p}: expected a mapping with 'parameters:', got {type(doc).__name__}")
    allowed = {"name", "description", "source", "regime", "parameters", "run"}
    for key in doc:
        if key not in allowed:
            raise InputError(f"{p}: unknown key '{key}'; allowed: {', '.join(sorted(allowed))}")
    regime = doc.get("regime")
    if regime is not None and regime not in REGIMES:
        raise InputError(f"{p}: unknown regime '{regime}'; allowed: {', '.join(REGIMES)}")
    values = doc.get("parameters") or {}
    if not isinstance(values, dict):
        raise InputError(f"{p}: 'parameters' must be a mapping of name: value")
    validate(values, str(p))
    run = doc.get("run") or {}
    if not isinstance(run, dict):
        raise InputError(f"{p}: 'run' must be a mapping of {', '.join(RUN_KEYS)}")
    for key in run:
        if key not in RUN_KEYS:
            raise InputError(f"{p}: unknown run setting '{key}'; allowed: {', '.join(RUN_KEYS)}")
    return regime, dict(values), dict(run)


def read(path: str | Path) -> dict[str, Any]:
    """The record of an output folder (its provenance.json) or of one Parquet / JSON / HTML file.

    Bounded and checked (:mod:`experiments.records`): anything else is a one-line :class:`InputError`.
    """
    from experiments.records import read_record

    return read_record(path)


def html_block(rec: Mapping[str, Any]) -> str:
    """An HTML section that shows the record and embeds it as JSON (``renosim show`` reads it back)."""
    import html

    data = json.dumps(rec, ensure_ascii=False).replace("</", "<\\/")
    pretty = json.dumps(rec, indent=1, ensure_ascii=False)
    arms = "".join(
        f"<li><b>{html.escape(n)}</b>: {html.escape(a['regime'])}, {html.escape(overrides_text(a['overrides']))}</li>"
        for n, a in list(rec["arms"].items())[:50]
    ) + (f"<li>... and {len(rec['arms']) - 50} more (provenance.json)</li>" if len(rec["arms"]) > 50 else "")
    return (
        f"<p><code>{html.escape(rec['command'])}</code><br>renosim {html.escape(str(rec['renosim']))}, "
        f"commit {html.escape(str(rec['git_commit']))}, Python {html.escape(str(rec['python']))}, "
        + ", ".join(f"{k} {html.escape(str(v))}" for k, v in rec["versions"].items())
        + f"; created {html.escape(str(rec['created']))}; {len(rec['seeds'])} seeds.</p><ul>{arms}</ul>"
        f"<details><summary>full parameter set per arm (JSON)</summary><pre>{html.escape(pretty)}</pre></details>"
        f'<script type="application/json" id="renosim-provenance">{data}</script>'
    )


#: Above this many design points a record keeps each point's overrides and one full parameter set per
#: regime (``presets``) instead of a full set per point; a point's set is its preset plus its overrides.
FULL_SETS_UP_TO = 100


def points_record(points, seeds: Iterable[int], run: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The record of a sweep or sensitivity design (:class:`experiments.design.Point` objects)."""
    if len(points) <= FULL_SETS_UP_TO:
        return record({p.label: arm(p.regime, p.overrides) for p in points}, seeds=seeds, run=run)
    rec = record({}, seeds=seeds, run=run)
    rec["arms"] = {p.label: {"regime": p.regime, "overrides": dict(p.overrides)} for p in points}
    rec["presets"] = {r: resolved_parameters(r) for r in dict.fromkeys(p.regime for p in points)}
    return rec
