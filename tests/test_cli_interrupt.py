"""Ctrl-C says what the interrupted verb left and how to go on."""

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
