"""The start year's engagement, the baseline of the trade policy factors, follows the
rule of every later year: the powers weigh each state's receptivity as a welcome
(model.CompetitionModel.__init__, docs/model.md step 3)."""

import numpy as np
import pytest

from polarsim import load_scenario
from polarsim.model.model import CompetitionModel
from tests.conftest import SCENARIOS


@pytest.mark.parametrize("start", [2005, 2015])
def test_the_start_engagement_weighs_the_start_receptivity(start):
    """Before: the start year's effort was allocated with every receptivity at 1, while
    every later year's weighs the receptivity of the year before. The trade promotion
    factor of the first simulated year was measured against that different allocation:
    with nothing else changed, a state's trade target with a power moved by up to 4.6 %
    (2005 start; 2.8 % in 2015) and the start year's effort by up to 70 % per cell."""
    scenario = load_scenario(SCENARIOS / "historical.yaml", [f"time.start_year={start}"])
    model = CompetitionModel(scenario, rng=np.random.default_rng(0))
    effort = model.effort.copy()
    # the start year's engagement is a fixed point of its rule: asked again with the same
    # ties, budgets and (start-year) receptivity, it gives the same effort
    model._engage()
    np.testing.assert_allclose(model.effort, effort, rtol=1e-12)
    # and the trade policy baseline is measured with it
    policy, _ = model._policy()
    np.testing.assert_allclose(policy, model._policy0, rtol=1e-12)
