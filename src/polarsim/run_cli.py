"""`polarsim run`: a scenario file to tables and a figure (a thin layer over
polarsim.run; the figure is polarsim.plots.folder_figures.run_figures)."""

from __future__ import annotations

import argparse
import sys

from polarsim.arguments import add_run_options
from polarsim.inputs.library import input_path


def add_parsers(sub) -> None:
    r = sub.add_parser("run", help="run a scenario file to tables and a figure")
    r.add_argument(
        "scenario", type=input_path, help="scenario YAML file, or a library name (baseline)"
    )
    add_run_options(
        r,
        replicates=1,
        set_help="override a scenario value, e.g. powers.RUS.exclusivity=0.9 (repeatable)",
        out_help="output folder (new or empty; default runs/<scenario>-<time>)",
    )
    r.set_defaults(func=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    from polarsim.outputs import check_output_dir
    from polarsim.run import check_replicates, default_out_dir, run, write_run

    check_replicates(args.replicates)
    if args.out is not None:  # refuse before the run, not after it
        check_output_dir(args.out, force=args.force, kind="run")
    result = run(
        args.scenario,
        seed=args.seed,
        replicates=args.replicates,
        overrides=args.overrides,
        progress=True,
        command=["polarsim", *sys.argv[1:]],
    )
    figures = None
    if not args.no_figures:
        from polarsim.plots.folder_figures import run_figures as figures
    out = args.out or default_out_dir(result.scenario)
    out = write_run(result, out, figures=figures, force=args.force)
    final = result.states[result.states["year"] == result.states["year"].max()]
    summary = final.groupby("state", sort=False)["autonomy_index"].mean()
    print(
        f"wrote {out}/ ({len(result.states)} state-year rows, "
        f"{result.manifest['wall_time_s']:.2f} s)"
    )
    year = int(final["year"].iloc[0])
    print(f"autonomy index in {year}: " + ", ".join(f"{k} {v:.2f}" for k, v in summary.items()))
    return 0
