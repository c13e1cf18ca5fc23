"""Reading YAML config files: safe loading and one-line errors (DESIGN.md §6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sim.errors import InputError


def load_yaml(path: str | Path) -> Any:
    """Read a YAML file with safe loading; one-line errors for missing or malformed files."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"file not found: {p}")
    try:
        return yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise InputError(f"malformed YAML in {p}{at}: {problem}") from None


def one_line(exc: ValidationError, source: str) -> str:
    """A pydantic error as one line: the source, the field path, what is wrong and the value given."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "file"
    got = err.get("input")
    shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{source}: {where}: {msg}{shown}{more}"


def load_model_file(path: str | Path, cls, what: str):
    """Read a YAML file into the pydantic model ``cls``; one-line :class:`InputError` on any problem."""
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        raise InputError(f"{path}: expected a mapping of {what} settings at top level")
    try:
        return cls.model_validate(doc)
    except ValidationError as exc:
        raise InputError(one_line(exc, str(path))) from None


__all__ = ["load_model_file", "load_yaml", "one_line"]
