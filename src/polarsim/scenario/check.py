"""Check scenario files without running them (`polarsim validate FILE...`).

    from polarsim.scenario.check import validate_file, validate_files

    problems = validate_files(["scenarios/baseline.yaml", "my.yaml"])
    for p in problems:
        print(p)  # my.yaml:7:5: powers.RUS.exclusivty: unknown key 'exclusivty' (did ...)

The loading path is the one of `polarsim run` (`load_scenario`): YAML (safe loading),
`extends`, the actor catalogue, `--set` overrides, the schema, cross-references. Every
problem of a file is reported, each a `Problem` (file, line, column, dotted path,
message); input problems are returned, never raised. Cross-references (codes used in
events, doctrines) are checked once the schema is satisfied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from polarsim.inputs.problems import Problem
from polarsim.scenario.load import load_checked

__all__ = ["Problem", "report_lines", "validate_file", "validate_files"]


def validate_file(path: str | Path, overrides: Sequence[str] = ()) -> list[Problem]:
    """All problems of one scenario file (empty: the file is valid). `overrides` are
    `--set` items (`powers.RUS.exclusivity=0.9`), applied as `polarsim run` does."""
    _, problems = load_checked(path, tuple(overrides))
    return problems


def validate_files(paths: Iterable[str | Path], overrides: Sequence[str] = ()) -> list[Problem]:
    """All problems of several scenario files, file by file in the order given; each
    `Problem.file` is the path as given."""
    out: list[Problem] = []
    for path in paths:
        out.extend(validate_file(path, overrides))
    return out


def report_lines(path: str | Path, problems: Sequence[Problem]) -> list[str]:
    """What `polarsim validate` prints for one file: `FILE: ok`, or one line per problem."""
    if not problems:
        return [f"{path}: ok"]
    return [str(p) for p in problems]
