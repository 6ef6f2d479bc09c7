"""Hindcast figure: observed trade shares against the simulated ones, one panel per
state, one colour per partner; the replicate mean as a line with its band, the
observations as markers (filled inside the compared window, hollow before it)."""

from __future__ import annotations

from typing import Protocol

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple

from polarsim.codes import state_order
from polarsim.plots.panels import LEVEL_TITLES, finish_grid, grid_shape
from polarsim.plots.style import DOUBLE_COLUMN, colour, label, linestyle, marker, paper_style


class HindcastTables(Protocol):
    """What the figure reads of a hindcast (polarsim.validation.hindcast.Hindcast, or a
    calibration's predictive tables in the same layout): figures read tables only."""

    points: pd.DataFrame  # one row per compared observation (its partners are drawn)
    bands: pd.DataFrame  # state, partner, year, sim_mean, sim_lower, sim_upper
    observed: pd.DataFrame  # state, partner, year, share_pct
    window: tuple[int, int]
    manifest: dict


def plot_hindcast(h: HindcastTables, model: str | None = None) -> Figure:
    """Observed vs simulated trade shares (percent of total trade) with the replicates'
    band, one panel per state; the compared window is shaded. `model` names what the
    lines show (default: the replicate mean and band)."""
    first, last = h.window
    # the order of every figure (codes.state_order): the same in hindcast and
    # calibration figures whatever order the tables hold
    states = state_order(h.bands["state"])
    partners = sorted(h.points["partner"].unique()) or sorted(h.bands["partner"].unique())
    obs = h.observed[h.observed["partner"].isin(partners) & (h.observed["year"] <= last)]
    nrows, ncols = grid_shape(len(states))
    level = h.manifest.get("hindcast", {}).get("band_level", 0.9)
    with paper_style():
        fig = Figure(figsize=(DOUBLE_COLUMN, 2.1 * nrows + 0.6), layout="constrained")
        axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
        handles: list[tuple] = []
        for k, s in enumerate(states):
            ax = axes[k // ncols][k % ncols]
            ax.axvspan(first - 0.5, last + 0.5, color="#000000", alpha=0.06, lw=0)
            for p in partners:
                b = h.bands[(h.bands["state"] == s) & (h.bands["partner"] == p)]
                b = b[b["year"] <= last].sort_values("year")
                c = colour(p)
                # bands light and underneath, observations on top: five partners'
                # bands overlap, and the data must stay readable through them
                ax.fill_between(b["year"], b["sim_lower"], b["sim_upper"], color=c,
                                alpha=0.08, lw=0, zorder=1)  # fmt: skip
                (line,) = ax.plot(b["year"], b["sim_mean"], color=c, linestyle=linestyle(p),
                                  zorder=2)  # fmt: skip
                o = obs[(obs["state"] == s) & (obs["partner"] == p)]
                old, new = o[o["year"] < first], o[o["year"] >= first]
                ax.plot(old["year"], old["share_pct"], linestyle="none", marker=marker(p),
                        markerfacecolor="none", color=c, zorder=3)  # fmt: skip
                (dots,) = ax.plot(new["year"], new["share_pct"], linestyle="none",
                                  marker=marker(p), color=c, markeredgecolor="white",
                                  markeredgewidth=0.5, zorder=4)  # fmt: skip
                if k == 0:
                    handles.append((line, dots))
            ax.set_title(label(s))
            ax.xaxis.get_major_locator().set_params(integer=True)
        finish_grid(axes, len(states))
        for row in axes:
            row[0].set_ylabel(LEVEL_TITLES["trade_shares"])
        fig.legend(
            handles,
            [label(p) for p in partners],
            handler_map={tuple: HandlerTuple(ndivide=None)},
            loc="outside upper center",
            ncols=min(len(partners), 5),
            # two short lines: one long title was clipped at the figure's width
            title=f"lines: {model or f'model, replicate mean and {level:.0%} predictive band'}"
            f"\nmarkers: observed (hollow before the compared window {first}-{last}, shaded)",
        )
    return fig
