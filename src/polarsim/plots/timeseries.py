"""A metric over the years: replicate mean with a t-based 95 % band, one panel per
state (one line per scenario) or all states overlaid in one panel (one scenario)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from polarsim.codes import state_order
from polarsim.plots.autonomy import plot_autonomy
from polarsim.plots.labels import metric_label, unit_interval
from polarsim.plots.style import (
    DOUBLE_COLUMN,
    colour,
    figure_width,
    label,
    linestyle,
    marker,
    paper_style,
    scenario_label,
    scenario_style,
)
from polarsim.summaries import CONFIDENCE, timeseries_summary

__all__ = ["LAYOUTS", "band_note", "plot_timeseries", "timeseries_summary"]

LAYOUTS = ("panels", "overlay")
#: Height of one row of small multiples, inches.
PANEL_ROW_HEIGHT = 1.7
#: Panels per row of a small-multiples figure.
PANEL_COLUMNS = 3
#: At most this many markers per line: enough to tell lines apart in grey scale.
MARKERS_PER_LINE = 8


def band_note(n: pd.Series) -> str:
    """'mean of 20 replicates, 95 % t interval' (or a range of n)."""
    n = n[n > 0]
    lo, hi = (int(n.min()), int(n.max())) if len(n) else (0, 0)
    if hi <= 1:
        return "single replicate, no interval"
    count = f"{lo}" if lo == hi else f"{lo}–{hi}"
    return f"mean of n = {count} replicates, {round(CONFIDENCE * 100)} % t interval"


def plot_timeseries(
    states: pd.DataFrame,
    metric: str = "autonomy_index",
    layout: str = "panels",
    width: str | float = "double",
    states_order: Sequence[str] | None = None,
    scenarios: Sequence[str] | None = None,
) -> Figure:
    """Panels: one per state, one line (and band) per scenario in scenario style.
    Overlay: one panel, one line per state in the state's style (one scenario only)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
    data = states if "scenario" in states.columns else states.assign(scenario="")
    present = list(dict.fromkeys(data["scenario"]))
    names = list(scenarios) if scenarios else present
    missing = [n for n in names if n not in present]
    if missing:  # a legend entry with no line and no band would say nothing is there
        raise ValueError(f"scenario(s) {missing} not in the results {present}")
    data = data[data["scenario"].isin(names)]
    order = state_order(data["state"].unique().tolist(), states_order)
    data = data[data["state"].isin(order)]
    if layout == "overlay":
        if len(names) > 1:
            raise ValueError("overlay shows one scenario; choose one or use panels")
        return plot_autonomy(data.drop(columns="scenario"), metric, states_order=order)
    summary = timeseries_summary(data, metric)
    w = figure_width(width)
    # A single column holds two panels a row; a double column three.
    ncols = min(len(order), PANEL_COLUMNS if w >= DOUBLE_COLUMN else PANEL_COLUMNS - 1)
    nrows = -(-len(order) // ncols)
    spare = nrows * ncols - len(order)
    with paper_style():
        fig = Figure(figsize=(w, PANEL_ROW_HEIGHT * nrows + 0.5), layout="constrained")
        axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False).ravel()
        for k, code in enumerate(order):
            ax = axes[k]
            _state_lines(ax, summary[summary["state"] == code], code, names)
            ax.set_title(label(code))
            ax.xaxis.get_major_locator().set_params(integer=True)
        if unit_interval(metric) and len(names) == 1:
            axes[0].set_ylim(0.0, 1.0)
        # With several scenarios the shared axis follows the data: their differences,
        # not the metric's full range, are what the figure is for.
        _axis_labels(axes[: len(order)], ncols, metric_label(metric))
        for ax in axes[len(order) :]:
            ax.axis("off")
        _scenario_key(fig, axes, band_note(summary["n"]), len(names), spare > 0)
    return fig


def _axis_labels(axes: np.ndarray, ncols: int, ylabel: str) -> None:
    """The metric on the first panel of each row, the years under each column's last."""
    for k, ax in enumerate(axes):
        if k % ncols == 0:
            ax.set_ylabel(ylabel)
        # The bottom panel of each column carries the year axis.
        if k + ncols >= len(axes):
            ax.tick_params(labelbottom=True)
            ax.set_xlabel("Year")


def _scenario_key(fig: Figure, axes: np.ndarray, note: str, n_names: int, spare: bool) -> None:
    """The scenarios' legend titled with the band's `note`, or the note alone for one."""
    handles, labels_ = axes[0].get_legend_handles_labels()
    if spare and n_names > 1:
        # The empty slot holds the legend, where it costs no space.
        # In a panel slot the title breaks after the count, to fit a single column.
        title = note.replace(", ", ",\n", 1)
        axes[-1].legend(handles, labels_, loc="center", title=title, ncols=1)
    elif n_names > 1:
        fig.legend(handles, labels_, loc="outside upper center", ncols=min(n_names, 4), title=note)
    else:
        fig.suptitle(note, fontsize="medium")


def _state_lines(ax, summary: pd.DataFrame, code: str, names: list[str]) -> None:
    """One state's panel: a line with its band per scenario (in scenario style), or the
    state's own style when there is one scenario."""
    for i, name in enumerate(names):
        s = summary[summary["scenario"] == name]
        if len(names) > 1:
            c, ls, mk = scenario_style(i)
            lab = scenario_label(name)
        else:
            c, ls, mk = colour(code), linestyle(code), marker(code)
            lab = name or label(code)
        every = max(1, len(s) // MARKERS_PER_LINE)
        x = s["year"].to_numpy()
        if (s["upper"] > s["lower"]).any():
            ax.fill_between(x, s["lower"], s["upper"], color=c, alpha=0.15, lw=0)
        ax.plot(
            x,
            s["mean"].to_numpy(),
            color=c,
            linestyle=ls,
            marker=mk,
            markevery=(i % every, every),
            markersize=2.5,
            label=lab,
        )
