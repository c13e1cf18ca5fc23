"""Every parameter of the model, with its type, range, unit and source, in one table.

The table :data:`sim.specs.SPECS` is the single source: this module generates the pydantic schema :class:`Params`, the
keyword arguments of :class:`sim.model.RenovationModel`, the CLI's ``--set`` parsing and the ranges
that sweeps and sensitivity analyses may use. Section numbers (§) refer to docs/ODD.md; tags follow
the ODD: [P] paper, [D] derived from the paper, [L] literature, [A] assumption to calibrate.

Regimes (ODD §8) are named bundles of lever settings in ``configs/regimes/NAME.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, model_validator

from sim.config_files import config_dir, load_model_file, load_yaml, one_line  # noqa: F401  (re-exported: experiments read them here)
from sim.errors import InputError
from sim.specs import LEVERS, SPEC_BY_NAME, SPECS, ParamInfo  # noqa: F401  (the table, re-exported)

CONFIG_DIR = config_dir()  # a checkout's configs/, or the wheel's renosim_configs
REGIMES: tuple[str, ...] = ("top_down", "pilot", "three_integrations")


def _field(spec: ParamInfo):
    if spec.kind == "bool":
        return (bool, Field(spec.default, description=spec.doc))
    if spec.kind == "choice":
        return (Literal[spec.choices], Field(spec.default, description=spec.doc))  # type: ignore[valid-type]
    typ = int if spec.kind == "int" else float
    if spec.default is None:
        typ = typ | None
    return (typ, Field(spec.default, ge=spec.low, le=spec.high, description=spec.doc))


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)

    @model_validator(mode="after")
    def _shares(self):
        total = self.share_free_rider + self.share_hump + self.share_unconditional
        if total > 1 + 1e-9:
            raise ValueError(f"share_free_rider + share_hump + share_unconditional = {total:g}; allowed at most 1")
        if self.theta_dist == "fixed" and self.mu_theta is None:
            # checked with the parameters, so a sweep refuses such a point before it writes anything
            raise ValueError("theta_dist = 'fixed' needs mu_theta (the common threshold); got mu_theta = null")
        return self


Params = create_model("Params", __base__=_Base, **{s.name: _field(s) for s in SPECS})
Params.__doc__ = "Validated parameter set (pydantic); fields and ranges come from :data:`SPECS`."


def list_parameters() -> dict[str, ParamInfo]:
    """All parameters by name (levers first), for sweeps, sensitivity analysis and the CLI."""
    return dict(SPEC_BY_NAME)


def _check_known(values: Mapping[str, Any], where: str) -> None:
    for key in values:
        if key not in SPEC_BY_NAME:
            near = _close(key)
            hint = f" (did you mean '{near}'?)" if near else ""
            raise InputError(f"unknown parameter {key!r} in {where}{hint}; see `renosim params` for the allowed names")


def _close(key: str) -> str | None:
    import difflib

    m = difflib.get_close_matches(key, SPEC_BY_NAME.keys(), n=1)
    return m[0] if m else None


def validate(values: Mapping[str, Any], where: str = "parameters"):
    """Build :class:`Params` from ``values``; raise :class:`InputError` with a one-line message."""
    _check_known(values, where)
    try:
        return Params(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err.get("loc") or ()
        name = str(loc[0]) if loc else ""
        if name in SPEC_BY_NAME:
            spec = SPEC_BY_NAME[name]
            got = values.get(name)
            raise InputError(
                f"parameter '{name}' = {got!r} in {where} is not allowed; allowed: {spec.describe_allowed()}"
            ) from None
        raise InputError(f"invalid {where}: {err.get('msg', exc)}") from None


def load_regime(name: str) -> dict[str, Any]:
    """The lever settings of a named regime (``configs/regimes/NAME.yaml``)."""
    path = CONFIG_DIR / "regimes" / f"{name}.yaml"
    if name not in REGIMES and not (name.isidentifier() and path.is_file()):
        # the headline regimes, or any other preset shipped in configs/regimes (e.g. threshold_model)
        raise InputError(f"unknown regime '{name}'; allowed: {', '.join(REGIMES)} or a file in {path.parent}")
    doc = load_yaml(path)
    return _config_values(doc, path)


def _config_values(doc: Any, path: Path) -> dict[str, Any]:
    if not isinstance(doc, dict):
        raise InputError(f"{path}: expected a mapping with 'parameters:', got {type(doc).__name__}")
    allowed = {"name", "description", "source", "regime", "parameters"}
    for key in doc:
        if key not in allowed:
            raise InputError(f"{path}: unknown key '{key}'; allowed: {', '.join(sorted(allowed))}")
    values = doc.get("parameters") or {}
    if not isinstance(values, dict):
        raise InputError(f"{path}: 'parameters' must be a mapping of name: value")
    _check_known(values, str(path))
    return dict(values)


def read_config(path: str | Path) -> tuple[str | None, dict[str, Any]]:
    """A user config file: optional ``regime:`` to start from, and ``parameters:`` to override."""
    p = Path(path)
    doc = load_yaml(p)
    values = _config_values(doc, p)
    regime = doc.get("regime")
    if regime is not None and regime not in REGIMES:
        raise InputError(f"{p}: unknown regime '{regime}'; allowed: {', '.join(REGIMES)}")
    return regime, values


def with_config(regime: str, overrides: Mapping[str, Any], config: str | Path | None) -> tuple[str, dict[str, Any]]:
    """Apply a config file: its ``regime:`` replaces ``regime``, explicit ``overrides`` win over its
    ``parameters:``. Returns the regime and the merged overrides for :func:`resolve`."""
    if config is None:
        return regime, dict(overrides)
    cfg_regime, cfg_values = read_config(config)
    return cfg_regime or regime, {**cfg_values, **overrides}


def resolve(regime: str | None = "three_integrations", overrides: Mapping[str, Any] | None = None):
    """Parameters of a run: the regime preset, then explicit overrides (a config file's ``parameters:``
    and ``--set`` values, merged by the caller: see :func:`read_config`)."""
    values: dict[str, Any] = {}
    if regime is not None:
        values.update(load_regime(regime))
    values.update(dict(overrides or {}))
    return validate(values, where=f"regime '{regime}'" if not overrides else "overrides")


def parse_value(name: str, text: str) -> Any:
    """Type a ``--set`` value by the schema (so ``party_rule=false`` is a bool)."""
    if name not in SPEC_BY_NAME:
        near = _close(name)
        hint = f" (did you mean '{near}'?)" if near else ""
        raise InputError(f"unknown parameter '{name}' in --set{hint}; see `renosim params`")
    spec = SPEC_BY_NAME[name]
    t = text.strip()
    try:
        if spec.kind == "bool":
            low = t.lower()
            if low in ("true", "1", "yes", "on"):
                return True
            if low in ("false", "0", "no", "off"):
                return False
            raise ValueError
        if spec.kind == "int":
            return int(t)
        if spec.kind == "choice":
            return t
        if t.lower() in ("null", "none", "auto") and spec.default is None:
            return None
        return float(t)
    except ValueError:
        raise InputError(
            f"parameter '{name}' = {text!r} in --set is not allowed; allowed: {spec.describe_allowed()}"
        ) from None


def parse_set(items: Iterable[str] | None) -> dict[str, Any]:
    """Parse ``["lever=value", ...]`` into typed overrides."""
    out: dict[str, Any] = {}
    for item in items or ():
        if "=" not in item:
            raise InputError(f"--set expects lever=value, got {item!r}")
        name, text = item.split("=", 1)
        out[name.strip()] = parse_value(name.strip(), text)
    return out
