"""Error measures and naive forecasts for comparing simulated with observed series.

All series are long tables keyed by (state, partner, year) with values in percent
(trade shares) or percent of GDP (remittances); errors are in the same units
(percentage points).

- MAE = (1/n) sum_i |x_i - y_i| over the n compared observations y_i.
- Coverage of a band [lo_i, hi_i]: (1/n) sum_i 1{lo_i <= y_i <= hi_i}.
- Persistence: the last observed value of the series before the first compared year,
  held constant.
- Linear trend: ordinary least squares y = a + b t on every observed year of the
  series before the first compared year (at least two years), extrapolated, and kept
  within [0, 100] (a share cannot leave it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

KEYS = ["state", "partner"]

#: Shares are percentages: a trend forecast is clipped to this interval.
SHARE_BOUNDS = (0.0, 100.0)


def mae(simulated: np.ndarray | pd.Series, observed: np.ndarray | pd.Series) -> float:
    """Mean absolute error; NaN for no observations."""
    x = np.asarray(simulated, dtype=float)
    y = np.asarray(observed, dtype=float)
    return float(np.mean(np.abs(x - y))) if len(y) else float("nan")


def coverage(observed, lower, upper) -> float:
    """Share of observations inside their band (bounds included); NaN for none."""
    y = np.asarray(observed, dtype=float)
    inside = (np.asarray(lower, dtype=float) <= y) & (y <= np.asarray(upper, dtype=float))
    return float(inside.mean()) if len(y) else float("nan")


def naive_forecasts(
    history: pd.DataFrame,
    targets: pd.DataFrame,
    first_year: int,
    value: str = "share_pct",
    keys: list[str] = KEYS,
    bounds: tuple[float, float] | None = SHARE_BOUNDS,
) -> pd.DataFrame:
    """`targets` with two columns added: `persistence` and `trend`, forecasts from the
    observations in `history` of years before `first_year` (NaN where a series has no
    such year; trend NaN with fewer than two)."""
    past = history[history["year"] < first_year]
    rows = []
    for key, g in past.groupby(keys, sort=False):
        g = g.sort_values("year")
        t = g["year"].to_numpy(dtype=float)
        y = g[value].to_numpy(dtype=float)
        slope, intercept = np.polyfit(t, y, 1) if len(np.unique(t)) >= 2 else (np.nan, np.nan)
        rows.append((*np.atleast_1d(key), y[-1], slope, intercept))
    fits = pd.DataFrame(rows, columns=[*keys, "persistence", "_slope", "_intercept"])
    out = targets.merge(fits, on=keys, how="left")
    trend = out["_intercept"] + out["_slope"] * out["year"].astype(float)
    if bounds is not None:
        trend = trend.clip(*bounds)
    out["trend"] = trend
    return out.drop(columns=["_slope", "_intercept"])
