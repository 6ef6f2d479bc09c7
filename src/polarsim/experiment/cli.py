"""Command-line layer for sweeps: `polarsim sweep`, `polarsim status` and
`polarsim analyze` (whose figure is polarsim.plots.folder_figures.sensitivity_figure).

Wire into polarsim.cli with `add_parsers(sub)`; each parser sets `func` to a handler
taking the parsed args and returning an exit code (PolarsimInputError propagates to the
main CLI, which prints it and exits 2)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from polarsim.arguments import add_force, check_backend, share
from polarsim.errors import PolarsimInputError
from polarsim.experiment.limits import MAX_WORKERS_PER_CPU
from polarsim.inputs.library import input_path

#: experiment.discovery.METHODS, named here so that the parser imports no pandas
DISCOVERY = ("prim", "cart", "features", "main-effects")


def add_parsers(sub) -> None:
    s = sub.add_parser("sweep", help="run an experiment file (design x replicates)")
    s.add_argument("experiment", type=input_path, help="experiment file (YAML), or a library name")
    s.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes (1: in-process); at most the CPUs unless --oversubscribe",
    )
    s.add_argument(
        "--oversubscribe",
        action="store_true",
        help="start --workers processes even if there are fewer CPUs "
        f"(at most {MAX_WORKERS_PER_CPU} per CPU)",
    )
    s.add_argument("--out", default=None, help="output folder (default runs/NAME-STAMP)")
    s.add_argument("--resume", action="store_true", help="continue an existing folder")
    s.add_argument(
        "--dry-run",
        action="store_true",
        help="check the file, count the runs and estimate time and disk from a few timed "
        "runs; write nothing",
    )
    s.add_argument("--shard", default=None, metavar="I/N", help="run tasks with index %% N == I")
    s.add_argument(
        "--backend",
        default="local",
        choices=["local", "dask"],
        help="local process pool (default) or Dask distributed",
    )
    s.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="Dask scheduler, e.g. tcp://host:8786 (default: a LocalCluster)",
    )
    s.add_argument(
        "--samples",
        type=int,
        default=None,
        metavar="N",
        help="design size instead of the file's (design.samples; trajectories for Morris)",
    )
    s.add_argument(
        "--replicates", type=int, default=None, metavar="R", help="replicates instead of the file's"
    )
    s.add_argument("--no-progress", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_sweep)
    st = sub.add_parser("status", help="done / failed / not yet run of a sweep folder")
    st.add_argument("folder")
    st.add_argument("--json", action="store_true", help="print as JSON")
    st.set_defaults(func=cmd_status)
    a = sub.add_parser(
        "analyze",
        help="sensitivity (Sobol, Morris) or scenario discovery (PRIM, CART, feature "
        "scores, main effects) over a sweep",
        description="sobol and morris need a sweep of that design; prim, cart, features "
        "and main-effects take any design (docs/experiments.md).",
    )
    a.add_argument("method", choices=["sobol", "morris", *DISCOVERY])
    a.add_argument("folder", type=Path, help="sweep output folder")
    a.add_argument("--outcome", default=None, help="outcome column (default: the first kept)")
    a.add_argument("--years", type=int, nargs="+", default=None, help="years to average")
    d = a.add_argument_group("scenario discovery (prim, cart, features, main-effects)")
    d.add_argument(
        "--change-from",
        type=int,
        default=None,
        metavar="YEAR",
        help="analyse the outcome's change from YEAR (a year the sweep kept)",
    )
    line = d.add_mutually_exclusive_group()
    line.add_argument("--below", type=float, help="points of interest: outcome below this")
    line.add_argument("--above", type=float, help="points of interest: outcome above this")
    line.add_argument(
        "--lowest",
        type=float,
        metavar="SHARE",
        help="points of interest: this share with the lowest outcome (default 0.25)",
    )
    d.add_argument(
        "--min-coverage",
        type=share(zero=False),
        default=None,
        metavar="SHARE",
        help="PRIM: the densest box covering at least this share (in (0, 1]) of the "
        "points of interest (default 0.5)",
    )
    add_force(
        a,
        help="replace a table or figure of that name that polarsim did not record "
        "writing in the folder (its own are replaced without --force)",
    )
    a.set_defaults(func=cmd_analyze)


def cmd_sweep(args: argparse.Namespace) -> int:
    from polarsim.experiment.sweep import nothing_to_resume, status, sweep

    check_backend(args)
    if args.resume and not args.dry_run:
        if args.out is None:
            raise PolarsimInputError(
                "needs --out, the folder of the sweep to resume", field="--resume"
            )
        if nothing_to_resume(args.out):  # documented: the sweep starts there
            print(
                f"polarsim: note: no sweep to resume at {args.out}: starting a new one",
                file=sys.stderr,
            )
    if args.dry_run:
        from polarsim.experiment.dry_run import estimate_experiment

        e = estimate_experiment(
            args.experiment, workers=args.workers, samples=args.samples,
            replicates=args.replicates,
        )  # fmt: skip
        print("\n".join(e.lines()))
        return 0
    from polarsim.experiment.sweep import SweepFailedError

    try:
        out = _run_sweep(sweep, args)
    except SweepFailedError as exc:  # the folder is kept: a failed sweep's exit code
        print(f"polarsim: error: {exc}", file=sys.stderr)
        return 1
    st = status(out)
    print(f"{out}: {counts(st)}")
    if st["failed"]:
        print(f"polarsim: note: the failures are recorded in {out}/failures/", file=sys.stderr)
    return 0 if st["failed"] == 0 else 1


def counts(st: dict) -> str:
    """A status's task counts, each task in one count: done, failed (which --resume
    retries), not yet run."""
    retry = " (to retry with --resume)" if st["failed"] else ""
    return (
        f"{st['done']}/{st['total']} done, {st['failed']} failed{retry}, "
        f"{st['not_run']} not yet run"
    )


def _run_sweep(sweep, args: argparse.Namespace):
    return sweep(
        args.experiment,
        workers=args.workers,
        out=args.out,
        resume=args.resume,
        shard=args.shard,
        progress=not args.no_progress,
        command=sys.argv,
        backend=args.backend,
        scheduler=args.scheduler,
        samples=args.samples,
        replicates=args.replicates,
        oversubscribe=args.oversubscribe,
    )


def cmd_status(args: argparse.Namespace) -> int:
    from polarsim.experiment.sweep import status

    st = status(args.folder)
    if args.json:
        print(json.dumps(st))
        return 0
    print(f"{st['folder']}: {counts(st)}")
    if st["corrupt"]:
        print(
            f"{st['corrupt']} unreadable file(s), to be set aside and rerun by --resume: "
            + ", ".join(st["corrupt_files"])
        )
    if st["set_aside"]:
        print(f"{st['set_aside']} unreadable file(s) set aside earlier in results/_corrupt, "
              "failures/_corrupt (their tasks were rerun)")  # fmt: skip
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    if args.method in DISCOVERY:
        return _discover(args)
    given = [
        f"--{k.replace('_', '-')}"
        for k in _DISCOVERY_OPTIONS
        if getattr(args, k) is not None and getattr(args, k) is not False
    ]
    if given:
        methods = (
            "prim" if given[0] == "--min-coverage" else "prim, cart, features and main-effects"
        )
        raise PolarsimInputError(f"applies to {methods}, not {args.method}", field=given[0])
    from polarsim.experiment.analyze import analyze, reliability_notes, sensitivity_file
    from polarsim.plots.folder_figures import sensitivity_figure

    figure = f"figures/sensitivity_{args.method}"
    table = analyze(
        args.method,
        args.folder,
        outcome=args.outcome,
        years=args.years,
        force=args.force,
        also=[f"{figure}.png", f"{figure}.pdf"],  # refused before the table is written
    )
    sensitivity_figure(table, args.method, args.folder, force=args.force)
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    name = sensitivity_file(args.method, str(table["outcome"].iloc[0]))
    print(f"wrote {args.folder}/{name}")
    for note in reliability_notes(table, args.method):
        print(f"polarsim: note: {note}", file=sys.stderr)
    return 0


_DISCOVERY_OPTIONS = ("change_from", "below", "above", "lowest", "min_coverage")


def _discover(args: argparse.Namespace) -> int:
    from polarsim.experiment.discovery import Interest, describe, discover

    table = discover(
        args.method,
        args.folder,
        outcome=args.outcome,
        years=args.years,
        change_from=args.change_from,
        interest=Interest(below=args.below, above=args.above, lowest=args.lowest),
        **({} if args.min_coverage is None else {"min_coverage": args.min_coverage}),
        force=args.force,
    )
    print(describe(table, args.method))
    return 0
