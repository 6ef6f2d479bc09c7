"""Command-line layer for figures, tables and studies: `polarsim plot KIND`,
`polarsim table` (polarsim.study.folders) and `polarsim study` (polarsim.study.build).
Wire into polarsim.cli with `add_parsers(sub)`; each parser sets `func` to a handler
returning an exit code."""

from __future__ import annotations

import argparse
from pathlib import Path

from polarsim.arguments import add_force, pos_int, share
from polarsim.codes import ARENAS
from polarsim.errors import PolarsimInputError
from polarsim.inputs.library import input_path

FORMATS_DEFAULT = ["png", "pdf", "svg"]
FILES_FORCE_HELP = (
    "replace files of these names that exist (files polarsim wrote into its own folders "
    "are replaced without it)"
)


def _common(p: argparse.ArgumentParser, width: str | None = "double") -> None:
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="STEM",
        help="output path without extension (default FOLDER/figures/KIND, or "
        "FOLDER/figures/KIND_METRIC for a metric other than the autonomy index)",
    )
    p.add_argument(
        "--formats",
        nargs="+",
        default=FORMATS_DEFAULT,
        choices=["png", "pdf", "svg"],
        help="files to write (default png pdf svg); a CSV of the plotted numbers always",
    )
    p.add_argument(
        "--width",
        default=width,
        choices=["single", "double"],
        help="journal column width: single 3.5 in, double 7.2 in (default "
        + (width or "single, or double with --by-state")
        + ")",
    )
    add_force(p, FILES_FORCE_HELP)


def _folders(p: argparse.ArgumentParser, sweep: bool = False) -> None:
    if sweep:
        p.add_argument("folders", type=Path, nargs=1, metavar="SWEEP", help="sweep folder")
    else:
        p.add_argument(
            "folders",
            type=Path,
            nargs="+",
            metavar="FOLDER",
            help="run or comparison folder(s); several are stacked as scenarios",
        )


def add_parsers(sub) -> None:
    _add_plot_parser(sub)
    _add_table_parser(sub)
    _add_study_parser(sub)


def _add_plot_parser(sub) -> None:
    plot = sub.add_parser(
        "plot",
        help="publication figures from run, comparison or sweep folders",
        description="Draw one figure from result folders and write it as PNG (300 dpi), "
        "PDF and SVG (TrueType fonts), plus a CSV of the numbers drawn and a JSON of "
        "their provenance (source folders, options, versions). Rebuilding from the same "
        "results gives byte-identical files.",
    )
    kinds = plot.add_subparsers(dest="kind", required=True, metavar="KIND")
    # KIND lists the figures in the order they are added here.
    _add_result_plots(kinds)
    _add_sweep_plots(kinds)
    _add_tie_plots(kinds)
    plot.set_defaults(func=cmd_plot)


