"""Study files: which experiments a paper needs and how to present them. Validated
strictly (unknown keys are errors); problems are PolarsimInputError naming the file and
the field. Paths are relative to the study file and must stay inside the working
directory or the study file's folder (polarsim.outputs.confine)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from polarsim.errors import PolarsimInputError
from polarsim.experiment.spec import read_mapping
from polarsim.outputs import confine
from polarsim.run import MAX_REPLICATES

__all__ = ["Study", "load_study", "study_out"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScenarioPart(Strict):
    """Scenarios compared with common random numbers (polarsim compare)."""

    files: list[str] = Field(min_length=2)
    reference: str | None = Field(None, description="scenario name differences are taken from")
    seed: int = Field(0, ge=0)
    replicates: int = Field(20, ge=2, le=MAX_REPLICATES)
    years: list[int] = Field(min_length=1, description="years of the tables and comparison")
    timeseries: list[str] | None = Field(
        None, description="scenario names drawn in the time-series figure (default: all)"
    )


class PhasePart(Strict):
    """The phase diagram: a grid sweep over two parameters."""

    experiment: str
    x: str
    y: str
    baseline_year: int | None = None
    years: list[int] = Field(min_length=1)


class SensitivityPart(Strict):
    experiment: str
    method: str = Field("sobol", pattern="^(sobol|morris)$")
    samples: int | None = Field(None, ge=1, description="overrides design.samples")


class TiesPart(Strict):
    scenario: str
    year: int
    arena: str = Field("all", pattern="^(infra|trade|security|all)$")


class Quick(Strict):
    """The reduced design of `--quick` (tests, a first look): fewer scenarios,
    replicates, grid levels and samples; the same code path."""

    scenarios: int = Field(3, ge=2)
    replicates: int = Field(3, ge=2, le=MAX_REPLICATES)
    levels: int = Field(3, ge=2)
    phase_replicates: int = Field(2, ge=2)
    samples: int = Field(8, ge=2)


class Study(Strict):
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


def load_study(path: str | Path) -> Study:
    path = Path(path)
    file = str(path)
    data = read_mapping(path, "study")
    try:
        study = Study.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(x) for x in err["loc"]) or "<top>"
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        more = f" (and {len(exc.errors()) - 1} more problems)" if len(exc.errors()) > 1 else ""
        raise PolarsimInputError(msg + more, file=file, field=field) from None
    here = path.parent
    for field, rel in [
        *((f"scenarios.files[{i}]", f) for i, f in enumerate(study.scenarios.files)),
        ("phase.experiment", study.phase.experiment),
        ("sensitivity.experiment", study.sensitivity.experiment),
    ]:
        confine(here / rel, file=file, field=field)
        if not (here / rel).is_file():
            raise PolarsimInputError(f"file not found: {here / rel}", file=file, field=field)
    return study


def study_out(study: Study, study_path: str | Path, quick: bool = False) -> Path:
    """The study's `out` folder (relative to the working directory), which must lie
    inside the working directory or the study file's folder: a study file received from
    someone else cannot write anywhere else (`--out` on the command line can)."""
    out = Path(study.out + ("-quick" if quick else ""))
    return confine(out, file=str(study_path), field="out")
