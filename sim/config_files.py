"""Where the shipped configs are, and reading YAML config files with one-line errors (DESIGN.md §6).

``configs/`` stays at the top level of the repository; the wheel maps it into the package
``renosim_configs`` (pyproject.toml), read through :mod:`importlib.resources`. In a source checkout
(``pyproject.toml`` beside ``sim/``, as in an editable install) the checkout's own ``configs/`` wins,
so an edited YAML file takes effect without reinstalling.
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from sim.errors import InputError
from sim.inputs import load_yaml  # bounded, strict YAML: the one reader of users' files

PACKAGE = "renosim_configs"


@cache
def config_dir() -> Path:
    """The folder holding ``regimes/``, ``experiments/``, ``scenarios/`` and ``targets/``."""
    top = Path(__file__).resolve().parents[1]
    if (top / "pyproject.toml").is_file() and (top / "configs" / "__init__.py").is_file():
        return top / "configs"  # a source checkout
    return Path(str(importlib.resources.files(PACKAGE)))


def config_path(*parts: str) -> Path:
    """A shipped file, e.g. ``config_path("targets", "nanning.yaml")``."""
    return config_dir().joinpath(*parts)


#: The national totals a national run reads unless given others (``renosim national --data``).
DEFAULT_NATIONAL = config_path("national", "china.yaml")


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


__all__ = ["DEFAULT_NATIONAL", "config_dir", "config_path", "load_model_file", "load_yaml", "one_line"]
