"""Publication figures and tables: one look (style), reproducible files (save), the
plots, the summary tables, and the folder-level API behind `polarsim plot` and
`polarsim table` (see docs/figures.md)."""

from polarsim.plots.api import PlotResult, plot_folder, write_plot
from polarsim.plots.autonomy import autonomy_summary, plot_autonomy
from polarsim.plots.compare import plot_compare
from polarsim.plots.geo import plot_map
from polarsim.plots.heatmap import heatmap_table, plot_heatmap
from polarsim.plots.save import save_figure
from polarsim.plots.sensitivity import plot_sensitivity
from polarsim.plots.style import paper_style
from polarsim.plots.tables import summary_table, write_tables
from polarsim.plots.ties import plot_network, plot_tie_shares, tie_table
from polarsim.plots.timeseries import plot_timeseries, timeseries_summary

__all__ = [
    "PlotResult",
    "autonomy_summary",
    "heatmap_table",
    "paper_style",
    "plot_autonomy",
    "plot_compare",
    "plot_folder",
    "plot_heatmap",
    "plot_map",
    "plot_network",
    "plot_sensitivity",
    "plot_tie_shares",
    "plot_timeseries",
    "save_figure",
    "summary_table",
    "tie_table",
    "timeseries_summary",
    "write_plot",
    "write_tables",
]
