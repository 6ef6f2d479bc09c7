"""`polarsim validate` and `polarsim schema`: scenario files checked without running
them, and the scenario schema. Imports nothing heavy: `validate` starts at once.

It sits beside the scenario package rather than in it because importing any module of
polarsim.scenario runs that package's __init__, which loads the schema (pydantic) at
once; `--help` and `--version` must not."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from polarsim.arguments import EXIT_INPUT
from polarsim.inputs.library import input_path


def add_parsers(sub) -> None:
    v = sub.add_parser(
        "validate",
        help="check scenario, experiment and study files without running them (exit 2 if "
        "any has a problem)",
        description="Check input files as the verbs read them and list every problem: "
        "FILE:LINE:COLUMN: field: message. A scenario as `polarsim run` reads it (extends, "
        "catalogue, --set, schema, cross-references); an experiment (sweep or calibration) "
        "with its base scenario and overrides, every varied path at the ends of its "
        "range, the run limit, outcome metrics and years, and distributions within their "
        "fields' ranges (`sweep` refuses the same before it starts, except a value only "
        "some design points take: their runs fail and are recorded), printing its "
        "number of runs; "
        "a study with its scenarios and experiments. Prints FILE: ok for a valid scenario, "
        "FILE: ok (kind: size) for a valid experiment or study.",
    )
    v.add_argument(
        "files",
        type=input_path,
        nargs="+",
        metavar="FILE",
        help="scenario, experiment or study file(s), or library names",
    )
    v.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="check with this override applied to every scenario file, as `run --set` (repeatable)",
    )
    v.set_defaults(func=cmd_validate)
    i = sub.add_parser(
        "init",
        help="copy the scenario library (scenarios/, experiments/) into a folder to edit",
        description="Copy the scenarios and experiments that ship with polarsim into "
        "FOLDER/scenarios and FOLDER/experiments. Nothing is replaced: if a file exists, "
        "nothing is copied. Without a copy, library names work directly (polarsim run "
        "baseline).",
    )
    i.add_argument("folder", nargs="?", type=Path, default=Path("."), help="default: here")
    i.set_defaults(func=cmd_init)
    sc = sub.add_parser("schema", help="print the scenario schema")
    sc.add_argument(
        "--markdown",
        action="store_true",
        help="the parameter reference as Markdown (docs/parameters.md)",
    )
    sc.set_defaults(func=cmd_schema)


def cmd_init(args: argparse.Namespace) -> int:
    from polarsim.inputs.library import copy_library

    written = copy_library(args.folder)
    print(f"wrote {len(written)} files into {args.folder}/scenarios and {args.folder}/experiments")
    print(f"try: polarsim run {args.folder / 'scenarios' / 'baseline.yaml'}")
    return 0


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
    """One line per problem (FILE:LINE:COLUMN: field: message) or `FILE: ok` per file
    (`FILE: ok (kind: size)` for an experiment or a study); exit 0 if every file is
    valid, 2 otherwise."""
    from polarsim.checks import check_file

    bad = 0
    for path in args.files:
        result = check_file(path, args.overrides)
        bad += not result.ok
        for line in result.lines():
            print(line)
        if args.overrides and result.kind != "scenario":
            print(
                f"polarsim: note: {path}: --set applies to scenario files; this "
                f"{result.kind} file was checked without it (its own `overrides:` apply)",
                file=sys.stderr,
            )
    if bad:
        n = len(args.files)
        print(f"polarsim: {bad} of {n} file{'s' if n > 1 else ''} invalid", file=sys.stderr)
        return EXIT_INPUT
    return 0
