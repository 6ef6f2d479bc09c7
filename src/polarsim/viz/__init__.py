"""Interactive exploration in the browser: `polarsim viz` (Mesa SolaraViz).

polarsim.viz.data holds the model the page steps and the tables it draws (no Solara
needed); polarsim.viz.app the page (needs the `viz` extra); polarsim.viz.serve starts it.
"""

from polarsim.viz.serve import serve

__all__ = ["serve"]
