"""The phase diagram: an outcome over two swept parameters (replicate means), with the
contour where it changes sign, i.e. where multipolar competition turns from raising the
states' autonomy to eroding it.

The outcome of a cell is the metric averaged over the chosen states and years, and, with
``baseline_year``, taken as the change since that year within each run, so that its sign
says whether autonomy rose or fell. Parameters the figure does not show are averaged
over (their values are pooled with the replicates)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from polarsim.plots.labels import metric_label, param_axis_label
from polarsim.plots.style import DEFAULT_HEIGHT, figure_width, label, paper_style
from polarsim.summaries import interval_summary

__all__ = ["heatmap_table", "plot_heatmap", "plot_heatmap_panels"]

#: A heatmap needs a grid; more distinct values than this on an axis is not one.
MAX_LEVELS = 40
#: Cells are labelled with their value up to this many levels per axis.
MAX_ANNOTATED = 8
CELL_FONT_SIZE = 5.5
#: Where the "interval includes the level" dot goes in a labelled cell (fraction of the
#: half-width towards the upper right corner).
DOT_CORNER = 0.75
#: Hatch of cells below the level in per-state panels, and its colour.
HATCH = "///"
HATCH_GREY = "#8C8C8C"
#: Per-state panels: panels per row, ticks per axis.
PANEL_COLUMNS = 3
TICKS = 3
#: Relative luminance below which a cell's label is white.
DARK = 0.45
#: Colour maps: diverging (Purple-Orange, colour-blind safe, reads in grey scale as
#: light-to-dark on both sides) around a level near the outcomes (`_scale`), else
#: cividis.
DIVERGING_CMAP = "PuOr_r"
SEQUENTIAL_CMAP = "cividis"


def _cell_outcome(
    results: pd.DataFrame,
    metric: str,
    years: Sequence[int] | None,
    baseline_year: int | None,
    states: Sequence[str] | None,
) -> pd.DataFrame:
    """One value per (run_id, replicate): the metric (or its change) averaged over the
    chosen states and years."""
    if metric not in results.columns:
        raise ValueError(f"the sweep kept no outcome {metric!r}")
    r = results
    if states:
        missing = [s for s in states if s not in set(r["state"])]
        if missing:
            raise ValueError(f"state(s) {missing} not in the sweep results")
        r = r[r["state"].isin(list(states))]
    have = sorted(int(y) for y in r["year"].unique())
    years = [int(y) for y in years] if years else [have[-1]]
    missing_years = [y for y in years + ([baseline_year] if baseline_year else []) if y not in have]
    if missing_years:
        raise ValueError(f"year(s) {missing_years} not kept by the sweep (it has {have})")
    if baseline_year is not None and any(y <= baseline_year for y in years):
        raise ValueError(
            f"--baseline-year {baseline_year} must come before every year shown "
            f"({', '.join(map(str, years))}): the cells show the change since it"
        )
    keys = ["run_id", "replicate", "state"]
    cur = r[r["year"].isin(years)]
    if baseline_year is not None:
        base = r[r["year"] == baseline_year].set_index(keys)[metric].rename("base")
        cur = cur.join(base, on=keys)
        cur = cur.assign(value=cur[metric] - cur["base"])
    else:
        cur = cur.assign(value=cur[metric])
    cur = cur.sort_values([*keys, "year"], kind="mergesort")
    return cur.groupby(["run_id", "replicate"], sort=True)["value"].mean().reset_index()


def heatmap_table(
    results: pd.DataFrame,
    design: pd.DataFrame,
    x: str,
    y: str,
    metric: str = "autonomy_index",
    years: Sequence[int] | None = None,
    baseline_year: int | None = None,
    states: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Columns x, y, mean, lower, upper, n: one row per grid cell, the mean of the
    outcome over replicates (and over the other parameters) with a 95 % t interval."""
    for p in (x, y):
        if p not in design.columns:
            params = [c for c in design.columns if c != "run_id"]
            raise ValueError(f"parameter {p!r} was not swept; the sweep varies {params}")
    if x == y:
        raise ValueError("x and y must be different parameters")
    for p in (x, y):
        if design[p].nunique() > MAX_LEVELS:
            raise ValueError(
                f"parameter {p!r} takes {design[p].nunique()} values: a heatmap needs a grid "
                f"design (at most {MAX_LEVELS} levels per axis)"
            )
    cells = _cell_outcome(results, metric, years, baseline_year, states)
    cells = cells.merge(design[["run_id", x, y]], on="run_id", how="left")
    out = interval_summary(cells, "value", [x, y], sort_extra=["run_id", "replicate"])
    return out


