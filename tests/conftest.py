import os
from pathlib import Path

import matplotlib
import pytest

from tests.harness import ws  # noqa: F401  (the fault tests' workspace, in every package)

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def historical():
    from polarsim import load_scenario

    return load_scenario(SCENARIOS / "historical_2005.yaml")


@pytest.fixture(scope="session")
def historical_run(historical):
    from polarsim import run

    return run(historical, seed=1, replicates=5)
