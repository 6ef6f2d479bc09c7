"""Errors a user can act on: each names the file, the field and what was expected."""

from __future__ import annotations


class PolarsimInputError(Exception):
    """Bad user input (scenario file, command-line value). The CLI prints it on one line
    and exits with code 2; nothing is written."""

    def __init__(self, message: str, *, file: str | None = None, field: str | None = None):
        self.file = file
        self.field = field
        self.detail = message
        parts = [p for p in (file, field) if p]
        super().__init__(": ".join([*parts, message]) if parts else message)


class PolarsimNote(UserWarning):
    """Something about a user's input that does not stop the command (rows of a file
    left out, and why). The CLI prints it on one line as "polarsim: note: ..."."""
