"""What a pattern measures: compound metrics (functions of a regime's summary frame), city metrics
(functions of a finished :class:`sim.city.CityModel`), national metrics (functions of a national
run's yearly table, at national scale), and the unit each is shown in.

A metric whose measure does not exist in a run (no co-funding under top_down, no council) is NaN —
"not applicable" in every report — never 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim import ladder
from sim.stages import TERMINAL

#: ``stage_end`` labels of a project that did not finish
TERMINAL_LABELS = frozenset(s.label for s in TERMINAL)


def _mean(col: str):
    return lambda s: s[col].astype(float).mean()


# metric name -> function of a regime's summary frame
METRICS = {
    "support_t0": _mean("support_t0"),
    "willingness_t0": _mean("willingness_t0"),
    "social_capital_t0": _mean("social_capital_t0"),
    "participation_rate": _mean("participation_rate"),
    **{f"ladder_{rung}": _mean(f"ladder_{rung}") for rung in ladder.NAMES},
    # the share consulted where the project went through: the plan vote needed two thirds of owners
    "ladder_consulted_completed": lambda s: s.loc[s["completed"], "ladder_consulted"].mean(),
    "fee_collection": _mean("fee_collection"),
    "maintenance_year5": _mean("maintenance_year5"),
    "consensus_weeks": _mean("consensus_weeks"),
    "cofunding_collection": _mean("cofunding_collection"),
    "complaints_per_100_households_per_year": _mean("complaints_per_100_households_per_year"),
    "escalated_complaints_per_100_households_per_year": _mean("escalated_complaints_per_100_households_per_year"),
    "government_cost_per_household": _mean("government_cost_per_household"),
    "management_body_share": lambda s: s["management"].isin(["company", "self", "OC"]).mean(),
    "council_share_of_renovated": lambda s: s.loc[s["completed"], "council_formed"].astype(float).mean(),
    "representatives_per_council": lambda s: s.loc[s["representatives"] > 0, "representatives"].mean(),
    "party_share_of_representatives": lambda s: s.loc[
        s["representatives"] > 0, "party_share_of_representatives"
    ].mean(),
    "investment_per_household": _mean("investment_per_household"),
    "office_hours": _mean("office_hours"),
    "item_support_basic_t0": _mean("item_support_basic_t0"),
    "item_support_improvement_t0": _mean("item_support_improvement_t0"),
    "item_support_enhancement_t0": _mean("item_support_enhancement_t0"),
    # share of compounds whose residents were asked to co-fund at all
    "cofunding_billed_share": lambda s: s["cofunding_collection"].notna().mean(),
    "households_per_representative": lambda s: (
        s.loc[s["representatives"] > 0, "n_households"] / s.loc[s["representatives"] > 0, "representatives"]
    ).mean(),
}


def _rollout_at(years):
    def f(m):
        r = m.rollout()
        return [float(r.loc[r.year == y, "cumulative_renovated"].iloc[0]) for y in years]

    return f


def _cohort(m, year: int) -> list:
    return [c for c in m.compounds if c.admitted_year == year]


def _top_down_per_year(m) -> float:
    r = m.rollout()
    return float(r.loc[r.regime == "top_down", "phase1_renovated"].diff().fillna(r.phase1_renovated.iloc[0]).mean())


def _pilots_stalled(m) -> float:
    from sim.stages import TERMINAL

    return float(sum(c.stage in TERMINAL for c in _cohort(m, 2019)))


def _new_council_share_of_2020_starts(m) -> float:
    cohort = _cohort(m, 2020)
    return sum(c.new_council for c in cohort) / len(cohort) if cohort else np.nan


def _representatives_per_new_council(m) -> float:
    led = [c for c in m.compounds if c.admitted_regime is not None and c.council_active and c.new_council]
    return float(np.mean([c.council.members.size for c in led])) if led else np.nan


def _renovated_size_over_stock(m) -> float:
    started = [c.n for c in m.compounds if c.admitted_regime is not None]
    return float(np.mean(started) / np.mean([c.n for c in m.compounds])) if started else np.nan


# city metric name -> function of the finished city model (sim.city.CityModel)
CITY_METRICS = {
    "top_down_compounds_per_year": _top_down_per_year,
    "pilots_admitted_2019": lambda m: float(m.rollout().set_index("year").admitted.get(2019, np.nan)),
    "pilots_stalled_or_abandoned": _pilots_stalled,
    "admitted_2020": lambda m: float(m.rollout().set_index("year").admitted.get(2020, np.nan)),
    "new_council_share_of_2020_starts": _new_council_share_of_2020_starts,
    "cumulative_renovated_2019_2020_2021": _rollout_at([2019, 2020, 2021]),
    # E25 is a city count (486 new councils, 514 compounds), so it is read off the city run's last year
    "new_council_share_of_renovated": lambda m: float(m.rollout().council_share.iloc[-1]),
    "renovated_mean_size_over_stock_mean": _renovated_size_over_stock,
    "households_covered": lambda m: float(m.rollout().households_covered.iloc[-1]),
    "representatives_per_new_council": _representatives_per_new_council,
}


def _per_year(col: str):
    """A national count per year, scaled up to the whole country (the run may be a sample)."""
    return lambda run: [float(v) / run.scale for v in run.national[col]]


# national metric name -> function of a finished national run (experiments.national.NationalOutcome
# with its ``scale``): one value per year of the run
NATIONAL_METRICS = {
    "starts": _per_year("starts"),
    "starts_households": _per_year("starts_households"),
    "households_covered": _per_year("households_covered"),
}


SHARE = "share"
#: unit of each metric, for reports (validate's table)
UNITS = {
    "support_t0": SHARE,
    "willingness_t0": SHARE,
    "social_capital_t0": "index 0-1",
    "participation_rate": SHARE,
    **{f"ladder_{rung}": SHARE for rung in ladder.NAMES},
    "ladder_consulted_completed": SHARE,
    "fee_collection": SHARE,
    "maintenance_year5": "index 0-1",
    "consensus_weeks": "weeks",
    "cofunding_collection": SHARE,
    "complaints_per_100_households_per_year": "per 100 hh/yr",
    "escalated_complaints_per_100_households_per_year": "per 100 hh/yr",
    "government_cost_per_household": "yuan/hh",
    "management_body_share": SHARE,
    "council_share_of_renovated": SHARE,
    "representatives_per_council": "persons",
    "party_share_of_representatives": SHARE,
    "investment_per_household": "yuan/hh",
    "office_hours": "staff hours",
    "item_support_basic_t0": SHARE,
    "item_support_improvement_t0": SHARE,
    "item_support_enhancement_t0": SHARE,
    "cofunding_billed_share": SHARE,
    "households_per_representative": "households",
    "top_down_compounds_per_year": "compounds/yr",
    "pilots_admitted_2019": "compounds",
    "pilots_stalled_or_abandoned": "compounds",
    "admitted_2020": "compounds",
    "new_council_share_of_2020_starts": SHARE,
    "cumulative_renovated_2019_2020_2021": "compounds",
    "new_council_share_of_renovated": SHARE,
    "renovated_mean_size_over_stock_mean": "ratio",
    "households_covered": "households",
    "representatives_per_new_council": "persons",
    "stalled": SHARE,
    "completed": SHARE,
}


def add_derived_outcomes(summary: pd.DataFrame) -> pd.DataFrame:
    """Outcomes of their own that the summary holds only implicitly (added when missing).

    ``stalled``: the project ended stalled or abandoned (``stage_end``); ``completed`` is a summary
    column already. Both are 0/1 per compound, so their means are shares of compounds.
    """
    if "stalled" not in summary.columns and "stage_end" in summary.columns:
        summary = summary.assign(stalled=summary["stage_end"].isin(TERMINAL_LABELS))
    return summary
