"""The renovation item menu (ODD §7.8; categories after 国办发〔2020〕23号, demand order E12).

Twelve items in three categories make the council-led menu (≈29.5 k yuan per household, E24); the
top-down plan of 2014–2018 (E5, E6) is a façade/paving item plus 'light' versions of roads,
lighting/CCTV and parking management at 1,120 yuan per household, the light items delivering a
quarter of the value of the full ones [A].
"""

from __future__ import annotations

import numpy as np

NAMES = (
    "water_sewer",
    "power",
    "gas",
    "roads",
    "fire",  # basic
    "parking",
    "lifts",
    "lighting_cctv",
    "property_room",  # improvement
    "elderly_child_care",
    "fitness",
    "garden",  # enhancement
    "facade_paving",  # image (top-down)
)
N_ITEMS = len(NAMES)
CATEGORY = np.array([0] * 5 + [1] * 4 + [2] * 3 + [3])
BASIC, IMPROVEMENT, ENHANCEMENT, IMAGE = 0, 1, 2, 3
# Beta(a, b) of valuations by category: means 0.80, 0.55, 0.35, 0.30
BETA_A = np.array([8.0, 5.5, 3.5, 3.0])[CATEGORY]
BETA_B = np.array([2.0, 4.5, 6.5, 7.0])[CATEGORY]
FULL_COST = np.array([3000.0] * 5 + [2500.0] * 4 + [1500.0] * 3 + [600.0])  # yuan per household

FULL_MENU = np.arange(12)
LIGHT_MENU = np.array([12, 3, 7, 5])  # façade/paving, roads, lighting/CCTV, parking
LIGHT_FACTOR = 0.25
LIGHT_COST_PER_HH = 1120.0


def menu(kind: str) -> np.ndarray:
    """Item indices of the ``full`` or ``light`` menu."""
    return FULL_MENU if kind == "full" else LIGHT_MENU


def value_factor(kind: str) -> np.ndarray:
    """φ_k for every item: 1 for full items, 0.25 for the light versions in the top-down plan."""
    phi = np.ones(N_ITEMS)
    if kind == "light":
        phi[LIGHT_MENU[1:]] = LIGHT_FACTOR
    return phi


def costs(kind: str) -> np.ndarray:
    """Cost per household of each item under a menu (light items scaled to 1,120 yuan in all)."""
    if kind == "full":
        return FULL_COST.copy()
    c = FULL_COST.copy()
    c[LIGHT_MENU[1:]] *= LIGHT_FACTOR
    c[LIGHT_MENU] *= LIGHT_COST_PER_HH / c[LIGHT_MENU].sum()
    return c


def mean_cost(kind: str) -> float:
    """ĉ, the mean item cost of the menu in use (≈2,460 yuan for the full menu)."""
    return float(costs(kind)[menu(kind)].mean())


def bureau_priority() -> np.ndarray:
    """g_k = 1 for the bureau's own priority items (the top-down plan), else 0."""
    g = np.zeros(N_ITEMS)
    g[LIGHT_MENU] = 1.0
    return g
