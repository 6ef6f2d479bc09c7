"""The observed outcome series that a calibration fits and a skill evaluation scores,
as one long table with the model's matching output.

Each row: series, state, partner, year, observed (in the series' unit), the
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

Each builder takes an optional user file in the layout of the bundled table
(trade_shares.csv, arms_imports_annual.csv, remittances.csv): its rows replace the
bundled rows of the same state, partner (or supplier, or indicator) and year, and add
the others, so a file of later years alone extends the bundled series. Arms shares also
take a table of SIPRI's five-year periods (the layout of arms_imports.csv): each period
is the window ending in its last year, over the windows of the bundled deliveries.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from polarsim import data
from polarsim.errors import PolarsimInputError
from polarsim.observations.trade import load_observations
from polarsim.scenario import Scenario

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


def _over_bundled(load, file: Path | None, keys: list[str], value: str, check=None) -> pd.DataFrame:
    """The bundled table with the rows of `file` over it (same `keys`: the file's). A
    row of `file` whose `value` cell is empty is a missing observation: it replaces
    nothing (as an empty share_pct cell of a trade file), or a download with a blank
    latest year would erase the bundled value that an origin's forecast starts from.
    `check(user, file)` may refuse the file's rows (PolarsimInputError)."""
    try:
        bundled = load(None)
        if file is None:
            return bundled
        user = load(file)
    except data.DataValidationError as exc:
        raise PolarsimInputError(str(exc)) from None
    if check is not None:
        check(user, file)
    merged = pd.concat([bundled, user.dropna(subset=[value])], ignore_index=True)
    return merged.drop_duplicates(keys, keep="last").reset_index(drop=True)


def _is_period_table(file: Path | None) -> bool:
    """Whether a user's arms file is in the layout of arms_imports.csv (a `period`
    column, SIPRI's five-year periods) rather than arms_imports_annual.csv (`year`). A
    file that cannot be read counts as annual: its loader says what is wrong."""
    if file is None:
        return False
    try:
        with open(file, encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
    except OSError:
        return False
    columns = {c.strip().strip('"') for c in header.split(",")}
    return "period" in columns and "year" not in columns


def arms_targets(sc: Scenario, file: Path | None) -> pd.DataFrame:
    if _is_period_table(file):
        bundled = _arms_window_targets(sc, None)
        periods = _arms_period_targets(sc, file)
        t = pd.concat([bundled, periods], ignore_index=True)
        return t.drop_duplicates(["state", "partner", "year"], keep="last", ignore_index=True)
    return _arms_window_targets(sc, file)


def _share_pct(part: float, total: float) -> float:
    """`part` of `total`, which holds it, in percent: at most 100. Summed in another
    order than the total, a sole supplier's deliveries came to 100.00000000000001 %,
    above every band capped at 100, and counted as a miss (Tajikistan's, from Russia)."""
    return min(100.0, 100.0 * part / total)


def _arms_window_targets(sc: Scenario, file: Path | None) -> pd.DataFrame:
    """The targets of the annual deliveries: every window of `security.window_years`
    years wholly in the data."""
    a = _over_bundled(
        data.load_arms_imports_annual, file, ["state", "supplier", "year"], "tiv_musd"
    )
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
                rows.append((state, p, year, _share_pct(by.get(p, 0.0), total)))
    t = pd.DataFrame(rows, columns=["state", "partner", "year", "observed"])
    return _frame("arms_shares", t, "arms_share_" + t["partner"], 100.0)


def _arms_period_targets(sc: Scenario, file: Path) -> pd.DataFrame:
    """The targets of a table of SIPRI periods (arms_imports.csv layout): a period is the
    window ending in its last year, so it must span `security.window_years` years; each
    power's share of the state's period total (TIV, all suppliers), as for the annual
    deliveries."""
    try:
        a = data.load_arms_imports_periods(file)
    except data.DataValidationError as exc:
        raise PolarsimInputError(str(exc)) from None
    w = sc.parameters.security.window_years
    span = a["end_year"] - a["start_year"] + 1
    if (span != w).any():
        bad = a.loc[span != w, "period"].iloc[0]
        raise PolarsimInputError(
            f"period {bad} spans {int(span[span != w].iloc[0])} years; the arms shares are "
            f"compared over windows of security.window_years = {w} years",
            file=str(file),
            field="period",
        )
    rows = []
    for (state, end), g in a.groupby(["state", "end_year"]):
        total = g["tiv_musd"].sum()
        if state not in sc.state_codes or total <= 0:
            continue
        by = g.groupby("supplier")["tiv_musd"].sum()
        for p in sc.power_codes:
            rows.append((state, p, int(end), _share_pct(by.get(p, 0.0), total)))
    t = pd.DataFrame(rows, columns=["state", "partner", "year", "observed"])
    return _frame("arms_shares", t, "arms_share_" + t["partner"], 100.0)


REMITTANCE_INDICATOR = "remittances_received_pct_gdp"


def _check_remittances(user: pd.DataFrame, file: Path) -> None:
    """A user's remittance rows (index = data row, spreadsheet row = index + 2): one
    row per country, indicator and year (a repeat would silently replace the other),
    and no negative value in percent of GDP."""
    repeat = user.duplicated(["state", "indicator", "year"], keep=False)
    if repeat.any():
        first, second = (int(i) + 2 for i in user.index[repeat][:2])
        raise PolarsimInputError(
            f"{file}, row {second}, column year: expected one row per country, "
            f"indicator and year, found a repeat of row {first}"
        )
    negative = (user["indicator"] == REMITTANCE_INDICATOR) & (user["value"] < 0)
    if negative.any():
        i = user.index[negative][0]
        raise PolarsimInputError(
            f"{file}, row {int(i) + 2}, column value: expected a non-negative number "
            f"(percent of GDP), found {user.at[i, 'value']:g}"
        )


def remittance_targets(sc: Scenario, file: Path | None) -> pd.DataFrame:
    r = _over_bundled(
        data.load_remittances, file, ["state", "indicator", "year"], "value", _check_remittances
    )
    r = r[(r["indicator"] == REMITTANCE_INDICATOR) & r["state"].isin(sc.state_codes)]
    r = r.dropna(subset=["value"]).rename(columns={"value": "observed"}).assign(partner=TOTAL)
    return _frame("remittances", r, "remittances_pct_gdp", 1.0)


#: Series name -> builder of its observations (sc, file or None) -> TARGET_COLUMNS rows.
SERIES_BUILDERS = {
    "trade_shares": trade_targets,
    "arms_shares": arms_targets,
    "remittances": remittance_targets,
}
