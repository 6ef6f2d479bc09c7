"""The forecast as of the last observed year, for the years no bundled data hold: the
rows `polarsim skill` will score once later observations exist, written down before
them.

`forecast` runs the rolling-origin machinery of polarsim.validation.skill exactly as
`skill(..., observed=later files)` does (origins `default_origins(last_year)`, every run
to `last_year`), but its targets for the last origin are every series, state and partner
observed up to it and every year after it up to `last_year`, with no observation. Each
row holds the model's replicate median and 90 % band, persistence, the linear trend,
damped-trend exponential smoothing and the naive band, each from the data up to the
origin alone; for a row that later data observe, these are the values `skill` scores
(tests/validation/test_forecast.py checks it). The error sample behind the bands is the
forecasts from the earlier origins scored on the years up to the last one.

A published forecast is one that cannot move after its outcomes are known: the
repository holds the forecast of `scenarios/historical.yaml` as of 2015
(docs/forecast-2015.csv, written by `scripts/update_forecast.py`), and a test fails if
the code no longer reproduces it (docs/validation.md, "The forecast as of 2015,
published").

>>> from polarsim.validation.forecast import forecast
>>> f = forecast("scenarios/historical.yaml", replicates=10, seed=1)   # doctest: +SKIP
>>> f.points.query("series == 'trade_shares' and year == 2024")        # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from polarsim.errors import PolarsimInputError, PolarsimNote
from polarsim.validation.skill import (
    LAST_OBSERVED_YEAR,
    LEVEL,
    REFIT_AUTO,
    SERIES,
    add_bands,
    check_level,
    check_origins,
    check_refit,
    check_span,
    default_origins,
    observed_outcomes,
    posterior_draws,
    refit_is_auto,
    refit_list,
    refit_manifest,
    refit_values,
    rolling_forecasts,
    rolling_manifest,
)

#: Last year of the published forecast: the years of the project's judgement (2016-2024).
FORECAST_LAST_YEAR = 2024

#: The published forecast (repository path) and the settings it is made with: those of
#: the rolling-origin table in docs/validation.md (`polarsim skill ... --replicates 10
#: --seed 1`).
PUBLISHED_FILE = "docs/forecast-2015.csv"
PUBLISHED_SETTINGS = {"replicates": 10, "seed": 1, "last_year": FORECAST_LAST_YEAR}

#: Columns of a forecast, one row per series, state, partner and year after the origin.
FORECAST_COLUMNS = [
    "origin", "series", "state", "partner", "year", "horizon", "model", "model_lower",
    "model_upper", "persistence", "persistence_year", "trend", "ets", "naive_lower",
    "naive_upper",
]  # fmt: skip


@dataclass
class Forecast:
    """`points`: FORECAST_COLUMNS, one row per series, state, partner and year after the
    origin; `history`: the observations up to the origin the forecast knew (series,
    state, partner, year, observed); `manifest`: what made it."""

    points: pd.DataFrame
    origin: int
    history: pd.DataFrame = field(default_factory=pd.DataFrame)
    manifest: dict = field(default_factory=dict)


def future_rows(history: pd.DataFrame, origin: int, last_year: int) -> pd.DataFrame:
    """One target row per series, state and partner observed up to `origin` and per year
    from `origin` + 1 to `last_year`, without an observation (the model's `column` and
    `factor` of the series' rows)."""
    past = history[history["year"] <= origin]
    keys = past.drop_duplicates(["series", "state", "partner"])
    years = np.arange(origin + 1, last_year + 1)
    out = keys.loc[keys.index.repeat(len(years))].copy()
    out["year"] = np.tile(years, len(keys))
    out["observed"] = np.nan
    return out.reset_index(drop=True)


def forecast(
    scenario: str | Path,
    *,
    last_year: int = FORECAST_LAST_YEAR,
    origins: Sequence[int] | None = None,
    series: Sequence[str] = SERIES,
    replicates: int = 10,
    seed: int = 0,
    overrides: Sequence[str] = (),
    level: float = LEVEL,
    posterior: str | Path | None = None,
    progress: Callable[[int], None] | None = None,
    refit: Sequence[str] | str = REFIT_AUTO,
) -> Forecast:
    """The forecast of `scenario` from its last origin (LAST_OBSERVED_YEAR, 2015, by
    default) to `last_year`, with both bands built from the forecasts of the earlier
    `origins` (default: `default_origins(last_year)`, as `skill` takes them when later
    observations are given). `series`, `replicates`, `seed`, `overrides`, `level`,
    `posterior`, `progress` and `refit` as in `skill` (which alone takes `observed`,
    `observed_from` and `report_from`). With `refit` (by default every parameter of
    REFIT_NAMES the overrides leave alone) the earlier origins' forecasts, whose errors
    make the model band, are made with the parameters re-estimated from the data up to
    each of them, as a forecaster then would have; the last origin's value is the
    shipped one where the data end in 2015."""
    from polarsim import load_scenario

    level = check_level(level)
    if origins is None:
        origins = default_origins(last_year)
    origins = check_origins(origins)
    if not origins or origins[-1] > LAST_OBSERVED_YEAR:
        raise PolarsimInputError(
            f"the last origin must be a year the bundled data hold (up to "
            f"{LAST_OBSERVED_YEAR}), found {origins[-1] if origins else 'none'}",
            field="--origins",
        )
    check_span(origins, last_year, overrides, "--to")
    origin = origins[-1]
    if len(origins) == 1:
        import warnings

        warnings.warn(
            f"no origin before {origin}: the model band rests on the series' observed "
            "changes alone, not on the model's own past errors (give earlier --origins)",
            PolarsimNote,
            stacklevel=2,
        )
    if last_year <= LAST_OBSERVED_YEAR:
        raise PolarsimInputError(
            f"expected a last year after {LAST_OBSERVED_YEAR}, the last the bundled data "
            f"hold (the years up to it are scored by `polarsim skill`), found {last_year}",
            field="--to",
        )
    base = load_scenario(scenario, list(overrides))
    history = observed_outcomes(base, series)
    history = history[history["year"] <= origin]
    draws = posterior_draws(posterior)
    refit = refit_list(refit)  # a generator read once (refit_list)
    auto = refit_is_auto(refit)
    refit = check_refit(refit, overrides, draws, base)
    refitted = refit_values(refit, origins, base, unknown_keeps_scenario=auto)
    future = pd.concat([history, future_rows(history, origin, last_year)])
    # the earlier origins' forecasts of the observed years are the model band's errors
    # (the naive band reads the observed changes, not their persistence); the last
    # origin's targets are the years no data hold
    points = rolling_forecasts(
        scenario, origins, last_year, lambda o: future if o == origin else history,
        seed=seed, replicates=replicates, overrides=overrides, posterior=draws,
        progress=progress, baselines_from=origin, refit=refitted,
    )  # fmt: skip
    points = add_bands(points, history, level)
    points = points[points["origin"] == origin][FORECAST_COLUMNS].reset_index(drop=True)
    manifest = {
        **rolling_manifest(
            scenario, origins, last_year, series, replicates, seed, overrides, level, posterior
        ),  # fmt: skip
        "origin": origin,
        "data_up_to": origin,
        "refit": refit_manifest(refitted, origins, base),
    }
    known = history[["series", "state", "partner", "year", "observed"]].reset_index(drop=True)
    return Forecast(points, origin, known, manifest)


def write_forecast(
    f: Forecast,
    out_dir: str | Path,
    *,
    figures: Callable[[Forecast, Path], None] | None = None,
    force: bool = False,
) -> Path:
    """forecast.csv, forecast.md (the horizons of the summary) and manifest.json in a new
    folder, written whole; `figures(f, folder)` may add figures before it is published."""
    import json

    from polarsim.markdown import frame_markdown
    from polarsim.outputs import new_output_dir
    from polarsim.provenance import git_commit, versions

    with new_output_dir(out_dir, kind="forecast", force=force) as tmp:
        write_forecast_csv(f.points, tmp / "forecast.csv")
        (tmp / "forecast.md").write_text(frame_markdown(summary(f), digits=1), encoding="utf-8")
        if figures is not None:
            figures(f, tmp)
        man = {**f.manifest, "versions": versions(), "git_commit": git_commit()}
        (tmp / "manifest.json").write_text(json.dumps(man, indent=2, default=str) + "\n")
    return Path(out_dir)


def write_forecast_csv(points: pd.DataFrame, path: Path) -> None:
    """The forecast's rows with ten significant digits (what the published file holds)."""
    points.to_csv(path, index=False, float_format="%.10g")


def read_forecast_csv(path: str | Path) -> pd.DataFrame:
    """A forecast.csv as `write_forecast_csv` wrote it."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def summary(f: Forecast, years: Sequence[int] | None = None) -> pd.DataFrame:
    """One row per series, state and partner: the last observed value (persistence) and,
    for each of `years` (default: the fourth and the last year after the origin, the
    ends of SIPRI's periods 2015-2019 and 2020-2024 from 2015), the model's median and
    band, as text."""
    p = f.points
    if years is None:
        years = sorted({f.origin + 4, int(p["year"].max())} & set(p["year"]))
    rows = []
    for (s, st, pa), g in p.groupby(["series", "state", "partner"], sort=False):
        row = {"series": s, "state": st, "partner": pa,
               "persistence": float(g["persistence"].iloc[0])}  # fmt: skip
        for y in years:
            r = g[g["year"] == y]
            if r.empty:
                row[str(y)] = ""
                continue
            r = r.iloc[0]
            row[str(y)] = f"{r['model']:.1f} ({r['model_lower']:.1f}-{r['model_upper']:.1f})"
        rows.append(row)
    return pd.DataFrame(rows)
