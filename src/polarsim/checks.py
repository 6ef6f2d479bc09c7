"""Check any input file without running it (`polarsim validate FILE...`): a scenario, an
experiment (sweep or calibration) or a study, told apart by their top-level keys.

    from polarsim.checks import check_file

    result = check_file("experiments/sobol_autonomy.yaml")
    result.kind        # "experiment"
    result.problems    # [] when the file and everything it names are valid
    result.summary     # "sobol design: 6,144 points x 1 replicate = 6,144 runs ..."

An experiment is checked as a sweep checks it before it starts
(`polarsim.experiment.check`): with its base scenario (with the experiment's
overrides, each named `overrides[i]`), with every varied path set to the ends of its
range (or to each of its values), its size against the run limit, its outcomes
(metrics, years) against what the runs make, and its distributions against the
ranges of the fields they set; so a misspelled path, a value the schema refuses or an
outcome every run would fail on is found before a sweep starts. A study
is checked with its scenario files and its two experiments. Problems are returned,
never raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from polarsim.inputs.kinds import file_kind
from polarsim.inputs.problems import Problem


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
    scenario files only. A path or overrides of the wrong type (one string for the list)
    raise PolarsimInputError naming the argument: they are not problems of the file."""
    from polarsim.scenario.load import check_overrides, check_path

    check_path(path)
    overrides = check_overrides(overrides)
    kind = file_kind(path)
    if kind == "experiment":
        return _check_experiment(Path(path))
    if kind == "study":
        return _check_study(Path(path))
    from polarsim.scenario.check import validate_file

    return FileCheck(Path(path), "scenario", validate_file(path, overrides))


def _check_experiment(path: Path) -> FileCheck:
    from polarsim.experiment.check import check_experiment

    problems, summary = check_experiment(path)
    return FileCheck(path, "experiment", problems, summary)


def _check_study(path: Path) -> FileCheck:
    from polarsim.study.check import check_study

    problems, summary = check_study(path)
    return FileCheck(path, "study", problems, summary)
