"""Check a study file without running it: the file, its scenario files and its two
experiments (`polarsim validate`, `polarsim study --dry-run`)."""

from __future__ import annotations

from pathlib import Path

from polarsim.errors import PolarsimInputError
from polarsim.experiment.check import check_experiment
from polarsim.inputs.problems import Problem, as_problems
from polarsim.scenario.check import validate_file
from polarsim.study.spec import load_study


def check_study(path: str | Path) -> tuple[list[Problem], str]:
    """(problems, summary) of a study file; problems are returned, never raised."""
    path = Path(path)
    try:
        study = load_study(path)
    except PolarsimInputError as exc:
        return as_problems(exc, str(path)), ""
    here = path.parent
    problems: list[Problem] = []
    for rel in study.scenarios.files:
        problems += validate_file(here / rel)
    for rel in (study.phase.experiment, study.sensitivity.experiment):
        problems += check_experiment(here / rel)[0]
    n = len(study.scenarios.files)
    return problems, f"{n} scenarios, a phase grid and a {study.sensitivity.method} sweep"
