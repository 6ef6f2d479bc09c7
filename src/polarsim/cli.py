"""The `polarsim` command. Each verb lives beside its code, in a module with
`add_parsers(subparsers)` whose parsers set `func` to a handler returning an exit code;
this module only builds the parser from them and turns errors into messages.

Bad input -> one line on stderr naming the file and field, exit code 2, no traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys

from polarsim.arguments import EXIT_INPUT
from polarsim.errors import PolarsimInputError


def _verb_modules() -> list:
    """The verb modules, in the order of `polarsim --help`. Each is imported while the
    parser is built, so it imports nothing heavy at module level."""
    from polarsim import compare_cli, run_cli, scenario_cli
    from polarsim.calibration import cli as calibration_cli
    from polarsim.experiment import cli as experiment_cli
    from polarsim.study import cli as study_cli
    from polarsim.validation import cli as validation_cli
    from polarsim.viz import cli as viz_cli

    return [
        run_cli,  # run
        scenario_cli,  # validate, schema
        compare_cli,  # compare
        experiment_cli,  # sweep, status, analyze
        viz_cli,  # viz
        validation_cli,  # hindcast, skill, forecast
        calibration_cli,  # calibrate
        study_cli,  # plot, table, study
    ]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="polarsim",
        description="Great-power competition and small-state autonomy in Central Asia.",
    )
    from polarsim import __version__

    p.add_argument("--version", action="version", version=f"polarsim {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    for verbs in _verb_modules():
        verbs.add_parsers(sub)
    return p


@contextlib.contextmanager
def _notes_on_one_line():
    """PolarsimNote warnings printed as "polarsim: note: ..." on stderr, each once; other
    warnings as Python shows them."""
    import warnings

    from polarsim.errors import PolarsimNote

    with warnings.catch_warnings():
        warnings.simplefilter("always", PolarsimNote)
        shown, printed = warnings.showwarning, set()

        def show(message, category, filename, lineno, file=None, line=None):
            if not issubclass(category, PolarsimNote):
                shown(message, category, filename, lineno, file, line)
            elif str(message) not in printed:  # a file read twice is noted once
                printed.add(str(message))
                print(f"polarsim: note: {message}", file=sys.stderr)

        warnings.showwarning = show
        yield


#: What an interrupt leaves, by verb (any other writes its folder whole or not at all).
INTERRUPTED = {
    "sweep": "its finished shards are kept: continue it with --resume",
    "calibrate": "its finished sweeps are kept: continue it with --resume",
    "study": "its finished parts are kept: run the same command again to continue",
}


#: Exit status of an interrupted command (128 + SIGINT, as shells report Ctrl-C).
EXIT_INTERRUPTED = 130


def run() -> None:
    """The `polarsim` command (the console script and `python -m polarsim`): `main`'s
    result as the process's exit status."""
    code = main()
    if code == EXIT_INTERRUPTED:
        _ignore_interrupts()
    sys.exit(code)


def _ignore_interrupts() -> None:
    """SIGINT ignored to the end of the process, once an interrupt is reported. As the
    interpreter shuts down (joining the pool's threads) it puts SIGINT back to the
    system default, which ends a process by the signal: a Ctrl-C arriving then turned
    exit 130 into death by SIGINT (-2 in tests/experiment/test_sweep_interrupted.py,
    twice in CI). signal.signal first runs a pending handler, which may raise."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        with _notes_on_one_line():
            return args.func(args)
    except PolarsimInputError as exc:
        print(f"polarsim: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        after = INTERRUPTED.get(args.command, "nothing was written")
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C while reporting
            print(f"polarsim: interrupted ({after})", file=sys.stderr)
        return EXIT_INTERRUPTED
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


if __name__ == "__main__":
    sys.exit(main())
