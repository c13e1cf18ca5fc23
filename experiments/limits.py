"""Size limits, checked before anything is allocated or written.

A typo such as ``seeds: 1000000000`` must stop at once with one line, not after the process has
grown to gigabytes. Each limit admits every shipped configuration ten times over (a test checks
it): the largest shipped experiment, ``x4_sobol`` (1,024 x (2 x 8 + 2) = 18,432 points x 1 seed),
and the largest shipped seed count (200, ``compare`` and ``validate``) sit far below them.

==========================  =============  ===============================================
limit                       default        raised by
==========================  =============  ===============================================
runs (points x seeds)       2,000,000      ``--max-runs N`` (sweep, sensitivity, compare,
                                           calibrate) or ``max_runs=`` in Python
seeds per point             the runs limit ``--max-runs``
design points               the runs limit ``--max-runs``
weekly rows held in memory  50,000,000     fewer seeds or years, or no ``--out`` (compare)
config file size            1 MiB          (a YAML file; the shipped ones are < 10 KB)
YAML nesting / values       50 / 200,000   (the shipped files nest 4 deep)
households per compound     20 - 10,000    the model's own range (``sim.limits``)
years                       1 - 30         the model's own range
==========================  =============  ===============================================
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from sim import limits as sim_limits
from sim.errors import InputError

MAX_RUNS = 2_000_000
MAX_MEMORY_ROWS = 50_000_000
MAX_CONFIG_BYTES = sim_limits.MAX_CONFIG_BYTES
MAX_YAML_DEPTH = sim_limits.MAX_YAML_DEPTH
MAX_YAML_NODES = sim_limits.MAX_YAML_NODES
#: The model's own ranges (``sim.limits``, stated once there), checked before any file is written.
HOUSEHOLDS = sim_limits.HOUSEHOLDS
YEARS = sim_limits.YEARS
SEED = sim_limits.SEED

_HOW = "pass --max-runs N to raise it"


def _fmt(n: int) -> str:
    return f"{n:,}"


def check_count(what: str, n: int, max_runs: int | None = None) -> None:
    """Refuse a seed or point count above the runs limit (each is at least one run per item)."""
    limit = check_max_runs(max_runs)
    if n > limit:
        raise InputError(f"{what} = {_fmt(n)} is above the limit of {_fmt(limit)} runs; {_HOW}")


def check_runs(factors: Iterable[int], what: str, max_runs: int | None = None) -> int:
    """The product of ``factors`` (e.g. points x seeds) if within the runs limit, else InputError.

    Computed without allocating anything, so a 10^9-point design costs nothing to refuse.
    """
    factors = [int(f) for f in factors]
    for f in factors:
        check_count(what, f, max_runs)
    total = math.prod(factors)
    limit = check_max_runs(max_runs)
    if total > limit:
        shown = " x ".join(_fmt(f) for f in factors)
        raise InputError(f"{what} would run {shown} = {_fmt(total)} runs; the limit is {_fmt(limit)}; {_HOW}")
    return total


def check_max_runs(max_runs: int | None) -> int:
    """A ``--max-runs`` value: a positive integer (default :data:`MAX_RUNS`)."""
    if max_runs is None:
        return MAX_RUNS
    if max_runs < 1:
        raise InputError(f"--max-runs must be at least 1, got {max_runs}")
    return max_runs


def check_range(option: str, value: int, bounds: tuple[int, int]) -> None:
    """One-line error for an integer option outside ``bounds`` (inclusive)."""
    low, high = bounds
    if not low <= value <= high:
        raise InputError(f"{option} = {value} is out of range; allowed: integer from {low} to {high}")


def check_memory_rows(runs: int, weeks: int, what: str) -> None:
    """Refuse a job that would hold more than :data:`MAX_MEMORY_ROWS` weekly rows in memory."""
    rows = runs * weeks
    if rows > MAX_MEMORY_ROWS:
        raise InputError(
            f"{what} would hold {_fmt(rows)} weekly rows in memory ({_fmt(runs)} runs x {weeks} weeks); "
            f"the limit is {_fmt(MAX_MEMORY_ROWS)}; use fewer seeds or years, or run without --out"
        )


def check_seed_range(first: int, count: int, first_name: str = "seed_start", count_name: str = "seeds") -> None:
    """Refuse seeds ``first .. first + count - 1`` that leave the model's seed range (checked before any file)."""
    low, high = SEED
    if not low <= first <= high:
        raise InputError(f"{first_name} = {first} is out of range; allowed: integer from {low} to {high}")
    if first + count - 1 > high:
        raise InputError(
            f"{first_name} = {first} with {count_name} = {count} reaches seed {first + count - 1}, above the "
            f"largest seed {high}; allowed: {first_name} + {count_name} - 1 <= {high}"
        )