def _add_result_plots(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`plot timeseries` and `plot compare`: figures of run or comparison folders."""
    p = kinds.add_parser("timeseries", help="a metric over years, mean with 95 %% t band")
    _folders(p)
    p.add_argument("--metric", default="autonomy_index", help="states column")
    p.add_argument("--layout", default="panels", choices=["panels", "overlay"])
    p.add_argument("--states", nargs="+", default=None, metavar="CODE")
    p.add_argument("--scenarios", nargs="+", default=None, metavar="NAME")
    _common(p)

    p = kinds.add_parser("compare", help="scenarios side by side, paired differences")
    _folders(p)
    p.add_argument("--metric", default="autonomy_index")
    p.add_argument("--year", type=int, default=None, help="default: the last year")
    p.add_argument("--reference", default=None, help="scenario to difference against")
    _common(p)


def _add_sweep_plots(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`plot heatmap` and `plot sensitivity`: figures of one sweep folder."""
    p = kinds.add_parser("heatmap", help="phase diagram: two swept parameters")
    _folders(p, sweep=True)
    p.add_argument("--x", required=True, help="swept parameter on the x axis")
    p.add_argument("--y", required=True, help="swept parameter on the y axis")
    p.add_argument("--metric", default="autonomy_index")
    p.add_argument("--years", type=int, nargs="+", default=None, help="default: last kept")
    p.add_argument(
        "--baseline-year",
        type=int,
        default=None,
        help="show the change since this year (within each run)",
    )
    p.add_argument("--states", nargs="+", default=None, metavar="CODE")
    p.add_argument(
        "--by-state",
        action="store_true",
        help="one panel per state on a shared scale (default: the mean of the states)",
    )
    p.add_argument(
        "--level",
        type=float,
        default=None,
        help="contour level (default: 0 with --baseline-year, else no contour)",
    )
    _common(p, width=None)

    p = kinds.add_parser("sensitivity", help="Sobol S1/ST or Morris mu*/sigma")
    _folders(p, sweep=True)
    p.add_argument("--method", default="sobol", choices=["sobol", "morris"])
    p.add_argument("--outcome", default=None)
    p.add_argument("--years", type=int, nargs="+", default=None)
    _common(p, width="single")


def _add_tie_plots(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`plot ties`, `plot network` and `plot map`: the states' ties to the powers."""
    p = kinds.add_parser("ties", help="partner shares by arena over time (stacked)")
    _folders(p)
    p.add_argument("--scenario", default=None)
    p.add_argument("--arenas", nargs="+", default=None, choices=list(ARENAS))
    p.add_argument("--states", nargs="+", default=None, metavar="CODE")
    _common(p)

    p = kinds.add_parser("network", help="ties of one year between states and powers")
    _folders(p)
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--scenario", default=None)
    p.add_argument("--arenas", nargs="+", default=None, choices=[*ARENAS, "all"])
    p.add_argument("--min-share", type=share(zero=True), default=None,
                   help="hide weaker ties (0.05)")  # fmt: skip
    _common(p)

    p = kinds.add_parser("map", help="schematic map with the ties of one year")
    _folders(p)
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--arena", default="all", choices=[*ARENAS, "all"])
    p.add_argument("--scenario", default=None)
    p.add_argument("--min-share", type=share(zero=True), default=None)
    _common(p)


def _add_table_parser(sub) -> None:
    t = sub.add_parser(
        "table",
        help="summary tables (mean, 95 %% interval) as CSV, Markdown and LaTeX",
        description="Mean and t-based 95 % interval of metrics per scenario, state and "
        "year (and the mean of the states), written as STEM.csv, STEM.md and STEM.tex "
        "(booktabs).",
    )
    t.add_argument("folders", type=Path, nargs="+", metavar="FOLDER")
    t.add_argument("--metrics", nargs="+", default=["autonomy_index"])
    t.add_argument(
        "--years", type=int, nargs="+", default=None, help="default: first, last, decades"
    )
    t.add_argument("--out", type=Path, default=None, metavar="STEM")
    add_force(t, FILES_FORCE_HELP)
    t.set_defaults(func=cmd_table)


def _add_study_parser(sub) -> None:
    s = sub.add_parser(
        "study",
        help="run a study file's experiments (reusing results) and write its figures, "
        "tables and report",
    )
    s.add_argument("study", type=input_path, help="study file (YAML), or a library name")
    s.add_argument("--out", type=Path, default=None, help="default: the study's `out`")
    add_force(
        s,
        "replace files in the output folder that polarsim did not list as its own "
        "(a folder that polarsim did not write is still refused)",
    )
    s.add_argument("--workers", type=pos_int, default=None, help="processes (default: the study's)")
    s.add_argument("--quick", action="store_true", help="the reduced design (for tests)")
    s.add_argument(
        "--dry-run",
        action="store_true",
        help="check the file, count the runs of every part and estimate time and disk "
        "from a few timed runs (as a first build: the cache is not read); write nothing",
    )
    s.add_argument("--no-progress", action="store_true")
    s.set_defaults(func=cmd_study)


_OPTION_NAMES = {
    "timeseries": ["metric", "layout", "states", "scenarios", "width"],
    "compare": ["metric", "year", "reference", "width"],
    "heatmap": [
        "x",
        "y",
        "metric",
        "years",
        "baseline_year",
        "states",
        "level",
        "by_state",
        "width",
    ],
    "sensitivity": ["method", "outcome", "years", "width"],
    "ties": ["scenario", "arenas", "states", "width"],
    "network": ["year", "scenario", "arenas", "min_share", "width"],
    "map": ["year", "arena", "scenario", "min_share", "width"],
}


def default_stem(kind: str, metric: str | None) -> str:
    """A figure's default file name: the kind, with the metric when it is not the
    autonomy index, so figures of two metrics never replace each other (`compare`
    writes the autonomy index's as figures/timeseries and figures/compare)."""
    return kind if metric in (None, "autonomy_index") else f"{kind}_{metric}"


def cmd_plot(args: argparse.Namespace) -> int:
    from polarsim.study.folders import plot_folder, write_plot

    opts = {k: getattr(args, k) for k in _OPTION_NAMES[args.kind]}
    p = plot_folder(args.kind, args.folders, **opts)
    stem = args.out or args.folders[0] / "figures" / default_stem(args.kind, opts.get("metric"))
    paths = write_plot(p, stem, args.formats, force=args.force)
    print("wrote " + ", ".join(str(x) for x in paths))
    return 0


def cmd_table(args: argparse.Namespace) -> int:
    from polarsim.plots.results import load_results
    from polarsim.plots.tables import summary_table, table_markdown, write_tables
    from polarsim.study.folders import folder_names
    from polarsim.summaries import check_metric

    res = load_results(args.folders)
    if res.kind == "sweep" and res.design is not None and len(res.design) > 1:
        # its runs differ in their parameters: an interval over them, captioned "n
        # replicates", would pass the spread over the design for replicate noise
        raise PolarsimInputError(
            f"the sweep has {len(res.design)} design points, not replicates of one "
            "scenario: use `polarsim plot heatmap` or `polarsim analyze`",
            field=folder_names(res),
        )
    for metric in args.metrics:
        check_metric(metric, res.states, field="--metrics", exclude=res.parameters)
    try:
        table = summary_table(res.states, args.metrics, args.years)
    except ValueError as exc:
        raise PolarsimInputError(str(exc), field="table") from None
    stem = args.out or args.folders[0] / "tables" / "summary"
    paths = write_tables(table, stem, force=args.force)
    print(table_markdown(table), end="")
    print("wrote " + ", ".join(str(x) for x in paths))
    return 0


def cmd_study(args: argparse.Namespace) -> int:
    if args.dry_run:
        from polarsim.inputs.problems import InputProblemsError
        from polarsim.study.check import check_study
        from polarsim.study.estimate import estimate_study

        problems, _ = check_study(args.study)
        if problems:
            raise InputProblemsError(problems)
        e = estimate_study(args.study, workers=args.workers, quick=args.quick)
        print("\n".join(e.lines()))
        return 0
    from polarsim.study.build import run_study

    out = run_study(
        args.study,
        out=args.out,
        workers=args.workers,
        quick=args.quick,
        progress=not args.no_progress,
        force=args.force,
    )
    print(f"wrote {out}/report.md")
    return 0
