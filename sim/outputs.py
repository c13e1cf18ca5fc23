"""Outputs (ODD §9): a weekly record per compound and a summary row per compound.

The recorder keeps one numpy array per measure (weeks × compounds), so recording costs a few
vector operations a week; :meth:`Recorder.timeseries` turns it into a tidy pandas frame.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim import items, ladder
from sim.kernels import sums
from sim.rules.participation import ACTIVE_WINDOW
from sim.stages import Stage

LADDER_SERIES = tuple(f"ladder_{name}" for name in ladder.NAMES)
SERIES = (
    "participation",
    *LADDER_SERIES,
    "willingness",
    "support",
    "social_capital",
    "maintenance",
    "cofunding_collection",
    "fee_collection",
    "complaints",
    "council",
    "representatives",
    "stage",
)

# The weekly series Mesa's DataCollector (and so mesa.batch_run) reports, by the name it reports
# them under -> the weekly measure of this module it averages over the batch (the tidy per-compound
# series are ``timeseries()``). Named for what they measure, so they are not mistaken for the
# summary's whole-run measures: active_share is this week's share of households that acted (the
# summary's participation_rate counts every household that reached consulted or higher in the
# project), fee_rate_month last month's fee collection (summary: fee_collection, over the whole
# run), cofunding_share_so_far what has been collected by this week (summary: cofunding_collection).
REPORTED = {
    "active_share": "participation",
    # the participation ladder (ODD §7.3): share that reached at least each rung in the last 13 weeks
    **{name: name for name in LADDER_SERIES},
    "willingness": "willingness",
    "cofunding_share_so_far": "cofunding_collection",
    "fee_rate_month": "fee_collection",
    "maintenance": "maintenance",
    "social_capital": "social_capital",
    "council": "council",
    "complaints": "complaints",
    "stage": "stage",
}
_REPORTED_MEASURES = tuple(dict.fromkeys(REPORTED.values()))

SUMMARY_COLUMNS = (
    "seed",
    "compound",
    "regime",
    "n_households",
    "support_t0",
    "willingness_t0",
    "participation_rate",
    *(f"ladder_{name}" for name in ladder.NAMES),
    *(f"ladder_mgmt_{name}" for name in ladder.NAMES),
    *(f"participation_rate_{group}" for group in ladder.GROUPS[1:]),
    "engagement_end",
    "participation_mean",
    "cofunding_collection",
    "fee_collection",
    "consensus_weeks",
    "completed",
    "completion_week",
    "council_formed",
    "representatives",
    "party_share_of_representatives",
    "legitimacy",
    "maintenance_year5",
    "complaints_per_100_households_per_year",
    "meeting_conflicts_per_100_households_per_year",
    "escalated_complaints_per_100_households_per_year",
    "government_cost_per_household",
    "investment_per_household",
    "management",
    "social_capital_t0",
    "approval_delay_weeks",
    "social_capital_end",
    "stage_end",
    "office_hours",
    "item_support_basic_t0",
    "item_support_improvement_t0",
    "item_support_enhancement_t0",
)


def ladder_columns(counts: np.ndarray) -> dict[str, float]:
    """Summary columns from one compound's (phase × group × rung) ladder counts (:mod:`sim.ladder`).

    ``participation_rate`` is the headline: the share of the households that lived in the compound
    during the project (movers included) who took part at all — reached at least *consulted* — before
    completion (or by the end of a run that never completed). ``ladder_<rung>`` are the shares
    reaching at least each rung in the project phase, ``ladder_mgmt_<rung>`` in the management phase
    (NaN before completion), ``participation_rate_<group>`` the headline within each group.
    """
    shares = ladder.at_least(counts)  # phase × group × rung
    head = ladder.RUNGS.index(ladder.HEADLINE)
    out = {"participation_rate": float(shares[ladder.PROJECT, 0, head])}
    for j, name in enumerate(ladder.NAMES):
        out[f"ladder_{name}"] = float(shares[ladder.PROJECT, 0, j])
        out[f"ladder_mgmt_{name}"] = float(shares[ladder.MGMT, 0, j])
    for g, group in enumerate(ladder.GROUPS[1:], start=1):
        out[f"participation_rate_{group}"] = float(shares[ladder.PROJECT, g, head])
    return out


ENGAGEMENT_WEEKS = 52


def engagement(last_act, t_end: int) -> float:
    """Long-run engagement: share of the current households who acted in the run's last 52 weeks."""
    return float(np.mean((t_end - last_act) < ENGAGEMENT_WEEKS))


