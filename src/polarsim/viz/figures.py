"""The page's figures, drawn with matplotlib from the tables of polarsim.viz.data.

Each function returns a matplotlib Figure (no pyplot, so nothing leaks between the
steps of a long session); `png` renders one to bytes in the project's style. Colours,
line styles and names per actor come from polarsim.plots.style.
"""

from __future__ import annotations

import io
import math

import matplotlib as mpl
import matplotlib.image as mpimg
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from polarsim.codes import OTHER
from polarsim.plots.style import PAPER_RC, colour, label, linestyle
from polarsim.viz.data import ARENA_LABELS

#: Screen rendering: the paper style with fonts readable at a browser's zoom. The
#: savefig entries are left out and given to savefig directly: Solara's server scopes
#: rcParams per session without matplotlib's validation, so "standard" would stay a string.
SCREEN_RC = {
    **{k: v for k, v in PAPER_RC.items() if not k.startswith(("savefig.", "svg.", "pdf.", "ps."))},
    "font.size": 9,
    "axes.titlesize": 10,
    "legend.fontsize": 8,
}
#: Pixels per inch of the PNGs sent to the browser (a 6 x 3.4 in figure -> 540 x 306 px).
SCREEN_DPI = 90
PANEL_SIZE = (6.0, 3.4)

#: Ties thinner than this composite share are left off the map, so it stays readable.
MIN_EDGE_SHARE = 0.02
#: Line width of an edge with composite share 1 (points).
EDGE_WIDTH = 14.0

# Schematic map. States sit at the approximate longitude/latitude of their centre (deg),
# powers on a ring around the region in the direction they lie from it (bearing in
# degrees, counter-clockwise from east), so the picture reads like a map.
STATE_POSITIONS: dict[str, tuple[float, float]] = {
    "KAZ": (67.0, 48.0),
    "UZB": (64.0, 41.5),
    "TKM": (59.0, 39.0),
    "KGZ": (74.5, 41.5),
    "TJK": (71.0, 38.5),
}
POWER_BEARINGS: dict[str, float] = {
    "CHN": 0.0,
    "KOR": 20.0,
    "JPN": 40.0,
    "RUS": 90.0,
    "USA": 140.0,
    "EU": 170.0,
    "TUR": 200.0,
    "IRN": 250.0,
    "IND": 300.0,
}
RING_CENTRE = (66.0, 43.5)
RING_RADIUS = 16.0
AUTONOMY_CMAP = "viridis"


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes at screen resolution."""
    buf = io.BytesIO()
    with mpl.rc_context(SCREEN_RC):
        fig.savefig(buf, format="png", dpi=SCREEN_DPI, bbox_inches=None, transparent=False)
    return buf.getvalue()


def _figure(ncols: int = 1, size: tuple[float, float] = PANEL_SIZE) -> tuple[Figure, list]:
    with mpl.rc_context(SCREEN_RC):
        fig = Figure(figsize=size, layout="constrained")
        axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, list(axes)


class Painter:
    """A figure drawn once and then updated in place. The static part (axes, ticks,
    labels, legend) is rendered once and kept as a bitmap; a step changes the
    `dynamic` artists (lines, bars, edge widths, colours, titles) and renders only
    those over the kept bitmap (matplotlib's blitting). The layout is computed at the
    first rendering and then frozen."""

    fig: Figure
    #: the artists that change with the data; subclasses fill it
    dynamic: list

    def __init__(self) -> None:
        self._canvas: FigureCanvasAgg | None = None
        self._background = None

    def png(self) -> bytes:
        with mpl.rc_context(SCREEN_RC):
            if self._canvas is None:
                self.fig.set_dpi(SCREEN_DPI)
                self._canvas = FigureCanvasAgg(self.fig)
                for artist in self.dynamic:
                    artist.set_animated(True)  # left out of the full rendering
                self._canvas.draw()
                self._background = self._canvas.copy_from_bbox(self.fig.bbox)
                self.fig.set_layout_engine("none")
            else:
                self._canvas.restore_region(self._background)
            for artist in self.dynamic:
                self.fig.draw_artist(artist)
            buf = io.BytesIO()
            mpimg.imsave(buf, np.asarray(self._canvas.buffer_rgba()), format="png")
        return buf.getvalue()


class AutonomyPainter(Painter):
    """Lines per state of a metric over the years so far; the x axis spans the whole
    scenario so the run's progress shows."""

    def __init__(self, states: list[str], years: tuple[int, int], metric_label: str):
        super().__init__()
        with mpl.rc_context(SCREEN_RC):
            self.fig, (ax,) = _figure()
            self.lines = {
                s: ax.plot([], [], color=colour(s), linestyle=linestyle(s), label=label(s))[0]
                for s in states
            }
            ax.set_xlim(*years)
            ax.set_ylim(0.0, 1.0)
            ax.set_xlabel("year")
            ax.set_ylabel(metric_label)
            ax.legend(loc="lower left", ncols=3)
        self.dynamic = list(self.lines.values())

    def update(self, frame: pd.DataFrame) -> AutonomyPainter:
        for state, line in self.lines.items():
            line.set_data(frame.index.to_numpy(), frame[state].to_numpy())
        return self


class TiesPainter(Painter):
    """One panel per arena: each state's ties as a bar split by partner (shares)."""

    def __init__(self, arenas: list[str], states: list[str], partners: list[str]):
        super().__init__()
        self.arenas, self.partners = arenas, partners
        zero = np.zeros(len(states))
        y = np.arange(len(states))[::-1]
        with mpl.rc_context(SCREEN_RC):
            self.fig, axes = _figure(len(arenas), (PANEL_SIZE[0] * 1.3, PANEL_SIZE[1]))
            self.bars: dict[tuple[str, str], list] = {}
            for ax, arena in zip(axes, arenas, strict=True):
                for partner in partners:
                    self.bars[(arena, partner)] = list(
                        ax.barh(
                            y,
                            zero,
                            left=zero,
                            color=colour(partner),
                            label=partner_label(partner),
                            height=0.75,
                        )
                    )
                ax.set_yticks(y, states)
                ax.set_xlim(0.0, 1.0)
                ax.set_title(ARENA_LABELS[arena])
                ax.set_xlabel("share")
            # placeholder text of the final length, so the frozen layout leaves room
            self.title = self.fig.suptitle("Ties by arena, 0000")
            handles, labels = axes[0].get_legend_handles_labels()
            self.fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 6))
        self.dynamic = [r for bars in self.bars.values() for r in bars] + [self.title]

    def update(self, frame: pd.DataFrame, year: int) -> TiesPainter:
        for arena in self.arenas:
            part = frame.loc[arena]
            left = np.zeros(len(part))
            for partner in self.partners:
                width = part[partner].to_numpy()
                for rect, x, w in zip(self.bars[(arena, partner)], left, width, strict=True):
                    rect.set_x(x)
                    rect.set_width(w)
                left = left + width
        self.title.set_text(f"Ties by arena, {year}")
        return self


