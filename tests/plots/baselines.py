"""The three key figures compared against committed images (tests/baseline_images),
drawn from the committed fixture tables, never from a live model run.

Update the images after an intended change of a figure's look:
    PYTHONPATH=src python scripts/update_baselines.py
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "plots"
BASELINES = ROOT / "tests" / "baseline_images"
#: RMS difference (0-255 scale) allowed by matplotlib.testing.compare.compare_images:
#: absorbs anti-aliasing differences between FreeType builds, not a changed line.
TOLERANCE = 2.0
#: The scenario paths of the fixture sweep's parameters (scripts/make_plot_fixtures.py).
PARAM_PATHS = {
    "exclusivity": [f"powers.{p}.exclusivity" for p in ("CHN", "RUS", "USA")],
    "rivalry": ["relations.CHN-RUS"],
}


def runs_states() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "runs_states.csv")


def sweep_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        pd.read_csv(FIXTURES / "sweep_results.csv"),
        pd.read_csv(FIXTURES / "sweep_design.csv"),
    )


def timeseries_figure() -> Figure:
    from polarsim.plots.timeseries import plot_timeseries

    return plot_timeseries(runs_states(), "autonomy_index")


def compare_figure() -> Figure:
    from polarsim.plots.differences import plot_compare
    from polarsim.summaries import comparison_from_states

    table = comparison_from_states(runs_states(), "autonomy_index", [2050])
    return plot_compare(table, "autonomy_index", 2050)


def heatmap_figure() -> Figure:
    from polarsim.plots.heatmap import heatmap_table, plot_heatmap

    results, design = sweep_tables()
    table = heatmap_table(
        results, design, "exclusivity", "rivalry", years=[2050], baseline_year=2024
    )
    return plot_heatmap(
        table,
        "exclusivity",
        "rivalry",
        years=[2050],
        baseline_year=2024,
        param_paths=PARAM_PATHS,
    )


FIGURES: dict[str, Callable[[], Figure]] = {
    "timeseries": timeseries_figure,
    "compare": compare_figure,
    "heatmap": heatmap_figure,
}
