"""Sensitivity indices: Sobol first-order and total indices with confidence bars, or
Morris mu* against sigma."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from polarsim.plots.style import DEFAULT_HEIGHT, SINGLE_COLUMN, paper_style


def plot_sensitivity(table: pd.DataFrame, method: str) -> Figure:
    with paper_style():
        fig = Figure(
            figsize=(SINGLE_COLUMN, max(DEFAULT_HEIGHT, 0.25 * len(table) + 1.0)),
            layout="constrained",
        )
        ax = fig.subplots()
        if method == "sobol":
            y = np.arange(len(table))
            ax.barh(
                y + 0.2,
                table["S1"],
                0.4,
                xerr=table["S1_conf"],
                color="#0072B2",
                label="first order S1",
            )
            ax.barh(
                y - 0.2,
                table["ST"],
                0.4,
                xerr=table["ST_conf"],
                color="#D55E00",
                hatch="//",
                label="total ST",
            )
            ax.set_yticks(y, table["parameter"])
            ax.set_xlabel("Sobol index (95 % CI)")
            ax.invert_yaxis()
            ax.legend(loc="lower right")
        else:
            ax.errorbar(
                table["mu_star"],
                table["sigma"],
                xerr=table["mu_star_conf"],
                fmt="o",
                color="#0072B2",
            )
            for _, r in table.iterrows():
                ax.annotate(
                    r["parameter"],
                    (r["mu_star"], r["sigma"]),
                    fontsize=6,
                    xytext=(3, 3),
                    textcoords="offset points",
                )
            ax.set_xlabel("Morris mu* (95 % CI)")
            ax.set_ylabel("Morris sigma")
        ax.set_title(f"Sensitivity of {table['outcome'].iloc[0]}" if "outcome" in table else "")
    return fig
