"""Each state's partners by arena: stacked shares over time, and the ties of one year as
a network between states and powers.

Shares are the states table's ``<arena>_share_<POWER>`` columns (and ``_other``, the rest
of the world), averaged over replicates; within an arena a state's shares sum to 1."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from polarsim.codes import ARENAS, DEFAULT_POWERS, OTHER, state_order
from polarsim.plots.style import (
    colour,
    figure_width,
    hatch,
    label,
    linestyle,
    marker,
    paper_style,
)

__all__ = [
    "ARENA_NAMES",
    "mean_shares",
    "plot_network",
    "plot_tie_shares",
    "powers_in",
    "tie_table",
]

ARENA_NAMES = {
    "infra": "Infrastructure stock",
    "trade": "Trade",
    "security": "Security (arms) stock",
}
#: "all" stands for the mean share over the three arenas.
ALL_ARENAS = "all"
#: Ties below this share are not drawn in network views (stated on the figure).
MIN_TIE = 0.05
#: Characters per line of a legend title (fits a double-column figure at 8 pt).
NOTE_WIDTH = 105
#: Entries per row of a tie legend.
LEGEND_COLUMNS = 6
#: Opacity of the rest of the world's area: paler than any power's.
OTHER_ALPHA = 0.45
#: Line width in points of a tie of share 1.
TIE_WIDTH = 7.0


def powers_in(states: pd.DataFrame) -> list[str]:
    """Power codes that have share columns, default powers first."""
    found = []
    for c in states.columns:
        for a in ARENAS:
            prefix = f"{a}_share_"
            if c.startswith(prefix) and c[len(prefix) :] != OTHER:
                found.append(c[len(prefix) :])
    # A stacked table holds columns of powers other scenarios have; skip empty ones.
    found = [p for p in dict.fromkeys(found) if _has_values(states, p)]
    if not found:
        raise ValueError("the results hold no tie shares (<arena>_share_<POWER> columns)")
    return [p for p in DEFAULT_POWERS if p in found] + sorted(
        p for p in found if p not in DEFAULT_POWERS
    )


def _has_values(states: pd.DataFrame, power: str) -> bool:
    cols = [f"{a}_share_{power}" for a in ARENAS if f"{a}_share_{power}" in states.columns]
    return bool(states[cols].notna().any().any())


def _states(states: pd.DataFrame, wanted: Sequence[str] | None) -> list[str]:
    return state_order(states["state"].unique(), wanted)


def _one_scenario(states: pd.DataFrame, scenario: str | None) -> pd.DataFrame:
    if "scenario" not in states.columns:
        return states
    names = list(dict.fromkeys(states["scenario"]))
    if scenario is None:
        if len(names) > 1:
            raise ValueError(
                f"the results hold several scenarios {names}; choose one with --scenario"
            )
        scenario = names[0]
    if scenario not in names:
        raise ValueError(f"scenario {scenario!r} not in the results {names}")
    return states[states["scenario"] == scenario]


def mean_shares(states: pd.DataFrame, arena: str, scenario: str | None = None) -> pd.DataFrame:
    """state, year, then one column per partner (powers, then 'other'): the replicate
    mean of the arena's shares. ``arena='all'`` averages the three arenas."""
    states = _one_scenario(states, scenario)
    partners = [*powers_in(states), OTHER]
    arenas = list(ARENAS) if arena == ALL_ARENAS else [arena]
    if arena != ALL_ARENAS and arena not in ARENAS:
        raise ValueError(f"arena must be one of {[*ARENAS, ALL_ARENAS]}, got {arena!r}")
    cols = {}
    for p in partners:
        have = [f"{a}_share_{p}" for a in arenas if f"{a}_share_{p}" in states.columns]
        cols[p] = states[have].mean(axis=1) if have else 0.0
    wide = pd.DataFrame({"state": states["state"], "year": states["year"], **cols})
    order = ["state", "year", *(["replicate"] if "replicate" in states else [])]
    wide = wide.assign(**({"replicate": states["replicate"]} if "replicate" in states else {}))
    wide = wide.sort_values(order, kind="mergesort")
    return wide.groupby(["state", "year"], sort=True)[partners].mean().reset_index()


