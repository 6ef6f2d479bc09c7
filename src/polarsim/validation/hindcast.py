"""Hindcast: run a scenario with replicates and compare its trade shares by partner with
observed ones, next to two naive forecasts (persistence and linear trend). The Python
API behind `polarsim hindcast`.

>>> from polarsim.validation import hindcast, write_hindcast
>>> h = hindcast("scenarios/historical.yaml", replicates=10)          # doctest: +SKIP
>>> h.table[h.table["level"] == "overall"]                           # doctest: +SKIP
>>> write_hindcast(h, "runs/hindcast")                               # doctest: +SKIP
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import norm

from polarsim.errors import PolarsimInputError
from polarsim.experiment.spec import file_sha256
from polarsim.observations.measures import coverage, mae, naive_forecasts
from polarsim.observations.trade import (
    bundled_observations,
    load_observations,
    read_observations,
)

#: Held-out window of the bundled data alone: the naive forecasts use 2000-2007.
DEFAULT_WINDOW: tuple[int, int] = (2008, 2010)

#: Central band whose coverage is reported (predictive and replicates-only).
BAND_LEVEL = 0.9

LEVELS = ("overall", "partner", "state", "state_partner")
ALL = "all"


@dataclass
class Hindcast:
    """`table`: errors per level (overall, year, partner, state, state x partner); `points`:
    one row per compared observation; `bands`: simulated mean and band per state,
    partner and year; `observed`: every observation used (history and window);
    `skipped`: observations of the window not compared, with the reason."""

    table: pd.DataFrame
    points: pd.DataFrame
    bands: pd.DataFrame
    observed: pd.DataFrame
    skipped: pd.DataFrame
    window: tuple[int, int]
    manifest: dict = field(default_factory=dict)


def simulated_shares(states: pd.DataFrame, powers: Sequence[str]) -> pd.DataFrame:
    """Long table of the model's trade shares in percent: replicate, year, state,
    partner, share_pct (the states table's trade_share_<P> x 100)."""
    parts = []
    for p in powers:
        col = f"trade_share_{p}"
        if col not in states.columns:
            raise PolarsimInputError(f"the states table has no column {col}")
        parts.append(
            pd.DataFrame(
                {
                    "replicate": states["replicate"].to_numpy(),
                    "year": states["year"].to_numpy(dtype=np.int64),
                    "state": states["state"].to_numpy(),
                    "partner": p,
                    "share_pct": 100.0 * states[col].to_numpy(dtype=float),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


#: Standard-normal quantile points that spread each replicate over the forecast error
#: (deterministic, so a hindcast needs no random draws of its own).
ERROR_POINTS = 200


def simulated_bands(
    sim: pd.DataFrame,
    level: float = BAND_LEVEL,
    start_year: int | None = None,
    error_sd_log: float = 0.0,
) -> pd.DataFrame:
    """Per state, partner and year: the mean over replicates, the central `level` band
    of the replicates (`rep_lower`, `rep_upper`) and the predictive band (`sim_lower`,
    `sim_upper`): each replicate's share times exp(error_sd_log * sqrt(years since
    `start_year`) * z) over ERROR_POINTS normal quantiles z, so the band also holds the
    model's structural error (parameters.forecast). Without an error it is the
    replicates' band."""
    keys = ["state", "partner", "year"]
    g = sim.groupby(keys, sort=False)["share_pct"]
    out = g.mean().rename("sim_mean").reset_index()
    tail = (1.0 - level) / 2.0
    out["rep_lower"] = g.quantile(tail).to_numpy()
    out["rep_upper"] = g.quantile(1.0 - tail).to_numpy()
    out["replicates"] = g.size().to_numpy()
    if start_year is None or error_sd_log <= 0:
        out["sim_lower"], out["sim_upper"] = out["rep_lower"], out["rep_upper"]
        return out
    z = norm.ppf((np.arange(ERROR_POINTS) + 0.5) / ERROR_POINTS)
    ahead = np.sqrt(np.maximum(sim["year"].to_numpy() - start_year, 0))
    spread = np.exp(error_sd_log * ahead[:, None] * z[None, :])  # (rows, points)
    wide = pd.DataFrame(
        {
            **{k: np.repeat(sim[k].to_numpy(), ERROR_POINTS) for k in keys},
            "share_pct": np.clip((sim["share_pct"].to_numpy()[:, None] * spread).ravel(), 0, 100),
        }
    )
    w = wide.groupby(keys, sort=False)["share_pct"]
    bands = pd.DataFrame({"sim_lower": w.quantile(tail), "sim_upper": w.quantile(1.0 - tail)})
    return out.merge(bands.reset_index(), on=keys, how="left", validate="1:1")


def default_window(user: pd.DataFrame, bundled_last: int) -> tuple[int, int]:
    """The users' years after the bundled data's last year; all their years if none
    is later; DEFAULT_WINDOW without user files."""
    user = user.dropna(subset=["share_pct"])
    if user.empty:
        return DEFAULT_WINDOW
    yrs = user["year"][user["year"] > bundled_last]
    yrs = yrs if not yrs.empty else user["year"]
    return int(yrs.min()), int(yrs.max())


def compare_shares(
    bands: pd.DataFrame,
    observed: pd.DataFrame,
    window: tuple[int, int],
    powers: Sequence[str],
    states: Sequence[str],
    start_year: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(points, skipped): the observations of the window joined with the simulated band
    and the naive forecasts from the observations before the window. An observation
    is skipped (with a reason) when its state or partner is not in the scenario, its
    year is not simulated or is the scenario's `start_year`, or its series has fewer
    than two observations before the window (no persistence, or no trend)."""
    first, last = window
    inside = observed[(observed["year"] >= first) & (observed["year"] <= last)].copy()
    sim_years = set(bands["year"].unique())
    reason = pd.Series("", index=inside.index, dtype=object)
    reason[~inside["state"].isin(states)] = "state not in the scenario"
    reason[(reason == "") & ~inside["partner"].isin(powers)] = "partner not a power of the scenario"
    if sim_years:
        lo, hi = min(sim_years), max(sim_years)
        span = f"year outside the simulated years {lo}-{hi}"
    else:
        span = "year outside the simulated years"
    reason[(reason == "") & ~inside["year"].isin(sim_years)] = span
    if start_year is not None:  # set from the data: comparing it tests nothing
        reason[(reason == "") & (inside["year"] == start_year)] = (
            "the scenario's start year (its ties are the data of that year)"
        )
    fc = naive_forecasts(observed, inside.reset_index(), first)
    fc.index = fc.pop("index")
    # persistence needs one earlier year, the trend two: a series with one is skipped
    # too (both baselines are scored on the same rows), and says so
    no_history = fc["persistence"].isna().reindex(reason.index).to_numpy()
    one_year = fc["trend"].isna().reindex(reason.index).to_numpy() & ~no_history
    reason[(reason == "") & no_history] = (
        f"no observation of the series before {first} (no naive forecast)"
    )
    reason[(reason == "") & one_year] = (
        f"one observation of the series before {first} (no trend forecast)"
    )
    kept = inside[reason == ""]
    points = kept.merge(bands, on=["state", "partner", "year"], how="left", validate="1:1")
    points = points.merge(
        fc.loc[reason == "", ["state", "partner", "year", "persistence", "trend"]],
        on=["state", "partner", "year"],
        how="left",
        validate="1:1",
    )
    points = points.rename(columns={"share_pct": "observed"})
    for side in ("lower", "upper"):  # bands given without a replicates-only part
        if f"rep_{side}" not in points:
            points[f"rep_{side}"] = points[f"sim_{side}"]
    points["covered"] = (points["sim_lower"] <= points["observed"]) & (
        points["observed"] <= points["sim_upper"]
    )
    points = points[
        ["state", "partner", "year", "observed", "sim_mean", "sim_lower", "sim_upper",
         "covered", "rep_lower", "rep_upper", "persistence", "trend", "file"]
    ]  # fmt: skip
    dropped = inside[reason != ""].assign(reason=reason[reason != ""])
    skipped = (
        dropped.groupby(["reason", "state", "partner"], sort=True)
        .agg(n=("year", "size"), first_year=("year", "min"), last_year=("year", "max"))
        .reset_index()
    )
    return points.sort_values(["state", "partner", "year"]).reset_index(drop=True), skipped


def _errors(g: pd.DataFrame, level: float) -> dict:
    from polarsim.validation.skill import interval_score

    def score(lower: str, upper: str) -> float:
        # a coverage alone rewards a band for being wide; the interval score also
        # charges its width (a proper score, as `skill` reports)
        if not len(g):
            return float("nan")
        return float(np.mean(interval_score(g["observed"], g[lower], g[upper], level)))

    return {
        "n": len(g),
        "mae_model_pp": mae(g["sim_mean"], g["observed"]),
        "coverage_90": coverage(g["observed"], g["sim_lower"], g["sim_upper"]),
        "coverage_90_replicates": coverage(g["observed"], g["rep_lower"], g["rep_upper"]),
        "interval_score_90": score("sim_lower", "sim_upper"),
        "interval_score_90_replicates": score("rep_lower", "rep_upper"),
        "mae_persistence_pp": mae(g["persistence"], g["observed"]),
        "mae_trend_pp": mae(g["trend"], g["observed"]),
    }


def error_table(points: pd.DataFrame, level: float = BAND_LEVEL) -> pd.DataFrame:
    """MAE of the replicate mean, the coverage and interval score of both central
    `level` bands (the `_90` columns hold the band of `level`, 0.9 by default) and the
    naive forecasts' MAE, overall, per year (how the errors grow with the years since
    the start; `year` is empty on the other levels), per partner, per state and per
    state x partner."""
    rows = [{"level": "overall", "state": ALL, "partner": ALL, **_errors(points, level)}]
    for y, g in points.groupby("year", sort=True):
        rows.append({"level": "year", "state": ALL, "partner": ALL, "year": y, **_errors(g, level)})
    for p, g in points.groupby("partner", sort=True):
        rows.append({"level": "partner", "state": ALL, "partner": p, **_errors(g, level)})
    for s, g in points.groupby("state", sort=False):
        rows.append({"level": "state", "state": s, "partner": ALL, **_errors(g, level)})
    for (s, p), g in points.groupby(["state", "partner"], sort=False):
        rows.append({"level": "state_partner", "state": s, "partner": p, **_errors(g, level)})
    table = pd.DataFrame(rows)
    year = table.pop("year") if "year" in table else pd.Series(pd.NA, index=table.index)
    table.insert(3, "year", year.astype("Int64"))
    return table


def hindcast(
    scenario: str | Path,
    observed: Sequence[str | Path] = (),
    replicates: int = 10,
    seed: int = 0,
    first: int | None = None,
    last: int | None = None,
    overrides: Sequence[str] = (),
    band_level: float = BAND_LEVEL,
    progress: bool = False,
    command: list[str] | None = None,
    posterior: str | Path | None = None,
    observed_from: int | None = None,
) -> Hindcast:
    """Run `scenario` with `replicates` and compare its trade shares with the bundled
    observations and the files in `observed` (a user row wins over a bundled one).

    The window defaults to the files' years after 2015 (the bundled data's last year),
    or DEFAULT_WINDOW (2008-2010) for the bundled data alone; `first`/`last` set it.
    `posterior` (a `polarsim calibrate` output folder) draws each replicate's parameters
    from the calibration's accepted points: the band then holds parameter uncertainty.
    With `observed_from` the files' values count only from that year on and the bundled
    ones stand before it (a later vintage's revisions of earlier years are left out, so
    persistence and the trend start from the data the scenario starts from).
    """
    from polarsim.run import check_replicates, run
    from polarsim.validation.skill import check_level

    check_replicates(replicates)
    band_level = check_level(band_level, "band_level")
    if isinstance(observed, str | Path):
        raise PolarsimInputError(
            f"expected a list of observation files, found {str(observed)!r} "
            f"(write [{str(observed)!r}] for one)",
            field="--observed",
        )
    merged, user = load_observations(observed)
    _check_files(observed, observed_from)
    if observed_from is not None and len(observed):
        bundled = bundled_observations()
        merged = pd.concat(
            [bundled[bundled["year"] < observed_from], merged[merged["year"] >= observed_from]],
            ignore_index=True,
        )
        user = user[user["year"] >= observed_from]
    draws = None
    if posterior is not None:  # the folder first: its problem is the option's
        from polarsim.validation.posterior import posterior_sets

        draws = posterior_sets(posterior)
    window = _window(user, first, last)
    _check_window_in_run(scenario, overrides, window, first, last)
    _check_something_compared(scenario, overrides, merged, user, window)
    if draws is None:
        result = run(scenario, seed=seed, replicates=replicates, overrides=list(overrides),
                     progress=progress, command=command)  # fmt: skip
    else:
        from polarsim.validation.posterior import run_posterior

        result = run_posterior(scenario, *draws, seed, replicates, overrides, command)
    sc = result.scenario
    bands = simulated_bands(
        simulated_shares(result.states, sc.power_codes),
        band_level,
        sc.time.start_year,
        sc.parameters.forecast.trade_share_error_sd_log,
    )
    points, skipped = compare_shares(
        bands, merged, tuple(window), sc.power_codes, sc.state_codes, sc.time.start_year
    )
    skipped = _with_blank_cells(skipped, user, window)
    if points.empty:
        _nothing_compared(window, skipped, sc.time.start_year)
    man = dict(result.manifest)
    man["hindcast"] = {
        "window": window,
        "band_level": band_level,
        "replicates": int(replicates),
        "forecast_error_sd_log": sc.parameters.forecast.trade_share_error_sd_log,
        "posterior": str(posterior) if posterior is not None else None,
        "observed_files": [{"path": str(p), "sha256": file_sha256(p)} for p in observed],
        "observed_from": observed_from,
        "bundled": "trade_shares.csv, recommended basis (user rows win)",
        "compared": len(points),
        "skipped": int(skipped["n"].sum()) if not skipped.empty else 0,
        "measures": "docs/validation.md",
    }
    return Hindcast(
        table=error_table(points, band_level),
        points=points,
        bands=bands,
        observed=merged,
        skipped=skipped,
        window=(window[0], window[1]),
        manifest=man,
    )


def _check_files(paths: Sequence[str | Path], observed_from: int | None) -> None:
    """Each file adds an observation to the bundled ones (from `observed_from` on) and
    holds percent, not fractions of 1 (validation.skill._check_file_rows)."""
    from polarsim.validation.skill import _check_file_rows

    bundled = bundled_observations().rename(columns={"share_pct": "observed"})
    for p in paths:
        rows = read_observations(p).rename(columns={"share_pct": "observed"})
        rows = rows.dropna(subset=["observed"])
        if observed_from is not None:
            rows = rows[rows["year"] >= observed_from]
        _check_file_rows("trade_shares", Path(p), rows, bundled, observed_from)


def _window(user: pd.DataFrame, first: int | None, last: int | None) -> list[int]:
    """[first, last] compared years: default_window, each end replaced when given."""
    bundled_last = int(bundled_observations()["year"].max())
    window = list(default_window(user, bundled_last))
    window[0] = first if first is not None else window[0]
    window[1] = last if last is not None else window[1]
    if window[0] > window[1]:
        raise PolarsimInputError(
            f"the compared window is empty ({window[0]} > {window[1]})", field="--from/--to"
        )
    return window


def _check_window_in_run(
    scenario, overrides: Sequence[str], window: list[int], first: int | None, last: int | None
) -> None:
    """A compared year given by --from lies after the scenario's start year (which
    reproduces the data, and before which persistence would know less than the model),
    one given by --to up to its last year; checked before the runs. The default window
    is left to the comparison, which skips the years a run does not simulate and says
    what to do when none is left."""
    if first is None and last is None:
        return
    from polarsim import load_scenario

    t = load_scenario(scenario, list(overrides)).time
    if first is not None and window[0] <= t.start_year:
        raise PolarsimInputError(
            f"expected a first compared year after the scenario's start year "
            f"{t.start_year}, found {window[0]}",
            field="--from",
        )
    if last is not None and window[1] > t.end_year:
        raise PolarsimInputError(
            f"expected a last compared year up to the scenario's last year {t.end_year}, "
            f"found {window[1]}",
            field="--to",
        )


def _check_something_compared(
    scenario, overrides: Sequence[str], merged: pd.DataFrame, user: pd.DataFrame, window
) -> None:
    """Refuse before the runs a window in which no observation can be compared: which
    observations compare_shares keeps depends on the scenario's states, powers and
    years and on the observations alone, not on the simulated values, so it is asked
    here with a band of every (state, partner, simulated year) left empty."""
    from polarsim import load_scenario

    sc = load_scenario(scenario, list(overrides))
    grid = pd.MultiIndex.from_product(
        [sc.state_codes, sc.power_codes, list(sc.years)], names=["state", "partner", "year"]
    ).to_frame(index=False)
    for col in ("sim_mean", "sim_lower", "sim_upper"):
        grid[col] = np.nan
    points, skipped = compare_shares(
        grid, merged, tuple(window), sc.power_codes, sc.state_codes, sc.time.start_year
    )
    if points.empty:
        _nothing_compared(window, _with_blank_cells(skipped, user, window), sc.time.start_year)


def _with_blank_cells(skipped: pd.DataFrame, user: pd.DataFrame, window) -> pd.DataFrame:
    """`skipped` with the users' empty share_pct cells of the window counted."""
    blank = user[user["share_pct"].isna() & user["year"].between(*window)]
    if blank.empty:
        return skipped
    extra = (
        blank.assign(reason="empty share_pct cell in the file")
        .groupby(["reason", "state", "partner"], sort=True)
        .agg(n=("year", "size"), first_year=("year", "min"), last_year=("year", "max"))
        .reset_index()
    )
    return pd.concat([skipped, extra], ignore_index=True)


def _nothing_compared(window, skipped: pd.DataFrame, start: int) -> None:
    hint = (
        f"; the scenario starts in {start}: compare later years with --observed FILE, "
        "or start it earlier (scenarios/historical_2005.yaml, --set time.start_year=2005)"
        if window[1] <= start
        else ""
    )
    raise PolarsimInputError(
        f"no observation in {window[0]}-{window[1]} can be compared with the scenario "
        f"(skipped: {int(skipped['n'].sum()) if not skipped.empty else 0}){hint}",
        field="--observed",
    )


#: Writes figures into a hindcast's staging folder (plots.folder_figures.hindcast_figures).
HindcastFigures = Callable[[Hindcast, Path], None]


def write_hindcast(
    h: Hindcast,
    out_dir: str | Path,
    figures: HindcastFigures | None = None,
    *,
    force: bool = False,
) -> Path:
    """Write table.csv/.md, points.csv, bands.csv, skipped.csv and manifest.json into a
    NEW folder (whole or not at all); `force` replaces a folder polarsim wrote (see
    polarsim.outputs). `figures(h, folder)` adds figures before the folder is published
    (the command line passes polarsim.plots.folder_figures.hindcast_figures)."""
    from polarsim.markdown import frame_markdown
    from polarsim.outputs import new_output_dir

    with new_output_dir(out_dir, kind="hindcast", force=force) as tmp:
        h.table.to_csv(tmp / "table.csv", index=False)
        title = (
            f"# Hindcast {h.window[0]}-{h.window[1]}: trade shares, percentage points\n\n"
            f"Model = mean of {h.manifest['hindcast']['replicates']} replicates; coverage_90: "
            f"of the {h.manifest['hindcast']['band_level']:.0%} predictive band (replicates "
            "spread by the forecast error, sd "
            f"{h.manifest['hindcast']['forecast_error_sd_log']} x sqrt(years since the "
            "start) in logs); coverage_90_replicates: of the replicates' band alone; "
            "interval_score_90(_replicates): width plus 2/alpha times the distance of an "
            "observation outside the band, lower is better; "
            "persistence and trend from the observations before the window.\n\n"
        )
        (tmp / "table.md").write_text(title + frame_markdown(h.table))
        h.points.to_csv(tmp / "points.csv", index=False)
        h.bands.to_csv(tmp / "bands.csv", index=False)
        h.skipped.to_csv(tmp / "skipped.csv", index=False)
        if figures:
            figures(h, tmp)
        man = dict(h.manifest)
        man["command"] = man.get("command") or sys.argv
        man["tables"] = {
            "table.csv": "errors per level: overall, year, partner, state, state_partner",
            "points.csv": "one row per compared observation",
            "bands.csv": "simulated mean and band per state, partner, year",
            "skipped.csv": "observations of the window not compared, with the reason",
        }
        (tmp / "manifest.json").write_text(json.dumps(man, indent=2, default=str) + "\n")
    return Path(out_dir)
