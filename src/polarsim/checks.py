"""Check any input file without running it (`polarsim validate FILE...`): a scenario, an
experiment (sweep or calibration) or a study, told apart by their top-level keys.

    from polarsim.checks import check_file

    result = check_file("experiments/sobol_autonomy.yaml")
    result.kind        # "experiment"
    result.problems    # [] when the file and everything it names are valid
    result.summary     # "sobol design: 6,144 points x 1 replicate = 6,144 runs ..."

An experiment is checked with its base scenario (with the experiment's overrides) and
with every varied path set to the ends of its range (or to each of its values), so a
misspelled path or a value the schema refuses is found before a sweep starts. A study
is checked with its scenario files and its two experiments. Problems are returned,
never raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from polarsim.errors import PolarsimInputError
from polarsim.inputs.kinds import file_kind
from polarsim.inputs.problems import Problem, as_problems


@dataclass
class FileCheck:
    path: Path
    kind: str
    problems: list[Problem] = field(default_factory=list)
    summary: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """What `polarsim validate` prints for the file."""
        if self.problems:
            return [str(p) for p in self.problems]
        if self.kind == "scenario":  # as before experiments and studies were checked
            return [f"{self.path}: ok"]
        return [f"{self.path}: ok ({self.kind}: {self.summary})"]


def check_file(path: str | Path, overrides: Sequence[str] = ()) -> FileCheck:
    """Every problem of an input file of any kind; `overrides` (`--set`) apply to
    scenario files only."""
    kind = file_kind(path)
    if kind == "experiment":
        return _check_experiment(Path(path))
    if kind == "study":
        return _check_study(Path(path))
    from polarsim.scenario.check import validate_file

    return FileCheck(Path(path), "scenario", validate_file(path, overrides))


def _check_experiment(path: Path) -> FileCheck:
    from polarsim.experiment.design import design_points
    from polarsim.experiment.spec import base_path, load_experiment, param_paths
    from polarsim.scenario.check import validate_file

    result = FileCheck(path, "experiment")
    try:
        exp = load_experiment(path)
    except PolarsimInputError as exc:
        result.problems = as_problems(exc, str(path))
        return result
    base = base_path(path, exp)
    result.problems += validate_file(base, exp.overrides)
    if result.problems:
        return result
    for name, p in exp.parameters.items():
        for value in _probe_values(p):
            sets = [f"{q}={_yaml_scalar(value)}" for q in param_paths(name, p)]
            found = validate_file(base, [*exp.overrides, *sets])
            if found:
                refused = "; ".join(f"{q.path}: {q.message}" for q in found[:3])
                result.problems.append(
                    Problem(
                        str(path),
                        f"parameters.{name}",
                        f"at {value!r} the base scenario {base.name} refuses it: {refused}",
                    )
                )
                break
    result.summary = _size_summary(exp, design_points(exp))
    return result


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _size_summary(exp, points: int | None) -> str:
    """How many runs the experiment makes (a calibration: per generation)."""
    reps = _plural(exp.replicates, "replicate")
    cal = exp.calibration
    if cal is not None:
        per = (
            ""
            if cal.method == "abc_rejection"
            else f" per generation, {cal.generations} generations"
        )
        what = f"calibration ({cal.method})"
    else:
        per, what = "", f"{exp.design.type} design"
    if points is None:
        return f"{what}: the points of a table x {reps}{per}"
    runs = _plural(points * exp.replicates, "run")
    return f"{what}: {_plural(points, 'point')} x {reps} = {runs}{per}"


def _probe_values(p) -> list:
    """The values a parameter takes at the edges: its list of values, the ends of its
    range, or its normal mean (a distribution has no ends)."""
    if p.values is not None:
        return list(p.values)
    if p.range is not None:
        lo, hi = p.range
        return [int(lo), int(hi)] if p.integer else [float(lo), float(hi)]
    return [p.distribution.normal.mean]


def _yaml_scalar(value) -> str:
    import json

    return json.dumps(value)


def _check_study(path: Path) -> FileCheck:
    from polarsim.scenario.check import validate_file
    from polarsim.study.spec import load_study

    result = FileCheck(path, "study")
    try:
        study = load_study(path)
    except PolarsimInputError as exc:
        result.problems = as_problems(exc, str(path))
        return result
    here = path.parent
    for rel in study.scenarios.files:
        result.problems += validate_file(here / rel)
    for rel in (study.phase.experiment, study.sensitivity.experiment):
        result.problems += _check_experiment(here / rel).problems
    n = len(study.scenarios.files)
    result.summary = f"{n} scenarios, a phase grid and a {study.sensitivity.method} sweep"
    return result
