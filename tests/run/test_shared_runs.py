"""`run.shared_runs`: within the block a scenario already run with the same seed and
replicates is not simulated again (the study's comparison, ablation and assumptions
run the scenarios as shipped three times), and the tables are the same numbers."""

import importlib

import pandas as pd

from polarsim import load_scenario
from polarsim.ablation import ablate
from polarsim.run import run, shared_runs
from tests.conftest import SCENARIOS

# the module (`polarsim.run` is also the package's name for the function)
run_module = importlib.import_module("polarsim.run")


def _short(name: str = "baseline.yaml"):
    return load_scenario(SCENARIOS / name, ["time.end_year=2018"])


def _counting(monkeypatch) -> list:
    calls = []
    real = run_module.run_model

    def counted(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(run_module, "run_model", counted)
    return calls


def test_a_scenario_run_again_in_the_block_is_not_simulated_again(monkeypatch):
    calls = _counting(monkeypatch)
    s = _short()
    with shared_runs():
        first = run(s, seed=3, replicates=2)
        again = run(s, seed=3, replicates=2)
        assert len(calls) == 2  # two replicates, once
        pd.testing.assert_frame_equal(first.states, again.states)
        pd.testing.assert_frame_equal(first.events, again.events)
        run(s, seed=4, replicates=2)  # another seed: simulated
        run(s, seed=3, replicates=3)  # other replicates: simulated
        assert len(calls) == 7
        # a copy each time: changing one result leaves the next alone
        again.states["autonomy_index"] = -1.0
        assert (run(s, seed=3, replicates=2).states["autonomy_index"] >= 0).all()
    run(s, seed=3, replicates=2)  # outside the block: simulated
    assert len(calls) == 9


def test_a_block_keeps_only_its_first_runs(monkeypatch):
    monkeypatch.setattr(run_module, "MAX_SHARED_RUNS", 1)
    calls = _counting(monkeypatch)
    s = _short()
    with shared_runs():
        run(s, seed=1, replicates=1)
        run(s, seed=2, replicates=1)  # not kept: the block is full
        run(s, seed=1, replicates=1)
        run(s, seed=2, replicates=1)
    assert len(calls) == 3


def test_shared_runs_give_the_ablation_it_gives_alone(monkeypatch):
    scenarios = [_short(), _short("spheres_of_influence.yaml")]
    alone = ablate(scenarios, mechanisms=["coercion"], seed=1, replicates=2)
    calls = _counting(monkeypatch)
    with shared_runs():
        run(scenarios[0], seed=1, replicates=2)
        run(scenarios[1], seed=1, replicates=2)
        shared = ablate(scenarios, mechanisms=["coercion"], seed=1, replicates=2)
    assert len(calls) == 8  # 2 scenarios x 2 replicates, then only those switched off
    pd.testing.assert_frame_equal(shared.effects, alone.effects)
