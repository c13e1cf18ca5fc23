"""Several cities from one stock: each under its own bureau, the scenario's quotas shared out (§7.13).

A stock file may hold several cities (its ``city`` column). Each runs as its own
:class:`sim.city.CityModel` — its own queue, quota and street offices — on the scenario's regime
timeline. A quota in compounds is shared among the cities in proportion to their compounds, a quota
in households in proportion to their households, by largest remainders, so the cities' quotas add up
to the scenario's exactly; a stock of one city keeps the scenario's quotas as they are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.city.scenario import Phase, Scenario


def split_quota(total: int, weights) -> np.ndarray:
    """``total`` shared in proportion to ``weights`` by largest remainders (ties: the earlier first)."""
    w = np.asarray(weights, dtype=float)
    if total <= 0 or w.sum() <= 0:
        return np.zeros(w.size, dtype=np.int64)
    exact = total * w / w.sum()
    share = np.floor(exact).astype(np.int64)
    rest = int(total - share.sum())
    order = np.lexsort((np.arange(w.size), -(exact - share)))
    share[order[:rest]] += 1
    return share


def city_scenarios(sc: Scenario, stock: pd.DataFrame) -> list[tuple[str, Scenario, pd.DataFrame]]:
    """Each city of ``stock`` with its scenario (its share of every quota) and its compounds, in file order."""
    names = list(dict.fromkeys(stock.city))
    groups = {name: stock[stock.city == name] for name in names}
    if len(names) == 1:
        return [(names[0], sc, stock)]
    compounds = [len(g) for g in groups.values()]
    households = [int(g.households.sum()) for g in groups.values()]
    shares = [_shares(ph, compounds, households) for ph in sc.schedule]
    out = []
    for i, name in enumerate(names):
        schedule = [Phase(**{**ph.model_dump(), **share[i]}) for ph, share in zip(sc.schedule, shares, strict=True)]
        update = {"name": str(name), "schedule": schedule, "compounds": compounds[i], "households": households[i]}
        out.append((str(name), sc.model_copy(update=update), groups[name].reset_index(drop=True)))
    return out


def _shares(ph: Phase, compounds: list[int], households: list[int]) -> list[dict]:
    if ph.quota is not None:
        return [{"quota": int(q)} for q in split_quota(ph.quota, compounds)]
    return [{"quota_households": int(q)} for q in split_quota(ph.quota_households, households)]


def run_cities(sc: Scenario, stock: pd.DataFrame, seed: int = 0, executor: str = "vector", on_week=None, **overrides):
    """Run every city of ``stock``; returns ``[(name, finished CityModel)]`` in file order.

    ``on_week(name, model)`` is called after every week (a progress bar).
    """
    from sim.city.model import CityModel

    runs = []
    for name, city_sc, frame in city_scenarios(sc, stock):
        model = CityModel(city_sc, rng=seed, executor=executor, stock=frame, **overrides)
        while model.running:
            model.step()
            if on_week is not None:
                on_week(name, model)
        runs.append((name, model))
    return runs