def _annotate(ax, mesh, xs: np.ndarray, ys: np.ndarray, z: np.ndarray, signed: bool) -> None:
    """Each cell's mean as text, so the figure reads in grey scale, where the two ends
    of a diverging colour map look alike; white on dark cells, black on light ones."""
    rgba = mesh.cmap(mesh.norm(z))
    luminance = rgba[..., :3] @ np.array([0.2126, 0.7152, 0.0722])
    fmt = "{:+.3f}" if signed else "{:.3f}"
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            if not np.isfinite(z[i, j]):
                continue
            ax.text(
                x,
                y,
                fmt.format(z[i, j]).replace("-", "−"),
                ha="center",
                va="center",
                fontsize=CELL_FONT_SIZE,
                color="white" if luminance[i, j] < DARK else "black",
                zorder=2,
            )


def _half_widths(axis: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Half the width of the cell each value sits in."""
    e = _edges(axis)
    idx = np.searchsorted(axis, values)
    return (e[idx + 1] - e[idx]) / 2


def _edges(v: np.ndarray) -> np.ndarray:
    if len(v) == 1:
        return np.array([v[0] - 0.5, v[0] + 0.5])
    mid = (v[1:] + v[:-1]) / 2
    return np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])


def plot_heatmap(
    table: pd.DataFrame,
    x: str,
    y: str,
    metric: str = "autonomy_index",
    years: Sequence[int] | None = None,
    baseline_year: int | None = None,
    states: Sequence[str] | None = None,
    width: str | float = "single",
    level: float | None = None,
    param_paths: dict[str, list[str]] | None = None,
) -> Figure:
    """Cells coloured by the mean outcome of ``table`` (from heatmap_table); a solid
    contour where the mean crosses ``level`` when it does. ``level`` defaults to 0 (the
    sign change) when the cells show a change (``baseline_year``); a map of levels gets
    a contour only when a level is given.
    ``param_paths`` (name -> scenario paths, from the experiment file) gives the axes
    their units from the scenario schema."""
    xs = np.sort(table[x].unique()).astype(float)
    ys = np.sort(table[y].unique()).astype(float)
    grid = table.pivot(index=y, columns=x, values="mean").reindex(index=ys, columns=xs)
    z = grid.to_numpy(dtype=float)
    if level is None and baseline_year is not None:
        level = 0.0
    w = figure_width(width)
    with paper_style():
        fig = Figure(figsize=(w, max(DEFAULT_HEIGHT, w * 0.85)), layout="constrained")
        ax = fig.add_subplot()
        norm, cmap = _scale(float(np.nanmin(z)), float(np.nanmax(z)), level)
        mesh = ax.pcolormesh(
            _edges(xs), _edges(ys), z, cmap=cmap, norm=norm, shading="flat", rasterized=False
        )
        annotated = len(xs) <= MAX_ANNOTATED and len(ys) <= MAX_ANNOTATED
        if annotated:
            _annotate(ax, mesh, xs, ys, z, signed=baseline_year is not None)  # a change
        what = metric_label(metric, change=baseline_year is not None)
        _colour_key(fig, mesh, ax, 0.9, f"{what}\n{_period(table, years, baseline_year)}")
        if level is not None:  # a map of levels without a reference shows colours only
            _level_marks(fig, ax, table, (x, xs), (y, ys), z, level, annotated, baseline_year)
        _axes_text(ax, x, y, table, states, param_paths)
    return fig


def _scale(lo: float, hi: float, level: float | None) -> tuple[Normalize, str]:
    """The colour scale of cell means from `lo` to `hi`: diverging around `level` when
    the level lies within the data's own span of them, else sequential over the data. A
    scale centred on a level far from every cell gives them all one colour, and the
    legend says on which side of the level they lie."""
    if level is not None and max(lo - level, level - hi, 0.0) <= hi - lo:
        return _diverging_norm(lo, hi, level), DIVERGING_CMAP
    return Normalize(vmin=lo, vmax=hi), SEQUENTIAL_CMAP


def _diverging_norm(lo: float, hi: float, level: float) -> TwoSlopeNorm:
    """A colour scale centred on `level` and reaching equally far to both sides."""
    # Symmetric, so that equal distances from the level get equally strong colours.
    span = max(abs(lo - level), abs(hi - level)) or 1e-9
    return TwoSlopeNorm(vcenter=level, vmin=level - span, vmax=level + span)


def _colour_key(fig: Figure, mesh: QuadMesh, ax, shrink: float, text: str) -> None:
    """The colour bar of `mesh` beside `ax` (an axes or a list of them), labelled `text`."""
    cbar = fig.colorbar(mesh, ax=ax, shrink=shrink)
    cbar.set_label(text)
    cbar.outline.set_linewidth(0.5)


def _level_marks(
    fig: Figure,
    ax,
    table: pd.DataFrame,
    x_axis: tuple[str, np.ndarray],
    y_axis: tuple[str, np.ndarray],
    z: np.ndarray,
    level: float,
    annotated: bool,
    baseline_year: int | None,
) -> None:
    """The contour at `level`, dots where a cell's interval includes it, and their key."""
    xs, ys = x_axis[1], y_axis[1]
    lo, hi = float(np.nanmin(z)), float(np.nanmax(z))
    crosses = lo < level < hi
    handles, texts = [], []
    what_level = "zero change" if baseline_year is not None else f"outcome = {level:g}"
    if crosses and len(xs) > 1 and len(ys) > 1:
        cs = ax.contour(xs, ys, z, levels=[level], colors="black", linewidths=1.4)
        handles.append(cs.legend_elements()[0][0])
        texts.append(what_level)
    dots = _unresolved_dots(ax, table, x_axis, y_axis, level, annotated)
    if dots is not None:
        handles.append(dots)
        texts.append(f"95 % interval includes {level:g}")
    if not crosses:
        side = "above" if lo >= level else "below"
        handles.append(Line2D([], [], ls="none"))
        texts.append(f"every cell mean {side} {level:g}: no sign change")
    fig.legend(
        handles=handles,
        labels=texts,
        loc="outside lower center",
        handlelength=1.5,
        ncols=1,
    )


def _unresolved_dots(
    ax,
    table: pd.DataFrame,
    x_axis: tuple[str, np.ndarray],
    y_axis: tuple[str, np.ndarray],
    level: float,
    annotated: bool,
) -> PathCollection | None:
    """Dots on the cells whose 95 % interval includes `level` (None when there are none)."""
    # There the sign is not resolved by the replicates, which a reader of a phase
    # diagram must know.
    (x, xs), (y, ys) = x_axis, y_axis
    unresolved = table[(table["lower"] <= level) & (table["upper"] >= level)]
    if not len(unresolved):
        return None
    ux = unresolved[x].to_numpy(dtype=float)
    uy = unresolved[y].to_numpy(dtype=float)
    if annotated:  # the value sits in the centre: the dot goes to a corner
        ux = ux + DOT_CORNER * _half_widths(xs, ux)
        uy = uy + DOT_CORNER * _half_widths(ys, uy)
    return ax.scatter(
        ux,
        uy,
        s=6,
        marker="o",
        color="black",
        linewidths=0,
        zorder=3,
    )


def _period(table: pd.DataFrame, years: Sequence[int] | None, baseline: int | None) -> str:
    if not years:
        ys = "in the last kept year"
    elif len(years) == 1:
        ys = str(years[0])
    else:
        ys = "mean of " + ", ".join(str(y) for y in sorted(years))
    if baseline is not None:
        return f"from {baseline} to {ys}"
    return f"in {ys}"


def _axes_text(ax, x, y, table, states, param_paths) -> None:
    """Axis labels with units, ticks at the grid values, the title with n."""
    xs = np.sort(table[x].unique()).astype(float)
    ys = np.sort(table[y].unique()).astype(float)
    paths = param_paths or {}
    ax.set_xlabel(param_axis_label(x, paths.get(x)))
    ax.set_ylabel(param_axis_label(y, paths.get(y)))
    ax.set_xlim(_edges(xs)[[0, -1]])
    ax.set_ylim(_edges(ys)[[0, -1]])
    ax.set_xticks(xs if len(xs) <= 8 else ax.get_xticks())
    ax.set_yticks(ys if len(ys) <= 8 else ax.get_yticks())
    for spine in ax.spines.values():
        spine.set_visible(False)
    n = int(table["n"].min())
    if states and len(states) == 1:
        who = label(states[0])
    else:
        who = "mean of " + (", ".join(label(s) for s in states) if states else "the states")
    ax.set_title(f"{who}; n = {n} runs per cell", fontsize="medium")


def plot_heatmap_panels(
    tables: dict[str, pd.DataFrame],
    x: str,
    y: str,
    metric: str = "autonomy_index",
    years: Sequence[int] | None = None,
    baseline_year: int | None = None,
    width: str | float = "double",
    level: float | None = None,
    param_paths: dict[str, list[str]] | None = None,
) -> Figure:
    """One phase diagram per state (``tables``: state code -> heatmap_table of that
    state) on one shared colour scale, each with its own sign-change contour. Cells
    below the level are hatched, so the sign survives grey-scale print; dots mark cells
    whose 95 % interval includes the level."""
    if not tables:
        raise ValueError("no states to draw")
    if level is None and baseline_year is not None:
        level = 0.0
    codes = list(tables)
    xs = np.sort(next(iter(tables.values()))[x].unique()).astype(float)
    ys = np.sort(next(iter(tables.values()))[y].unique()).astype(float)
    grids = {
        c: t.pivot(index=y, columns=x, values="mean").reindex(index=ys, columns=xs).to_numpy()
        for c, t in tables.items()
    }
    norm, cmap = _shared_scale(grids, level)
    w = figure_width(width)
    ncols = min(len(codes), PANEL_COLUMNS)
    nrows = -(-len(codes) // ncols)
    panel = (w - 1.2) / ncols
    ex, ey = _edges(xs), _edges(ys)
    with paper_style():
        fig = Figure(figsize=(w, nrows * (panel + 0.35) + 0.3), layout="constrained")
        grid = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False).ravel()
        axes = grid[: len(codes)]
        contour = hatched = dotted = None
        for ax, code in zip(axes, codes, strict=True):
            mesh, marks = _state_panel(ax, grids[code], tables[code], (x, xs), (y, ys), cmap,
                                       norm, level)  # fmt: skip
            # the legend shows the last artist of each kind drawn in any panel
            contour, hatched, dotted = (
                m if m is not None else old
                for m, old in zip(marks, (contour, hatched, dotted), strict=True)
            )
            _panel_frame(ax, label(code), ex, ey)
        _panels_axis_text(fig, grid, len(codes), ncols, (x, y), param_paths or {})
        what = metric_label(metric, change=baseline_year is not None)
        period = _period(tables[codes[0]], years, baseline_year)
        _colour_key(fig, mesh, list(grid), 0.8, f"{what}\n{period}")
        _panels_legend(fig, grid, len(codes), tables, (contour, hatched, dotted), level,
                       baseline_year)  # fmt: skip
    return fig


def _panel_frame(ax, title: str, ex: np.ndarray, ey: np.ndarray) -> None:
    """A state panel's title, limits at the cell edges `ex`, `ey`, no spines, few ticks."""
    ax.set_title(title)
    ax.set_xlim(ex[0], ex[-1])
    ax.set_ylim(ey[0], ey[-1])
    ax.set_aspect("auto")
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=TICKS, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=TICKS, steps=[1, 2, 5, 10]))


