"""Command-line layer for `polarsim hindcast` and `polarsim calibrate`.

Wire into polarsim.cli with `add_parsers(sub)`; each parser sets `func` to a handler
taking the parsed args and returning an exit code (PolarsimInputError propagates to the
main CLI, which prints it on one line and exits 2)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _count(text: str, low: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, found {text!r}") from None
    if value < low:
        raise argparse.ArgumentTypeError(f"expected a number >= {low}, found {value}")
    return value


def _pos(text: str) -> int:
    return _count(text, 1)


def _nonneg(text: str) -> int:
    return _count(text, 0)


def add_parsers(sub) -> None:
    h = sub.add_parser(
        "hindcast",
        help="compare a scenario's trade shares with observed ones and naive forecasts",
        description="Run the scenario with replicates and compare its trade shares by "
        "partner with observations (default: the bundled data, window 2008-2010): MAE in "
        "percentage points, coverage of the replicates' 90 % band, and the MAE of "
        "persistence and linear-trend forecasts. Writes table.csv/.md, points.csv, "
        "skipped.csv, a figure and manifest.json. See docs/validation.md.",
    )
    h.add_argument("scenario", type=Path, help="scenario YAML file")
    h.add_argument(
        "--observed",
        type=Path,
        nargs="+",
        action="extend",
        default=[],
        metavar="FILE",
        help="trade-share files (country, partner, year, share_pct[, basis, recommended])",
    )
    h.add_argument("--replicates", type=_pos, default=10, help="replicates (default 10)")
    h.add_argument("--seed", type=_nonneg, default=0, help="root seed (default 0)")
    h.add_argument("--out", type=Path, default=None, help="output folder (new or empty)")
    h.add_argument("--from", dest="first", type=int, default=None, metavar="YEAR",
                   help="first compared year")  # fmt: skip
    h.add_argument("--to", dest="last", type=int, default=None, metavar="YEAR",
                   help="last compared year")  # fmt: skip
    h.add_argument("--set", dest="overrides", action="append", default=[],
                   metavar="PATH=VALUE", help="override a scenario value (repeatable)")  # fmt: skip
    h.add_argument(
        "--posterior",
        type=Path,
        default=None,
        metavar="CALIB_DIR",
        help="draw each replicate's parameters from a polarsim calibrate folder's accepted "
        "points (a posterior predictive band)",
    )
    h.add_argument("--no-figures", action="store_true", help="skip the figure")
    h.add_argument(
        "--force",
        action="store_true",
        help="replace an --out folder that polarsim wrote (never one of yours)",
    )
    h.set_defaults(func=cmd_hindcast)

    c = sub.add_parser(
        "calibrate",
        help="fit scenario parameters to observed series (ABC on the sweep engine)",
        description="Run the experiment file's prior design as a sweep (resumable, local "
        "pool or Dask), accept the design points closest to the observed series of the "
        "calibration window (ABC: rejection, or SMC with one sweep per generation), and "
        "write the posterior, the fit per series (in-sample and held-out), figures and a "
        "calibrated scenario file. See docs/validation.md.",
    )
    c.add_argument("experiment", type=Path, help="experiment file with a calibration section")
    c.add_argument("--workers", type=_pos, default=1, help="processes (1: in-process)")
    c.add_argument("--out", type=Path, default=None, help="output folder")
    c.add_argument("--resume", action="store_true", help="continue an existing folder")
    c.add_argument("--samples", type=_pos, default=None,
                   help="design size (overrides design.samples)")  # fmt: skip
    c.add_argument("--backend", default="local", choices=["local", "dask"])
    c.add_argument("--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler")
    c.add_argument(
        "--scenario-out",
        type=Path,
        default=None,
        metavar="FILE",
        help="where to write the calibrated scenario (default OUT/calibration/)",
    )
    c.add_argument("--no-progress", action="store_true", help="no progress bar")
    c.add_argument(
        "--force",
        action="store_true",
        help="let --scenario-out replace an existing file (never the base scenario or a "
        "file it extends)",
    )
    c.set_defaults(func=cmd_calibrate)


def cmd_hindcast(args: argparse.Namespace) -> int:
    from polarsim.outputs import check_output_dir, timestamped
    from polarsim.run import check_replicates
    from polarsim.validation.hindcast import hindcast, markdown, write_hindcast

    check_replicates(args.replicates)
    if args.out is not None:  # refuse before the runs, not after them
        check_output_dir(args.out, force=args.force)
    h = hindcast(
        args.scenario,
        observed=args.observed,
        replicates=args.replicates,
        seed=args.seed,
        first=args.first,
        last=args.last,
        overrides=args.overrides,
        progress=True,
        command=["polarsim", *sys.argv[1:]],
        posterior=args.posterior,
    )
    out = write_hindcast(
        h, args.out or timestamped("hindcast"), figures=not args.no_figures, force=args.force
    )
    t = h.table[h.table["level"].isin(["overall", "partner"])]
    print(f"hindcast {h.window[0]}-{h.window[1]} (percentage points):")
    print(markdown(t.drop(columns=["level"])), end="")
    n_skip = int(h.skipped["n"].sum()) if not h.skipped.empty else 0
    if n_skip:
        for reason, g in h.skipped.groupby("reason"):
            print(f"skipped {int(g['n'].sum())} observations: {reason}")
    print(f"wrote {out}/")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from polarsim.calibration.abc import calibrate
    from polarsim.errors import PolarsimInputError
    from polarsim.validation.hindcast import markdown

    if args.scheduler and args.backend != "dask":
        raise PolarsimInputError("--scheduler needs --backend dask", field="--scheduler")
    c = calibrate(
        args.experiment,
        workers=args.workers,
        out=args.out,
        resume=args.resume,
        samples=args.samples,
        backend=args.backend,
        scheduler=args.scheduler,
        scenario_out=args.scenario_out,
        force=args.force,
        progress=not args.no_progress,
        command=["polarsim", *sys.argv[1:]],
    )
    print("posterior:")
    print(markdown(c.posterior, digits=3), end="")
    print("fit per series (MAE, percentage points):")
    print(markdown(c.fit), end="")
    failed = c.manifest.get("failed_design_points", [])
    if failed:
        print(f"left out {len(failed)} design points whose runs failed (see sweep/failures/)")
    print(f"calibrated scenario: {c.scenario_path}")
    print(f"wrote {c.folder}/")
    return 0
