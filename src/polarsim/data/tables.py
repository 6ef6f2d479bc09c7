"""Loaders for the numeric tables: macro series, world GDP, trade shares, arms imports,
remittances. Each returns a tidy frame keyed by actor codes (see polarsim.codes)."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from polarsim.codes import OTHER, POWERS, code_for_data_name
from polarsim.data._validate import (
    CACHE_SIZE,
    YEAR_MAX,
    YEAR_MIN,
    FileKey,
    PathLike,
    Table,
    choices,
    key,
    nonempty,
    numbers,
    read_table,
    state_codes,
    unique_rows,
    years,
)

#: Trade-share bases: argument value -> `basis` text in trade_shares.csv.
TRADE_BASES: dict[str, str] = {"reporter": "DOTS_reporter", "mirror": "DOTS_mirror"}

#: EU member states (the 27 current members) as SIPRI names them. SIPRI lists member
#: states one by one; their rows count for the EU. Not in polarsim.codes, which only
#: knows the EU aggregate names.
EU_MEMBERS: frozenset[str] = frozenset(
    {
        "Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Czech Republic",
        "Denmark", "Estonia", "Finland", "France", "Germany", "Greece", "Hungary", "Ireland",
        "Italy", "Latvia", "Lithuania", "Luxembourg", "Malta", "Netherlands", "Poland",
        "Portugal", "Romania", "Slovakia", "Slovenia", "Spain", "Sweden",
    }
)  # fmt: skip


# --------------------------------------------------------------------------- macro


@lru_cache(maxsize=CACHE_SIZE)
def _macro(path: FileKey | None) -> pd.DataFrame:
    t = read_table("macro.csv", path, ("country", "year", "indicator", "value", "unit"))
    f = t.frame
    year = years(t, "year")
    indicator = nonempty(t, "indicator")
    # every indicator is a level or a share (GDP, population, military spending, trade
    # totals): a negative value is a mistake in the file, not a quantity to run on
    value = numbers(t, "value", low=0, allow_empty=True)
    actor = f["country"].map(code_for_data_name)
    out = pd.DataFrame(
        {
            "actor": actor,
            "year": year,
            "indicator": indicator,
            "value": value,
            "unit": f["unit"],
        }
    )
    return out[actor.notna()].reset_index(drop=True)


def load_macro(path: PathLike | None = None) -> pd.DataFrame:
    """Macro series (macro.csv): columns actor (code), year, indicator, value, unit.

    All indicators are kept; missing values (e.g. SIPRI gaps) are NaN. Rows for
    countries without an actor code are dropped.
    """
    return _macro(key(path)).copy()


# --------------------------------------------------------------------------- world GDP


@lru_cache(maxsize=CACHE_SIZE)
def _world_gdp(path: FileKey | None) -> pd.DataFrame:
    t = read_table("world_gdp.csv", path, ("year", "value"))
    out = pd.DataFrame({"year": years(t, "year"), "value": numbers(t, "value", low=0)})
    unique_rows(t, out, ["year"], "year")
    return out


def load_world_gdp(path: PathLike | None = None) -> pd.DataFrame:
    """World GDP, current USD (world_gdp.csv): columns year, value."""
    return _world_gdp(key(path)).copy()


# --------------------------------------------------------------------------- trade shares


@lru_cache(maxsize=CACHE_SIZE)
def _trade_shares(path: FileKey | None) -> pd.DataFrame:
    required = (
        "country", "partner", "year", "share_pct", "total_trade_musd", "basis", "recommended",
    )  # fmt: skip
    t = read_table("trade_shares.csv", path, required)
    partner = nonempty(t, "partner")
    out = pd.DataFrame(
        {
            "state": state_codes(t, "country"),
            "partner": partner.map(lambda name: code_for_data_name(name) or name),
            "year": years(t, "year"),
            "share": numbers(t, "share_pct", low=0, high=100) / 100.0,
            "total_trade_musd": numbers(t, "total_trade_musd", low=0, allow_empty=True),
            "exports_musd": _optional_numbers(t, "exports_musd"),
            "imports_musd": _optional_numbers(t, "imports_musd"),
            "basis": choices(t, "basis", TRADE_BASES.values()).map(
                {v: k for k, v in TRADE_BASES.items()}
            ),
            "recommended": choices(t, "recommended", ("Y", "N")) == "Y",
        }
    )
    unique_rows(t, out, ["state", "partner", "year", "basis"], "basis")
    unique_rows(t, out[out["recommended"]], ["state", "partner", "year"], "recommended")
    _fill_trade_totals(t, out)
    return out


def _optional_numbers(t: Table, column: str) -> pd.Series:
    """A column of non-negative numbers that a file may leave out or leave empty (NaN)."""
    if column not in t.frame.columns:
        return pd.Series(np.nan, index=t.frame.index, dtype=float)
    return numbers(t, column, low=0, allow_empty=True)


#: macro.csv indicator holding a state's total merchandise trade on each basis.
_TOTAL_INDICATOR = {b: f"merch_trade_total_dots_{b}_musd" for b in TRADE_BASES}


def _fill_trade_totals(t: Table, out: pd.DataFrame) -> None:
    """The 2011-2015 rows carry shares only (the data README); their state's total comes
    from macro.csv's DOTS totals on the same basis, which equal the totals the earlier
    rows carry."""
    missing = out["total_trade_musd"].isna()
    if not missing.any():
        return
    macro = load_macro()
    totals = {
        (row.actor, int(row.year), basis): row.value
        for basis, indicator in _TOTAL_INDICATOR.items()
        for row in macro[macro["indicator"] == indicator].itertuples()
    }
    rows = np.flatnonzero(missing.to_numpy())
    keys = list(
        zip(
            out["state"].to_numpy()[rows].tolist(),
            out["year"].to_numpy()[rows].tolist(),
            out["basis"].to_numpy()[rows].tolist(),
            strict=True,
        )
    )
    values = np.array([totals.get(k, np.nan) for k in keys], dtype=float)
    unknown = ~np.isfinite(values)
    if unknown.any():  # the first such row, as a row-by-row fill would find it
        j = int(unknown.argmax())
        state, year, basis = keys[j]
        raise t.fail(
            int(rows[j]),
            "total_trade_musd",
            f"a number, or a {_TOTAL_INDICATOR[basis]} row in macro.csv for {state} {year}",
            "",
        )
    # all rows at once: a cell set through .iloc cost about 0.2 ms each (550 rows)
    column = out["total_trade_musd"].to_numpy(dtype=float, copy=True)
    column[rows] = values
    out["total_trade_musd"] = column


def load_trade_shares(basis: str = "recommended", path: PathLike | None = None) -> pd.DataFrame:
    """Trade shares (trade_shares.csv): columns state, partner, year, share,
    total_trade_musd, exports_musd, imports_musd, basis.

    ``share`` is a fraction of the state's total merchandise trade (share_pct / 100).
    ``partner`` is an actor code, or the file's name for partners without one
    ("UK", "Switzerland"). ``basis``: "recommended" (the rows marked recommended = Y),
    "reporter" (DOTS_reporter) or "mirror" (DOTS_mirror); the ``basis`` column says which
    basis each row uses ("reporter" or "mirror"). ``exports_musd`` / ``imports_musd``:
    the state's exports to and imports from the partner, USD m (NaN where the file has
    none: the bundled rows of 2011-2015 carry shares only).
    """
    frame = _trade_shares(key(path))
    if basis == "recommended":
        rows = frame["recommended"]
    elif basis in TRADE_BASES:
        rows = frame["basis"] == basis
    else:
        raise ValueError(f"basis: expected recommended, reporter or mirror, found {basis!r}")
    return frame.loc[rows, [c for c in frame.columns if c != "recommended"]].reset_index(drop=True)


# --------------------------------------------------------------------------- arms imports


def supplier_code(name: str) -> str:
    """Power code of an arms supplier, "EU" for an EU member state, else "other"."""
    code = code_for_data_name(name)
    if code in POWERS:
        return code
    if name in EU_MEMBERS:
        return "EU"
    return OTHER


def _arms_rows_to_keep(t: Table) -> np.ndarray:
    """False for aggregate rows (EU27 sums, or a note saying so) and for placeholder
    rows such as "(none recorded)"."""
    supplier = t.frame["supplier"].str.lower()
    note = t.frame["note"].str.lower() if "note" in t.frame else pd.Series("", index=supplier.index)
    aggregate = supplier.str.contains("sum of", regex=False) | note.str.contains(
        "aggregate row", regex=False
    )
    placeholder = supplier.str.startswith("(none")
    return ~(aggregate | placeholder).to_numpy()


@lru_cache(maxsize=CACHE_SIZE)
def _arms_annual(path: FileKey | None) -> pd.DataFrame:
    t = read_table(
        "arms_imports_annual.csv", path, ("country", "supplier", "year", "tiv_musd_approx")
    )
    out = pd.DataFrame(
        {
            "state": state_codes(t, "country"),
            "supplier": nonempty(t, "supplier").map(supplier_code),
            "year": years(t, "year"),
            "tiv_musd": numbers(t, "tiv_musd_approx", low=0),
        }
    )
    out = out[_arms_rows_to_keep(t)]
    return out.groupby(["state", "supplier", "year"], as_index=False, sort=True)["tiv_musd"].sum()


def load_arms_imports_annual(path: PathLike | None = None) -> pd.DataFrame:
    """Arms imports by delivery year (arms_imports_annual.csv, SIPRI TIV, approximate
    split): columns state, supplier, year, tiv_musd.

    ``supplier`` is a power code or "other" (suppliers such as Ukraine, Israel, Georgia,
    Kazakhstan, unknown); "other" rows of a state-year are summed. Aggregate rows
    (EU27 sums) and "(none recorded)" rows are dropped.
    """
    return _arms_annual(key(path)).copy()


_PERIOD = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")


def _periods(t: Table) -> tuple[pd.Series, pd.Series]:
    starts, ends = [], []
    for i, text in enumerate(t.frame["period"]):
        m = _PERIOD.fullmatch(text)
        ok = m is not None and YEAR_MIN <= int(m[1]) <= int(m[2]) <= YEAR_MAX
        if not ok:
            raise t.fail(i, "period", f"years like 2000-2004 within {YEAR_MIN}-{YEAR_MAX}", text)
        starts.append(int(m[1]))
        ends.append(int(m[2]))
    index = t.frame.index
    return pd.Series(starts, index=index), pd.Series(ends, index=index)


@lru_cache(maxsize=CACHE_SIZE)
def _arms_periods(path: FileKey | None) -> pd.DataFrame:
    # share_pct is SIPRI's own share, kept when given: the shares the model is compared
    # with are computed from the TIV, so a file without the column is complete
    t = read_table("arms_imports.csv", path, ("country", "supplier", "period", "tiv_musd"))
    start, end = _periods(t)
    out = pd.DataFrame(
        {
            "state": state_codes(t, "country"),
            "supplier": nonempty(t, "supplier").map(supplier_code),
            "period": t.frame["period"],
            "start_year": start,
            "end_year": end,
            "tiv_musd": numbers(t, "tiv_musd", low=0),
            "share": (
                numbers(t, "share_pct", low=0, high=100, allow_empty=True)
                if "share_pct" in t.frame.columns
                else pd.Series(np.nan, index=t.frame.index)
            )
            / 100.0,
        }
    )
    out = out[_arms_rows_to_keep(t)]
    keys = ["state", "supplier", "period", "start_year", "end_year"]
    grouped = out.groupby(keys, as_index=False, sort=True)
    return grouped.agg(tiv_musd=("tiv_musd", "sum"), share=("share", lambda s: s.sum(min_count=1)))


def load_arms_imports_periods(path: PathLike | None = None) -> pd.DataFrame:
    """Arms imports by five-year period (arms_imports.csv, SIPRI TIV): columns state,
    supplier, period ("2000-2004"), start_year, end_year, tiv_musd, share.

    ``share`` is the supplier's fraction of the state's period total (NaN where SIPRI
    gives none). Suppliers as in :func:`load_arms_imports_annual`.
    """
    return _arms_periods(key(path)).copy()


# --------------------------------------------------------------------------- remittances


@lru_cache(maxsize=CACHE_SIZE)
def _remittances(path: FileKey | None) -> pd.DataFrame:
    # the unit is read from the indicator's name (`..._pct_gdp`, `..._usd_bn`): a user's
    # file may leave the unit column out (a WDI download has none)
    t = read_table("remittances.csv", path, ("country", "year", "indicator", "value"))
    unit = t.frame["unit"] if "unit" in t.frame.columns else pd.Series("", index=t.frame.index)
    return pd.DataFrame(
        {
            "state": state_codes(t, "country"),
            "year": years(t, "year"),
            "indicator": nonempty(t, "indicator"),
            # remittances received, % of GDP or USD bn: never negative
            "value": numbers(t, "value", low=0, allow_empty=True),
            "unit": unit,
        }
    )


def load_remittances(path: PathLike | None = None) -> pd.DataFrame:
    """Remittances (remittances.csv): columns state, year, indicator, value, unit.

    Indicators: remittances_received_pct_gdp (WDI, all sources) and, sparse,
    remittances_from_russia_usd_bn / remittances_from_russia_pct_gdp.
    """
    return _remittances(key(path)).copy()
