"""Scenarios side by side in one year: (a) each state's mean with its 95 % interval per
scenario, (b) the paired difference from the reference scenario with its 95 % interval.

The numbers come from polarsim.summaries.comparison_table (differences paired by
replicate: common random numbers when the runs share a seed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from polarsim.codes import state_order
from polarsim.plots.labels import metric_label, unit_interval
from polarsim.plots.style import (
    DEFAULT_HEIGHT,
    DOUBLE_COLUMN,
    figure_width,
    label,
    paper_style,
    scenario_label,
    scenario_style,
)

__all__ = ["plot_compare"]

#: Vertical room a state row takes, shared by the scenarios' points.
ROW_SPAN = 0.7
#: ... but scenarios sit no further apart than this, so few scenarios stay together.
MAX_STEP = 0.25
_GRID_GREY = "#BBBBBB"


def plot_compare(
    table: pd.DataFrame,
    metric: str = "autonomy_index",
    year: int | None = None,
    width: str | float = "double",
) -> Figure:
    """``table`` as returned by comparison_table (scenario, state, year, mean, lower, upper,
    n, diff, diff_lower, diff_upper); the first scenario is the reference."""
    year = int(table["year"].max()) if year is None else int(year)
    t = table[table["year"] == year]
    if t.empty:
        raise ValueError(f"the comparison has no year {year}; it has {sorted(set(table['year']))}")
    names = list(dict.fromkeys(t["scenario"]))
    present = list(dict.fromkeys(t["state"]))
    codes = state_order(present)
    k = len(names)
    step = min(ROW_SPAN / max(k - 1, 1), MAX_STEP)
    offsets = (np.arange(k) - (k - 1) / 2) * step
    counted = t["n"][t["n"] > 0]  # a state without a value has no replicates
    n = int(counted.min()) if len(counted) else 0
    height = max(DEFAULT_HEIGHT, 0.45 * len(codes) + 0.15 * k + 0.9)
    w = figure_width(width)
    # In a single column the two panels are stacked; in a double column side by side.
    stacked = w < DOUBLE_COLUMN
    with paper_style():
        fig = Figure(figsize=(w, 2 * height - 0.6 if stacked else height), layout="constrained")
        ax_level, ax_diff = fig.subplots(2 if stacked else 1, 1 if stacked else 2, sharey=True)
        for i, name in enumerate(names):
            c, _, mk = scenario_style(i)
            rows = t[t["scenario"] == name].set_index("state").reindex(codes)
            y = np.arange(len(codes)) + offsets[i]
            _interval_marks(ax_level, rows, "", y, mk, c, label=scenario_label(name))
            if i > 0:
                _interval_marks(ax_diff, rows, "diff_", y, mk, c)
        ax_diff.axvline(0.0, color=_GRID_GREY, lw=0.8, zorder=0)
        ax_level.set_yticks(np.arange(len(codes)), [label(c) for c in codes])
        ax_level.invert_yaxis()
        for ax in (ax_level, ax_diff):
            for j in range(1, len(codes)):
                ax.axhline(j - 0.5, color=_GRID_GREY, lw=0.4, zorder=0)
            ax.tick_params(axis="y", length=0)
        if unit_interval(metric):
            lo = float(np.nanmin(t["lower"]))
            hi = float(np.nanmax(t["upper"]))
            pad = 0.05 * max(hi - lo, 0.05)
            ax_level.set_xlim(max(0.0, lo - pad), min(1.0, hi + pad))
        ax_level.set_xlabel(f"{metric_label(metric)} in {year}")
        reference = scenario_label(names[0], capital=False)
        ax_diff.set_xlabel(f"Difference from {reference} ({_unit(metric)})")
        ax_level.set_title("(a) level", loc="left")
        ax_diff.set_title(f"(b) paired difference from {reference}", loc="left")
        fig.legend(
            loc="outside upper center",
            ncols=min(k, 2 if stacked else 4),
            title=f"mean of n = {n} replicates with 95 % t interval",
        )
    return fig


def _unit(metric: str) -> str:
    text = metric_label(metric, change=True)
    return text[text.rfind("(") + 1 : -1] if text.endswith(")") else "units of the metric"


def _interval_marks(ax, rows: pd.DataFrame, prefix: str, y, marker, colour, **kw) -> None:
    """One marker per state at the `{prefix}mean` (or `diff`) with its interval."""
    centre = rows["diff" if prefix else "mean"].to_numpy()
    low, high = rows[f"{prefix}lower"], rows[f"{prefix}upper"]
    ax.errorbar(
        centre,
        y,
        xerr=np.vstack([centre - low, high - centre]),
        fmt=marker,
        color=colour,
        ms=3.5,
        elinewidth=0.9,
        capsize=1.5,
        **kw,
    )
