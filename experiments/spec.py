"""Experiment files: the YAML schema, its validation and its hash.

An experiment file names a design and the parameters it varies. It is read with a strict
``yaml.SafeLoader`` (no duplicate keys, bounded size and depth; :mod:`sim.inputs`),
validated by pydantic with unknown keys rejected, and every parameter name and value is
checked against :func:`sim.params.list_parameters` and :func:`sim.params.resolve` before anything runs or is written.

Schema (every key except ``name`` and ``design`` has a default)::

    name: x3_ofat                   # names the results folder; letters, digits, - and _
    description: free text
    design: grid                    # grid | oat | scenarios | factorial | sensitivity
    regime: three_integrations      # base regime of every point
    households: 150                 # households per compound
    years: 10                       # simulated years
    seeds: 50                       # replications per point: seeds seed_start ..
    seed_start: 0                   #   seed_start+seeds-1, the same for every point (CRN)
    timeseries: false               # also store the weekly series (large)
    base: {lever: value}            # overrides applied to every point
    factors:                        # grid: every combination; oat: one factor at a time
      sigma_theta: [0.05, 0.1, 0.25]                 # a list of values, or
      mu_party: {low: 1, high: 4, num: 11}           # evenly spaced values (ints rounded)
      regime: [top_down, pilot, three_integrations]  # ``regime`` is a factor too
      contagion:                                     # a bundle factor: named levels, each a
        simple: {m_cc: 1, gamma_cc: 1.0}             #   set of overrides; its column holds
        complex: {m_cc: 2, gamma_cc: 0.5}            #   the level name
    scenarios:                      # scenarios: named override sets (e.g. the X2 knock-outs)
      - {name: no_party_rule, set: {party_rule: false, mu_party: 1}, doc: ...}
    scenarios_from: x2_knockouts.yaml   # or read them from another file (relative to this one)
    include_base: true              # oat/scenarios: also run the unmodified base point
    half_fraction: false            # factorial: every scenario is a two-level factor (applied or
                                    #   not); true runs the 2^(k-1) half containing the base point
    ranges:                         # sensitivity: SALib ranges of float/int parameters
      mu_party: [1, 4]
    morris: {trajectories: 20, levels: 4, sample_seed: 0}
    sobol: {n: 1024, second_order: false, sample_seed: 0}
    outputs: [participation_rate, fee_collection, consensus_weeks, maintenance_year5]

Every result row carries ``point`` (the design point's id; ``points.parquet`` of the results
folder maps it to a label and the overrides), the model's summary columns, and one column per
factor: its value (grid, oat), the level name (bundle factors), the scenario name (scenarios,
factorial) and, for factorial designs, one True/False column per scenario.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, ValidationError, field_validator

from experiments.limits import HOUSEHOLDS, MAX_RUNS, SEED, YEARS, check_seed_range
from experiments.resources import config_path
from sim.errors import InputError
from sim.inputs import load_yaml
from sim.outputs import SUMMARY_COLUMNS
from sim.params import one_line

#: Folder of the shipped experiment files (configs/experiments/).
CONFIG_DIR = config_path("experiments")

#: Summary columns that make sense as outcomes (numeric, one value per compound): every column of
#: the model's summary except the identifiers and the categorical ones, so the two cannot drift apart.
OUTCOMES: tuple[str, ...] = tuple(
    c for c in SUMMARY_COLUMNS if c not in ("seed", "compound", "regime", "n_households", "management", "stage_end")
)

DESIGNS = ("grid", "oat", "scenarios", "factorial", "sensitivity")

# Columns every result row already has; a bundle factor or scenario may not shadow them.
_RESERVED = frozenset({"point", "seed", "compound", "week", "scenario", "label", "arm"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Linspace(_Strict):
    """``num`` evenly spaced values from ``low`` to ``high`` inclusive."""

    low: float = Field(allow_inf_nan=False)
    high: float = Field(allow_inf_nan=False)
    num: int = Field(ge=1, strict=True)


class Scenario(_Strict):
    """A named set of lever overrides on top of the base point."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    set: dict[str, Any]
    doc: str = ""


class MorrisSettings(_Strict):
    trajectories: int = Field(20, ge=2, strict=True)
    levels: int = Field(4, ge=2, strict=True)
    sample_seed: int = Field(0, strict=True)


