"""Experiment files and parameter sweeps (issue 4)."""

from polarsim.experiment.design import make_design, salib_problem
from polarsim.experiment.spec import Experiment, load_experiment
from polarsim.experiment.sweep import status, sweep, task_rng

__all__ = [
    "Experiment",
    "load_experiment",
    "make_design",
    "salib_problem",
    "status",
    "sweep",
    "task_rng",
]
