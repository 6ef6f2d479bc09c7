"""The `polarsim` command: a thin layer over the Python API (polarsim.run and friends).

Bad input -> one line on stderr naming the file and field, exit code 2, no traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from polarsim.errors import PolarsimInputError

EXIT_INPUT = 2

FORCE_HELP = (
    "replace files (or a folder) that polarsim wrote before, or that exist; "
    "a folder polarsim did not write is never replaced"
)


def add_force(p: argparse.ArgumentParser, help: str = FORCE_HELP) -> None:
    """The `--force` option of every verb that writes (docs/reliability.md)."""
    p.add_argument("--force", action="store_true", help=help)


def _nonneg_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, found {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, found {value}")
    return value


def _pos_int(text: str) -> int:
    value = _nonneg_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, found {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="polarsim",
        description="Great-power competition and small-state autonomy in Central Asia.",
    )
    from polarsim import __version__

    p.add_argument("--version", action="version", version=f"polarsim {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run a scenario file to tables and a figure")
    r.add_argument("scenario", type=Path, help="scenario YAML file")
    r.add_argument("--seed", type=_nonneg_int, default=0, help="root seed (default 0)")
    r.add_argument("--replicates", type=_pos_int, default=1, help="replicates (default 1)")
    r.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (new or empty; default runs/<scenario>-<time>)",
    )
    r.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a scenario value, e.g. powers.RUS.exclusivity=0.9 (repeatable)",
    )
    r.add_argument("--no-figures", action="store_true", help="skip the figure")
    add_force(r, "replace an --out folder that polarsim wrote (never a folder of yours)")
    v = sub.add_parser(
        "validate",
        help="check scenario files without running them (exit 2 if any has a problem)",
        description="Check scenario files as `polarsim run` reads them (extends, catalogue, "
        "--set, schema, cross-references) and list every problem: FILE:LINE:COLUMN: "
        "field: message. Prints FILE: ok for a valid file.",
    )
    v.add_argument("files", type=Path, nargs="+", metavar="FILE", help="scenario YAML file(s)")
    v.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="check with this override applied to every file, as `run --set` (repeatable)",
    )
    c = sub.add_parser(
        "compare",
        help="run scenarios with common random numbers and tabulate their differences",
        description="Run every scenario with the same seed and replicates, then write a "
        "table (per state and year: mean with 95 % interval, and the paired difference "
        "from the first scenario with its 95 % interval) as CSV and Markdown, and figures "
        "(differences, time series).",
    )
    c.add_argument("scenarios", type=Path, nargs="+", metavar="SCENARIO")
    c.add_argument("--seed", type=_nonneg_int, default=0, help="root seed (default 0)")
    c.add_argument("--replicates", type=_pos_int, default=10, help="replicates (default 10)")
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
        "--out",
        type=Path,
        default=None,
        help="output folder (new or empty; default runs/compare-<time>)",
    )
    c.add_argument("--no-figures", action="store_true", help="skip the figure")
    add_force(c, "replace an --out folder that polarsim wrote (never a folder of yours)")
    from polarsim.experiment.cli import add_parsers as add_sweep_parsers

    add_sweep_parsers(sub)
    from polarsim.viz.cli import add_parsers as add_viz_parsers

    add_viz_parsers(sub)
    from polarsim.validation.cli import add_parsers as add_validation_parsers

    add_validation_parsers(sub)
    from polarsim.plots.cli import add_parsers as add_plot_parsers

    add_plot_parsers(sub)
    a = sub.add_parser("analyze", help="Sobol or Morris sensitivity indices of a sweep (SALib)")
    a.add_argument("method", choices=["sobol", "morris"])
    a.add_argument("folder", type=Path, help="sweep output folder")
    a.add_argument("--outcome", default=None, help="outcome column (default: the first kept)")
    a.add_argument("--years", type=int, nargs="+", default=None, help="years to average")
    a.set_defaults(func=cmd_analyze)
    sc = sub.add_parser("schema", help="print the scenario schema")
    sc.add_argument(
        "--markdown",
        action="store_true",
        help="the parameter reference as Markdown (docs/parameters.md)",
    )
    return p


def cmd_schema(args: argparse.Namespace) -> int:
    if args.markdown:
        from polarsim.scenario.docs import parameters_markdown

        sys.stdout.write(parameters_markdown())
    else:
        import json

        from polarsim.scenario.schema import Scenario

        print(json.dumps(Scenario.model_json_schema(), indent=2))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """One line per problem (FILE:LINE:COLUMN: field: message) or `FILE: ok` per file;
    exit 0 if every file is valid, 2 otherwise."""
    from polarsim.scenario.check import report_lines, validate_file

    bad = 0
    for path in args.files:
        problems = validate_file(path, args.overrides)
        bad += bool(problems)
        for line in report_lines(path, problems):
            print(line)
    if bad:
        n = len(args.files)
        print(f"polarsim: {bad} of {n} file{'s' if n > 1 else ''} invalid", file=sys.stderr)
        return EXIT_INPUT
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    from polarsim.experiment.analyze import analyze

    table = analyze(args.method, args.folder, outcome=args.outcome, years=args.years)
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"wrote {args.folder}/sensitivity_{args.method}_{table['outcome'].iloc[0]}.csv")
    return 0


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
    out = write_comparison(
        c, args.out or timestamped("compare"), figures=not args.no_figures, force=args.force
    )
    print(markdown_table(c.table, c.metric), end="")
    print(f"wrote {out}/")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from polarsim.outputs import check_output_dir
    from polarsim.run import check_replicates, default_out_dir, run, write_run

    check_replicates(args.replicates)
    if args.out is not None:  # refuse before the run, not after it
        check_output_dir(args.out, force=args.force)
    result = run(
        args.scenario,
        seed=args.seed,
        replicates=args.replicates,
        overrides=args.overrides,
        progress=True,
        command=["polarsim", *sys.argv[1:]],
    )
    out = args.out or default_out_dir(result.scenario)
    out = write_run(result, out, figures=not args.no_figures, force=args.force)
    final = result.states[result.states["year"] == result.states["year"].max()]
    summary = final.groupby("state", sort=False)["autonomy_index"].mean()
    print(
        f"wrote {out}/ ({len(result.states)} state-year rows, "
        f"{result.manifest['wall_time_s']:.2f} s)"
    )
    year = int(final["year"].iloc[0])
    print(f"autonomy index in {year}: " + ", ".join(f"{k} {v:.2f}" for k, v in summary.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except PolarsimInputError as exc:
        print(f"polarsim: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(
            "polarsim: interrupted (a run writes nothing; a sweep keeps its finished "
            "shards: continue it with --resume)",
            file=sys.stderr,
        )
        return 130
    except BrokenPipeError:
        # The reader stopped reading (`polarsim schema | head`): nothing went wrong here.
        # Point stdout at /dev/null so that the flush at exit does not fail again.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        # Last safety net: a file-system failure no writer turned into a message.
        from polarsim.outputs import describe_os_error

        msg = describe_os_error(exc, exc.filename, action="read or write")
        print(f"polarsim: error: {msg}", file=sys.stderr)
        return EXIT_INPUT


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "run":
        return cmd_run(args)
    if args.command == "validate":
        return cmd_validate(args)
    if args.command == "compare":
        return cmd_compare(args)
    if getattr(args, "func", None) is not None:
        return args.func(args)
    if args.command == "schema":
        return cmd_schema(args)
    return 1


if __name__ == "__main__":
    sys.exit(main())
