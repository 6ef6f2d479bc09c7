"""Bounded reading of every input file: scenarios and the files they extend,
experiment, study and calibration files (YAML), observation, data and design tables
(CSV).

Every input is checked before it is read: it must be a regular file (not a directory,
a device such as /dev/zero, a named pipe or a socket, which could block or never end),
at most `MAX_YAML_BYTES` or `MAX_TABLE_BYTES` long, and UTF-8 text where text is
expected. A problem is an `InputFileError` naming the file and what it holds in a few
words; the contents of a file that is not what was expected are never echoed (a wrong
`extends:` must not print the start of /etc/passwd). This module sits below the data
and scenario layers, so both read files the same way; YAML parsing is `reader`'s.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from polarsim.errors import PolarsimInputError

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


def a_or_an(what: str) -> str:
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
        raise InputFileError(f"is a directory, not {a_or_an(what)}", file, "a directory") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputFileError(f"cannot read the {what}: {reason}", file, reason) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputFileError(f"is a directory, not {a_or_an(what)}", file, "a directory")
        for test, kind in _KINDS:
            if test(st.st_mode):
                raise InputFileError(
                    f"is {kind}, not a regular file (polarsim reads {a_or_an(what)} only from a "
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
            f"not a UTF-8 text file ({a_or_an(what)} is a YAML text file)", str(path), "binary data"
        )
    return text


__all__ = [
    "MAX_TABLE_BYTES",
    "MAX_YAML_BYTES",
    "InputFileError",
    "read_input_bytes",
    "read_input_text",
]
