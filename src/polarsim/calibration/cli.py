"""`polarsim calibrate`: a thin layer over polarsim.calibration.abc.calibrate (its
figures: polarsim.plots.folder_figures.calibration_figures).

Wired into polarsim.cli with `add_parsers(sub)`; PolarsimInputError propagates to the
main CLI, which prints it on one line and exits 2."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from polarsim.arguments import check_backend, pos_int
from polarsim.inputs.library import input_path


def add_parsers(sub) -> None:
    c = sub.add_parser(
        "calibrate",
        help="fit scenario parameters to observed series (ABC on the sweep engine)",
        description="Run the experiment file's prior design as a sweep (resumable, local "
        "pool or Dask), accept the design points closest to the observed series of the "
        "calibration window (ABC: rejection, or SMC with one sweep per generation), and "
        "write the posterior, the fit per series (in-sample and held-out), figures and a "
        "calibrated scenario file. See docs/validation.md.",
    )
    c.add_argument(
        "experiment",
        type=input_path,
        help="experiment file with a calibration section, or a library name",
    )
    c.add_argument(
        "--workers",
        type=pos_int,
        default=1,
        help="processes (1: in-process); at most the CPUs unless --oversubscribe",
    )
    c.add_argument(
        "--oversubscribe",
        action="store_true",
        help="start --workers processes even if there are fewer CPUs (as sweep)",
    )
    c.add_argument("--out", type=Path, default=None, help="output folder")
    c.add_argument("--resume", action="store_true", help="continue an existing folder")
    c.add_argument("--samples", type=pos_int, default=None,
                   help="design size (overrides design.samples)")  # fmt: skip
    c.add_argument("--backend", default="local", choices=["local", "dask"])
    c.add_argument("--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler")
    c.add_argument(
        "--scenario-out",
        type=Path,
        default=None,
        metavar="FILE",
        help="where to write the calibrated scenario (default OUT/<base>_calibrated.yaml)",
    )
    c.add_argument("--no-progress", action="store_true", help="no progress bar")
    c.add_argument(
        "--dry-run",
        action="store_true",
        help="check the file, count the runs of every generation and estimate time and "
        "disk from a few timed runs; write nothing",
    )
    c.add_argument(
        "--force",
        action="store_true",
        help="let --scenario-out replace an existing file (never the base scenario or a "
        "file it extends)",
    )
    c.set_defaults(func=cmd_calibrate)


def cmd_calibrate(args: argparse.Namespace) -> int:
    from polarsim.calibration.abc import calibrate, posterior_notes
    from polarsim.markdown import frame_markdown
    from polarsim.plots.folder_figures import calibration_figures

    check_backend(args)
    if args.dry_run:
        from polarsim.experiment.dry_run import estimate_calibration

        e = estimate_calibration(args.experiment, workers=args.workers, samples=args.samples)
        print("\n".join(e.lines()))
        return 0
    c = calibrate(
        args.experiment,
        workers=args.workers,
        oversubscribe=args.oversubscribe,
        out=args.out,
        resume=args.resume,
        samples=args.samples,
        backend=args.backend,
        scheduler=args.scheduler,
        scenario_out=args.scenario_out,
        force=args.force,
        progress=not args.no_progress,
        command=["polarsim", *sys.argv[1:]],
        figures=calibration_figures,
    )
    print("posterior:")
    print(frame_markdown(c.posterior, digits=3), end="")
    print("fit per series (MAE, percentage points):")
    print(frame_markdown(c.fit), end="")
    failed = c.manifest.get("failed_design_points", [])
    if failed:
        print(f"left out {len(failed)} design points whose runs failed (see sweep/failures/)")
    print(f"calibrated scenario: {c.scenario_path}")
    print(f"wrote {c.folder}/")
    for note in posterior_notes(c.posterior):
        print(f"polarsim: note: {note}", file=sys.stderr)
    return 0
