"""Scenario files: schema, loading (extends, --set, catalogue), events."""

from polarsim.inputs.problems import Problem
from polarsim.scenario.check import validate_file, validate_files
from polarsim.scenario.load import (
    build_scenario,
    load_scenario,
    resolved_yaml,
    scenario_dict,
    scenario_hash,
)
from polarsim.scenario.schema import Scenario

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
