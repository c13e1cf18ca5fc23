"""An EMA Workbench adapter: renosim as an exploratory model in one call (``pip install renosim[ema]``).

>>> from ema_workbench import perform_experiments
>>> from experiments.ema import ema_model
>>> model = ema_model(["share_free_rider", "sigma_theta", "kappa"], levers=["tau_train"], seeds=5)
>>> experiments, outcomes = perform_experiments(model, scenarios=50, policies=2)

Uncertainties and levers are named parameters of the model's table (``renosim params``); their
ranges come from it unless narrowed (``{"sigma_theta": (0.05, 0.2)}``). Booleans become
``BooleanParameter``, choices ``CategoricalParameter``, integers ``IntegerParameter``. Each seed is
one EMA replication (one compound, the same seeds for every experiment: common random numbers). Each
outcome is a scalar per experiment: by default its mean over the seeds where it exists
(:func:`nanmean`; ``completed`` and ``stalled`` become shares of seeds), or what ``aggregate``
computes from the per-seed values (e.g. ``np.min``).

Outcomes are the model's scalar summary columns plus ``completed`` and ``stalled`` (0/1). Where an
outcome does not exist in a run — no co-funding under top_down, no consensus without a vote — it is
NaN (not applicable), never 0, and stays NaN when it exists for none of the seeds.

Default ranges keep every sampled point inside the joint constraints (:mod:`experiments.constraints`):
when parameters bound together (the three behavioural shares, at most 1 in sum) are sampled on
their default ranges, the room the unsampled ones leave at their preset values is split equally,
so ``share_free_rider`` and ``share_hump`` sampled under three_integrations (share_unconditional
0.06) each range over [0, 0.47]. A range given explicitly is taken as it is; a point that then
breaks a constraint does not abort the batch: its outcomes are NaN and the extra outcome
``feasible`` is 0 (1 for every valid point) — filter on it before an analysis such as PRIM.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from sim.errors import InputError

#: Outcomes returned by default: the scalar results a scholar compares regimes on.
DEFAULT_OUTCOMES: tuple[str, ...] = (
    "participation_rate",
    "cofunding_collection",
    "fee_collection",
    "consensus_weeks",
    "completed",
    "stalled",
    "council_formed",
    "maintenance_year5",
    "complaints_per_100_households_per_year",
    "government_cost_per_household",
)
FEASIBLE = "feasible"


def nanmean(values) -> float:
    """Mean over the replications where the outcome exists; NaN if it exists in none."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    return float(x.mean()) if x.size else float("nan")


class RenosimFunction:
    """The model function EMA calls once per experiment and replication (picklable for multiprocessing)."""

    def __init__(self, regime: str, households: int, years: int, outcomes: Sequence[str]):
        self.regime, self.households, self.years, self.outcomes = regime, households, years, tuple(outcomes)

    def __call__(self, seed: int = 0, **values: Any) -> dict[str, float]:
        from experiments.metrics import add_derived_outcomes
        from sim.run import run_batch

        values = {k: _plain(v) for k, v in values.items()}
        try:
            from sim.params import resolve

            resolve(self.regime, values)
        except InputError:  # e.g. a joint constraint: report the point, keep the batch going
            return {**dict.fromkeys(self.outcomes, np.nan), FEASIBLE: 0.0}
        kw = dict(regime=self.regime, n_households=self.households, years=self.years, timeseries=False)
        row = add_derived_outcomes(run_batch(values, [int(seed)], **kw).summary).iloc[0]
        return {**{o: float(row[o]) for o in self.outcomes}, FEASIBLE: 1.0}


def _plain(v: Any) -> Any:
    """numpy scalars from EMA's samplers as plain Python values (the schema is strict about bools)."""
    return v.item() if isinstance(v, np.generic) else v


def joint_ranges(sampled: Iterable[str], regime: str = "three_integrations") -> dict[str, tuple[float, float]]:
    """Default ranges of sampled parameters bound by a joint constraint, a box inside the constraint.

    For each constraint ``a + b + ... <= at_most``: the unsampled members keep their preset values,
    and each of the ``k`` sampled ones ranges over ``[low, low + room / k]``, ``room`` being what the
    others leave (``at_most`` minus their presets minus the sampled lows). Every corner of the box
    then satisfies the constraint.
    """
    from experiments.constraints import JOINT_CONSTRAINTS
    from sim.params import list_parameters, resolve

    table, preset, sampled = list_parameters(), resolve(regime).model_dump(), set(sampled)
    out: dict[str, tuple[float, float]] = {}
    for c in JOINT_CONSTRAINTS:
        mine = [n for n in c.names if n in sampled]
        if not mine:
            continue
        fixed = sum(float(preset[n]) for n in c.names if n not in sampled)
        room = c.at_most - fixed - sum(float(table[n].low) for n in mine)
        for n in mine:
            out[n] = (float(table[n].low), min(float(table[n].high), float(table[n].low) + room / len(mine)))
    return out


