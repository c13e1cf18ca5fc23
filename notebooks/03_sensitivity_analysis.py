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
# # Global sensitivity analysis (ODD X4)
#
# Morris screening (Morris 1991, via SALib) of a handful of levers and behavioural parameters around
# three_integrations. The full design is `configs/experiments/x4_morris.yaml` (20 inputs, 4,200 runs,
# `renosim sensitivity morris ...`); this notebook runs a small version in a temporary folder.

# %%
import tempfile
from pathlib import Path

from experiments.sensitivity import morris_figure, run_sensitivity
from experiments.spec import load_experiment

work = Path(tempfile.mkdtemp())
design = work / "morris_small.yaml"
design.write_text("""
name: morris_small
description: a quick Morris screening for the notebook
design: sensitivity
regime: three_integrations
households: 100
years: 6
seeds: 4
ranges:
  tau_train: [0, 0.6]
  events_per_yr: [0, 12]
  integration: [0, 1]
  kappa: [0.25, 0.75]
  sigma_theta: [0.05, 0.25]
morris: {trajectories: 6, levels: 4, sample_seed: 0}
outputs: [participation_rate, fee_collection, consensus_weeks, maintenance_year5]
""")
exp = load_experiment(design)
result = run_sensitivity(exp, "morris", out=work / "out", workers=2, progress=False)
result.indices.round(3)

# %% [markdown]
# μ* ranks the inputs by their overall effect, σ shows interaction or non-linearity.

# %%
morris_figure(result.indices)

# %% [markdown]
# The run is a resumable sweep folder: the part files, the indices as Parquet and CSV, and an offline
# HTML report.

# %%
sorted(p.name for p in (work / "out").iterdir())
