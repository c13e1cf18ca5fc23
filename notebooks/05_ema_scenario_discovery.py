# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Scenario discovery with the EMA Workbench: when does co-funding fall short?
#
# The paper credits Nanning's councils with getting residents to pay their share of the works
# (co-funding, 居民出资) — yet it rests on one city, and the residents' make-up is uncertain: how
# many free-ride, how spread their thresholds are, how many party members live there. Here we ask
# **under which resident populations the three-integrations regime still collects less than 80 % of
# the co-funding it bills**, and let PRIM (Friedman & Fisher 1999) find the region of the
# uncertainty space where that happens (in a design too small for that: its worst quarter).
#
# `experiments.ema.ema_model` turns renosim into an EMA `ReplicatorModel`: uncertainties by name
# from the parameter table (`renosim params`), seeds as replications, scalar outcomes (the mean over
# seeds; NaN — not applicable — stays NaN). The design is kept small so the notebook runs in the
# test suite; raise `SCENARIOS`, `SEEDS` and the compound size for a study.

# %%
import warnings

# EMA announces on import that an optional parallel back-end (ipyparallel) is absent; we run serially.
warnings.filterwarnings("ignore", message="ipyparallel not installed")

import numpy as np
import plotly.express as px
from ema_workbench import perform_experiments
from ema_workbench.analysis import prim

from experiments.ema import FEASIBLE, ema_model

SCENARIOS, SEEDS = 32, 2
uncertainties = {
    "share_free_rider": (0.1, 0.5),
    "share_hump": (0.0, 0.3),
    "sigma_theta": (0.05, 0.25),
    "pi_party": (0.02, 0.15),
    "kappa": (0.2, 0.8),
    "p_elderly": (0.2, 0.5),
}
model = ema_model(
    uncertainties,
    regime="three_integrations",
    seeds=SEEDS,
    households=50,
    years=4,
    outcomes=("participation_rate", "cofunding_collection", "fee_collection", "completed", "stalled"),
)
# log_progress: progress goes to EMA's logger (silent unless configured), not a text bar per experiment
experiments, outcomes = perform_experiments(model, scenarios=SCENARIOS, log_progress=True)
experiments[list(uncertainties)].describe().loc[["min", "max"]]

# %% [markdown]
# Every sampled point here respects the joint constraint `share_free_rider + share_hump +
# share_unconditional <= 1` (`renosim params` lists it): 0.5 + 0.3 + 0.06 at most. The adapter's
# default ranges stay inside it too; a point that broke it — a range given too wide — would come
# back with `feasible = 0` and NaN outcomes instead of stopping the batch, and is filtered out
# below before PRIM, which would otherwise read its NaN as "not a case of interest".

# %%
print(f"{int(outcomes[FEASIBLE].sum())} of {len(experiments)} points feasible")
fig = px.scatter(
    experiments.assign(cofunding=outcomes["cofunding_collection"]),
    x="share_free_rider",
    y="cofunding",
    color="sigma_theta",
    labels={"cofunding": "co-funding collected (share of the bill)"},
    title="Co-funding collection against the free-rider share",
)
fig

# %% [markdown]
# ## PRIM: the region where co-funding falls short
# Cases of interest: mean co-funding collection below 0.8 — or, if this small design has too few
# of those, its worst quarter of scenarios. PRIM peels the box of uncertainties until the share of
# such cases inside it (density) is high, trading off how many of them it still covers (coverage).

# %%
feasible = outcomes[FEASIBLE] == 1  # infeasible points have NaN outcomes: no evidence either way
x = experiments.loc[feasible, list(uncertainties)].reset_index(drop=True)
cofunding = outcomes["cofunding_collection"][feasible]  # NaN would mean "not billed": none under this regime
threshold = 0.8 if (cofunding < 0.8).sum() >= 4 else float(np.nanquantile(cofunding, 0.25))
y = cofunding < threshold
print(f"{int(y.sum())} of {len(y)} scenarios collect less than {threshold:.3g} of the bill")
box = prim.Prim(x, y, mass_min=0.1).find_box()
stats, limits = box.inspect(style="data")[0]
print(f"box: coverage {stats['coverage']:.2f}, density {stats['density']:.2f}, {int(stats['n'])} scenarios")
limits

# %% [markdown]
# The box's limits name the conditions; with more scenarios and seeds they sharpen. The trade-off
# between coverage and density along the peeling trajectory:

# %%
traj = box.peeling_trajectory
px.line(traj, x="coverage", y="density", markers=True, title="PRIM peeling trajectory")
