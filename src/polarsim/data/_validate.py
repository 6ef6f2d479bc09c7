"""Reading a CSV file as text and checking it cell by cell.

Every check raises :class:`DataValidationError` at the first bad cell, naming the file,
the spreadsheet row (header = row 1, first data row = row 2), the column, what was
expected and what was found.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from polarsim.codes import STATES, code_for_data_name
from polarsim.inputs.files import MAX_TABLE_BYTES, InputFileError, read_input_bytes

#: Years a data row may carry.
YEAR_MIN, YEAR_MAX = 1990, 2100

#: Folder of the bundled files, inside this package.
BUNDLE = "central_asia"

#: A path argument of the loaders.
PathLike = str | Path

#: Files kept per loader (the bundled file plus files read from `path`).
CACHE_SIZE = 16

_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


class DataValidationError(ValueError):
    """A data file is missing or has a bad cell.

    The message names the file and, when the problem is a cell, its row (spreadsheet
    numbering: header = row 1) and column, what was expected and what was found.
    """

    def __init__(
        self,
        file: str,
        expected: str,
        found: str | None = None,
        *,
        row: int | None = None,
        column: str | None = None,
    ):
        self.file = file
        self.row = row
        self.column = column
        self.expected = expected
        self.found = found
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        message = f"{', '.join(where)}: expected {expected}"
        if found is not None:
            message += f", found {found}"
        super().__init__(message)


@dataclass(frozen=True)
class Table:
    """A CSV file read as text: every cell a stripped string, empty cells ''."""

    file: str  # how messages name the file: the bundled file name or the path given
    frame: pd.DataFrame

    def row(self, index: int) -> int:
        """Spreadsheet row number of a data row (header = row 1)."""
        return int(index) + 2

    def fail(self, index: int, column: str, expected: str, found: object) -> DataValidationError:
        return DataValidationError(
            self.file, expected, _show(found), row=self.row(index), column=column
        )


def _show(value: object) -> str:
    text = "" if value is None else str(value)
    return text if text.strip() else "an empty cell"


def read_table(default: str, path: str | Path | None, required: Iterable[str]) -> Table:
    """Read a bundled file (``path`` None) or the file at ``path``, all cells as text,
    and check that the required columns are present."""
    if path is None:
        resource = resources.files("polarsim.data").joinpath(BUNDLE, default)
        if not resource.is_file():
            raise DataValidationError(f"{BUNDLE}/{default}", "a bundled data file", "none")
        with resource.open("rb") as handle:
            frame = _parse(handle, default)
        table = Table(default, frame)
    else:
        p = Path(path)
        table = Table(str(p), _parse(io.BytesIO(_read_user_file(p)), str(p)))
    missing = [c for c in required if c not in table.frame.columns]
    if missing:
        raise DataValidationError(
            table.file,
            f"column(s) {', '.join(missing)} in the header",
            ", ".join(map(str, table.frame.columns)) or "an empty header",
            row=1,
            column=missing[0],
        )
    return table


def _read_user_file(p: Path) -> bytes:
    """A user's data file, checked before it is read: an existing regular file of at
    most MAX_TABLE_BYTES (not a folder, a device or a pipe, which could block)."""
    try:
        return read_input_bytes(p, "data file", MAX_TABLE_BYTES)
    except InputFileError as exc:
        limit = MAX_TABLE_BYTES // (1024 * 1024)
        raise DataValidationError(
            str(p), f"an existing data file (a regular file of at most {limit} MiB)", exc.found
        ) from None


def _parse(handle, file: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataValidationError(file, "a readable UTF-8 CSV file", str(exc)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.apply(lambda col: col.astype(str).str.strip()).reset_index(drop=True)


# --------------------------------------------------------------------------- cell checks


def numbers(
    t: Table,
    column: str,
    *,
    low: float | None = None,
    high: float | None = None,
    allow_empty: bool = False,
    mask: pd.Series | None = None,
) -> pd.Series:
    """Column as floats; empty cells NaN when allowed. ``low``/``high`` bound the values
    (only rows where ``mask`` is True when given)."""
    col = t.frame[column]
    values = pd.to_numeric(col.where(col != "", None), errors="coerce").astype(float)
    expected = _range_text(low, high)
    for i in np.flatnonzero(values.isna().to_numpy()):
        if col.iloc[i] != "" or not allow_empty:
            raise t.fail(i, column, expected, col.iloc[i])
    checked = values if mask is None else values[mask.to_numpy()]
    bad = pd.Series(False, index=checked.index)
    if low is not None:
        bad |= checked < low
    if high is not None:
        bad |= checked > high
    if bad.any():
        i = bad.index[np.flatnonzero(bad.to_numpy())[0]]
        raise t.fail(i, column, expected, col.loc[i])
    return values


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"a number between {low:g} and {high:g}"
    if low is not None:
        return "a non-negative number" if low == 0 else f"a number >= {low:g}"
    if high is not None:
        return f"a number <= {high:g}"
    return "a number"


def years(t: Table, column: str) -> pd.Series:
    """Column of whole years within YEAR_MIN..YEAR_MAX, as int64."""
    col = t.frame[column]
    for i, text in enumerate(col):
        if not re.fullmatch(r"\d{4}", text) or not YEAR_MIN <= int(text) <= YEAR_MAX:
            raise t.fail(i, column, f"a year between {YEAR_MIN} and {YEAR_MAX}", text)
    return col.astype("int64")


def first_year(t: Table, index: int, column: str, text: str | None = None) -> int | None:
    """The first 4-digit year in a free-text cell (or in ``text``, a part of it), or None;
    checked against YEAR_MIN..YEAR_MAX."""
    if text is None:
        text = t.frame.at[index, column]
    m = _YEAR.search(text)
    if m is None:
        return None
    year = int(m.group(1))
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise t.fail(
            index, column, f"years between {YEAR_MIN} and {YEAR_MAX}", t.frame.at[index, column]
        )
    return year


def state_codes(t: Table, column: str, extra: Mapping[str, str] | None = None) -> pd.Series:
    """Column of state names (the five Central Asian states) as codes. ``extra`` maps
    further accepted names (such as ``ALL5``) to what they stand for."""
    extra = dict(extra or {})
    out = []
    for i, name in enumerate(t.frame[column]):
        code = extra.get(name) or code_for_data_name(name)
        if code is None or (name not in extra and code not in STATES):
            names = [s.data_name for s in STATES.values()] + list(extra)
            raise t.fail(i, column, f"one of {', '.join(names)}", name)
        out.append(code)
    return pd.Series(out, index=t.frame.index).astype(t.frame[column].dtype)


def choices(t: Table, column: str, allowed: Iterable[str]) -> pd.Series:
    """Column whose every cell is one of ``allowed``."""
    allowed = tuple(allowed)
    col = t.frame[column]
    bad = ~col.isin(allowed)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise t.fail(i, column, f"one of {', '.join(allowed)}", col.iloc[i])
    return col


class FileKey(NamedTuple):
    """A user file as the loaders' caches know it: its path, and the modification time
    and size it had when asked for, so that a file changed since (edited in a notebook
    or under `polarsim viz`) is read again rather than served from the cache. A path
    (os.PathLike) to the loaders."""

    path: str
    mtime_ns: int
    size: int

    def __fspath__(self) -> str:
        return self.path

    def __str__(self) -> str:
        return self.path


def key(path: PathLike | None) -> FileKey | None:
    """Cache key for a path argument: None for the bundled file."""
    if path is None:
        return None
    p = Path(path)
    try:
        st = p.stat()
    except OSError:  # read_table names the missing or unreadable file
        return FileKey(str(p), -1, -1)
    return FileKey(str(p), st.st_mtime_ns, st.st_size)


def nonempty(t: Table, column: str) -> pd.Series:
    col = t.frame[column]
    empty = np.flatnonzero((col == "").to_numpy())
    if empty.size:
        raise t.fail(int(empty[0]), column, "a non-empty text", "")
    return col


def unique_rows(t: Table, frame: pd.DataFrame, keys: list[str], column: str) -> None:
    """Fail on the first row that repeats the key columns of an earlier row."""
    dup = frame.duplicated(subset=keys, keep="first").to_numpy()
    if dup.any():
        i = frame.index[np.flatnonzero(dup)[0]]
        first = frame.index[frame[keys].eq(frame.loc[i, keys]).all(axis=1).to_numpy()][0]
        raise t.fail(
            i,
            column,
            f"one row per {', '.join(keys)}",
            f"a repeat of row {t.row(first)}",
        )
