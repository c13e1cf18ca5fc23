"""Reading what a user hands us: bounded file reads and a strict YAML loader.

Every config file (experiment, targets, scenario, ``--config``) is read through :func:`read_text`
and :func:`load_yaml`, so a folder, a device such as ``/dev/zero``, a binary file, a huge file,
a YAML document nested thousands deep, an alias bomb or a key given twice each stop with a
one-line :class:`InputError` instead of a traceback, an unbounded read or a silent last-wins.
The limits are in :mod:`sim.limits`. The model's own config loaders (:mod:`sim.config_files`) and the
experiments' (:mod:`experiments.spec`), the stock reader (:mod:`sim.city.stock`) and the provenance
reader all read through here.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path
from typing import Any

import yaml

from sim.errors import InputError
from sim.limits import MAX_CONFIG_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES


def _describe(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file"
    return exc.strerror or str(exc)


def read_text(
    path: str | Path, what: str = "config file", limit: int = MAX_CONFIG_BYTES, expect: str = "a YAML file"
) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes; one-line errors otherwise.

    ``expect`` names what the file should be, for the messages (``give a YAML file``).
    """
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise InputError(f"{what} not found: {path}") from None
        raise InputError(f"cannot read {what} {str(path)[:200]}: {_describe(exc)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{what} {path} is a folder; give {expect}")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{what} {path} is not a regular file (a device, pipe or socket); give {expect}")
    if st.st_size > limit:
        raise InputError(f"{what} {path} is {st.st_size:,} bytes; the limit is {limit:,} bytes")
    try:
        # /proc files report size 0 whatever they hold: the read itself is bounded too.
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {_describe(exc)}") from None
    if len(data) > limit:
        raise InputError(f"{what} {path} is larger than the limit of {limit:,} bytes")
    if b"\0" in data:
        raise InputError(f"{what} {path} is a binary file; give {expect}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


class StrictLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses duplicate keys, aliases, deep nesting and huge documents."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed in renosim files", event.start_mark
            )
        self._nodes += 1
        if self._nodes > MAX_YAML_NODES:
            raise yaml.composer.ComposerError(
                None, None, f"more than {MAX_YAML_NODES:,} values (the limit)", self.peek_event().start_mark
            )
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested deeper than {MAX_YAML_DEPTH} levels (the limit)", self.peek_event().start_mark
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key; SafeLoader reports it below
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(None, None, f"key {key!r} is given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML text with :class:`StrictLoader`; one-line :class:`InputError` on any problem."""
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "cannot parse"
        raise InputError(f"{source}: malformed YAML{at}: {problem}") from None
    except RecursionError:  # flow collections ([[[[...) recurse in the parser, not the composer
        raise InputError(f"{source}: malformed YAML: nested deeper than {MAX_YAML_DEPTH} levels (the limit)") from None


def load_yaml(path: str | Path, what: str = "config file") -> Any:
    """Read and parse a YAML file within the limits."""
    return parse_yaml(read_text(path, what), str(path))


def check_yaml_file(path: str | Path | None, what: str = "config file") -> None:
    """Check a file another loader will read (``sim``'s, the targets'): readable, bounded, strict YAML."""
    if path is not None:
        load_yaml(path, what)


def path_error(exc: OSError) -> str:
    """A one-line message for an :class:`OSError` that reached the command line."""
    name = exc.filename if exc.filename is not None else ""
    name = str(name)
    if len(name) > 200:
        name = name[:200] + "..."
    reason = _describe(exc) if exc.errno != errno.ENOENT else "not found"
    return f"{name}: {reason}" if name else reason
