"""The figures each result folder gets, as hooks that the writers of those folders call
with the result and the folder (run, comparison, hindcast, skill, calibration, sweep
analysis). The command-line verbs pass them; the compute code never imports plots.

Every hook reads tables (DataFrames) and plain values of the result it is given and
writes files into the folder: figures read results, they never compute them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from polarsim.errors import PolarsimInputError
from polarsim.plots.save import save_figure

__all__ = [
    "calibration_figures",
    "comparison_figures",
    "forecast_figures",
    "hindcast_figures",
    "run_figures",
    "sensitivity_figure",
    "skill_figures",
]


def run_figures(result: Any, folder: Path) -> None:
    """figures/autonomy.{png,pdf} of a run (polarsim.run.RunResult), as the scenario's
    `outputs:` section asks (`figures`, `figure_metric`)."""
    from polarsim.plots.autonomy import plot_autonomy

    out = result.scenario.outputs
    if not out.figures:
        return
    if out.figure_metric not in result.states:
        raise PolarsimInputError(
            f"unknown states column {out.figure_metric!r}", field="outputs.figure_metric"
        )
    fig = plot_autonomy(result.states, metric=out.figure_metric)
    save_figure(fig, folder / "figures" / "autonomy")


def comparison_figures(c: Any, folder: Path) -> None:
    """figures/compare and figures/timeseries of a comparison (polarsim.compare)."""
    from polarsim.plots.differences import plot_compare
    from polarsim.plots.timeseries import plot_timeseries

    save_figure(plot_compare(c.table, c.metric), folder / "figures" / "compare")
    save_figure(plot_timeseries(c.states, c.metric), folder / "figures" / "timeseries")


def hindcast_figures(h: Any, folder: Path) -> None:
    """figures/hindcast of a hindcast (polarsim.validation.hindcast.Hindcast)."""
    from polarsim.plots.hindcast import plot_hindcast

    save_figure(plot_hindcast(h), folder / "figures" / "hindcast")


def skill_figures(s: Any, folder: Path) -> None:
    """figures/skill.{png,pdf} of a rolling-origin evaluation."""
    from polarsim.plots.skill import save_skill_figures

    save_skill_figures(s, folder)


def forecast_figures(f: Any, folder: Path) -> None:
    """figures/forecast_<series>.{png,pdf} of a forecast (polarsim.validation.forecast)."""
    from polarsim.plots.forecast import plot_forecast

    for series in dict.fromkeys(f.points["series"]):
        save_figure(plot_forecast(f, series), folder / "figures" / f"forecast_{series}")


@dataclass
class _PredictiveBands:
    """A calibration's trade-share predictive in the hindcast figure's layout."""

    points: pd.DataFrame
    bands: pd.DataFrame
    observed: pd.DataFrame
    window: tuple[int, int]
    manifest: dict


def calibration_figures(res: Any, folder: Path) -> None:
    """figures/posterior of a calibration (polarsim.calibration.abc.CalibrationResult)
    and, with held-out years, figures/fit_trade: the posterior predictive band of the
    trade shares, observations hollow in the calibration window, filled in the held-out
    one."""
    from polarsim.plots.calibration import plot_posterior
    from polarsim.plots.hindcast import plot_hindcast

    interval, held_out = res.manifest["interval"], res.manifest.get("held_out")
    save_figure(plot_posterior(res.distances, res.posterior, interval),
                folder / "figures" / "posterior")  # fmt: skip
    trade = res.predictive[res.predictive["series"] == "trade_shares"]
    if trade.empty or not held_out:
        return
    bands = trade.rename(columns={"post_mean": "sim_mean", "post_lower": "sim_lower",
                                  "post_upper": "sim_upper"})  # fmt: skip
    view = _PredictiveBands(
        points=trade[["partner"]].drop_duplicates(),
        bands=bands[["state", "partner", "year", "sim_mean", "sim_lower", "sim_upper"]],
        observed=trade.rename(columns={"observed": "share_pct"})[
            ["state", "partner", "year", "share_pct"]
        ],
        window=(held_out[0], held_out[1]),
        manifest={"hindcast": {"band_level": interval}},
    )
    model = f"posterior predictive mean and {interval:.0%} band"
    save_figure(plot_hindcast(view, model), folder / "figures" / "fit_trade")


def sensitivity_figure(
    table: pd.DataFrame, method: str, folder: Path, *, force: bool = False
) -> None:
    """figures/sensitivity_<method> beside a sweep's sensitivity table (`force`: replace
    a file of that name polarsim did not write, as `analyze --force` asks)."""
    from polarsim.plots.sensitivity import plot_sensitivity

    save_figure(
        plot_sensitivity(table, method),
        folder / "figures" / f"sensitivity_{method}",
        force=force,
    )
