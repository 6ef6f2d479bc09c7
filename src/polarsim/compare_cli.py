"""`polarsim compare`: scenarios run with common random numbers, their differences
tabulated (a thin layer over polarsim.compare; the figures are
polarsim.plots.folder_figures.comparison_figures)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from polarsim.arguments import add_run_options
from polarsim.errors import PolarsimInputError


def add_parsers(sub) -> None:
    c = sub.add_parser(
        "compare",
        help="run scenarios with common random numbers and tabulate their differences",
        description="Run every scenario with the same seed and replicates, then write a "
        "table (per state and year: mean with 95 % interval, and the paired difference "
        "from the first scenario with its 95 % interval) as CSV and Markdown, and figures "
        "(differences, time series).",
    )
    c.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO")
    add_run_options(
        c,
        replicates=10,
        set_help="",
        out_help="output folder (new or empty; default runs/compare-<time>)",
    )
    c.add_argument(
        "--years",
        type=int,
        nargs="+",
        default=None,
        metavar="YEAR",
        help="years to tabulate (default: the last common year)",
    )
    c.add_argument("--metric", default="autonomy_index", help="states column to compare")
    c.set_defaults(func=cmd_compare)


def cmd_compare(args: argparse.Namespace) -> int:
    from polarsim.compare import compare, markdown_table, write_comparison
    from polarsim.outputs import check_output_dir, timestamped

    if len(args.scenarios) < 2:
        raise PolarsimInputError("compare needs at least two scenario files")
    if args.out is not None:
        check_output_dir(args.out, force=args.force)
    c = compare(
        args.scenarios,
        seed=args.seed,
        replicates=args.replicates,
        years=args.years,
        metric=args.metric,
        progress=True,
    )
    c.manifest["command"] = ["polarsim", *sys.argv[1:]]
    figures = None
    if not args.no_figures:
        from polarsim.plots.folder_figures import comparison_figures as figures
    out = write_comparison(c, args.out or timestamped("compare"), figures=figures, force=args.force)
    print(markdown_table(c.table, c.metric), end="")
    print(f"wrote {out}/")
    return 0
