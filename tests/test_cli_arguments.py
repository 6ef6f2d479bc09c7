"""Command-line details every verb shares: what Ctrl-C says, shares checked with the
arguments, and a note when --set does not apply."""

import importlib

import pytest


def _interrupt(*args, **kwargs):
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("module", "func", "argv", "says"),
    [
        ("polarsim.run_cli", "cmd_run", ["run", "baseline"], "nothing was written"),
        ("polarsim.experiment.cli", "cmd_sweep", ["sweep", "sobol_autonomy"], "--resume"),
        ("polarsim.study.cli", "cmd_study", ["study", "paper/study"], "run the same command"),
    ],
)
def test_an_interrupt_says_how_to_go_on(monkeypatch, capsys, module, func, argv, says):
    from polarsim.cli import main

    monkeypatch.setattr(importlib.import_module(module), func, _interrupt)
    assert main(argv) == 130
    err = capsys.readouterr().err
    assert err.startswith("polarsim: interrupted (") and says in err
    # study has no --resume: it is not suggested
    assert argv[0] != "study" or "--resume" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["plot", "network", "somewhere", "--min-share", "-1"],
        ["plot", "map", "somewhere", "--min-share", "5"],
        ["analyze", "prim", "somewhere", "--min-coverage", "0"],
    ],
)
def test_shares_are_checked_with_the_arguments(capsys, argv):
    from polarsim.cli import main

    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2 and "expected a share in" in capsys.readouterr().err


def test_validate_says_when_set_does_not_apply(capsys):
    from polarsim.cli import main

    assert main(["validate", "replicates_baseline", "--set", "powers.RUS.exclusivity=5"]) == 0
    assert "--set applies to scenario files" in capsys.readouterr().err


def test_a_prim_option_given_to_a_sensitivity_method_is_refused(tmp_path, capsys):
    """--min-coverage had a default, so given with sobol or morris it was ignored."""
    from polarsim.cli import main

    assert main(["analyze", "sobol", str(tmp_path), "--min-coverage", "0.3"]) == 2
    assert "--min-coverage: applies to prim, not sobol" in capsys.readouterr().err


def test_the_command_ignores_a_late_ctrl_c_once_an_interrupt_is_reported():
    # Python puts SIGINT back to the system default as it shuts down: a Ctrl-C then
    # ended an interrupted sweep by the signal (-2) instead of exit 130
    import subprocess
    import sys

    code = (
        "import os, signal, sys\n"
        "import polarsim.cli as cli\n"
        "cli.main = lambda: cli.EXIT_INTERRUPTED\n"
        "import atexit\n"
        "atexit.register(lambda: os.kill(os.getpid(), signal.SIGINT))\n"
        "cli.run()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 130, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
