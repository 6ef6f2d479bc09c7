"""Publication figures and tables: one look (style), reproducible files (save), the
plots and the summary tables (see docs/figures.md). Figures read result tables and
folders only: nothing here runs or analyses a model, and nothing below the study and
the command-line verbs imports this package (the import-linter contract in
pyproject.toml). The folder-level API behind `polarsim plot` and `polarsim table` is
polarsim.study.folders."""

from typing import TYPE_CHECKING

from polarsim._lazy import lazy_exports

_EXPORTS = {
    "autonomy_summary": "polarsim.summaries",
    "plot_autonomy": "polarsim.plots.autonomy",
    "plot_compare": "polarsim.plots.differences",
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
    "timeseries_summary": "polarsim.summaries",
}
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

if TYPE_CHECKING:  # for type checkers and IDEs; at run time names load on first use
    from polarsim.plots.autonomy import plot_autonomy
    from polarsim.plots.differences import plot_compare
    from polarsim.plots.geo import plot_map
    from polarsim.plots.heatmap import heatmap_table, plot_heatmap
    from polarsim.plots.save import save_figure
    from polarsim.plots.sensitivity import plot_sensitivity
    from polarsim.plots.style import paper_style
    from polarsim.plots.tables import summary_table, write_tables
    from polarsim.plots.ties import plot_network, plot_tie_shares, tie_table
    from polarsim.plots.timeseries import plot_timeseries
    from polarsim.summaries import autonomy_summary, timeseries_summary

__all__ = [
    "autonomy_summary",
    "heatmap_table",
    "paper_style",
    "plot_autonomy",
    "plot_compare",
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
    "write_tables",
]
