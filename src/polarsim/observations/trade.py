"""Observed trade shares for a hindcast: the bundled DOTS table and users' files of the
same layout (columns country, partner, year, share_pct; basis and recommended when
present), checked cell by cell.

A bad file raises PolarsimInputError naming the file, the spreadsheet row (header =
row 1) and column, what was expected and what was found."""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from polarsim import data
from polarsim.codes import POWERS
from polarsim.data._validate import (
    DataValidationError,
    choices,
    nonempty,
    numbers,
    read_table,
    state_codes,
    unique_rows,
    years,
)
from polarsim.errors import PolarsimInputError, PolarsimNote

#: Columns every observation file needs.
REQUIRED = ("country", "partner", "year", "share_pct")

#: How alike (difflib's ratio) an unknown partner name must be to a known one to be
#: refused as misspelt rather than left out as another partner: "Chinaa" is refused
#: (0.91 to China), "Germany" and "Belarus" are left out (at most 0.5 to any known name).
MISSPELT = 0.8

#: Columns of an observation table: share_pct in percent of the state's total trade.
COLUMNS = ["state", "partner", "year", "share_pct", "file"]

BUNDLED = "trade_shares.csv (bundled, recommended basis)"

KEYS = ["state", "partner", "year"]

#: How far the shares of one country and year may sum above 100 % (percentage points):
#: shares rounded to two decimals over a dozen partners can add up to a little over 100;
#: more is a mistake in the file (a share in the wrong row, or a fraction of 1 written
#: as a percentage elsewhere).
SHARE_SUM_TOLERANCE_PCT = 0.5


def _partner_names() -> dict[str, str]:
    """Partner name in the data -> actor code, or the name itself for partners without
    a code that the bundled table lists (UK, Switzerland)."""
    names = {a.data_name: a.code for a in POWERS.values()}
    for a in POWERS.values():
        names.update({n: a.code for n in (*a.arms_names, *a.aliases)})
    for name in bundled_observations()["partner"].unique():
        names.setdefault(name, name)
    return names


def bundled_observations() -> pd.DataFrame:
    """The bundled trade shares, recommended basis, in percent (COLUMNS)."""
    t = data.load_trade_shares("recommended")
    return pd.DataFrame(
        {
            "state": t["state"],
            "partner": t["partner"],
            "year": t["year"].astype("int64"),
            "share_pct": t["share"] * 100.0,
            "file": BUNDLED,
        }
    )


def read_observations(path: str | Path) -> pd.DataFrame:
    """One user file of trade shares (COLUMNS). Raises PolarsimInputError on a missing
    column, an unknown country, a partner name that looks like a misspelt known one, a
    share outside 0-100, a non-numeric cell or a repeated (country, partner, year).
    Rows of partners the model does not know (Germany, Belarus) are left out, with a
    PolarsimNote naming them: a file of every partner of the states is a file of
    their shares too."""
    t = None
    try:
        t = read_table("trade_shares.csv", str(path), REQUIRED)
        f = t.frame
        keep = pd.Series(True, index=f.index)
        if "recommended" in f.columns:
            keep = choices(t, "recommended", ("Y", "N")) == "Y"
        state = state_codes(t, "country")
        names = _partner_names()
        partner = nonempty(t, "partner")
        unknown = ~partner.isin(names)
        # each unknown name once (a file of every partner repeats them by state and year)
        first_rows = partner[unknown].drop_duplicates()
        for i, name in zip(partner.index.get_indexer(first_rows.index), first_rows, strict=True):
            close = difflib.get_close_matches(name, list(names), n=1, cutoff=MISSPELT)
            if close:
                raise t.fail(
                    i,
                    "partner",
                    f"a partner name as in the bundled data ({', '.join(sorted(names))}; "
                    f"did you mean {close[0]}?)",
                    name,
                )
        if unknown.any():
            left_out = sorted(set(partner[unknown & keep]))
            if left_out:
                warnings.warn(
                    f"{path}: {int((unknown & keep).sum())} rows of partners the model "
                    f"does not know left out ({', '.join(left_out)})",
                    PolarsimNote,
                    stacklevel=2,
                )
            keep = keep & ~unknown
        out = pd.DataFrame(
            {
                "state": state,
                "partner": partner.map(names),
                "year": years(t, "year"),
                # an empty cell is a missing observation (kept as NaN, never compared)
                "share_pct": numbers(t, "share_pct", low=0, high=100, allow_empty=True),
                "file": str(path),
            }
        )[keep.to_numpy()]
        unique_rows(t, out, ["state", "partner", "year"], "year")
        _shares_add_up(t, out)
    except DataValidationError as exc:
        hint = ""
        several = t is not None and "recommended" not in t.frame.columns
        if several and exc.expected.startswith("one row per"):
            hint = " (several bases? add a recommended column, Y for the rows to use)"
        raise PolarsimInputError(str(exc) + hint) from None
    return out.reset_index(drop=True)


def _shares_add_up(t, out: pd.DataFrame) -> None:
    """The shares of one country and year sum to at most 100 % (plus the tolerance);
    the error names the row that takes the sum over, and the rows of that sum."""
    limit = 100.0 + SHARE_SUM_TOLERANCE_PCT
    running = out.groupby(["state", "year"], sort=False)["share_pct"].cumsum()
    over = running[running > limit]
    if over.empty:
        return
    i = over.index[0]
    state, year = out.at[i, "state"], out.at[i, "year"]
    group = out[(out["state"] == state) & (out["year"] == year)]
    rows = ", ".join(str(t.row(j)) for j in group.index)
    total = group["share_pct"].sum()
    raise t.fail(
        i,
        "share_pct",
        f"the shares of one country and year to sum to at most 100 % (tolerance "
        f"{SHARE_SUM_TOLERANCE_PCT:g}); those of {state} in {year} (rows {rows}) sum to "
        f"{total:.4g} %",
        t.frame.at[i, "share_pct"],
    )


def load_observations(paths: Iterable[str | Path] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(merged, user): the bundled table with the users' values over it (a user row
    replaces the bundled row of the same state, partner and year; a later file wins
    over an earlier one), and the users' rows alone (empty without files), including
    rows whose share_pct cell is empty (NaN): those are missing observations, left out
    of `merged` and never replacing a value."""
    bundled = bundled_observations()
    parts = [read_observations(p) for p in paths]
    if not parts:
        empty = pd.DataFrame({c: pd.Series(dtype=bundled[c].dtype) for c in COLUMNS})
        return bundled.sort_values(KEYS).reset_index(drop=True), empty
    rows = pd.concat(parts, ignore_index=True)
    missing = rows["share_pct"].isna()
    valid = rows[~missing].drop_duplicates(KEYS, keep="last")
    user = pd.concat([valid, rows[missing]], ignore_index=True)
    merged = pd.concat([bundled, valid], ignore_index=True).drop_duplicates(KEYS, keep="last")
    return merged.sort_values(KEYS).reset_index(drop=True), user.reset_index(drop=True)
