"""Autonomy of each state over time: the mean over replicates with a 95 % t band.

The numbers come from polarsim.summaries.autonomy_summary, so what a figure shows can
be tested and reported without reading pixels.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from polarsim.codes import state_order
from polarsim.plots.style import (
    DEFAULT_HEIGHT,
    DOUBLE_COLUMN,
    SINGLE_COLUMN,
    colour,
    label,
    linestyle,
    marker,
    paper_style,
)
from polarsim.summaries import CONFIDENCE, autonomy_summary

__all__ = ["autonomy_summary", "plot_autonomy"]

#: Above this many states the figure takes the full page width.
_MAX_SINGLE_COLUMN_STATES = 6
_LABELS = {"autonomy_index": "Autonomy index (0–1)"}


def plot_autonomy(
    states: pd.DataFrame,
    metric: str = "autonomy_index",
    ax: Axes | None = None,
    states_order: Sequence[str] | None = None,
) -> Figure:
    """One line per state over the years, mean over replicates, with a 95 % band.

    Draws into ``ax`` if given (its figure is returned), else into a new journal-sized
    figure in paper_style. The legend title states how many replicates each mean uses.
    """
    summary = autonomy_summary(states, metric)
    order = state_order(
        summary["state"].unique().tolist(),
        states_order,
        "states_order names state(s) not in the data",
    )
    wide = len(order) > _MAX_SINGLE_COLUMN_STATES
    legend_kw = {
        "title": _note(summary["n"]),
        "ncols": max(1, min(5 if wide else 3, len(order))),
        "handlelength": 2.2,
        "handletextpad": 0.5,
        "columnspacing": 1.0,
    }
    with paper_style():
        if ax is not None:
            _draw(ax, summary, order, metric)
            ax.legend(loc="best", **legend_kw)
            return _root_figure(ax)
        # Not pyplot: nothing to close, no global figure registry, works headless.
        fig = Figure(figsize=(DOUBLE_COLUMN if wide else SINGLE_COLUMN, DEFAULT_HEIGHT))
        fig.set_layout_engine("constrained")
        _draw(fig.add_subplot(), summary, order, metric)
        # A figure legend, not an axes one: the lines may fill any corner of [0, 1], and an
        # axes legend wider than its axes makes constrained layout move a little on every
        # draw, so saving twice would not give the same bytes.
        fig.legend(loc="outside upper center", **legend_kw)
    return fig


def _draw(ax: Axes, summary: pd.DataFrame, order: list[str], metric: str) -> None:
    n_years = summary["year"].nunique()
    every = max(1, n_years // 8)  # markers only to tell lines apart in grey scale
    for i, code in enumerate(order):
        s = summary[summary["state"] == code]
        x = s["year"].to_numpy()
        c = colour(code)
        if (s["upper"] > s["lower"]).any():
            ax.fill_between(x, s["lower"], s["upper"], color=c, alpha=0.18, lw=0, zorder=1)
        ax.plot(
            x,
            s["mean"].to_numpy(),
            color=c,
            linestyle=linestyle(code),
            marker=marker(code),
            markevery=(i % every, every),  # stagger so markers do not pile up
            label=label(code),
            zorder=2,
        )
    ax.set_xlabel("Year")
    ax.set_ylabel(_ylabel(metric, summary))
    if _unit_metric(metric, summary):
        ax.set_ylim(0.0, 1.0)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)


def _root_figure(ax: Axes) -> Figure:
    try:
        fig = ax.get_figure(root=True)  # matplotlib >= 3.10: not a SubFigure
    except TypeError:
        fig = ax.figure
    assert isinstance(fig, Figure)
    return fig


def _unit_metric(metric: str, summary: pd.DataFrame) -> bool:
    """An index or share whose means lie in [0, 1] gets the full [0, 1] axis."""
    if metric == "autonomy_index":
        return True
    if not metric.endswith(("_index", "share")):
        return False
    m = summary["mean"].dropna()
    return bool(len(m)) and bool(m.min() >= 0.0) and bool(m.max() <= 1.0)


def _ylabel(metric: str, summary: pd.DataFrame) -> str:
    if metric in _LABELS:
        return _LABELS[metric]
    text = metric.replace("_", " ").strip().capitalize()
    return text + " (0–1)" if _unit_metric(metric, summary) else text


def _note(n: pd.Series) -> str:
    n = n[n > 0]
    lo, hi = (int(n.min()), int(n.max())) if len(n) else (0, 0)
    if hi <= 1:
        return "single replicate"
    count = f"{lo}" if lo == hi else f"{lo}–{hi}"
    return f"mean of {count} replicates, {round(CONFIDENCE * 100)} % CI"
