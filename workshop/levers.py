"""Which levers the workshop page offers, their ranges, and the regime presets behind them.

Ranges and kinds come from :func:`sim.params.list_parameters` (the model's own schema), so a
slider never offers a value the model would refuse; the ODD's ranges (§8) are the fallback for
a lever the schema does not list. Regime presets come from :func:`sim.params.load_regime`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sim.params as params
from workshop.labels import t

DEFAULT_REGIME = "three_integrations"
DEFAULT_HOUSEHOLDS = 150
HOUSEHOLD_RANGE = (20, 400)  # the page draws every household; beyond ~400 it stops being readable
PLATFORM_PARTS: tuple[str, ...] = ("tau_info", "tau_mon", "transparency")
"""The smart platform is one slider on the page; it sets these three levers to the same value."""


@dataclass(frozen=True)
class Lever:
    """One control of the page.

    Attributes
    ----------
    key : str
        Label key, and the model parameter it sets (``"platform"`` sets :data:`PLATFORM_PARTS`).
    kind : {"float", "int", "bool"}
    low, high, step : float
        Slider range and step (unused for ``"bool"``).
    """

    key: str
    kind: str
    low: float = 0.0
    high: float = 1.0
    step: float = 0.05


# (key, kind, ODD §8 range, slider step)
_LEVERS: tuple[tuple[str, str, tuple[float, float], float], ...] = (
    ("integration", "float", (0.0, 1.0), 0.05),
    ("party_rule", "bool", (0, 1), 1),
    ("tau_train", "float", (0.0, 0.6), 0.05),
    ("platform", "float", (0.0, 0.6), 0.05),
    ("campaigns_per_yr", "int", (0, 12), 1),
    ("events_per_yr", "int", (0, 12), 1),
    ("s_res", "float", (0.0, 0.3), 0.01),
)


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    try:
        return dict(params.list_parameters())
    except Exception:  # noqa: BLE001 -- the page still works with the ODD ranges
        return {}


def levers() -> tuple[Lever, ...]:
    """Return the page's levers in display order, with ranges from the model's schema."""
    schema = _schema()
    out = []
    for key, kind, (low, high), step in _LEVERS:
        info = schema.get(PLATFORM_PARTS[0] if key == "platform" else key)
        if info is not None and kind != "bool":
            low = info.low if info.low is not None else low
            high = info.high if info.high is not None else high
        out.append(Lever(key, kind, float(low), float(high), float(step)))
    return tuple(out)


def model_keys() -> tuple[str, ...]:
    """Return the model parameters the levers set."""
    keys: list[str] = []
    for lever in levers():
        keys.extend(PLATFORM_PARTS if lever.key == "platform" else (lever.key,))
    return tuple(keys)


def regime_values(regime: str) -> dict[str, Any]:
    """Return the model-parameter values of every lever under a regime's preset.

    Parameters
    ----------
    regime : str
        One of :data:`sim.params.REGIMES`.

    Returns
    -------
    dict
        Model parameter -> value, for every key of :func:`model_keys`; a lever the preset does not
        set takes the schema's default.

    Raises
    ------
    sim.errors.InputError
        If the regime is unknown.
    """
    return dict(_regime_values(regime))


@lru_cache(maxsize=16)
def _regime_values(regime: str) -> tuple[tuple[str, Any], ...]:
    # Read once: the page asks for a preset at every step (to name a side "adjusted" or not).
    preset = params.load_regime(regime)
    schema = _schema()
    out: dict[str, Any] = {}
    for key in model_keys():
        if key in preset:
            out[key] = preset[key]
        elif key in schema:
            out[key] = schema[key].default
    return tuple(out.items())


def lever_value(values: dict[str, Any], lever: Lever) -> Any:
    """Return what a lever's control shows for the current model parameters."""
    if lever.key == "platform":
        parts = [float(values[k]) for k in PLATFORM_PARTS if k in values]
        return round(sum(parts) / len(parts), 4) if parts else 0.0
    value = values.get(lever.key, lever.low)
    if lever.kind == "bool":
        return bool(value)
    if lever.kind == "int":
        return int(round(float(value)))
    return float(value)


def set_lever(values: dict[str, Any], lever: Lever, value: Any) -> dict[str, Any]:
    """Return a copy of the model parameters with one lever moved."""
    new = dict(values)
    if lever.key == "platform":
        for k in PLATFORM_PARTS:
            new[k] = float(value)
    elif lever.kind == "bool":
        new[lever.key] = bool(value)
    elif lever.kind == "int":
        # The schema may type campaigns/events as float; keep the model's type.
        new[lever.key] = type(values.get(lever.key, 0))(int(value))
    else:
        new[lever.key] = float(value)
    return new


def lever_changes(values: dict[str, Any], lever: Lever, value: Any) -> dict[str, Any]:
    """The model parameters that moving ``lever`` to ``value`` changes, with their new values."""
    new = set_lever(values, lever, value)
    return {k: v for k, v in new.items() if values.get(k) != v}


def format_value(lever: Lever, value: Any) -> str:
    """Show a lever's value beside its label (sliders only show it while dragged)."""
    if lever.kind == "bool":
        return ""
    if lever.key == "s_res":
        return f"{float(value):.0%}"
    if lever.kind == "int":
        return str(int(value))
    return f"{float(value):g}" if float(value) in (lever.low, lever.high) else f"{float(value):.2f}"


def level_word(lever: Lever, value: Any, lang: str) -> str:
    """A lever's value in plain words: none / low / medium / high of its range (switches: empty)."""
    if lever.kind == "bool" or lever.high <= lever.low:
        return ""
    share = (float(value) - lever.low) / (lever.high - lever.low)
    level = "none" if share <= 0 else "low" if share <= 1 / 3 else "medium" if share <= 2 / 3 else "high"
    return t("level." + level, lang)


def shown_value(lever: Lever, value: Any, lang: str) -> str:
    """What the page writes after a slider's name: the plain level and the number, e.g. "medium (0.40)"."""
    number = format_value(lever, value)
    if lever.key in ("campaigns_per_yr", "events_per_yr", "s_res", "integration"):
        return number  # plain already (a count a year, a percentage), or explained by its two ends
    return t("level.value", lang, level=level_word(lever, value, lang), n=number)


def end_texts(lever: Lever, lang: str) -> tuple[str, str]:
    """What the two ends of a slider mean, e.g. ("0 = each department signs off in turn", ...)."""
    return (
        t(f"end.{lever.key}.low", lang, v=format_value(lever, lever.low)),
        t(f"end.{lever.key}.high", lang, v=format_value(lever, lever.high)),
    )
