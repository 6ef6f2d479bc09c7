"""Forecast figure: one series of a forecast as of its origin, one panel per state, one
colour per partner; the observations up to the origin as markers, the model's replicate
median after it as a line with its 90 % band, persistence of the last observed value as
a thin dotted line."""

from __future__ import annotations

from typing import Protocol

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple

from polarsim.codes import POWERS, state_order
from polarsim.plots.panels import LEVEL_TITLES, finish_grid, grid_shape
from polarsim.plots.style import DOUBLE_COLUMN, colour, label, linestyle, marker, paper_style


class ForecastTables(Protocol):
    """What the figure reads of polarsim.validation.forecast.Forecast: tables only."""

    points: pd.DataFrame
    history: pd.DataFrame
    origin: int
    manifest: dict


#: First year of the observations drawn before the origin.
HISTORY_FROM = 2000


def plot_forecast(f: ForecastTables, series: str) -> Figure:
    """Observations of `series` up to the origin and the forecast after it, per state."""
    pts = f.points[f.points["series"] == series]
    hist = f.history[(f.history["series"] == series) & (f.history["year"] >= HISTORY_FROM)]
    states = state_order(pts["state"])
    partners = list(dict.fromkeys(pts["partner"]))
    nrows, ncols = grid_shape(len(states))
    level = f.manifest.get("level", 0.9)
    with paper_style():
        fig = Figure(figsize=(DOUBLE_COLUMN, 2.1 * nrows + 0.7), layout="constrained")
        axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
        handles: dict[str, tuple] = {}
        for k, s in enumerate(states):
            ax = axes[k // ncols][k % ncols]
            ax.axvspan(f.origin + 0.5, pts["year"].max() + 0.5, color="#000000", alpha=0.05,
                       lw=0)  # fmt: skip
            for p in partners:
                c = colour(p) if p in _ACTOR_PARTNERS else colour(s)
                ls = linestyle(p) if p in _ACTOR_PARTNERS else linestyle(s)
                g = pts[(pts["state"] == s) & (pts["partner"] == p)].sort_values("year")
                if g.empty:
                    continue
                # bands light and underneath: five partners' bands overlap
                ax.fill_between(g["year"], g["model_lower"], g["model_upper"], color=c,
                                alpha=0.08, lw=0, zorder=1)  # fmt: skip
                (line,) = ax.plot(g["year"], g["model"], color=c, linestyle=ls, zorder=2)
                ax.plot(g["year"], g["persistence"], color=c, lw=0.6, linestyle=":", zorder=2)
                o = hist[(hist["state"] == s) & (hist["partner"] == p)]
                (dots,) = ax.plot(o["year"], o["observed"], linestyle="none",
                                  marker=marker(p) if p in _ACTOR_PARTNERS else marker(s),
                                  color=c, markersize=2.5, zorder=3)  # fmt: skip
                handles.setdefault(p, (line, dots))
            ax.set_title(label(s))
            ax.xaxis.get_major_locator().set_params(integer=True)
        finish_grid(axes, len(states))
        for row in axes:
            row[0].set_ylabel(LEVEL_TITLES.get(series, series))
        names = [p for p in partners if p in handles]
        fig.legend(
            [handles[p] for p in names],
            [label(p) if p in _ACTOR_PARTNERS else "all senders" for p in names],
            handler_map={tuple: HandlerTuple(ndivide=None)},
            loc="outside upper center",
            ncols=min(len(names), 5),
            title=f"markers: observed to {f.origin}; lines: forecast as of {f.origin}, "
            f"replicate median and {level:.0%} band (shaded years); dotted: persistence",
        )
    return fig


#: Partners drawn in their actor's style; any other (remittances' "total") takes the
#: state's.
_ACTOR_PARTNERS = frozenset(POWERS)