def tie_table(
    states: pd.DataFrame, year: int, arena: str = ALL_ARENAS, scenario: str | None = None
) -> pd.DataFrame:
    """Long table state, power, share of one year (replicate means), 'other' left out."""
    m = mean_shares(states, arena, scenario)
    if year not in set(m["year"]):
        raise ValueError(f"year {year} not in the results ({m['year'].min()}–{m['year'].max()})")
    m = m[m["year"] == year].drop(columns=["year", OTHER])
    return m.melt(id_vars="state", var_name="power", value_name="share")


def plot_tie_shares(
    states: pd.DataFrame,
    arenas: Sequence[str] = ARENAS,
    states_order: Sequence[str] | None = None,
    scenario: str | None = None,
    width: str | float = "double",
) -> Figure:
    """Rows: arenas; columns: states; stacked areas: the partners' shares over time
    (powers in their colour and hatch, the rest of the world in grey)."""
    states = _one_scenario(states, scenario)
    codes = _states(states, states_order)
    partners = [*powers_in(states), OTHER]
    n_rep = int(states["replicate"].nunique()) if "replicate" in states else 1
    with paper_style():
        w = figure_width(width)
        fig = Figure(figsize=(w, 1.45 * len(arenas) + 0.8), layout="constrained")
        axes = fig.subplots(len(arenas), len(codes), sharex=True, sharey=True, squeeze=False)
        for i, arena in enumerate(arenas):
            m = mean_shares(states, arena)
            for j, code in enumerate(codes):
                ax = axes[i][j]
                _stacked_shares(ax, m[m["state"] == code], partners)
                if i == 0:
                    ax.set_title(label(code))
                if j == 0:
                    ax.set_ylabel(f"{ARENA_NAMES[arena]}\n(share)")
                if i == len(arenas) - 1:
                    ax.set_xlabel("Year")
                ax.xaxis.get_major_locator().set_params(integer=True, nbins=3)
        _partner_key(fig, partners, n_rep)
    return fig


def _stacked_shares(ax: Axes, shares: pd.DataFrame, partners: list[str]) -> None:
    """One state's shares of one arena over the years, stacked to 1, partner by partner."""
    polys = ax.stackplot(
        shares["year"].to_numpy(),
        *[shares[p].to_numpy() for p in partners],
        colors=[colour(p) for p in partners],
        hatch=[hatch(p) for p in partners],
        edgecolor="white",
        linewidth=0.3,
    )
    for poly, p in zip(polys, partners, strict=True):
        poly.set_label(label(p))
        if p == OTHER:
            poly.set_alpha(OTHER_ALPHA)
    ax.set_ylim(0.0, 1.0)
    ax.set_xlim(shares["year"].min(), shares["year"].max())
    ax.margins(0)


def _partner_key(fig: Figure, partners: list[str], n_rep: int) -> None:
    """The legend of the partners' areas above the panels, with the number of replicates."""
    fig.legend(
        handles=[
            Patch(
                facecolor=colour(p),
                hatch=hatch(p),
                edgecolor="white",
                alpha=OTHER_ALPHA if p == OTHER else 1.0,
                label=label(p),
            )
            for p in partners
        ],
        loc="outside upper center",
        ncols=len(partners),
        handlelength=1.6,
        title=f"partner shares, mean of n = {n_rep} replicates",
    )


# ------------------------------------------------------------------ network views


def draw_ties(
    ax: Axes,
    ties: pd.DataFrame,
    state_xy: dict[str, tuple[float, float]],
    power_xy: dict[str, tuple[float, float]],
    min_share: float = MIN_TIE,
    state_labels: dict[str, tuple[str, str]] | None = None,
    power_labels: dict[str, tuple[str, str]] | None = None,
) -> None:
    """Lines from each power to each state, width proportional to the share, in the
    power's colour and line style, thickest drawn first; nodes on top. The label dicts
    give (ha, va) per code; states are labelled by code inside their node when None."""
    t = ties[ties["share"] >= min_share].sort_values(
        ["share", "power", "state"], ascending=[False, True, True]
    )
    for r in t.itertuples(index=False):
        (x0, y0), (x1, y1) = power_xy[r.power], state_xy[r.state]
        ax.plot(
            [x0, x1],
            [y0, y1],
            color=colour(r.power),
            linestyle=linestyle(r.power),
            linewidth=max(0.4, TIE_WIDTH * r.share),
            alpha=0.85,
            solid_capstyle="butt",
            dash_capstyle="butt",
            zorder=2,
        )
    for code, (x, y) in state_xy.items():
        if state_labels is None:
            ax.plot(x, y, "o", ms=13, mfc="white", mec="black", mew=0.8, zorder=3)
            ax.text(x, y, code, ha="center", va="center", fontsize=6, zorder=4)
        else:
            ax.plot(x, y, "o", ms=5, mfc="white", mec="black", mew=0.8, zorder=3)
            ha, va = state_labels.get(code, ("left", "center"))
            _node_label(ax, x, y, label(code), ha, va)
    for code, (x, y) in power_xy.items():
        ax.plot(x, y, marker(code), ms=7, color=colour(code), mec="black", mew=0.5, zorder=3)
        if power_labels is not None:
            ha, va = power_labels.get(code, ("right", "center"))
            _node_label(ax, x, y, label(code), ha, va)


