"""Publication figures and tables: one look (style), reproducible files (save), the
plots, the summary tables, and the folder-level API behind `polarsim plot` and
`polarsim table` (see docs/figures.md)."""

from typing import TYPE_CHECKING

from polarsim._lazy import lazy_exports

_EXPORTS = {
    "PlotResult": "polarsim.plots.api",
    "plot_folder": "polarsim.plots.api",
    "write_plot": "polarsim.plots.api",
    "autonomy_summary": "polarsim.plots.autonomy",
    "plot_autonomy": "polarsim.plots.autonomy",
    "plot_compare": "polarsim.plots.compare",
    "plot_map": "polarsim.plots.geo",
    "heatmap_table": "polarsim.plots.heatmap",
    "plot_heatmap": "polarsim.plots.heatmap",
    "save_figure": "polarsim.plots.save",
    "plot_sensitivity": "polarsim.plots.sensitivity",
    "paper_style": "polarsim.plots.style",
    "summary_table": "polarsim.plots.tables",
    "write_tables": "polarsim.plots.tables",
    "plot_network": "polarsim.plots.ties",
    "plot_tie_shares": "polarsim.plots.ties",
    "tie_table": "polarsim.plots.ties",
    "plot_timeseries": "polarsim.plots.timeseries",
    "timeseries_summary": "polarsim.plots.timeseries",
}
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

if TYPE_CHECKING:  # for type checkers and IDEs; at run time names load on first use
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
