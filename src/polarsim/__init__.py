"""polarsim: great-power competition and small-state autonomy in Central Asia (Mesa).

Public API (every CLI verb is a thin layer over these):

    load_scenario(path, overrides)  -> Scenario
    run(scenario, seed, replicates) -> RunResult with .states/.system/.events DataFrames
    write_run(result, out_dir)      -> folder with Parquet tables, manifest and figures
    CompetitionModel(scenario, rng) -> the Mesa model, for step-by-step use
"""

from typing import TYPE_CHECKING

from polarsim._lazy import lazy_exports

_EXPORTS = {
    "CompetitionModel": "polarsim.model.model",
    "RunResult": "polarsim.run",
    "run": "polarsim.run",
    "write_run": "polarsim.run",
    "Scenario": "polarsim.scenario",
    "load_scenario": "polarsim.scenario",
}
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

if TYPE_CHECKING:  # for type checkers and IDEs; at run time names load on first use
    from polarsim.model.model import CompetitionModel
    from polarsim.run import RunResult, run, write_run
    from polarsim.scenario import Scenario, load_scenario

__version__ = "0.2.0"

__all__ = [
    "CompetitionModel",
    "RunResult",
    "Scenario",
    "__version__",
    "load_scenario",
    "run",
    "write_run",
]
