"""Study files: which experiments a paper needs and how to present them. Read by the
reader every input file shares (`polarsim.inputs.reader`) and validated strictly
(unknown keys are errors); every problem is reported at once, each with
file:line:column and the dotted field.

Paths are relative to the study file and must stay inside the working
directory or the study file's folder (polarsim.outputs.confine)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from polarsim.errors import PolarsimInputError
from polarsim.inputs.library import in_library, library_roots
from polarsim.inputs.problems import RawProblem
from polarsim.inputs.reader import load_model
from polarsim.inputs.strict import StrictModel
from polarsim.limits import MAX_REPLICATES
from polarsim.outputs import confine

__all__ = ["Study", "load_study", "study_out"]


class ScenarioPart(StrictModel):
    """Scenarios compared with common random numbers (polarsim compare)."""

    files: list[str] = Field(min_length=2)
    reference: str | None = Field(None, description="scenario name differences are taken from")
    seed: int = Field(0, ge=0)
    replicates: int = Field(20, ge=2, le=MAX_REPLICATES)
    years: list[int] = Field(min_length=1, description="years of the tables and comparison")
    timeseries: list[str] | None = Field(
        None, description="scenario names drawn in the time-series figure (default: all)"
    )


class PhasePart(StrictModel):
    """The phase diagram: a grid sweep over two parameters."""

    experiment: str
    x: str
    y: str
    baseline_year: int | None = None
    years: list[int] = Field(min_length=1)


class SensitivityPart(StrictModel):
    experiment: str
    method: str = Field("sobol", pattern="^(sobol|morris)$")
    samples: int | None = Field(
        None, ge=1, description="overrides design.samples (design.trajectories of Morris)"
    )


class TiesPart(StrictModel):
    scenario: str
    year: int
    arena: str = Field("all", pattern="^(infra|trade|security|all)$")


class Quick(StrictModel):
    """The reduced design of `--quick` (tests, a first look): fewer scenarios,
    replicates, grid levels and samples; the same code path."""

    scenarios: int = Field(3, ge=2)
    replicates: int = Field(3, ge=2, le=MAX_REPLICATES)
    levels: int = Field(3, ge=2)
    phase_replicates: int = Field(2, ge=2)
    samples: int = Field(8, ge=2)


class Study(StrictModel):
    title: str
    question: str = ""
    out: str = Field("runs/paper", description="output folder, relative to the working dir")
    workers: int = Field(2, ge=1)
    metric: str = "autonomy_index"
    scenarios: ScenarioPart
    phase: PhasePart
    sensitivity: SensitivityPart
    ties: TiesPart
    quick: Quick = Field(default_factory=Quick)


#: Top-level keys that make a file another kind of input than a study, and what to run it
#: with (a study file has none of them).
OTHER_KINDS = (
    (("powers", "states", "time", "events"), "a scenario file: run it with `polarsim run`"),
    (("base", "design"), "an experiment file: run it with `polarsim sweep` or `calibrate`"),
)


def _other_kind(path: Path) -> str | None:
    """What a file that is plainly not a study is (a scenario, an experiment), so that
    its refusal says so rather than listing every key; None for anything else (which
    load_model then checks key by key)."""
    import yaml

    try:
        if path.stat().st_size > 1_000_000:
            return None
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, yaml.YAMLError):
        return None
    if not isinstance(doc, dict) or "title" in doc or "scenarios" in doc:
        return None
    for keys, what in OTHER_KINDS:
        if any(k in doc for k in keys):
            return what
    return None


def load_study(path: str | Path) -> Study:
    """Read and validate a study file, and check the files it names: inside the working
    directory or the study's folder, and existing. Raises an `InputProblemsError` (a
    PolarsimInputError) listing every problem."""
    path = Path(path)
    file = str(path)
    other = _other_kind(path)
    if other:
        raise PolarsimInputError(
            f"{file}: expected a study file (title, scenarios, phase, sensitivity, ties; "
            f"e.g. experiments/paper/study.yaml), found {other}"
        )
    study, doc = load_model(path, Study, "study file", shape="title: ..., scenarios: ..., ...")
    here = path.parent
    # the library's own study names the library's scenarios: trusted, read only
    inside_library = library_roots() if in_library(path) else []
    missing: list[RawProblem] = []
    for keys, rel in [
        *((("scenarios", "files", i), f) for i, f in enumerate(study.scenarios.files)),
        (("phase", "experiment"), study.phase.experiment),
        (("sensitivity", "experiment"), study.sensitivity.experiment),
    ]:
        try:
            confine(here / rel, file=file, field="", also=inside_library)
        except PolarsimInputError as exc:  # reported with the others, at its line
            missing.append(RawProblem(keys, exc.detail))
            continue
        if not (here / rel).is_file():
            missing.append(RawProblem(keys, f"file not found: {here / rel}"))
    doc.refuse(missing)
    return study


def study_out(study: Study, study_path: str | Path, quick: bool = False) -> Path:
    """The study's `out` folder (relative to the working directory), which must lie
    inside the working directory or the study file's folder: a study file received from
    someone else cannot write anywhere else (`--out` on the command line can)."""
    out = Path(study.out + ("-quick" if quick else ""))
    return confine(out, file=str(study_path), field="out")
