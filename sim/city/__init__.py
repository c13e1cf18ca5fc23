"""City mode: Nanning's old compounds under the housing bureau's schedule (ODD §7.13, X5).

``scenario`` reads the schedule and sizes the compounds, ``stock`` reads a stock file (or draws the
scenario's stock), ``compound`` holds what only a city compound has (awareness, the queue, admission,
the phase-1 renovation), ``model`` runs one city, ``cities`` several from one stock file, and
``national`` plans the country as slices of cities.

The names below are imported on first use (PEP 562), so that planning a national run
(``sim.city.national``) does not import the model and Mesa: the parent of a run on several workers
never builds a model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

#: where each public name lives
_HOME = {
    "city_scenarios": "cities",
    "run_cities": "cities",
    "split_quota": "cities",
    "CityCompound": "compound",
    "CityModel": "model",
    "city_stock": "model",
    "DEFAULT_SCENARIO": "scenario",
    "Phase": "scenario",
    "Scenario": "scenario",
    "city_sizes": "scenario",
    "load_scenario": "scenario",
    "COLUMNS": "stock",
    "read_stock": "stock",
    "synthetic_stock": "stock",
}

__all__ = [
    "COLUMNS",
    "DEFAULT_SCENARIO",
    "CityCompound",
    "CityModel",
    "Phase",
    "Scenario",
    "city_scenarios",
    "city_sizes",
    "city_stock",
    "load_scenario",
    "read_stock",
    "run_cities",
    "split_quota",
    "synthetic_stock",
]

if TYPE_CHECKING:
    from sim.city.cities import city_scenarios, run_cities, split_quota
    from sim.city.compound import CityCompound
    from sim.city.model import CityModel, city_stock
    from sim.city.scenario import DEFAULT_SCENARIO, Phase, Scenario, city_sizes, load_scenario
    from sim.city.stock import COLUMNS, read_stock, synthetic_stock


def __getattr__(name: str):
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])