def parameters(names: Iterable[str] | Mapping[str, Any], regime: str = "three_integrations") -> list:
    """EMA parameters for named model parameters, ranges from the table or narrowed by a mapping.

    Parameters left on their table ranges that a joint constraint binds get :func:`joint_ranges`.
    """
    from ema_workbench import BooleanParameter, CategoricalParameter, IntegerParameter, RealParameter

    from sim.params import list_parameters

    table = list_parameters()
    given = dict(names) if isinstance(names, Mapping) else dict.fromkeys(names)
    joint = joint_ranges([n for n, narrow in given.items() if narrow is None and n in table], regime)
    out = []
    for name, narrow in given.items():
        narrow = narrow if narrow is not None else joint.get(name)
        spec = table.get(name)
        if spec is None:
            raise InputError(f"unknown parameter '{name}'; see `renosim params` for the names")
        if spec.kind == "bool":
            out.append(BooleanParameter(name))
        elif spec.kind == "choice":
            out.append(CategoricalParameter(name, list(narrow or spec.choices)))
        else:
            low, high = narrow or (spec.low, spec.high)
            if low is None or high is None or not spec.low <= low < high <= spec.high:
                raise InputError(f"{name}: range [{low}, {high}] must lie inside {spec.describe_allowed()}")
            cls = IntegerParameter if spec.kind == "int" else RealParameter
            out.append(cls(name, int(low) if spec.kind == "int" else float(low), high))
    return out


def ema_model(
    uncertainties: Iterable[str] | Mapping[str, Any],
    levers: Iterable[str] | Mapping[str, Any] = (),
    *,
    regime: str = "three_integrations",
    seeds: int | Sequence[int] = 10,
    outcomes: Sequence[str] = DEFAULT_OUTCOMES,
    households: int = 150,
    years: int = 10,
    constants: Mapping[str, Any] | None = None,
    aggregate=nanmean,
    name: str = "renosim",
):
    """An ``ema_workbench.ReplicatorModel`` of renosim; see the module docstring.

    Parameters
    ----------
    uncertainties, levers : names, or a mapping name -> (low, high) / list of choices / None
        Model parameters EMA samples as uncertainties (scenarios) and levers (policies).
    regime : str
        Preset the sampled values override.
    seeds : int or sequence of int
        Replications: ``range(seeds)`` or the seeds given.
    outcomes : sequence of str
        Summary columns (plus ``completed``/``stalled``) returned as ``ScalarOutcome``; ``feasible``
        is always added.
    households, years : int
        Compound size and simulated years.
    constants : mapping, optional
        Parameters fixed for the whole batch.
    aggregate : callable
        Reduces an outcome's values over the seeds to one scalar (default :func:`nanmean`).
    """
    from ema_workbench import Constant, ReplicatorModel, ScalarOutcome

    from experiments.spec import OUTCOMES
    from sim.params import REGIMES

    if regime not in REGIMES:
        raise InputError(f"unknown regime '{regime}'; allowed: {', '.join(REGIMES)}")
    bad = [o for o in outcomes if o not in (*OUTCOMES, "stalled")]
    if bad:
        raise InputError(f"unknown outcome '{bad[0]}'; allowed: {', '.join((*OUTCOMES, 'stalled'))}")
    seed_list = list(range(seeds)) if isinstance(seeds, int) else [int(s) for s in seeds]
    if not seed_list:
        raise InputError("seeds: give at least one")
    model = ReplicatorModel(name, function=RenosimFunction(regime, households, years, outcomes))
    model.uncertainties = parameters(uncertainties, regime)
    model.levers = parameters(levers, regime)
    model.constants = [Constant(k, v) for k, v in (constants or {}).items()]
    model.outcomes = [ScalarOutcome(o, function=aggregate) for o in (*outcomes, FEASIBLE)]
    model.replications = [{"seed": s} for s in seed_list]
    return model
