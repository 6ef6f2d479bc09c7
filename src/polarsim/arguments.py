"""Argument checks and options that several verbs share, written once: whole numbers
with a lower bound, `--force`, the options of verbs that run a scenario with replicates
into a new folder, and `--scheduler` needing `--backend dask`.

Imports nothing heavy: every verb module uses it while the parser is built, and
`polarsim --help`, `--version` and `validate` must start at once."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from polarsim.errors import PolarsimInputError

__all__ = [
    "EXIT_INPUT",
    "FORCE_HELP",
    "add_force",
    "add_run_options",
    "check_backend",
    "nonneg_int",
    "pos_int",
    "whole_number",
]

#: Exit code of bad input (a file, a field, an argument): one line on stderr.
EXIT_INPUT = 2

FORCE_HELP = (
    "replace files (or a folder) that polarsim wrote before, or that exist; "
    "a folder polarsim did not write is never replaced"
)
#: `--force` of the verbs that write one new output folder.
FORCE_FOLDER_HELP = "replace an --out folder that polarsim wrote (never a folder of yours)"


def whole_number(low: int) -> Callable[[str], int]:
    """An argparse type: a whole number >= low."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, found {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"expected a number >= {low}, found {value}")
        return value

    return parse


nonneg_int = whole_number(0)
pos_int = whole_number(1)


def share(*, zero: bool) -> Callable[[str], float]:
    """An argparse type: a share in [0, 1] (`zero` True) or in (0, 1]."""
    interval = "[0, 1]" if zero else "(0, 1]"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a share in {interval}, found {text!r}"
            ) from None
        low_ok = value >= 0.0 if zero else value > 0.0
        if not (low_ok and value <= 1.0):  # also NaN
            raise argparse.ArgumentTypeError(f"expected a share in {interval}, found {text}")
        return value

    return parse


def add_force(p: argparse.ArgumentParser, help: str = FORCE_HELP) -> None:
    """The `--force` option of every verb that writes (docs/reliability.md)."""
    p.add_argument("--force", action="store_true", help=help)


def add_run_options(
    p: argparse.ArgumentParser,
    replicates: int,
    set_help: str = "override a scenario value (repeatable)",
    out_help: str = "output folder (new or empty)",
) -> None:
    """--seed, --replicates, --set, --out, --no-figures and --force: the options of every
    verb that runs a scenario with replicates into one new folder (run, compare,
    hindcast, skill)."""
    p.add_argument("--seed", type=nonneg_int, default=0, help="root seed (default 0)")
    p.add_argument(
        "--replicates",
        type=pos_int,
        default=replicates,
        help=f"replicates (default {replicates})",
    )
    if set_help:
        p.add_argument("--set", dest="overrides", action="append", default=[],
                       metavar="PATH=VALUE", help=set_help)  # fmt: skip
    p.add_argument("--out", type=Path, default=None, help=out_help)
    p.add_argument("--no-figures", action="store_true", help="skip the figure")
    add_force(p, FORCE_FOLDER_HELP)


def check_backend(args: argparse.Namespace) -> None:
    """`--scheduler` names a Dask scheduler: refused with any other backend."""
    if args.scheduler and args.backend != "dask":
        raise PolarsimInputError("--scheduler needs --backend dask", field="--scheduler")
