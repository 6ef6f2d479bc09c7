"""`polarsim compare`: scenarios run with common random numbers, their differences
tabulated (a thin layer over polarsim.compare; the figures are
polarsim.plots.folder_figures.comparison_figures)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from polarsim.arguments import add_run_options
from polarsim.errors import PolarsimInputError
from polarsim.inputs.library import input_path


def add_parsers(sub) -> None:
    c = sub.add_parser(
        "compare",
        help="run scenarios with common random numbers and tabulate their differences",
        description="Run every scenario with the same seed and replicates, then write a "
        "table (per state and year: mean with 95 % interval, and the paired difference "
        "from the first scenario with its 95 % interval) as CSV and Markdown, and figures "
        "(differences, time series).",
    )
    c.add_argument("scenarios", type=input_path, nargs="+", metavar="SCENARIO")
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
    c.add_argument(
        "--ablate",
        nargs="*",
        default=None,
        metavar="MECHANISM",
        help="also rerun every scenario with each mechanism switched off in turn (all "
        "when none is named; see polarsim.ablation.MECHANISMS) and write the part of each "
        "effect it carries and the effect's split into the index's components "
        "(ablation.csv, ablation.md, components.csv)",
    )
    c.add_argument(
        "--assumptions",
        nargs="*",
        default=None,
        metavar="ASSUMPTION",
        help="also rerun every scenario with assumed parameters set otherwise, one "
        "variation at a time (all when none is named; see "
        "polarsim.assumptions.ASSUMPTIONS), and say of each effect, and of each "
        "scenario's change since its first year (or --since), whether it holds, weakens "
        "or reverses (robustness.csv, changes.csv, robustness.md)",
    )
    c.add_argument(
        "--since",
        type=int,
        default=None,
        metavar="YEAR",
        help="with --assumptions: the year each scenario's change is measured from "
        "(default: its first simulated year)",
    )
    c.set_defaults(func=cmd_compare)


def cmd_compare(args: argparse.Namespace) -> int:
    from polarsim.run import shared_runs

    # --ablate and --assumptions run the scenarios as shipped again, with the same seeds
    with shared_runs():
        return _compare(args)


def _compare(args: argparse.Namespace) -> int:
    from polarsim.compare import compare, markdown_table, write_comparison
    from polarsim.outputs import check_output_dir, timestamped

    if len(args.scenarios) < 2:
        raise PolarsimInputError("compare needs at least two scenario files")
    if args.out is not None:
        check_output_dir(args.out, force=args.force, kind="compare")
    if args.ablate:  # an unknown mechanism is refused before the runs, not after them
        from polarsim.ablation import check_mechanisms

        check_mechanisms(args.ablate)
    if args.since is not None and args.assumptions is None:
        # silently ignored, a user would read the table as measured from their year
        raise PolarsimInputError(
            "measures each scenario's change under --assumptions; add --assumptions",
            field="--since",
        )
    if args.assumptions:
        from polarsim.assumptions import check_assumptions

        check_assumptions(args.assumptions)
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
    ablation = None
    if args.ablate is not None:
        from polarsim.ablation import ablate, write_ablation

        ablation = ablate(
            c.scenarios,
            mechanisms=args.ablate or None,
            seed=args.seed,
            replicates=args.replicates,
            years=args.years,
            metric=args.metric,
        )
        c.manifest["ablation"] = ablation.manifest
        figures = _with_tables(lambda folder: write_ablation(ablation, folder), figures)
    robustness = None
    if args.assumptions is not None:
        from polarsim.assumptions import vary, write_robustness

        robustness = vary(
            c.scenarios,
            assumptions=args.assumptions or None,
            seed=args.seed,
            replicates=args.replicates,
            years=args.years,
            metric=args.metric,
            since=args.since,
        )
        c.manifest["assumptions"] = robustness.manifest
        figures = _with_tables(lambda folder: write_robustness(robustness, folder), figures)
    out = write_comparison(c, args.out or timestamped("compare"), figures=figures, force=args.force)
    print(markdown_table(c.table, c.metric, c.left_out), end="")
    if ablation is not None:
        from polarsim.ablation import ablation_markdown

        print("\n" + ablation_markdown(ablation), end="")
    if robustness is not None:
        from polarsim.assumptions import robustness_markdown

        print("\n" + robustness_markdown(robustness), end="")
    print(f"wrote {out}/")
    return 0


def _with_tables(write, figures):
    """The folder hook of write_comparison that writes more tables (`write(folder)`),
    then the figures if any."""

    def hook(c, folder: Path) -> None:
        write(folder)
        if figures is not None:
            figures(c, folder)

    return hook
