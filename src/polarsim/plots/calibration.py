"""Calibration figure: for each fitted parameter, the prior sample (all design points)
against the accepted ones (the ABC posterior), with the posterior median and interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from polarsim.plots.style import DOUBLE_COLUMN, paper_style

#: Okabe-Ito grey and blue: prior and posterior.
PRIOR_COLOUR, POSTERIOR_COLOUR = "#999999", "#0072B2"
BINS = 20


def plot_posterior(distances: pd.DataFrame, posterior: pd.DataFrame, interval: float) -> Figure:
    """Histograms (densities) of each parameter over the prior sample and over the
    accepted points (weighted); vertical lines at the estimate and the interval's
    bounds."""
    names = list(posterior["parameter"])
    # the prior sample is the first generation (all of it for rejection ABC); the
    # posterior the accepted points of the last, with their SMC weights if any
    gen = distances["generation"] if "generation" in distances else pd.Series(0, distances.index)
    first = (gen == gen.min()).to_numpy()
    accepted = distances["accepted"].to_numpy(dtype=bool)
    weights = distances["weight"].to_numpy()[accepted] if "weight" in distances else None
    ncols = min(len(names), 3)
    nrows = -(-len(names) // ncols)
    with paper_style():
        fig = Figure(figsize=(DOUBLE_COLUMN, 1.9 * nrows + 0.5), layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for k, row in enumerate(posterior.itertuples(index=False)):
            ax = axes[k // ncols][k % ncols]
            v = distances[row.parameter].to_numpy(dtype=float)
            edges = np.linspace(v.min(), v.max(), BINS + 1)
            ax.hist(v[first], bins=edges, density=True, color=PRIOR_COLOUR, alpha=0.5,
                    label="prior")  # fmt: skip
            ax.hist(v[accepted], bins=edges, weights=weights, density=True,
                    color=POSTERIOR_COLOUR, alpha=0.6, label="posterior")  # fmt: skip
            ax.axvline(row.estimate, color=POSTERIOR_COLOUR, lw=1.2)
            for b in (row.lower, row.upper):
                ax.axvline(b, color=POSTERIOR_COLOUR, lw=0.8, linestyle="--")
            ax.set_xlabel(row.parameter)
            ax.set_yticks([])
        for k in range(len(names), nrows * ncols):
            axes[k // ncols][k % ncols].set_visible(False)
        fig.legend(
            *axes[0][0].get_legend_handles_labels(),
            loc="outside upper center",
            ncols=2,
            title=f"ABC posterior: median (solid) and {interval:.0%} interval (dashed)",
        )
    return fig
