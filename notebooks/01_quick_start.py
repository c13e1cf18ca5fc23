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
# # renosim quick start
#
# One old residential compound of 150 households, renovated under Nanning's council-led
# "three integrations" regime, then the same households under the top-down regime of 2014–2018.
# The model is described in `docs/ODD.md`.

# %%
import pandas as pd
import plotly.express as px

from sim.model import RenovationModel

model = RenovationModel(regime="three_integrations", n_households=150, years=10, rng=42)
model.run()
summary = model.summary()
summary.T

# %% [markdown]
# The weekly record: the share of active households rises around the council's election, plan
# meetings and votes, and falls back once the works are done.

# %%
ts = model.timeseries()
px.line(ts, x="week", y=["participation", "willingness", "maintenance"], title="One compound, three_integrations")

# %% [markdown]
# ## The same seed under the top-down regime
# Same residents, same network, same dice (common random numbers): only the governance differs.

# %%
top = RenovationModel(regime="top_down", n_households=150, years=10, rng=42).run().summary()
cols = ["participation_rate", "fee_collection", "maintenance_year5", "council_formed", "government_cost_per_household"]
both = pd.concat([summary[cols].assign(regime="three_integrations"), top[cols].assign(regime="top_down")])
both.set_index("regime")

# %%
assert (summary.support_t0 == top.support_t0).all()  # the regime does not touch the baseline survey

# %% [markdown]
# ## Two executors, one set of numbers
# `executor="agents"` lets every Mesa `Resident` run its own `decide()`; `executor="vector"` runs the
# same rules as array kernels. They agree to the last bit.

# %%
a = RenovationModel(regime="pilot", n_households=60, years=2, rng=7, executor="agents").run()
v = RenovationModel(regime="pilot", n_households=60, years=2, rng=7, executor="vector").run()
assert a.summary().equals(v.summary())
resident = a.residents[0]
resident, resident.state, round(resident.intention, 3)

# %% [markdown]
# ## Levers
# Every lever is a keyword argument; a bad value is refused with a message naming what is allowed.

# %%
from sim.errors import InputError

try:
    RenovationModel(regime="three_integrations", s_res=0.9)
except InputError as exc:
    print(exc)