#: Series that count households (active, on each rung lately, willing, supportive): kept as whole
#: numbers and divided by the compound's households when read, the division they were recorded by.
COUNTED = ("participation", *LADDER_SERIES, "willingness", "support")
#: Series of a few whole values, kept narrow (each is exact as a float when read).
NARROW = {"council": np.bool_, "stage": np.int8}


class Recorder:
    """Weekly measures of every compound of a model.

    Each series is a weeks × compounds array filled week by week. The counted series are kept as
    counts in the narrowest unsigned type that holds a compound's households, and council, stage
    and representatives as small integers; the rest are floats. :meth:`series` reads any of them as
    floats, bit for bit what dividing when recording gave (a city run 2014–2030: 45 MB instead of
    97 MB). Arrays are zero-filled by the system as weeks are written, so weeks not yet run take
    no memory.
    """

    def __init__(self, model):
        self.model = model
        K, W = len(model.compounds), model.n_weeks
        self.households = np.diff(model.bounds).astype(float)
        count = np.min_scalar_type(int(self.households.max(initial=0)))
        dtypes = {name: count for name in COUNTED} | NARROW | {"representatives": count}
        self._store = {name: np.zeros((W, K), dtype=dtypes.get(name, np.float64)) for name in SERIES}
        self.weeks = 0
        self._means_week, self._means = -1, {}  # latest(): this week's means of the reported measures

    def record(self, t: int) -> None:
        for name, values in self.measure(t, counts=True).items():
            self._store[name][t] = values
        self.weeks = t + 1

    def series(self, name: str, start: int = 0, stop: int | None = None) -> np.ndarray:
        """One measure over recorded weeks ``start`` to ``stop`` (all): weeks × compounds, float (NaN where none)."""
        rows = self._store[name][start : self.weeks if stop is None else min(stop, self.weeks)]
        if name in COUNTED:
            return rows / self.households
        return rows.astype(float)

    def measure(self, t: int, counts: bool = False) -> dict:
        """Every weekly measure of every compound as of the end of week ``t``.

        With ``counts`` the counted series are the counts of households (:data:`COUNTED`), else
        shares of the compound's households.
        """
        m = self.model
        h = m.hh
        tab = m.compound_table
        council = tab.council_active()
        # is_active and ladder.recent (ACTIVE_WINDOW), I > 0.5 and A > 0.5, counted in one pass
        shares = np.empty((7, len(self.households)))  # active, the four rungs, willing, supportive
        sums.weekly_counts(m.bounds, t, ACTIVE_WINDOW, h.last_act, h.rung_week, h.I, h.A, shares)
        if not counts:
            shares /= self.households
        return {
            **dict(zip(COUNTED, shares, strict=True)),
            "social_capital": tab.social_capital,
            "maintenance": tab.M,
            "cofunding_collection": np.where(
                (tab.stage >= Stage.FUNDRAISING) & (tab.required > 0), tab.cofund_share, math.nan
            ),
            "fee_collection": np.where(tab.fee_months > 0, tab.last_fee_rate, math.nan),
            "complaints": tab.complaints,
            "council": council * 1.0,
            "representatives": np.where(council, tab.members, 0),
            "stage": tab.stage,
        }

    def latest(self, name: str) -> float:
        """Batch mean of a measure in the last recorded week (for Mesa's DataCollector).

        Before the first week it is the initial state (Mesa's t = 0 row). The reported measures'
        means are taken together, once a week (``np.nanmean`` of each; NaN where none is finite).
        """
        if self.weeks == 0:
            row = np.asarray(self.measure(self.model.week - 1)[name], dtype=float)
            return float(np.nanmean(row)) if np.isfinite(row).any() else math.nan
        if self._means_week != self.weeks:
            rows = np.stack([self.series(measure, self.weeks - 1)[0] for measure in _REPORTED_MEASURES])
            self._means = dict(zip(_REPORTED_MEASURES, sums.nan_means(rows).tolist(), strict=True))
            self._means_week = self.weeks
        return self._means[name]

    def timeseries(self) -> pd.DataFrame:
        m = self.model
        W, K = self.weeks, len(m.compounds)
        df = pd.DataFrame(
            {
                "seed": np.tile([c.seed for c in m.compounds], W).astype(np.int64),
                "compound": np.tile([c.cid for c in m.compounds], W).astype(np.int64),
                "week": np.repeat(np.arange(W), K).astype(np.int64),
            }
        )
        for name in SERIES:
            df[name] = self.series(name).reshape(-1)
        df["stage"] = pd.Categorical.from_codes(df["stage"].astype(int), [s.label for s in Stage])
        df["council"] = df["council"].astype(bool)
        df["representatives"] = df["representatives"].astype(np.int64)
        df["complaints"] = df["complaints"].astype(np.int64)
        return df

    def summary(self) -> pd.DataFrame:
        m = self.model
        years = max(self.weeks, 1) / 52.0
        rows = []
        h = m.hh
        participation, maintenance = self.series("participation"), self.series("maintenance")
        for k, c in enumerate(m.compounds):
            sl = c.sl
            council = c.council
            reps = c.representatives
            y5 = 5 * 52 - 1
            rows.append(
                {
                    "seed": c.seed,
                    "compound": c.cid,
                    "regime": m.regime,
                    "n_households": c.n,
                    "support_t0": float(m.support_t0[k]),
                    "willingness_t0": float(m.willingness_t0[k]),
                    **ladder_columns(m.ladder.counts(h, k, c.lo, c.hi)),
                    "engagement_end": engagement(h.last_act[sl], self.weeks - 1),
                    # PR(t) of ODD §9 (share active, acted in the last 13 weeks) averaged over the run
                    "participation_mean": float(participation[:, k].mean()),
                    "cofunding_collection": c.cofunding_collection,
                    # over compounds with a management body (NaN without one: nothing was billed)
                    "fee_collection": (c.fee_collected / c.fee_billed) if c.fee_billed > 0 else math.nan,
                    "consensus_weeks": c.consensus_week,
                    "completed": bool(c.stage == Stage.LONG_TERM),
                    "completion_week": c.completion_week,
                    "council_formed": bool(c.council_ever),
                    "representatives": reps,
                    "party_share_of_representatives": council.party_share if reps else math.nan,
                    "legitimacy": c.leg,
                    "maintenance_year5": float(maintenance[y5, k]) if self.weeks > y5 else math.nan,
                    "complaints_per_100_households_per_year": 100.0 * c.complaints / c.n / years,
                    "meeting_conflicts_per_100_households_per_year": 100.0 * c.conflicts / c.n / years,
                    "escalated_complaints_per_100_households_per_year": 100.0 * c.escalated / c.n / years,
                    "government_cost_per_household": (m.bureau.spent(k) + c.staff_hours * m.p.staff_cost) / c.n,
                    "investment_per_household": c.plan_cost if c.stage >= Stage.CONSTRUCTION else math.nan,
                    "management": c.mgmt,
                    "social_capital_t0": float(m.social_capital_t0[k]),
                    "approval_delay_weeks": c.delay_total,
                    "social_capital_end": c.social_capital,
                    "stage_end": c.stage.label,
                    "office_hours": c.staff_hours,
                    "item_support_basic_t0": float(m.item_support_t0[k, items.BASIC]),
                    "item_support_improvement_t0": float(m.item_support_t0[k, items.IMPROVEMENT]),
                    "item_support_enhancement_t0": float(m.item_support_t0[k, items.ENHANCEMENT]),
                }
            )
        df = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
        return df
