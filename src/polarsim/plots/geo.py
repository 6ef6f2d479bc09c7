"""A schematic map of the region with the ties drawn between the states and the powers.

The outlines are a small hand-made file shipped with the package
(plots/data/central_asia_schematic.json, its sources stated inside); nothing is
downloaded. Each state's ties start at its capital; each power sits off the map in the
direction of its own capital, so Russia is north-west, China east, and so on."""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from polarsim.plots.style import figure_width, paper_style
from polarsim.plots.ties import (
    ALL_ARENAS,
    ARENA_NAMES,
    MIN_TIE,
    _one_scenario,
    draw_ties,
    powers_in,
    tie_legend,
    tie_table,
)

__all__ = ["geography", "plot_map", "power_positions"]

#: Map frame (degrees) and the ellipse on which powers are placed outside it.
LON_RANGE = (45.0, 89.0)
LAT_RANGE = (35.0, 55.5)
CENTRE = (66.0, 45.0)
RING = (29.0, 15.5)  # half-axes in degrees of longitude and latitude
#: Powers whose directions are closer than this (degrees of angle) are spread apart.
MIN_SEPARATION = 24.0
_LAND = "#EDEDED"
_WATER = "#DCE9F2"


@cache
def geography() -> dict:
    """The shipped schematic geography (outlines, capitals, power capitals)."""
    path = resources.files("polarsim.plots").joinpath("data/central_asia_schematic.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _bearing(lon: float, lat: float) -> float:
    """Angle (radians, counter-clockwise from east) from the region's centre on a map
    whose longitudes are shrunk by cos(latitude)."""
    dx = (lon - CENTRE[0]) * math.cos(math.radians(CENTRE[1]))
    a = math.atan2(lat - CENTRE[1], dx)
    # Cut the circle at due south, where no default power lies, so that the powers in
    # the west (EU, USA, Turkey) are not split between +180 and -180 degrees.
    return (a + math.pi / 2) % (2 * math.pi) - math.pi / 2


def _spread(angles: list[float], min_sep: float) -> list[float]:
    """Push apart angles closer than min_sep (radians), keeping their order; a few
    symmetric passes are enough for at most a dozen powers."""
    order = np.argsort(angles, kind="stable")
    a = np.array(angles, dtype=float)[order]
    for _ in range(50):
        moved = False
        for i in range(len(a) - 1):
            gap = a[i + 1] - a[i]
            if gap < min_sep:
                push = (min_sep - gap) / 2
                a[i] -= push
                a[i + 1] += push
                moved = True
        if not moved:
            break
    out = np.empty_like(a)
    out[order] = a
    return out.tolist()


def power_positions(powers: list[str]) -> dict[str, tuple[float, float]]:
    """(lon, lat) of each power's node on the ring around the map."""
    geo = geography()["powers"]
    angles = []
    for p in powers:
        if p in geo:
            lon, lat = geo[p]["capital_lonlat"]
            angles.append(_bearing(lon, lat))
        else:  # an actor the file does not know: south, out of the way
            angles.append(-math.pi / 2)
    angles = _spread(angles, math.radians(MIN_SEPARATION))
    return {
        p: (CENTRE[0] + RING[0] * math.cos(a), CENTRE[1] + RING[1] * math.sin(a))
        for p, a in zip(powers, angles, strict=True)
    }


def plot_map(
    states: pd.DataFrame,
    year: int,
    arena: str = ALL_ARENAS,
    scenario: str | None = None,
    min_share: float = MIN_TIE,
    width: str | float = "double",
) -> Figure:
    """The five states' outlines, their capitals, and lines from each capital to each
    power with width proportional to the tie's share in ``year`` (replicate mean;
    ``arena='all'`` is the mean share over the three arenas)."""
    states = _one_scenario(states, scenario)
    geo = geography()
    powers = powers_in(states)
    ties = tie_table(states, year, arena)
    unknown = sorted(set(ties["state"]) - set(geo["states"]))
    if unknown:
        raise ValueError(f"the schematic map has no outline for state(s) {unknown}")
    state_xy = {c: tuple(geo["states"][c]["capital_lonlat"]) for c in sorted(set(ties["state"]))}
    power_xy = power_positions(powers)
    n_rep = int(states["replicate"].nunique()) if "replicate" in states else 1
    w = figure_width(width)
    aspect = 1.0 / math.cos(math.radians(CENTRE[1]))
    (x0, x1), (y0, y1) = _map_frame(power_xy)
    height = w * (y1 - y0) * aspect / (x1 - x0) + 0.9
    with paper_style():
        fig = Figure(figsize=(w, height), layout="constrained")
        ax = fig.add_subplot()
        _draw_water(ax, geo["water"])
        _draw_outlines(ax, geo["states"], state_xy)
        draw_ties(
            ax,
            ties,
            state_xy,
            power_xy,
            min_share,
            state_labels={c: ("left", "center") for c in state_xy},
            power_labels={p: _label_side(xy) for p, xy in power_xy.items()},
        )
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(aspect)
        ax.axis("off")
        what = ARENA_NAMES.get(arena, "mean of infrastructure, trade and security")
        tie_legend(
            fig,
            powers,
            f"ties in {year} ({what.lower()}) from each capital: share of the state's arena, "
            f"mean of n = {n_rep} replicates; ties below {min_share:g} not drawn; "
            "schematic borders; each power is placed in the direction of its capital",
        )
    return fig


def _map_frame(
    power_xy: dict[str, tuple[float, float]],
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(lon, lat) limits of the map: the region and the ring of powers with their labels."""
    xs = [x for x, _ in power_xy.values()] + list(LON_RANGE)
    ys = [y for _, y in power_xy.values()] + list(LAT_RANGE)
    return (min(xs) - 7, max(xs) + 7), (min(ys) - 2.5, max(ys) + 1.0)


def _draw_water(ax: Axes, water: dict[str, list[list[float]]]) -> None:
    """The seas and lakes of the schematic, each named in italics at its centre."""
    for name, ring in water.items():
        ax.add_patch(Polygon(ring, closed=True, fc=_WATER, ec="#9DB7CC", lw=0.5, zorder=0))
        lon, lat = np.mean(ring, axis=0)
        ax.text(
            lon,
            lat,
            name.replace(" ", "\n"),
            ha="center",
            va="center",
            fontsize=5.5,
            style="italic",
            color="#4C6F8C",
            zorder=1.2,
        )


def _draw_outlines(
    ax: Axes, outlines: dict[str, dict], state_xy: dict[str, tuple[float, float]]
) -> None:
    """The land outline of each state that has ties on the map (those in `state_xy`)."""
    for code, g in outlines.items():
        if code not in state_xy:
            continue
        ax.add_patch(Polygon(g["outline"], closed=True, fc=_LAND, ec="#8C8C8C", lw=0.6, zorder=1))


def _label_side(xy: tuple[float, float]) -> tuple[str, str]:
    dx = xy[0] - CENTRE[0]
    dy = xy[1] - CENTRE[1]
    if abs(dy) / RING[1] > abs(dx) / RING[0]:
        return ("center", "bottom" if dy > 0 else "top")
    return ("left" if dx > 0 else "right", "center")
