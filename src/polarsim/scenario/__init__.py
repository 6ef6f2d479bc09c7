"""Scenario files: schema, loading (extends, --set, catalogue), events."""

from polarsim.scenario.load import (
    build_scenario,
    load_scenario,
    resolved_yaml,
    scenario_dict,
    scenario_hash,
)
from polarsim.scenario.schema import Scenario

__all__ = [
    "Scenario",
    "build_scenario",
    "load_scenario",
    "resolved_yaml",
    "scenario_dict",
    "scenario_hash",
]
