"""Rolling-origin skill figures. `plot_skill`: one column per outcome series; above, the
mean absolute error of the model and of the three baselines by horizon; below, the
coverage of the model's and the naive 90 % bands by horizon, with the nominal level
drawn. `plot_reliability`: the coverage of both bands against their nominal level
(50-95 %) with bootstrap intervals, one panel per series, with the diagonal a
calibrated band lies on."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from polarsim.plots.style import DOUBLE_COLUMN, paper_style, scenario_style


class Skill(Protocol):
    """What the figure reads of polarsim.validation.skill.Skill: figures read tables."""

    table: pd.DataFrame
    origins: tuple[int, ...]
    report_from: int
    manifest: dict
    reliability: pd.DataFrame


#: Forecasts drawn, in legend order, with their display names.
FORECAST_NAMES = {
    "model": "polarsim (replicate median)",
    "persistence": "persistence",
    "trend": "linear trend",
    "ets": "damped-trend exponential smoothing",
}
#: Bands in the style of the forecast they are centred on (model; persistence).
BAND_NAMES = {"model": "polarsim band", "naive": "naive band (persistence ± past changes)"}
BAND_STYLE = {"model": 0, "naive": 1}
SERIES_TITLES = {
    "trade_shares": "Trade shares (pp)",
    "arms_shares": "Arms-supplier shares (pp)",
    "remittances": "Remittances (pp of GDP)",
}


def _by_horizon(table: pd.DataFrame, series: str) -> pd.DataFrame:
    t = table[(table["series"] == series) & table["horizon"].str.isdigit()].copy()
    t["h"] = t["horizon"].astype(int)
    return t.sort_values("h")


def plot_skill(s: Skill) -> Figure:
    """MAE by horizon (top) and band coverage by horizon (bottom), per series."""
    series = list(dict.fromkeys(s.table["series"]))
    level = s.manifest.get("level", 0.9)
    with paper_style():
        fig = Figure(figsize=(DOUBLE_COLUMN, 4.2), layout="constrained")
        axes = fig.subplots(2, len(series), sharex=True, squeeze=False)
        for k, name in enumerate(series):
            t = _by_horizon(s.table, name)
            top, bottom = axes[0][k], axes[1][k]
            for i, (f, text) in enumerate(FORECAST_NAMES.items()):
                c, ls, m = scenario_style(i)
                top.plot(t["h"], t[f"mae_{f}"], color=c, linestyle=ls, marker=m, label=text)
            for b, text in BAND_NAMES.items():
                c, ls, m = scenario_style(BAND_STYLE[b])
                bottom.plot(t["h"], t[f"coverage_{b}"], color=c, linestyle=ls, marker=m,
                            label=text)  # fmt: skip
            bottom.axhline(level, color="#555555", lw=0.6, linestyle=":",
                           label=f"nominal coverage {level:.0%}")  # fmt: skip
            bottom.set_ylim(0, 1.02)
            top.set_title(SERIES_TITLES.get(name, name))
            bottom.set_xlabel("Years ahead")
            bottom.xaxis.get_major_locator().set_params(integer=True)
        axes[0][0].set_ylabel("Mean absolute error")
        axes[1][0].set_ylabel(f"Coverage of the {level:.0%} band")
        h1, l1 = axes[0][0].get_legend_handles_labels()
        h2, l2 = axes[1][0].get_legend_handles_labels()
        fig.legend(
            h1 + h2, l1 + l2, loc="outside lower center", ncols=2,
            title=f"origins {s.report_from}-{max(s.origins)}, scored to "
            f"{s.manifest.get('last_year')}{_refit_text(s.manifest)}",
        )  # fmt: skip
    return fig


def _refit_text(manifest: dict) -> str:
    """What a reader must know of the parameters: which were re-estimated at each
    origin (out of sample), or that none was (`polarsim skill --refit`)."""
    if "refit" not in manifest:  # a folder written before the option
        return ""
    # a parameter re-estimated at no origin (too few data at all of them) is not named
    done = {n: r for n, r in manifest["refit"].items() if r.get("values")}
    if not done:
        return "; no parameter re-estimated at the origins"
    where = (
        "at each origin with enough data"
        if any(r.get("kept_scenario_value") for r in done.values())
        else "at each origin"
    )
    return f"; {', '.join(n.replace('_', ' ') for n in done)} re-estimated {where}"


def plot_reliability(s: Skill) -> Figure:
    """Coverage of the model's and the naive band against the nominal level, per series
    (horizons of the reliability table, reported origins): on the diagonal a band is
    calibrated, above it too wide, below it too narrow. Bars: each coverage's bootstrap
    interval over state-partner pairs (validation.skill.coverage_interval), where the
    table holds it."""
    rel = s.reliability
    series = list(dict.fromkeys(rel["series"]))
    with paper_style():
        fig = Figure(figsize=(DOUBLE_COLUMN, 2.6), layout="constrained")
        axes = fig.subplots(1, len(series), sharey=True, squeeze=False)[0]
        for ax, name in zip(axes, series, strict=True):
            t = rel[rel["series"] == name].sort_values("level")
            ax.plot([0, 1], [0, 1], color="#555555", lw=0.6, linestyle=":")
            for k, (b, text) in enumerate(BAND_NAMES.items()):
                c, ls, m = scenario_style(BAND_STYLE[b])
                x = t["level"].to_numpy(dtype=float) + (k - 0.5) * 0.006  # bars side by side
                y = t[f"coverage_{b}"].to_numpy(dtype=float)
                ax.plot(x, y, color=c, linestyle=ls, marker=m, label=text)
                if f"coverage_{b}_low" in t:  # the bootstrap interval of each coverage
                    err = [y - t[f"coverage_{b}_low"], t[f"coverage_{b}_high"] - y]
                    ax.errorbar(x, y, yerr=np.abs(np.asarray(err, dtype=float)), fmt="none",
                                ecolor=c, elinewidth=0.6, capsize=1.5)  # fmt: skip
            lo = min(0.4, float(t["level"].min()) - 0.1)
            ax.set_xlim(lo, 1.0)
            ax.set_ylim(lo, 1.02)
            ax.set_title(SERIES_TITLES.get(name, name))
            ax.set_xlabel("Nominal level of the band")
        axes[0].set_ylabel("Coverage")
        handles, labels = axes[0].get_legend_handles_labels()
        horizons = rel["horizon"].iloc[0] if "horizon" in rel else ""
        fig.legend(
            handles, labels, loc="outside lower center", ncols=2,
            title=f"origins {s.report_from}-{max(s.origins)}, horizons "
            f"{horizons}{_refit_text(s.manifest)}",
        )  # fmt: skip
    return fig


def save_skill_figures(s: Skill, folder: Path) -> None:
    """figures/skill.{png,pdf}, and figures/reliability.{png,pdf} where the evaluation
    has a reliability table, in `folder` (write_skill's `figures` hook)."""
    from polarsim.plots.save import save_figure

    save_figure(plot_skill(s), folder / "figures" / "skill", ("png", "pdf"))
    rel = getattr(s, "reliability", None)
    if rel is not None and not rel.empty:
        save_figure(plot_reliability(s), folder / "figures" / "reliability", ("png", "pdf"))
