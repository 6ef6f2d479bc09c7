"""Check an experiment file without running it: the file, its base scenario, and every
varied path at the ends of its range (`polarsim validate`, `--dry-run`)."""

from __future__ import annotations

import json
from pathlib import Path

from polarsim.errors import PolarsimInputError
from polarsim.experiment.design import design_points
from polarsim.experiment.spec import base_path, load_experiment, param_paths
from polarsim.inputs.problems import Problem, as_problems
from polarsim.scenario.check import validate_file


def check_experiment(path: str | Path) -> tuple[list[Problem], str]:
    """(problems, size summary) of an experiment file: the file, its base scenario with
    its overrides, and the base with every varied path at the ends of its range (or at
    each of its values). Problems are returned, never raised."""
    path = Path(path)
    try:
        exp = load_experiment(path)
    except PolarsimInputError as exc:
        return as_problems(exc, str(path)), ""
    base = base_path(path, exp)
    problems = validate_file(base, exp.overrides)
    if problems:
        return problems, ""
    for name, p in exp.parameters.items():
        for value in _probe_values(p):
            sets = [f"{q}={json.dumps(value)}" for q in param_paths(name, p)]
            found = validate_file(base, [*exp.overrides, *sets])
            if found:
                refused = "; ".join(f"{q.path}: {q.message}" for q in found[:3])
                problems.append(
                    Problem(
                        str(path),
                        f"parameters.{name}",
                        f"at {value!r} the base scenario {base.name} refuses it: {refused}",
                    )
                )
                break
    return problems, _size_summary(exp, design_points(exp))


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