class TiesHistoryPainter(Painter):
    """One panel per arena: a state's shares by partner over the years so far."""

    def __init__(self, arenas: list[str], partners: list[str], years: tuple[int, int]):
        super().__init__()
        with mpl.rc_context(SCREEN_RC):
            self.fig, axes = _figure(len(arenas), (PANEL_SIZE[0] * 1.3, PANEL_SIZE[1]))
            self.lines = {}
            for ax, arena in zip(axes, arenas, strict=True):
                for partner in partners:
                    self.lines[(arena, partner)] = ax.plot(
                        [],
                        [],
                        color=colour(partner),
                        linestyle=linestyle(partner),
                        label=partner_label(partner),
                    )[0]
                ax.set_xlim(*years)
                ax.set_ylim(0.0, 1.0)
                ax.set_title(ARENA_LABELS[arena])
            axes[0].set_ylabel("share")
            self.title = self.fig.suptitle("Kazakhstan: ties by arena")
            handles, labels = axes[0].get_legend_handles_labels()
            self.fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 6))
        self.dynamic = [*self.lines.values(), self.title]

    def update(self, history: pd.DataFrame, state: str) -> TiesHistoryPainter:
        x = history.index.to_numpy()
        for (arena, partner), line in self.lines.items():
            line.set_data(x, history[(arena, partner)].to_numpy())
        self.title.set_text(f"{label(state)}: ties by arena")
        return self


def partner_label(partner: str) -> str:
    """A tie partner's name in the page's legends: a power's full name, or "Other"
    (shorter than plots.style's "Other partners", so the legends fit their cards)."""
    return "Other" if partner == OTHER else label(partner)


def autonomy_figure(frame: pd.DataFrame, years: tuple[int, int], metric_label: str) -> Figure:
    """Lines per state of a metric over the years so far (AutonomyPainter, drawn once)."""
    return AutonomyPainter(list(frame.columns), years, metric_label).update(frame).fig


def ties_figure(frame: pd.DataFrame, year: int) -> Figure:
    """Each state's ties by arena as bars split by partner (TiesPainter, drawn once)."""
    arenas = list(dict.fromkeys(frame.index.get_level_values("arena")))
    states = list(dict.fromkeys(frame.index.get_level_values("state")))
    return TiesPainter(arenas, states, list(frame.columns)).update(frame, year).fig


