"""Scenarios side by side: one panel per state, one line per scenario (replicate mean
with its 95 % band), so a reader sees where and when the scenarios part."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from polarsim.plots.autonomy import _LABELS, autonomy_summary
from polarsim.plots.style import DOUBLE_COLUMN, label, paper_style

#: Okabe-Ito colours and distinct dashes, in scenario order (colour-blind and grey safe).
SCENARIO_COLOURS = (
    "#000000",
    "#D55E00",
    "#0072B2",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#777777",
)
SCENARIO_DASHES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1)), (0, (1, 1)), "-")


def plot_compare(states: pd.DataFrame, metric: str = "autonomy_index") -> Figure:
    names = list(dict.fromkeys(states["scenario"]))
    codes = list(dict.fromkeys(states["state"]))
    ncols = min(len(codes), 3)
    nrows = -(-len(codes) // ncols)
    with paper_style():
        fig = Figure(figsize=(DOUBLE_COLUMN, 2.0 * nrows + 0.6), layout="constrained")
        axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
        for i, name in enumerate(names):
            summary = autonomy_summary(states[states["scenario"] == name], metric)
            colour = SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)]
            dash = SCENARIO_DASHES[i % len(SCENARIO_DASHES)]
            for k, code in enumerate(codes):
                ax = axes[k // ncols][k % ncols]
                g = summary[summary["state"] == code]
                ax.plot(g["year"], g["mean"], color=colour, linestyle=dash, label=name)
                ax.fill_between(
                    g["year"], g["lower"], g["upper"], color=colour, alpha=0.15, linewidth=0
                )
                ax.set_title(label(code))
        for k in range(len(codes), nrows * ncols):
            axes[k // ncols][k % ncols].set_visible(False)
            above = axes[k // ncols - 1][k % ncols]  # keep the year labels of the panel above
            above.tick_params(labelbottom=True)
            above.set_xlabel("Year")
        for row in axes:
            row[0].set_ylabel(_LABELS.get(metric, metric.replace("_", " ").capitalize()))
        for ax in axes[-1]:
            ax.set_xlabel("Year")
        n = int(states.groupby("scenario")["replicate"].nunique().min())
        fig.legend(
            *axes[0][0].get_legend_handles_labels(),
            loc="outside upper center",
            ncols=min(len(names), 4),
            title=f"mean of {n} replicates, 95 % CI",
        )
    return fig
