"""The Python API behind `polarsim plot KIND FOLDER...`: read result folders, compute
the numbers a figure shows (a DataFrame), draw it, and write both. It sits above the
analyses it calls (polarsim.summaries, experiment.analyze) and the figures it draws
(polarsim.plots), beside the study that does the same for a whole paper.

    from polarsim.study.folders import plot_folder, write_plot
    p = plot_folder("timeseries", ["runs/hist"], metric="hedging_index")
    p.data          # scenario, state, year, mean, lower, upper, n
    write_plot(p, "runs/hist/figures/hedging")   # .png .pdf .svg, .csv and .json

The .json beside a figure is its provenance: the figure and its options, each source
folder with the SHA-256 of its manifest.json and the polarsim that made it, and the
versions and commit that drew the figure. It holds no date, so that the same figure
from the same results is the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from polarsim.errors import PolarsimInputError
from polarsim.plots.results import Results, load_results, sweep_param_paths
from polarsim.summaries import check_metric

__all__ = ["KINDS", "PlotResult", "plot_folder", "write_plot"]


@dataclass
class PlotResult:
    kind: str
    figure: Figure
    data: pd.DataFrame  # the numbers the figure draws
    results: Results
    options: dict[str, Any] = field(default_factory=dict)  # what plot_folder was given


def folder_names(res: Results) -> str:
    """The folders of `res` as a message names them: `FOLDER: problem`."""
    return ", ".join(str(f) for f in res.folders) or "FOLDER"


def _runs(res: Results, kind: str) -> pd.DataFrame:
    if res.kind != "runs":
        raise PolarsimInputError(
            f"`plot {kind}` reads run or comparison folders, not a sweep",
            field=folder_names(res),
        )
    return res.states


def _sweep(res: Results, kind: str) -> Results:
    if res.kind != "sweep":
        raise PolarsimInputError(
            f"`plot {kind}` reads a sweep folder, not run or comparison folders",
            field=folder_names(res),
        )
    return res


def _timeseries(
    res: Results,
    *,
    metric="autonomy_index",
    layout="panels",
    states=None,
    scenarios=None,
    width="double",
):
    from polarsim.plots.timeseries import plot_timeseries
    from polarsim.summaries import timeseries_summary

    s = _runs(res, "timeseries")
    check_metric(metric, s)
    if scenarios:
        s = s[s["scenario"].isin(scenarios)]
    fig = plot_timeseries(s, metric, layout, width, states, scenarios)
    data = timeseries_summary(s if not states else s[s["state"].isin(states)], metric)
    return fig, data


def _compare(res: Results, *, metric="autonomy_index", year=None, reference=None, width="double"):
    from polarsim.plots.differences import plot_compare
    from polarsim.summaries import comparison_from_states

    s = _runs(res, "compare")
    check_metric(metric, s)
    year = int(year) if year is not None else int(s["year"].max())
    if year not in set(s["year"]):
        raise PolarsimInputError(
            f"year {year} not in the results ({s['year'].min()}–{s['year'].max()})",
            field="--year",
        )
    table = comparison_from_states(s, metric, [year], reference)
    return plot_compare(table, metric, year, width), table


def _heatmap(
    res: Results,
    *,
    x,
    y,
    metric="autonomy_index",
    years=None,
    baseline_year=None,
    states=None,
    level=None,
    by_state=False,
    width=None,
):
    from polarsim.codes import DEFAULT_STATES
    from polarsim.plots.heatmap import heatmap_table, plot_heatmap, plot_heatmap_panels

    r = _sweep(res, "heatmap")
    check_metric(metric, r.states, exclude=r.parameters)
    have = sorted(int(v) for v in r.states["year"].unique())
    years = list(years) if years else [have[-1]]
    paths = sweep_param_paths(r.folders[0])
    if by_state:
        present = set(r.states["state"])
        codes = list(states) if states else [c for c in DEFAULT_STATES if c in present]
        codes += [] if states else sorted(present - set(DEFAULT_STATES) - {"mean"})
        tables = {
            c: heatmap_table(r.states, r.design, x, y, metric, years, baseline_year, [c])
            for c in codes
        }
        fig = plot_heatmap_panels(
            tables, x, y, metric, years, baseline_year, width or "double", level, paths
        )
        data = pd.concat([t.assign(state=c) for c, t in tables.items()], ignore_index=True)
        return fig, data
    table = heatmap_table(r.states, r.design, x, y, metric, years, baseline_year, states)
    fig = plot_heatmap(
        table, x, y, metric, years, baseline_year, states, width or "single", level, paths
    )
    return fig, table


def _sensitivity(res: Results, *, method="sobol", outcome=None, years=None, width="single"):
    from polarsim.experiment.analyze import sensitivity_table
    from polarsim.plots.sensitivity import plot_sensitivity

    r = _sweep(res, "sensitivity")
    table = sensitivity_table(method, r.folders[0], outcome, years)
    return plot_sensitivity(table, method, width), table


def _ties(res: Results, *, scenario=None, arenas=None, states=None, width="double"):
    from polarsim.codes import ARENAS
    from polarsim.plots.ties import mean_shares, plot_tie_shares

    s = _runs(res, "ties")
    arenas = list(arenas) if arenas else list(ARENAS)
    fig = plot_tie_shares(s, arenas, states, scenario, width)
    data = pd.concat(
        [mean_shares(s, a, scenario).assign(arena=a) for a in arenas], ignore_index=True
    )
    return fig, data


def _network(
    res: Results, *, year=None, scenario=None, arenas=None, min_share=None, width="double"
):
    from polarsim.codes import ARENAS
    from polarsim.plots.ties import MIN_TIE, plot_network, tie_table

    s = _runs(res, "network")
    year = int(year) if year is not None else int(s["year"].max())
    arenas = list(arenas) if arenas else list(ARENAS)
    ms = MIN_TIE if min_share is None else float(min_share)
    fig = plot_network(s, year, arenas, scenario, ms, width)
    data = pd.concat(
        [tie_table(s, year, a, scenario).assign(arena=a, year=year) for a in arenas],
        ignore_index=True,
    )
    return fig, data


def _map(res: Results, *, year=None, arena="all", scenario=None, min_share=None, width="double"):
    from polarsim.plots.geo import plot_map
    from polarsim.plots.ties import MIN_TIE, tie_table

    s = _runs(res, "map")
    year = int(year) if year is not None else int(s["year"].max())
    ms = MIN_TIE if min_share is None else float(min_share)
    fig = plot_map(s, year, arena, scenario, ms, width)
    return fig, tie_table(s, year, arena, scenario).assign(arena=arena, year=year)


KINDS: dict[str, Callable[..., tuple[Figure, pd.DataFrame]]] = {
    "timeseries": _timeseries,
    "compare": _compare,
    "heatmap": _heatmap,
    "sensitivity": _sensitivity,
    "ties": _ties,
    "network": _network,
    "map": _map,
}


def plot_folder(kind: str, folders: Sequence[str | Path], **options: Any) -> PlotResult:
    """Draw figure ``kind`` from result folders. Options are the keyword arguments of
    the matching plot function (metric, year, x, y, ...); None values are dropped.
    Bad input raises PolarsimInputError."""
    if kind not in KINDS:
        raise PolarsimInputError(f"unknown plot {kind!r}; expected one of {sorted(KINDS)}")
    res = load_results(folders)
    opts = {k: v for k, v in options.items() if v is not None}
    try:
        fig, data = KINDS[kind](res, **opts)
    except (ValueError, KeyError) as exc:
        msg = exc.args[0] if exc.args else str(exc)
        raise PolarsimInputError(str(msg), field=f"plot {kind}") from None
    return PlotResult(kind, fig, data.reset_index(drop=True), res, opts)


def write_plot(
    p: PlotResult,
    stem: str | Path,
    formats: Sequence[str] = ("png", "pdf", "svg"),
    *,
    force: bool = False,
) -> list[Path]:
    """stem.<fmt> for each format, stem.csv with the numbers drawn and stem.json with
    their provenance (`plot_provenance`), all or none; an existing file is replaced only
    with ``force`` (see polarsim.outputs.write_files)."""
    from polarsim.plots.save import save_figure

    csv = p.data.to_csv(index=False, float_format="%.10g", lineterminator="\n")
    sidecar = json.dumps(plot_provenance(p), indent=1, sort_keys=True, default=str) + "\n"
    return save_figure(p.figure, stem, formats, force=force, extra={"csv": csv, "json": sidecar})


def plot_provenance(p: PlotResult) -> dict:
    """What a figure was drawn from and with (module docstring)."""
    from polarsim.provenance import git_commit, versions

    sources = []
    for folder in p.results.folders:
        manifest = (Path(folder) / "manifest.json").read_bytes()
        made = json.loads(manifest)
        sources.append(
            {
                "folder": str(folder),
                "manifest_sha256": hashlib.sha256(manifest).hexdigest(),
                "git_commit": made.get("git_commit"),
                "polarsim": (made.get("versions") or {}).get("polarsim"),
            }
        )
    return {
        "figure": p.kind,
        "options": p.options,
        "sources": sources,
        "drawn_with": {"versions": versions(), "git_commit": git_commit()},
    }
