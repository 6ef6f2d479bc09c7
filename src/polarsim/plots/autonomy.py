"""Autonomy of each state over time: the mean over replicates with a 95 % t band.

The numbers come from autonomy_summary, so what a figure shows can be tested and
reported without reading pixels.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from polarsim.codes import DEFAULT_STATES
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
from polarsim.plots.summary import CONFIDENCE, interval_summary

__all__ = ["autonomy_summary", "plot_autonomy"]

SUMMARY_COLUMNS: tuple[str, ...] = ("state", "year", "mean", "lower", "upper", "n")
#: Above this many states the figure takes the full page width.
_MAX_SINGLE_COLUMN_STATES = 6
_LABELS = {"autonomy_index": "Autonomy index (0–1)"}


def autonomy_summary(states: pd.DataFrame, metric: str = "autonomy_index") -> pd.DataFrame:
    """Mean over replicates per (state, year) with a 95 % Student-t interval of the mean.

    n counts the non-missing values of the cell; where n < 2 there is no spread to
    estimate, so lower == upper == mean. Bounds are not clipped to the metric's range.
    Rows are sorted by state then year, and the input's row order does not matter.
    """
    _check(states, metric)
    out = interval_summary(states, metric, ["state", "year"], sort_extra=["replicate"])
    return out[list(SUMMARY_COLUMNS)].reset_index(drop=True)


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
    order = _order(summary["state"].unique().tolist(), states_order)
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


def _check(states: pd.DataFrame, metric: str) -> None:
    missing = [c for c in ("state", "year", metric) if c not in states.columns]
    if missing:
        raise ValueError(f"states frame lacks column(s) {missing}")
    if len(states) == 0:
        raise ValueError("states frame is empty")
    if "replicate" in states.columns:
        dup = states.duplicated(["replicate", "year", "state"])
        if dup.any():
            row = states.loc[dup, ["replicate", "year", "state"]].iloc[0].tolist()
            raise ValueError(f"more than one row for (replicate, year, state) = {row}")


def _order(present: list[str], states_order: Sequence[str] | None) -> list[str]:
    if states_order is None:
        known = [c for c in DEFAULT_STATES if c in present]
        return known + sorted(c for c in present if c not in DEFAULT_STATES)
    order = list(dict.fromkeys(states_order))
    absent = [c for c in order if c not in present]
    if absent:
        raise ValueError(f"states_order names state(s) not in the data: {absent}")
    return order


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