def _panels_axis_text(
    fig: Figure,
    grid: np.ndarray,
    n_codes: int,
    ncols: int,
    xy: tuple[str, str],
    paths: dict[str, list[str]],
) -> None:
    """Tick labels under each column's lowest panel, one label per axis, spares blank."""
    x, y = xy
    for k, ax in enumerate(grid[:n_codes]):
        if k + ncols >= n_codes:
            ax.tick_params(labelbottom=True)
    # One label per axis for the whole figure: panel-wide labels would collide.
    fig.supxlabel(param_axis_label(x, paths.get(x)), fontsize="medium")
    fig.supylabel(param_axis_label(y, paths.get(y)), fontsize="medium")
    for ax in grid[n_codes:]:
        ax.axis("off")


def _shared_scale(grids: dict[str, np.ndarray], level: float | None) -> tuple[Normalize, str]:
    """One colour scale for every panel (`_scale`)."""
    lo = min(float(np.nanmin(g)) for g in grids.values())
    hi = max(float(np.nanmax(g)) for g in grids.values())
    return _scale(lo, hi, level)


def _state_panel(ax, z: np.ndarray, t: pd.DataFrame, x_axis: tuple, y_axis: tuple, cmap, norm,
                 level: float | None):  # fmt: skip
    """One state's phase diagram: the mesh; below `level` hatched, its contour, and dots
    where the interval includes it. `x_axis`, `y_axis`: (column, sorted values). Returns
    the mesh and the last (contour, hatch, dots) artists drawn (None where none)."""
    (x, xs), (y, ys) = x_axis, y_axis
    ex, ey = _edges(xs), _edges(ys)
    contour = hatched = dotted = None
    mesh = ax.pcolormesh(ex, ey, z, cmap=cmap, norm=norm, shading="flat")
    if level is not None:
        for i, j in np.argwhere(z < level):
            hatched = ax.add_patch(
                Rectangle(
                    (ex[j], ey[i]),
                    ex[j + 1] - ex[j],
                    ey[i + 1] - ey[i],
                    fill=False,
                    hatch=HATCH,
                    edgecolor=HATCH_GREY,
                    linewidth=0,
                    zorder=1.5,
                )
            )
        if np.nanmin(z) < level < np.nanmax(z) and len(xs) > 1 and len(ys) > 1:
            cs = ax.contour(xs, ys, z, levels=[level], colors="black", linewidths=1.2)
            contour = cs.legend_elements()[0][0]
        un = t[(t["lower"] <= level) & (t["upper"] >= level)]
        if len(un):
            dotted = ax.scatter(
                un[x].astype(float),
                un[y].astype(float),
                s=4,
                color="black",
                linewidths=0,
                zorder=3,
            )
    return mesh, (contour, hatched, dotted)


