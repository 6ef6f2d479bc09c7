"""Scenario files: schema, loading (extends, --set, catalogue), events."""

from polarsim.scenario.load import (
    build_scenario,
    load_scenario,
    resolved_yaml,
    scenario_dict,
    scenario_hash,
)
from polarsim.scenario.problems import Problem
from polarsim.scenario.schema import Scenario
from polarsim.scenario.validate import validate_file, validate_files

__all__ = [
    "Problem",
    "Scenario",
    "build_scenario",
    "load_scenario",
    "resolved_yaml",
    "scenario_dict",
    "scenario_hash",
    "validate_file",
    "validate_files",
]
