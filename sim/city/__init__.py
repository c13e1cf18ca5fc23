"""City mode: Nanning's old compounds under the housing bureau's schedule (ODD §7.13, X5).

``scenario`` reads the schedule and sizes the compounds, ``stock`` reads a stock file (or draws the
scenario's stock), ``compound`` holds what only a city compound has (awareness, the queue, admission,
the phase-1 renovation), ``model`` runs one city, ``cities`` several from one stock file, and
``national`` plans the country as slices of cities.
"""

from sim.city.cities import city_scenarios, run_cities, split_quota
from sim.city.compound import CityCompound
from sim.city.model import CityModel, city_stock
from sim.city.scenario import DEFAULT_SCENARIO, Phase, Scenario, city_sizes, load_scenario
from sim.city.stock import COLUMNS, read_stock, synthetic_stock

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
