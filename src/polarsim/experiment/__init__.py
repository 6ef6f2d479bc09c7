"""Experiment files and parameter sweeps (issue 4)."""

from typing import TYPE_CHECKING

from polarsim._lazy import lazy_exports

_EXPORTS = {
    "make_design": "polarsim.experiment.design",
    "salib_problem": "polarsim.experiment.design",
    "Experiment": "polarsim.experiment.spec",
    "load_experiment": "polarsim.experiment.spec",
    "SweepFailedError": "polarsim.experiment.sweep",
    "status": "polarsim.experiment.sweep",
    "sweep": "polarsim.experiment.sweep",
    "task_rng": "polarsim.experiment.sweep",
}
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

if TYPE_CHECKING:  # for type checkers and IDEs; at run time names load on first use
    from polarsim.experiment.design import make_design, salib_problem
    from polarsim.experiment.spec import Experiment, load_experiment
    from polarsim.experiment.sweep import SweepFailedError, status, sweep, task_rng

__all__ = [
    "Experiment",
    "SweepFailedError",
    "load_experiment",
    "make_design",
    "salib_problem",
    "status",
    "sweep",
    "task_rng",
]
