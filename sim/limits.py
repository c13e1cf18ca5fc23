"""The sizes a run accepts, stated once (``renosim params`` and every command read them here)."""

from __future__ import annotations

from sim.errors import InputError

HOUSEHOLDS = (20, 10_000)  # households per compound
YEARS = (1, 30)
COMPOUNDS = (1, 100_000)  # compounds in one batch
SEED = (0, 2**63 - 1)
#: a YAML file a user hands us (the shipped ones are < 10 KB and nest 4 deep)
MAX_CONFIG_BYTES = 1 << 20
MAX_YAML_DEPTH = 50
MAX_YAML_NODES = 200_000


def check_int(name: str, value, bounds: tuple[int, int]) -> int:
    """``value`` as an int inside ``bounds``, or a one-line :class:`InputError` naming what is allowed."""
    low, high = bounds
    try:
        iv = int(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} = {value!r} is not allowed; allowed: integer from {low} to {high}") from None
    if iv != value and not (isinstance(value, str) and value.strip().lstrip("-").isdigit()):
        raise InputError(f"{name} = {value!r} is not allowed; allowed: integer from {low} to {high}")
    if not low <= iv <= high:
        raise InputError(f"{name} = {iv} is out of range; allowed: integer from {low} to {high}")
    return iv