def ties_history_figure(history: pd.DataFrame, state: str, years: tuple[int, int]) -> Figure:
    """A state's shares by arena and partner over time (TiesHistoryPainter, drawn once)."""
    arenas = list(dict.fromkeys(history.columns.get_level_values("arena")))
    partners = list(dict.fromkeys(history.columns.get_level_values("partner")))
    return TiesHistoryPainter(arenas, partners, years).update(history, state).fig


def _power_positions(powers: list[str]) -> dict[str, tuple[float, float]]:
    known = [p for p in powers if p in POWER_BEARINGS]
    unknown = [p for p in powers if p not in POWER_BEARINGS]
    bearings = {p: POWER_BEARINGS[p] for p in known}
    # Unknown powers fill the south-east, between India and China, evenly.
    for i, p in enumerate(unknown):
        bearings[p] = 300.0 + 60.0 * (i + 1) / (len(unknown) + 1)
    cx, cy = RING_CENTRE
    return {
        p: (
            cx + RING_RADIUS * math.cos(math.radians(b)),
            cy + RING_RADIUS * 0.7 * math.sin(math.radians(b)),
        )
        for p, b in bearings.items()
    }


def _state_positions(states: list[str]) -> dict[str, tuple[float, float]]:
    out = {s: STATE_POSITIONS[s] for s in states if s in STATE_POSITIONS}
    unknown = [s for s in states if s not in STATE_POSITIONS]
    cx, cy = RING_CENTRE
    for i, s in enumerate(unknown):  # an inner ring for states the table does not place
        b = 2 * math.pi * i / len(unknown)
        out[s] = (cx + 5.0 * math.cos(b), cy + 4.0 * math.sin(b))
    return out


class NetworkPainter(Painter):
    """A schematic map of the current year's ties: an edge from each power to each
    state, as wide as the composite tie share; states coloured by autonomy index."""

    def __init__(self, powers: list[str], states: list[str]):
        super().__init__()
        pp, sp = _power_positions(powers), _state_positions(states)
        self.cmap = mpl.colormaps[AUTONOMY_CMAP]
        with mpl.rc_context(SCREEN_RC):
            self.fig, (ax,) = _figure()
            self.edges = {}
            for p in powers:
                for s in states:
                    (x0, y0), (x1, y1) = pp[p], sp[s]
                    self.edges[(p, s)] = ax.plot(
                        [x0, x1],
                        [y0, y1],
                        color=colour(p),
                        linewidth=0.0,
                        alpha=0.65,
                        solid_capstyle="round",
                        zorder=1,
                        visible=False,
                    )[0]
            # drawn over the edges at every update, so they go in the dynamic list too
            self.power_marks: list = []
            for p, (x, y) in pp.items():
                self.power_marks.append(
                    ax.scatter([x], [y], s=420, marker="s", color=colour(p), zorder=2)
                )
                mark = ax.annotate(
                    p,
                    (x, y),
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=7,
                    fontweight="bold",
                    zorder=3,
                )
                self.power_marks.append(mark)
            self.nodes, self.labels = {}, {}
            for s, (x, y) in sp.items():
                self.nodes[s] = ax.scatter(
                    [x], [y], s=520, color="white", edgecolor="black", linewidth=0.6, zorder=2
                )
                self.labels[s] = ax.annotate(
                    s, (x, y), ha="center", va="center", fontsize=7, fontweight="bold", zorder=3
                )
            sm = mpl.cm.ScalarMappable(cmap=self.cmap, norm=mpl.colors.Normalize(0.0, 1.0))
            self.fig.colorbar(sm, ax=ax, label="autonomy index", shrink=0.9)
            self.title = ax.set_title("Ties in 0000 (width: composite share)")
            ax.set_aspect("equal")
            ax.set_axis_off()
            ax.margins(0.08)
        self.dynamic = [
            *self.edges.values(),
            *self.power_marks,
            *self.nodes.values(),
            *self.labels.values(),
            self.title,
        ]

    def update(self, edges: pd.DataFrame, autonomy: pd.Series, year: int) -> NetworkPainter:
        shares = {(r.power, r.state): r.composite for r in edges.itertuples(index=False)}
        for key, line in self.edges.items():
            share = shares.get(key, 0.0)
            line.set_visible(share >= MIN_EDGE_SHARE)
            line.set_linewidth(EDGE_WIDTH * share)
        for s, node in self.nodes.items():
            value = float(autonomy[s])
            node.set_facecolor(self.cmap(value))
            # dark text on the light (high) end of viridis, white on the dark end
            self.labels[s].set_color("black" if value > 0.5 else "white")
        self.title.set_text(f"Ties in {year} (width: composite share)")
        return self


def network_figure(
    edges: pd.DataFrame,
    powers: list[str],
    autonomy: pd.Series,
    year: int,
) -> Figure:
    """The map of the current ties (NetworkPainter, drawn once)."""
    return NetworkPainter(powers, list(autonomy.index)).update(edges, autonomy, year).fig
