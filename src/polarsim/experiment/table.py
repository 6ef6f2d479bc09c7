"""Design tables (`design: {type: table, file: points.csv}`): a CSV file checked cell by
cell before pandas reads it, so that a broken one is a message naming the file, the
line and the column, never a traceback."""

from __future__ import annotations

import csv
import io
import math

from polarsim.errors import PolarsimInputError
from polarsim.experiment.spec import Parameter
from polarsim.inputs.files import MAX_TABLE_BYTES, InputFileError, read_input_bytes


def read_design_table(file: str, params: dict[str, Parameter]) -> tuple[str, int]:
    """The text of a checked design table and its number of rows."""
    text = _read_table_text(file)
    return text, _check_table(file, text, params)


def _table_error(file: str, where: str, message: str) -> PolarsimInputError:
    return PolarsimInputError(f"{where}: {message}", file=file, field="design.file")


def _read_table_text(file: str) -> str:
    """The table's text, read as every input file is (a regular file, at most
    polarsim.inputs.files.MAX_TABLE_BYTES, UTF-8; inputs/files.py)."""
    try:
        raw = read_input_bytes(file, "design table", MAX_TABLE_BYTES)
        return raw.decode("utf-8-sig")
    except InputFileError as exc:
        raise _table_error(file, "the design table", exc.reason) from None
    except UnicodeDecodeError:
        raise _table_error(
            file, "the design table", "not a UTF-8 text file (expected a CSV file)"
        ) from None


def _check_table(file: str, text: str, exp_params: dict[str, Parameter]) -> int:
    """Check a design table cell by cell before pandas reads it: a header naming every
    parameter once, the same number of values on every line, a number in the column
    of a parameter with a range or distribution. Returns its number of rows."""
    names = list(exp_params)
    try:
        reader = csv.reader(io.StringIO(text))
        records = [(reader.line_num, row) for row in reader if row]
    except csv.Error as exc:
        raise _table_error(file, f"line {reader.line_num}", f"malformed CSV ({exc})") from None
    if not records:
        raise _table_error(
            file,
            "line 1",
            f"empty; expected a header naming the parameters ({', '.join(names)})"
            " and one row per design point",
        )
    line, header = records[0]
    header = [h.strip() for h in header]
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise _table_error(file, f"line {line}", f"column {twice[0]!r} appears twice")
    missing = [n for n in names if n not in header]
    if missing:
        raise _table_error(
            file,
            f"line {line}",
            f"no column for {', '.join(map(repr, missing))}; expected one column per "
            f"parameter ({', '.join(names)}), found {', '.join(map(repr, header))}",
        )
    if len(records) == 1:
        raise _table_error(file, f"line {line}", "a header but no rows; expected one row per point")
    for line, row in records[1:]:
        if len(row) != len(header):
            raise _table_error(
                file,
                f"line {line}",
                f"expected {len(header)} values (one per column of the header), found {len(row)}",
            )
        for name in names:
            cell = row[header.index(name)].strip()
            where = f"line {line}, column {name!r}"
            if not cell:
                raise _table_error(file, where, "empty; expected a value")
            if exp_params[name].values is None and not _finite_number(cell):
                raise _table_error(file, where, f"expected a number, found {cell!r}")
    return len(records) - 1


def _finite_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False
