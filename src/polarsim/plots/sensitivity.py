"""Sensitivity indices of a sweep: Sobol first-order (S1) and total (ST) indices with
their 95 % confidence bars, or Morris mu* against sigma.

Indices are not actors, so they are drawn in neutral black and grey (with a hatch for
the total index) and never in a power's colour."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from polarsim.plots.labels import metric_label, param_label
from polarsim.plots.style import DEFAULT_HEIGHT, figure_width, paper_style

__all__ = ["plot_sensitivity"]

_S1 = "#000000"
_ST = "#AAAAAA"
#: Height per parameter row of a Sobol bar chart, inches.
ROW_HEIGHT = 0.3
#: Characters per line of a parameter's tick label.
LABEL_WIDTH = 18


def _outcome(table: pd.DataFrame) -> str:
    return str(table["outcome"].iloc[0]) if "outcome" in table.columns else "the outcome"


def plot_sensitivity(table: pd.DataFrame, method: str, width: str | float = "single") -> Figure:
    """``table`` from polarsim.experiment.analyze.sensitivity_table (or the CSV
    `polarsim analyze` writes). Sobol: parameters sorted by ST, largest first."""
    if method not in ("sobol", "morris"):
        raise ValueError(f"method must be sobol or morris, got {method!r}")
    outcome = _outcome(table)
    what = metric_label(outcome) if outcome != "the outcome" else outcome
    w = figure_width(width)
    with paper_style():
        if method == "sobol":
            return _sobol_bars(table, _outcome_name(what), w)
        return _morris_scatter(table, what, w)


def _outcome_name(what: str) -> str:
    """The outcome's label without its unit, lower-cased to stand inside a sentence."""
    name = what[: what.rfind(" (")] if what.endswith(")") else what
    return name[0].lower() + name[1:]


def _sobol_bars(table: pd.DataFrame, name: str, w: float) -> Figure:
    """S1 and ST with their confidence bars, one pair of bars per parameter, largest ST first."""
    t = table.sort_values(["ST", "parameter"], ascending=[False, True], kind="mergesort")
    fig = Figure(figsize=(w, max(DEFAULT_HEIGHT, ROW_HEIGHT * len(t) + 1.1)), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(t))
    ax.barh(
        y - 0.2,
        t["S1"],
        0.38,
        xerr=t["S1_conf"],
        color=_S1,
        error_kw={"elinewidth": 0.8, "capsize": 1.5, "ecolor": "#555555"},
        label="first order $S_1$",
    )
    ax.barh(
        y + 0.2,
        t["ST"],
        0.38,
        xerr=t["ST_conf"],
        color=_ST,
        hatch="////",
        edgecolor="#555555",
        linewidth=0.4,
        error_kw={"elinewidth": 0.8, "capsize": 1.5, "ecolor": "#000000"},
        label="total $S_T$",
    )
    ax.set_yticks(y, [textwrap.fill(param_label(p), LABEL_WIDTH) for p in t["parameter"]])
    ax.tick_params(axis="y", length=0)
    ax.invert_yaxis()
    ax.axvline(0.0, color="#000000", lw=0.6)
    ax.set_xlabel("Sobol index (share of variance)")
    fig.legend(
        loc="outside upper center",
        ncols=2,
        title=f"Sensitivity of {name}; bars: 95 % CI (bootstrap)",
    )
    return fig


def _morris_scatter(table: pd.DataFrame, what: str, w: float) -> Figure:
    """Morris mu* (with its confidence bar) against sigma, one labelled point per parameter."""
    fig = Figure(figsize=(w, max(DEFAULT_HEIGHT, 0.85 * w)), layout="constrained")
    ax = fig.add_subplot()
    ax.errorbar(
        table["mu_star"],
        table["sigma"],
        xerr=table["mu_star_conf"],
        fmt="o",
        color="#000000",
        ms=3.5,
        elinewidth=0.8,
        capsize=1.5,
        label=r"$\mu^*$ with 95 % CI",
    )
    for r in table.sort_values("parameter").itertuples(index=False):
        ax.annotate(
            param_label(r.parameter),
            (r.mu_star, r.sigma),
            fontsize=6,
            xytext=(3, 3),
            textcoords="offset points",
        )
    unit = what[what.rfind("(") + 1 : -1] if what.endswith(")") else "outcome units"
    ax.set_xlabel(rf"Morris $\mu^*$, mean |elementary effect| ({unit})")
    ax.set_ylabel(rf"Morris $\sigma$, sd of elementary effects ({unit})")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", title=f"Sensitivity of {_outcome_name(what)}")
    return fig
