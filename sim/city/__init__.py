"""City mode: Nanning's old compounds under the housing bureau's schedule (ODD §7.13, X5).

``scenario`` reads the schedule and sizes the compounds, ``compound`` holds what only a city compound
has (awareness, the queue, admission, the phase-1 renovation), and ``model`` runs them all.
"""

from sim.city.compound import CityCompound
from sim.city.model import CityModel
from sim.city.scenario import DEFAULT_SCENARIO, Phase, Scenario, city_sizes, load_scenario

__all__ = ["DEFAULT_SCENARIO", "CityCompound", "CityModel", "Phase", "Scenario", "city_sizes", "load_scenario"]