class SobolSettings(_Strict):
    n: int = Field(1024, ge=2, strict=True)
    second_order: bool = Field(False, strict=True)
    sample_seed: int = Field(0, strict=True)

    @field_validator("n")
    @classmethod
    def _power_of_two(cls, v: int) -> int:
        # Sobol' sequences lose their balance properties otherwise (SALib warns, we refuse).
        if v & (v - 1):
            raise ValueError(f"must be a power of 2, got {v}")
        return v


class Experiment(_Strict):
    """A validated experiment file (see the module docstring for the schema)."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    description: str = ""
    design: Literal["grid", "oat", "scenarios", "factorial", "sensitivity"]
    regime: str = "three_integrations"
    # strict: YAML's ``true`` is not the count 1, nor ``1`` a yes
    households: int = Field(150, ge=HOUSEHOLDS[0], le=HOUSEHOLDS[1], strict=True)
    years: int = Field(10, ge=YEARS[0], le=YEARS[1], strict=True)
    seeds: int = Field(10, ge=1, strict=True)
    seed_start: int = Field(0, ge=SEED[0], le=SEED[1], strict=True)
    timeseries: bool = Field(False, strict=True)
    base: dict[str, Any] = Field(default_factory=dict)
    factors: dict[str, list[Any] | Linspace | dict[str, dict[str, Any]]] = Field(default_factory=dict)
    scenarios: list[Scenario] = Field(default_factory=list)
    scenarios_from: str | None = None
    include_base: bool = Field(True, strict=True)
    half_fraction: bool = Field(False, strict=True)
    ranges: dict[str, tuple[FiniteFloat, FiniteFloat]] = Field(default_factory=dict)
    morris: MorrisSettings = MorrisSettings()
    sobol: SobolSettings = SobolSettings()
    outputs: list[str] = Field(
        default_factory=lambda: [
            "participation_rate",
            "fee_collection",
            "consensus_weeks",
            "maintenance_year5",
        ]
    )

    @field_validator("factors", mode="before")
    @classmethod
    def _linspaces(cls, factors: Any) -> Any:
        # A {low, high, num} factor would otherwise fail as "not a list" (the union's first member).
        for name, spec in factors.items() if isinstance(factors, dict) else ():
            bundle = isinstance(spec, dict) and any(isinstance(v, dict) for v in spec.values())
            if isinstance(spec, dict) and not bundle and {"low", "high", "num"} & set(spec):
                try:
                    Linspace.model_validate(spec)
                except ValidationError as exc:
                    err = exc.errors()[0]
                    where = ".".join(str(p) for p in err["loc"])
                    raise ValueError(f"{name}.{where}: {err['msg']} (got {err.get('input')!r})") from None
        return factors

    @property
    def seed_list(self) -> list[int]:
        """The replication seeds, shared by every point (common random numbers)."""
        return list(range(self.seed_start, self.seed_start + self.seeds))

    def digest(self, extra: str = "") -> str:
        """A stable hash of the experiment's content (key order and formatting ignored)."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True) + extra
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def parse_experiment(data: Any, source: str = "experiment") -> Experiment:
    """Validate a mapping as an :class:`Experiment`, including parameter names and values.

    Raises
    ------
    InputError
        With a one-line message naming the file, the field and what is allowed.
    """
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a mapping of experiment settings at top level")
    try:
        exp = Experiment.model_validate(data)
    except ValidationError as exc:
        raise InputError(one_line(exc, source)) from None
    try:
        check_seed_range(exp.seed_start, exp.seeds)
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from None
    check_parameters(exp, source)
    return exp


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment YAML file (strict safe loading, bounded; see :mod:`sim.inputs`)."""
    path = Path(path)
    data = load_yaml(path, "experiment file")
    if isinstance(data, dict) and data.get("scenarios_from") is not None:
        data = _with_scenarios_from(data, path)
    return parse_experiment(data, str(path))


def _with_scenarios_from(data: dict, path: Path) -> dict:
    """Copy the ``scenarios`` of the file named by ``scenarios_from`` into ``data``.

    One file then holds each definition (e.g. the X2 knock-outs serve both the scenarios design
    and the factorial one); the copied scenarios enter the experiment's hash.
    """
    if data.get("scenarios"):
        raise InputError(f"{path}: give either scenarios or scenarios_from, not both")
    other = path.parent / str(data["scenarios_from"])
    try:
        doc = load_yaml(other, "scenarios_from file")
    except InputError as exc:
        raise InputError(f"{path}: scenarios_from: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("scenarios"), list):
        raise InputError(f"{path}: scenarios_from: {other} has no scenarios list")
    return {**data, "scenarios": doc["scenarios"]}


def is_bundle(spec: Any) -> bool:
    """A factor whose levels are named sets of overrides (``{level: {param: value}}``)."""
    return isinstance(spec, dict)


def factor_values(spec: list[Any] | Linspace | dict, kind: str) -> list[Any]:
    """The values of one factor; a :class:`Linspace` is rounded for integer parameters.

    A bundle factor's values are its level names.
    """
    if is_bundle(spec):
        return list(spec)
    if isinstance(spec, Linspace):
        if spec.high < spec.low:
            return []
        values = np.linspace(spec.low, spec.high, spec.num).tolist()
        if kind == "int":
            # Rounding can merge neighbours on a narrow int range; keep each value once.
            return list(dict.fromkeys(int(round(v)) for v in values))
        return [round(v, 12) for v in values]
    return list(spec)


def check_parameters(exp: Experiment, source: str) -> None:
    """Check names against the model's parameter list and designs for the keys they need."""
    from sim import params as simparams

    known = simparams.list_parameters()

    def unknown(name: str, where: str) -> None:
        if name not in known:
            raise InputError(f"{source}: {where}: unknown parameter {name!r} (see `sim.params.list_parameters()`)")

    if exp.regime not in simparams.REGIMES:
        raise InputError(f"{source}: regime: unknown regime {exp.regime!r}; allowed: {', '.join(simparams.REGIMES)}")
    for name in exp.base:
        unknown(name, "base")
    for name, spec in exp.factors.items():
        if isinstance(spec, Linspace) and spec.num > MAX_RUNS:
            raise InputError(f"{source}: factors.{name}.num = {spec.num:,} is above the limit of {MAX_RUNS:,} values")
        if is_bundle(spec):
            if name in known or name in OUTCOMES or name in _RESERVED:
                raise InputError(
                    f"{source}: factors.{name}: a bundle factor needs a name that is not a parameter or a result column"
                )
            for level, setting in spec.items():
                for pname in setting:
                    unknown(pname, f"factors.{name}.{level}")
            values = factor_values(spec, "choice")
        elif name == "regime":
            values = factor_values(spec, "choice")
            bad = [v for v in values if v not in simparams.REGIMES]
            if bad:
                raise InputError(
                    f"{source}: factors.regime: unknown regime {bad[0]!r}; allowed: {', '.join(simparams.REGIMES)}"
                )
        else:
            unknown(name, "factors")
            values = factor_values(spec, known[name].kind)
        if not values:
            raise InputError(f"{source}: factors.{name}: empty range (no values to run)")
    for sc in exp.scenarios:
        for name in sc.set:
            unknown(name, f"scenarios.{sc.name}")
    for name, (low, high) in exp.ranges.items():
        unknown(name, "ranges")
        if known[name].kind not in ("float", "int"):
            raise InputError(
                f"{source}: ranges.{name}: only float and int parameters can be sampled, {name} is {known[name].kind}"
            )
        if not high > low:
            raise InputError(f"{source}: ranges.{name}: empty range [{low}, {high}] (need low < high)")
    for out in exp.outputs:
        if out not in OUTCOMES:
            raise InputError(f"{source}: outputs: unknown output {out!r}; allowed: {', '.join(OUTCOMES)}")
    twice = sorted({out for out in exp.outputs if exp.outputs.count(out) > 1})
    if twice:
        raise InputError(f"{source}: outputs: {', '.join(twice)} listed more than once; list each output once")

    needs = {
        "grid": ("factors", exp.factors),
        "oat": ("factors", exp.factors),
        "scenarios": ("scenarios", exp.scenarios),
        "factorial": ("scenarios", exp.scenarios),
        "sensitivity": ("ranges", exp.ranges),
    }
    key, value = needs[exp.design]
    if not value:
        raise InputError(f"{source}: design {exp.design!r} needs a non-empty {key!r}")
    if exp.design == "factorial":
        seen: dict[str, str] = {}
        for sc in exp.scenarios:
            if sc.name in OUTCOMES or sc.name in _RESERVED or sc.name == "regime":
                raise InputError(f"{source}: factorial: scenario name {sc.name!r} would shadow a result column")
            for pname in sc.set:
                if pname in seen:
                    raise InputError(
                        f"{source}: factorial: scenarios {seen[pname]!r} and {sc.name!r} both "
                        f"set {pname!r}; factors must not overlap"
                    )
                seen[pname] = sc.name
    names = [s.name for s in exp.scenarios] + (["base"] if exp.include_base else [])
    if exp.design == "scenarios" and len(set(names)) != len(names):
        raise InputError(f"{source}: scenarios: names must be unique and not 'base'")
