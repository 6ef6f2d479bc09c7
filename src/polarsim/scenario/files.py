"""How polarsim reads an input file: scenarios and the files they extend, experiment,
study and calibration files (YAML), observation and data tables (CSV).

Every input is checked before it is read: it must be a regular file (not a directory,
a device such as /dev/zero, a named pipe or a socket, which could block or never end),
at most `MAX_YAML_BYTES` or `MAX_TABLE_BYTES` long, and UTF-8 text (YAML's reader then
rejects control characters such as NUL with their position). YAML is read with the
strict position loader (`yaml_lines`): duplicate keys, octal and base-60 numbers are
errors with file:line. A problem is a `PolarsimInputError` naming the file and what was
expected; the contents of a file that is not what was expected are never echoed (a
wrong `extends:` must not print the start of /etc/passwd).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

from polarsim.errors import PolarsimInputError
from polarsim.scenario.yaml_lines import (
    StrictYAMLError,
    error_position,
    error_text,
    load_with_positions,
)

#: Largest YAML input (scenario, extended scenario, experiment, study), in bytes. The
#: shipped files are under 20 KB; 1 MiB holds thousands of events, while the pure-Python
#: YAML parser keeps the whole node tree of a file in memory (tens of bytes per byte).
MAX_YAML_BYTES = 1024 * 1024

#: Largest CSV input (observations, calibration targets, data tables, design tables),
#: in bytes. The largest bundled table is under 1 MB; pandas reads 64 MiB in about a
#: second and a few hundred MB of memory.
MAX_TABLE_BYTES = 64 * 1024 * 1024

_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class InputFileError(PolarsimInputError):
    """An input file that cannot be read as one: missing, not a regular file, too large,
    not UTF-8 text. `reason` is the message without the file name; `found` what the
    path holds in a few words ("none", "a named pipe", "12.0 MiB", "binary data")."""

    def __init__(self, reason: str, file: str, found: str):
        super().__init__(reason, file=file)
        self.reason = reason
        self.found = found


def _a(what: str) -> str:
    return ("an " if what[:1] in "aeiou" else "a ") + what


def _size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MiB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KiB"


def read_input_bytes(path: str | Path, what: str, max_bytes: int) -> bytes:
    """The bytes of an input file, or an `InputFileError`: the file must exist, be a
    regular file and hold at most `max_bytes` (checked on the opened file, before
    reading, and again while reading in case it grows)."""
    file = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)  # a FIFO must not block the open
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputFileError("file not found", file, "none") from None
    except IsADirectoryError:
        raise InputFileError(f"is a directory, not {_a(what)}", file, "a directory") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputFileError(f"cannot read the {what}: {reason}", file, reason) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputFileError(f"is a directory, not {_a(what)}", file, "a directory")
        for test, kind in _KINDS:
            if test(st.st_mode):
                raise InputFileError(
                    f"is {kind}, not a regular file (polarsim reads {_a(what)} only from a "
                    "regular file)",
                    file,
                    kind,
                )
        size = _size_text(st.st_size) if st.st_size > max_bytes else "a file that grew"
        too_large = InputFileError(
            f"the {what} is larger than the limit of {_size_text(max_bytes)} ({size})",
            file,
            size,
        )
        if st.st_size > max_bytes:
            raise too_large
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputFileError(f"cannot read the {what}: {reason}", file, reason) from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(raw) > max_bytes:
        raise too_large
    return raw


def read_input_text(path: str | Path, what: str, max_bytes: int = MAX_YAML_BYTES) -> str:
    """An input file as UTF-8 text (see `read_input_bytes`); a binary file is an error."""
    raw = read_input_bytes(path, what, max_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:
        raise InputFileError(
            f"not a UTF-8 text file ({_a(what)} is a YAML text file)", str(path), "binary data"
        )
    return text


def kind_of(value: Any) -> str:
    """What a YAML document holds, in words, without its contents."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text" if value.strip() else "an empty string"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def _located(file: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return file
    return f"{file}:{mark.line + 1}:{mark.column + 1}"


def load_yaml_text(text: str, file: str) -> tuple[Any, dict]:
    """Parse YAML text strictly (`yaml_lines`); problems as a `PolarsimInputError` whose
    file is `file:line:column`."""
    try:
        return load_with_positions(text, file)
    except StrictYAMLError as exc:
        path, mark, message = exc.problems[0]
        more = len(exc.problems) - 1
        if more:
            message += f" (and {more} more such problem{'s' if more > 1 else ''})"
        field = ".".join(str(k) for k in path) or None
        raise PolarsimInputError(message, file=_located(file, mark), field=field) from None
    except yaml.YAMLError as exc:
        line, column = error_position(exc, text)
        where = file if line is None else f"{file}:{line}:{column}"
        raise PolarsimInputError(f"malformed YAML: {error_text(exc)}", file=where) from None
    except RecursionError:
        raise PolarsimInputError("malformed YAML: nested too deeply", file=file) from None


def read_mapping(path: str | Path, what: str) -> dict:
    """A YAML file whose top level is a mapping (experiment and study files), read with
    every check of this module, or a `PolarsimInputError` naming the file."""
    file = str(path)
    text = read_input_text(path, f"{what} file")
    data, _ = load_yaml_text(text, file)
    if not isinstance(data, dict):
        found = "an empty file" if data is None else kind_of(data)
        raise PolarsimInputError(
            f"expected a YAML mapping of keys at the top level (key: value lines), found {found}",
            file=file if data is None else f"{file}:1:1",
        )
    return data


__all__ = [
    "MAX_TABLE_BYTES",
    "MAX_YAML_BYTES",
    "InputFileError",
    "kind_of",
    "load_yaml_text",
    "read_input_bytes",
    "read_input_text",
    "read_mapping",
]
