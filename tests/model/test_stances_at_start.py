"""Stances set before the start year (posture and coordination events dated up to it)
are in force at the start as the latest of them leaves them, whatever their order in
the file: the run applies its dated events in the order of their years, and so does a
power that enters (model/entry.py)."""

import numpy as np

from polarsim import load_scenario
from polarsim.model.model import CompetitionModel
from polarsim.scenario.event_types.coordination import CoordinationEvent
from polarsim.scenario.event_types.posture import PostureEvent
from tests.conftest import SCENARIOS


def test_the_latest_posture_before_the_start_is_in_force():
    """Before: applied in file order, a 2010 posture listed after a 2014 one set the
    stance of 2015 (Russia's exclusivity 0.2 instead of 0.9)."""
    scenario = load_scenario(SCENARIOS / "historical.yaml")  # starts in 2015
    late = PostureEvent(type="posture", year=2014, power="RUS", exclusivity=0.9)
    early = PostureEvent(type="posture", year=2010, power="RUS", exclusivity=0.2)
    for events in ([late, early], [early, late]):
        s = scenario.model_copy(update={"events": [*scenario.events, *events]})
        model = CompetitionModel(s, rng=np.random.default_rng(0))
        assert model.exclusivity[model.setup.powers.index("RUS")] == 0.9


def test_the_latest_coordination_before_the_start_is_in_force():
    scenario = load_scenario(SCENARIOS / "historical.yaml")
    late = CoordinationEvent(type="coordination", year=2014, value=0.6)
    early = CoordinationEvent(type="coordination", year=2010, value=0.1)
    s = scenario.model_copy(update={"events": [*scenario.events, late, early]})
    model = CompetitionModel(s, rng=np.random.default_rng(0))
    assert model.coordination == 0.6
