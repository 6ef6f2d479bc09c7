"""Publication figures: one look (style), reproducible files (save), the plots."""

from polarsim.plots.autonomy import autonomy_summary, plot_autonomy
from polarsim.plots.save import save_figure
from polarsim.plots.style import paper_style

__all__ = ["autonomy_summary", "paper_style", "plot_autonomy", "save_figure"]
