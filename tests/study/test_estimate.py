"""The study's dry-run counts the runs a build simulates."""

import importlib

from polarsim.ablation import ablate
from polarsim.assumptions import vary
from polarsim.compare import compare
from polarsim.run import shared_runs
from polarsim.study.estimate import runs_per_scenario
from tests.conftest import SCENARIOS


def test_the_estimate_counts_the_runs_a_build_simulates(monkeypatch):
    """The comparison, the ablation and the assumptions run together as study.build runs
    them: the runs as shipped are simulated once, and the estimate counts them once."""
    module = importlib.import_module("polarsim.run")
    simulated = []
    real = module.run_model

    def counting(scenario, rng, replicate=0):
        simulated.append(scenario.name)
        return real(scenario, rng, replicate)

    monkeypatch.setattr(module, "run_model", counting)
    files = [SCENARIOS / "baseline.yaml", SCENARIOS / "regional_cohesion.yaml"]
    same = {"seed": 3, "replicates": 1, "years": [2030], "metric": "autonomy_index"}
    with shared_runs():
        c = compare(files, **same)
        ablate(c.scenarios, **same)
        vary(c.scenarios, **same, since=2025)
    assert len(simulated) == len(files) * runs_per_scenario()
