# %% [markdown]
# # A tour of polarsim
#
# This page is a notebook, executed when the site is built (`make docs`): every number
# and figure below comes from the code as it is. It runs the forecast scenario, varies
# a parameter from Python, steps a model by hand, and draws a figure. Runs are short
# (few replicates) so the page builds in seconds; the commands in the README scale up.

# %%
from pathlib import Path

import matplotlib.pyplot as plt

import polarsim

here = Path.cwd()
root = next(p for p in (here, *here.parents) if (p / "scenarios" / "baseline.yaml").is_file())
BASELINE = root / "scenarios" / "baseline.yaml"

# %% [markdown]
# ## Run a scenario
#
# `baseline.yaml` starts from the observed ties of 2015, runs the dated events of
# 2016-2024 and continues under current trends to 2050. `run` returns pandas tables.

# %%
result = polarsim.run(BASELINE, seed=1, replicates=3)
autonomy = result.states.groupby(["year", "state"])["autonomy_index"].mean().unstack()
autonomy.loc[[2015, 2024, 2050]].round(3)

# %% [markdown]
# ## Vary a parameter from Python
#
# Parameters are dotted paths with numbers as numbers. Here Russia demands much more
# exclusivity; the same seed gives common random numbers, so the difference is the
# parameter's.

# %%
strict = polarsim.run(BASELINE, seed=1, replicates=3, params={"powers.RUS.exclusivity": 0.9})
mean = {
    "baseline": result.states.groupby("year")["autonomy_index"].mean(),
    "RUS exclusivity 0.9": strict.states.groupby("year")["autonomy_index"].mean(),
}
(mean["RUS exclusivity 0.9"] - mean["baseline"]).loc[[2024, 2030, 2050]].round(4)

# %% [markdown]
# ## Step a model by hand
#
# `CompetitionModel` with `seed=` and `replicate=` draws the numbers `run` draws for
# that replicate; its agents expose this year's state.

# %%
model = polarsim.CompetitionModel(BASELINE, seed=1, replicate=0)
while model.year < 2030:
    model.step()
[(s.code, round(s.autonomy_index, 3), s.top_partner) for s in model.state_agents]

# %%
# the same numbers as replicate 0 of the run above
by_run = result.states.query("replicate == 0 and year == 2030")["autonomy_index"]
by_hand = model.tables()["states"].query("year == 2030")["autonomy_index"]
assert list(by_run) == list(by_hand)

# %% [markdown]
# ## A figure
#
# The mean autonomy index of the five states, with and without Russia's demand.

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
for label, series in mean.items():
    ax.plot(series.index, series.values, label=label)
ax.set_xlabel("year")
ax.set_ylabel("autonomy index (0-1)")
ax.legend()
fig.tight_layout()