def _node_label(ax: Axes, x: float, y: float, text: str, ha: str, va: str) -> None:
    dx = {"left": 6, "right": -6, "center": 0}[ha]
    dy = {"bottom": 6, "top": -6, "center": 0}[va]
    ax.annotate(
        text,
        (x, y),
        xytext=(dx, dy),
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=7,
        zorder=4,
    )


def tie_legend(fig: Figure, powers: Sequence[str], note: str) -> None:
    handles = [
        Line2D(
            [],
            [],
            color=colour(p),
            linestyle=linestyle(p),
            marker=marker(p),
            mec="black",
            mew=0.5,
            lw=1.5,
            label=label(p),
        )
        for p in powers
    ]
    widths = [
        Line2D([], [], color="#555555", lw=TIE_WIDTH * s, label=f"share {s:g}")
        for s in (0.1, 0.3, 0.6)
    ]
    # Rows: the powers (at most LEGEND_COLUMNS a row), then the width key. Legends fill
    # column by column, so the row-major grid is transposed before it is handed over.
    ncols = min(max(len(handles), len(widths)), LEGEND_COLUMNS)
    blank = Line2D([], [], alpha=0.0, label=" ")
    rows = [handles[i : i + ncols] for i in range(0, len(handles), ncols)] + [widths]
    rows = [r + [blank] * (ncols - len(r)) for r in rows]
    ordered = [rows[r][c] for c in range(ncols) for r in range(len(rows))]
    fig.legend(
        handles=ordered,
        loc="outside lower center",
        ncols=ncols,
        handlelength=2.4,
        title=textwrap.fill(note, NOTE_WIDTH),
    )


def network_positions(
    codes: Sequence[str], powers: Sequence[str]
) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    """Powers in a column on the left, states in a column on the right, in their order
    (a fixed bipartite layout: the same data always give the same picture, and no tie
    runs through another node)."""

    def column(items: Sequence[str], x: float) -> dict[str, tuple[float, float]]:
        ys = np.linspace(1.0, 0.0, len(items)) if len(items) > 1 else np.array([0.5])
        return {c: (x, float(y)) for c, y in zip(items, ys, strict=True)}

    return column(codes, 1.0), column(powers, 0.0)


def plot_network(
    states: pd.DataFrame,
    year: int,
    arenas: Sequence[str] = ARENAS,
    scenario: str | None = None,
    min_share: float = MIN_TIE,
    width: str | float = "double",
) -> Figure:
    """One panel per arena: the replicate-mean shares of ``year`` as lines between the
    powers (left) and the states (right)."""
    states = _one_scenario(states, scenario)
    codes = _states(states, None)
    powers = powers_in(states)
    s_xy, p_xy = network_positions(codes, powers)
    n_rep = int(states["replicate"].nunique()) if "replicate" in states else 1
    with paper_style():
        w = figure_width(width)
        fig = Figure(figsize=(w, 0.3 * max(len(codes), len(powers)) + 1.3), layout="constrained")
        axes = fig.subplots(1, len(arenas), squeeze=False)[0]
        s_lab = {c: ("left", "center") for c in codes}
        p_lab = {p: ("right", "center") for p in powers}
        for ax, arena in zip(axes, arenas, strict=True):
            draw_ties(ax, tie_table(states, year, arena), s_xy, p_xy, min_share, s_lab, p_lab)
            ax.set_title(ARENA_NAMES.get(arena, "Mean of the three arenas"))
            ax.set_xlim(-0.75, 1.75)
            ax.set_ylim(-0.08, 1.08)
            ax.axis("off")
        tie_legend(
            fig,
            powers,
            f"ties in {year}: share of the state's arena, mean of n = {n_rep} replicates; "
            f"ties below {min_share:g} not drawn",
        )
    return fig
