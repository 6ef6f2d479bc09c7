"""Observed series a calibration fits, as one long table, and the model's matching
outputs.

Each target row: series, state, partner, year, observed (in the series' unit), the
states-table `column` holding the model's value and the `factor` turning it into the
observed unit.

- trade_shares: recommended DOTS trade share in percent of total trade
  (trade_share_<P> x 100), partners that are powers of the scenario.
- arms_shares: the supplier's share in percent of the arms deliveries (SIPRI TIV) over
  the `security.window_years` years up to the year, against the model's deliveries over
  the same window (arms_share_<P> x 100, record.arms_window_shares); only years whose
  whole window is in the data.
- remittances: personal remittances received in percent of GDP (WDI), against
  remittances_pct_gdp; partner "total".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from polarsim import data
from polarsim.calibration.spec import Calibration
from polarsim.errors import PolarsimInputError
from polarsim.scenario import Scenario
from polarsim.validation.observed import load_observations

TARGET_COLUMNS = ["series", "state", "partner", "year", "observed", "column", "factor"]
UNITS = {"trade_shares": "pp of total trade", "arms_shares": "pp of arms deliveries",
         "remittances": "pp of GDP"}  # fmt: skip
TOTAL = "total"


def _frame(series: str, rows: pd.DataFrame, column, factor: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "series": series,
            "state": rows["state"].to_numpy(),
            "partner": rows["partner"].to_numpy(),
            "year": rows["year"].to_numpy(dtype=np.int64),
            "observed": rows["observed"].to_numpy(dtype=float),
            "column": column if isinstance(column, str) else np.asarray(column),
            "factor": factor,
        }
    )


def trade_targets(sc: Scenario, file: Path | None) -> pd.DataFrame:
    merged, _ = load_observations([file] if file else [])
    t = merged[merged["state"].isin(sc.state_codes) & merged["partner"].isin(sc.power_codes)]
    t = t.rename(columns={"share_pct": "observed"})
    return _frame("trade_shares", t, "trade_share_" + t["partner"], 100.0)


def arms_targets(sc: Scenario, file: Path | None) -> pd.DataFrame:
    try:
        a = data.load_arms_imports_annual(file)
    except data.DataValidationError as exc:
        raise PolarsimInputError(str(exc)) from None
    w = sc.parameters.security.window_years
    first, last = int(a["year"].min()), int(a["year"].max())
    rows = []
    for year in range(first + w - 1, last + 1):
        win = a[(a["year"] > year - w) & (a["year"] <= year)]
        for state, g in win.groupby("state"):
            total = g["tiv_musd"].sum()
            if state not in sc.state_codes or total <= 0:
                continue
            by = g.groupby("supplier")["tiv_musd"].sum()
            for p in sc.power_codes:
                rows.append((state, p, year, 100.0 * by.get(p, 0.0) / total))
    t = pd.DataFrame(rows, columns=["state", "partner", "year", "observed"])
    return _frame("arms_shares", t, "arms_share_" + t["partner"], 100.0)


def remittance_targets(sc: Scenario, file: Path | None) -> pd.DataFrame:
    try:
        r = data.load_remittances(file)
    except data.DataValidationError as exc:
        raise PolarsimInputError(str(exc)) from None
    r = r[(r["indicator"] == "remittances_received_pct_gdp") & r["state"].isin(sc.state_codes)]
    r = r.dropna(subset=["value"]).rename(columns={"value": "observed"}).assign(partner=TOTAL)
    return _frame("remittances", r, "remittances_pct_gdp", 1.0)


#: Series name -> builder of its observations (sc, file or None) -> TARGET_COLUMNS rows.
SERIES_BUILDERS = {
    "trade_shares": trade_targets,
    "arms_shares": arms_targets,
    "remittances": remittance_targets,
}


def observed_targets(sc: Scenario, cal: Calibration, folder: Path) -> pd.DataFrame:
    """Every observation of the active series in the calibration and held-out years
    that the scenario simulates (TARGET_COLUMNS)."""
    years = [y for y in cal.years() if y in sc.years]
    parts = []
    for series, target in cal.targets.active().items():
        file = (folder / target.file) if target.file else None
        t = SERIES_BUILDERS[series](sc, file)
        parts.append(t[t["year"].isin(years)])
    out = pd.concat(parts, ignore_index=True)
    if not (out["year"] <= cal.window[1]).any() or not (out["year"] >= cal.window[0]).any():
        raise PolarsimInputError(
            f"no observation in the calibration window {cal.window[0]}-{cal.window[1]} "
            f"within the simulated years {sc.time.start_year}-{sc.time.end_year}",
            field="calibration.window",
        )
    return out.reset_index(drop=True)


def simulated_matrix(results: pd.DataFrame, targets: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(run_ids, values): the replicate mean of each design point's output for every
    target row, in the target's unit; values has shape (design points, targets)."""
    cols = sorted(targets["column"].unique())
    means = results.groupby(["run_id", "year", "state"], sort=True)[cols].mean()
    wide = means.unstack(["year", "state"])
    idx = pd.MultiIndex.from_arrays([targets["column"], targets["year"], targets["state"]])
    values = wide.reindex(columns=idx).to_numpy(dtype=float) * targets["factor"].to_numpy()
    return wide.index.to_numpy(dtype=np.int64), values


def synthetic_targets(targets: pd.DataFrame, states: pd.DataFrame) -> pd.DataFrame:
    """`targets` with `observed` replaced by a model run's replicate mean (a states
    table): synthetic data for checking that a calibration recovers known values."""
    results = states.assign(run_id=0)
    _, values = simulated_matrix(results, targets)
    out = targets.copy()
    out["observed"] = values[0]
    return out[~np.isnan(values[0])].reset_index(drop=True)
