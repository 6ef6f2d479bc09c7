"""Check a study file without running it: the file, its scenario files, its two
experiments and every name, year, parameter and design it refers to (`polarsim
validate`, `polarsim study --dry-run`, and `polarsim study` itself before it computes
or writes anything)."""

from __future__ import annotations

from pathlib import Path

from polarsim.errors import PolarsimInputError
from polarsim.experiment.check import check_experiment
from polarsim.inputs.problems import Problem, as_problems
from polarsim.scenario.check import validate_file
from polarsim.study.spec import Study, load_study

__all__ = ["check_references", "check_study"]


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
    if not problems:  # the references need files that load
        try:
            check_references(study, path)
        except PolarsimInputError as exc:
            problems += as_problems(exc, str(path))
    n = len(study.scenarios.files)
    return problems, f"{n} scenarios, a phase grid and a {study.sensitivity.method} sweep"


def check_references(study: Study, study_path: Path) -> tuple[list, list[str]]:
    """The study's scenarios and their names, once every name, year, parameter, metric
    and design the study refers to is found in its scenarios and experiments. Raises a
    PolarsimInputError naming the study file and the field otherwise.

    `polarsim study` calls this before it opens its output folder: whatever can be
    refused from the inputs alone is refused before a run starts, not minutes later."""
    from polarsim.scenario import load_scenario
    from polarsim.summaries import check_metric, scenario_names

    try:  # a key or a column of partner codes: no mean to compare
        check_metric(study.metric, field="metric")
    except PolarsimInputError as exc:
        raise PolarsimInputError(exc.detail, file=str(study_path), field="metric") from None
    loaded = [load_scenario(study_path.parent / f) for f in study.scenarios.files]
    names = scenario_names([s.name for s in loaded])
    _check_names(study, str(study_path), names, loaded)
    _check_experiments(study, study_path)
    return loaded, names


def _check_names(study: Study, file: str, names: list[str], loaded: list) -> None:
    sc = study.scenarios
    for where, name in (
        ("scenarios.reference", sc.reference),
        ("ties.scenario", study.ties.scenario),
    ):
        if name is not None and name not in names:
            raise PolarsimInputError(
                f"no scenario named {name!r}; the files give {names}", file=file, field=where
            )
    for name in sc.timeseries or []:
        if name not in names:
            raise PolarsimInputError(
                f"no scenario named {name!r}; the files give {names}",
                file=file,
                field="scenarios.timeseries",
            )
    common = set.intersection(*(set(s.years) for s in loaded))
    bad = [y for y in [*sc.years, study.ties.year] if y not in common]
    if bad:
        raise PolarsimInputError(
            f"years {bad} are not simulated by every scenario", file=file, field="scenarios.years"
        )


def _check_experiments(study: Study, study_path: Path) -> None:
    from polarsim.experiment.spec import base_path, load_experiment
    from polarsim.scenario import load_scenario

    file = str(study_path)
    here = study_path.parent
    ph = study.phase
    exp = load_experiment(here / ph.experiment)
    for where, p in (("phase.x", ph.x), ("phase.y", ph.y)):
        if p not in exp.parameters:
            raise PolarsimInputError(
                f"{p!r} is not a parameter of {ph.experiment} ({list(exp.parameters)})",
                file=file,
                field=where,
            )
    if exp.design.type != "grid":
        raise PolarsimInputError(
            f"the phase diagram needs a grid design, {ph.experiment} has {exp.design.type!r}",
            file=file,
            field="phase.experiment",
        )
    # the phase figures draw the study's metric in these years from the sweep's table:
    # a metric or year the sweep does not keep would be found only after it ran
    _keeps_metric(study.metric, exp, ph.experiment, file)
    simulated = set(load_scenario(base_path(here / ph.experiment, exp), exp.overrides).years)
    for where, years in (("phase.years", ph.years), ("phase.baseline_year", [ph.baseline_year])):
        bad = [y for y in years if y is not None and y not in simulated]
        if bad:
            raise PolarsimInputError(
                f"years {bad} are not simulated by the base scenario of {ph.experiment} "
                f"({min(simulated)}-{max(simulated)})",
                file=file,
                field=where,
            )
    se = study.sensitivity
    exp = load_experiment(here / se.experiment)
    # Figure 9, Table 3 and the report give the sensitivity indices of the study's metric
    _keeps_metric(study.metric, exp, se.experiment, file)
    if exp.design.type != se.method:
        raise PolarsimInputError(
            f"{se.experiment} has a {exp.design.type!r} design; method {se.method!r} needs "
            f"a {se.method!r} design",
            file=file,
            field="sensitivity.method",
        )


def _keeps_metric(metric: str, exp, name: str, file) -> None:
    """Refuse an experiment `name` whose outcomes do not keep the study's metric."""
    if metric not in exp.outcomes.metrics:
        raise PolarsimInputError(
            f"{metric!r} is not among the outcomes {name} keeps ({exp.outcomes.metrics})",
            file=file,
            field="metric",
        )
