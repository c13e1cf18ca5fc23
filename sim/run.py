"""Run batches of compounds: the unit of work for experiments (DESIGN.md §5).

A batch puts one compound per seed side by side in one model; a compound's numbers depend only on
its seed and the parameters, so splitting seeds into chunks, processes or cluster tasks never
changes a result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from sim.model import RenovationModel


class BatchResult(NamedTuple):
    summary: pd.DataFrame
    timeseries: pd.DataFrame | None


def run_batch(
    params: Mapping[str, Any] | None = None,
    seeds: Sequence[int] = (0,),
    *,
    regime: str = "three_integrations",
    n_households: int = 150,
    years: int = 10,
    executor: str = "vector",
    timeseries: bool = True,
) -> BatchResult:
    """Run one compound per seed under ``regime`` plus ``params`` overrides.

    Returns a :class:`BatchResult` whose ``summary`` has one row per seed (column ``seed``) and whose
    ``timeseries`` (unless ``timeseries=False``) has one row per seed per week.
    """
    model = RenovationModel(
        regime=regime,
        n_households=n_households,
        years=years,
        executor=executor,
        seeds=list(seeds),
        rng=int(seeds[0]) if len(seeds) else 0,
        **dict(params or {}),
    )
    model.run()
    return BatchResult(model.summary(), model.timeseries() if timeseries else None)