def _panels_legend(fig: Figure, grid, n_codes: int, tables: dict[str, pd.DataFrame], marks,
                   level: float | None, baseline_year: int | None) -> None:  # fmt: skip
    """The key of the contour, hatching and dots (with n), in a spare panel if any."""
    contour, hatched, dotted = marks
    handles, texts = [], []
    what_level = "zero change" if baseline_year is not None else f"outcome = {level}"
    if contour is not None:
        handles.append(contour)
        texts.append(what_level)
    if hatched is not None:
        handles.append(Patch(fill=False, hatch=HATCH, edgecolor=HATCH_GREY, lw=0))
        texts.append(f"below {level:g} (hatched)")
    if dotted is not None:
        handles.append(dotted)
        texts.append(f"95 % interval includes {level:g}")
    n = min(int(t["n"].min()) for t in tables.values())
    legend = {"handles": handles, "labels": texts, "title": f"n = {n} runs per cell"}
    if not handles:  # a map of levels: only n to state
        fig.suptitle(legend["title"], fontsize="medium")
    elif len(grid) > n_codes:  # a spare panel holds the legend
        grid[-1].legend(loc="center", handlelength=1.5, **legend)
    else:
        fig.legend(loc="outside lower center", ncols=max(1, len(handles)), **legend)
