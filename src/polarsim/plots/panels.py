"""Grids of one panel per state (hindcast, forecast): their shape, and the panels a grid
leaves empty."""

from __future__ import annotations

from typing import Any

#: Panels per row of a state grid.
MAX_COLUMNS = 3


def grid_shape(n: int, max_columns: int = MAX_COLUMNS) -> tuple[int, int]:
    """(rows, columns) of a grid of `n` panels."""
    ncols = min(n, max_columns)
    return -(-n // ncols), ncols


def finish_grid(axes: Any, n: int, xlabel: str = "Year") -> None:
    """Hide the panels after the first `n` of `axes` (rows x columns, shared x axes) and
    give the panel above each hidden one the x tick labels and label the hidden one
    would have carried; label the x axes of the last row."""
    nrows, ncols = len(axes), len(axes[0])
    for k in range(n, nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
        above = axes[k // ncols - 1][k % ncols]
        above.tick_params(labelbottom=True)
        above.set_xlabel(xlabel)
    for ax in axes[-1]:
        ax.set_xlabel(xlabel)


#: The y axis of the forecast's and the hindcast's panels: the series' level (a share in
#: %, remittances in % of GDP), not the skill figure's errors in percentage points.
LEVEL_TITLES = {
    "trade_shares": "Share of total trade (%)",
    "arms_shares": "Share of arms deliveries (%)",
    "remittances": "Remittances (% of GDP)",
}
