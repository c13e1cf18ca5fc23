"""Designs: turn an experiment into a list of parameter points.

A :class:`Point` is one parameter setting (a regime plus lever overrides) that is run on every
replication seed. Point ids are positions in the list, so the same experiment file always gives
the same ids, which is what lets a resumed sweep recognise its finished chunks.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from experiments.spec import Experiment, Linspace, factor_values, is_bundle
from sim.errors import InputError


@dataclass(frozen=True)
class Point:
    """One parameter setting of an experiment.

    Attributes
    ----------
    id : int
        Position in the design; stored in every result row as ``point``.
    label : str
        Human-readable name (``base``, ``sigma_theta=0.1``, a scenario name, ...).
    regime : str
        Regime preset the overrides apply to.
    overrides : dict
        Lever values passed to :func:`sim.run.run_batch` on top of the regime.
    columns : dict
        Values stored as columns of every result row (the factors of the design).
    """

    id: int
    label: str
    regime: str
    overrides: dict[str, Any]
    columns: dict[str, Any] = field(default_factory=dict)


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _kinds() -> dict[str, str]:
    from sim import params as simparams

    return {name: info.kind for name, info in simparams.list_parameters().items()}


def resolved_values(regime: str, overrides: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Validate a point with the model's own schema and read back the named values."""
    from sim import params as simparams

    p = simparams.resolve(regime, overrides)
    get = p.get if isinstance(p, dict) else lambda n: getattr(p, n)
    out = {}
    for n in names:
        v = regime if n == "regime" else get(n)
        out[n] = v.item() if hasattr(v, "item") else v
    return out


def _level_count(spec: Any) -> int:
    """Values of one factor, counted without building them (a Linspace's ``num`` is an upper bound)."""
    if isinstance(spec, Linspace):
        return spec.num if spec.high >= spec.low else 0
    return len(spec)


def count_points(exp: Experiment) -> int:
    """How many points :func:`build_points` makes, computed without building any (for the size limits)."""
    counts = [_level_count(spec) for spec in exp.factors.values()]
    base = int(exp.include_base)
    k = len(exp.scenarios)
    if exp.design == "grid":
        return math.prod(counts)
    if exp.design == "oat":
        return base + sum(counts)
    if exp.design == "scenarios":
        return base + k
    if exp.design == "factorial":
        return 2 ** (k - 1) if exp.half_fraction and k else 2**k
    raise InputError(f"design {exp.design!r} has no fixed points; use `renosim sensitivity`")


def build_points(exp: Experiment) -> list[Point]:
    """The points of an experiment's design (not for ``sensitivity``; see ``experiments.sensitivity``).

    Every point is checked with :func:`sim.params.resolve`, so an out-of-range or mistyped value
    raises :class:`InputError` before any run starts.
    """
    kinds = _kinds()
    names = list(exp.factors)
    values = {
        n: factor_values(spec, "choice" if n == "regime" or is_bundle(spec) else kinds[n])
        for n, spec in exp.factors.items()
    }
    bundles = {n: spec for n, spec in exp.factors.items() if is_bundle(spec)}
    factorial_cols: list[dict[str, bool]] = []
    # (label, regime, overrides, bundle levels)
    raw: list[tuple[str, str, dict[str, Any], dict[str, str]]] = []

    def add(label: str, setting: dict[str, Any]) -> None:
        flat: dict[str, Any] = {}
        levels: dict[str, str] = {}
        for n, v in setting.items():
            if n in bundles:
                flat.update(bundles[n][v])
                levels[n] = v
            else:
                flat[n] = v
        regime = flat.pop("regime", exp.regime)
        raw.append((label, regime, {**exp.base, **flat}, levels))

    if exp.design == "grid":
        for combo in itertools.product(*(values[n] for n in names)):
            setting = dict(zip(names, combo, strict=True))
            add(",".join(f"{n}={_fmt(v)}" for n, v in setting.items()), setting)
    elif exp.design == "oat":
        if exp.include_base:
            add("base", {})
        for n in names:
            for v in values[n]:
                add(f"{n}={_fmt(v)}", {n: v})
    elif exp.design == "scenarios":
        if exp.include_base:
            add("base", {})
        for sc in exp.scenarios:
            add(sc.name, sc.set)
    elif exp.design == "factorial":
        # Each scenario is a two-level factor, coded -1 (not applied) / +1 (applied). The half
        # fraction keeps the runs whose product of codes equals the base point's, (-1)^k: the
        # defining relation I = ±AB...K, resolution k, which contains the base point.
        k = len(exp.scenarios)
        for bits in itertools.product((0, 1), repeat=k):
            if exp.half_fraction and (k - sum(bits)) % 2 != k % 2:
                continue
            applied = [sc for sc, b in zip(exp.scenarios, bits, strict=True) if b]
            setting = {n: v for sc in applied for n, v in sc.set.items()}
            label = "+".join(sc.name for sc in applied) or "base"
            add(label, setting)
            factorial_cols.append({sc.name: bool(b) for sc, b in zip(exp.scenarios, bits, strict=True)})
    else:
        raise InputError(f"design {exp.design!r} has no fixed points; use `renosim sensitivity`")

    points = []
    plain = [n for n in names if n not in bundles]
    for i, (label, regime, overrides, levels) in enumerate(raw):
        try:
            cols = resolved_values(regime, overrides, plain)
        except InputError as exc:
            raise InputError(f"{exp.name}: point {label!r}: {exc}") from None
        # A bundle's column holds its level name ("base" at an OAT or scenarios base point).
        cols = {n: levels.get(n, "base") if n in bundles else cols[n] for n in names}
        if exp.design == "scenarios":
            cols = {"scenario": label, **cols}
        elif exp.design == "factorial":
            cols = {"scenario": label, **factorial_cols[i]}
        points.append(Point(i, label, regime, overrides, cols))
    return points


def points_frame(points: list[Point]) -> pd.DataFrame:
    """One row per point: id, label, regime, the overrides as JSON, and the factor columns."""
    rows = [
        {
            "point": p.id,
            "label": p.label,
            "regime": p.regime,
            "overrides": json.dumps(p.overrides, sort_keys=True, default=str),
            **{k: v for k, v in p.columns.items() if k != "regime"},
        }
        for p in points
    ]
    return pd.DataFrame(rows)
