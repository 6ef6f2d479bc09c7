"""scripts/check_episodes.py keeps running: one episode at tiny size, through the same
functions and command line the documented tables come from (docs/validation.md)."""

import importlib.util
import sys

import numpy as np

from tests.conftest import ROOT


def _script():
    spec = importlib.util.spec_from_file_location(
        "check_episodes", ROOT / "scripts" / "check_episodes.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_kyrgyz_entry_at_tiny_size(capsys):
    ce = _script()
    grid = [("default", [])]
    table = ce.eaeu_kgz(replicates=1, seed=0, grid=grid)
    labels = [row[0] for row in table.rows]
    assert labels == ["without the event", "default", "observed"]
    # the observed change is Kyrgyzstan's own customs figures, 2014 to 2015 (RUS 26.08
    # to 26.02 %, SOURCES.md)
    assert table.rows[-1][1] == "-0.1"
    sims = np.array([[float(c) for c in row[1:]] for row in table.rows[:-1]])
    assert np.isfinite(sims).all()
    # the event is the only difference between the two runs, and it moves Russia's share
    assert sims[1, 0] != sims[0, 0]

    ce.main(["--episodes", "eaeu_kgz", "--replicates", "1", "--seed", "0"])
    out = capsys.readouterr().out
    assert "### Kyrgyzstan enters the EAEU" in out
    assert "| observed |" in out


def test_the_run_without_the_event_drops_only_that_event():
    ce = _script()
    drop = ce.event_is(type="membership", state="KGZ", institution="EAEU", action="join")
    with_event = ce.scenario(2014, 2015)
    without = ce.scenario(2014, 2015, drop=drop)
    assert len(without.events) == len(with_event.events) - 1
    assert without.parameters == with_event.parameters
