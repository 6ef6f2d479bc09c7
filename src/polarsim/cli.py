"""The `polarsim` command: a thin layer over the Python API (polarsim.run and friends).

Bad input -> one line on stderr naming the file and field, exit code 2, no traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from polarsim.errors import PolarsimInputError

EXIT_INPUT = 2


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


def cmd_run(args: argparse.Namespace) -> int:
    from polarsim.run import default_out_dir, run, write_run

    result = run(
        args.scenario,
        seed=args.seed,
        replicates=args.replicates,
        overrides=args.overrides,
        progress=True,
        command=["polarsim", *sys.argv[1:]],
    )
    out = args.out or default_out_dir(result.scenario)
    out = write_run(result, out, figures=not args.no_figures)
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
        if args.command == "run":
            return cmd_run(args)
        if args.command == "schema":
            return cmd_schema(args)
    except PolarsimInputError as exc:
        print(f"polarsim: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("polarsim: interrupted; nothing was written", file=sys.stderr)
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
