"""Experiment files: the base scenario, the parameters to vary, the design, replicates,
the root seed and the outcomes to keep. Read by the reader every input file shares
(`polarsim.inputs.reader`) and validated strictly (unknown keys are errors, values are
not coerced across types); every problem is reported at once, each with
file:line:column and the dotted field."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from polarsim.experiment.calibration_section import Calibration
from polarsim.inputs.problems import RawProblem
from polarsim.inputs.reader import YamlDocument, load_model
from polarsim.inputs.strict import StrictModel, list_as_tuple, raise_problems

DESIGNS = ("grid", "random", "latin_hypercube", "sobol", "morris", "table")


class Normal(StrictModel):
    mean: float
    sd: float = Field(gt=0)


class Distribution(StrictModel):
    normal: Normal


class Parameter(StrictModel):
    """One varied quantity. `paths` (default: the parameter's name) are dotted paths into
    the scenario that all receive the same value (linked parameters). Exactly one of
    `values`, `range` or `distribution`."""

    paths: list[str] | None = None
    values: list[float | int | str | bool] | None = None
    range: Annotated[tuple[float, float], list_as_tuple()] | None = None
    distribution: Distribution | None = None
    integer: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> Parameter:
        kinds = [k for k in ("values", "range", "distribution") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(
                f"give exactly one of values, range, distribution (found {kinds or 'none'})"
            )
        if self.values is not None and not self.values:
            raise ValueError("values must not be empty")
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError(f"range must be [lo, hi] with lo < hi, found {list(self.range)}")
        if self.paths is not None and not self.paths:
            raise ValueError("paths must not be empty")
        return self


class Design(StrictModel):
    type: Literal["grid", "random", "latin_hypercube", "sobol", "morris", "table"] = "grid"
    samples: int | None = Field(default=None, ge=1)
    levels: int | None = Field(default=None, ge=2)
    trajectories: int | None = Field(default=None, ge=1)
    second_order: bool = False
    file: str | None = None  # `table`: CSV, one column per parameter, one row per point

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data):
        return {"type": data} if isinstance(data, str) else data


class Outcomes(StrictModel):
    metrics: list[str] = Field(default_factory=lambda: ["autonomy_index"], min_length=1)
    years: list[int] | None = None
    aggregate: Literal["state", "mean"] = "state"


class Experiment(StrictModel):
    base: str
    description: str = ""
    overrides: list[str] = Field(default_factory=list)
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    design: Design = Field(default_factory=Design)
    replicates: int = Field(default=1, ge=1)
    seed: int = Field(default=0, ge=0)
    outcomes: Outcomes = Field(default_factory=Outcomes)
    chunk_size: int = Field(default=25, ge=1, le=10_000)
    calibration: Calibration | None = None

    @model_validator(mode="after")
    def _design_fits(self) -> Experiment:
        found: dict[tuple[Any, ...], str] = {}  # the first problem of each field
        for keys, message in (*self._calibration_problems(), *self._design_problems()):
            found.setdefault(keys, message)
        raise_problems(list(found.items()))
        return self

    def _calibration_problems(self) -> list[tuple[tuple[Any, ...], str]]:
        """A calibration draws a prior sample: a random design and parameters with priors."""
        if self.calibration is None:
            return []
        d, ps = self.design, self.parameters
        out = []
        if d.type not in ("random", "latin_hypercube", "table"):
            out.append(
                (
                    ("design", "type"),
                    "a calibration draws its prior sample with random or latin_hypercube "
                    f"(or reads it from a table), found {d.type!r}",
                )
            )
        bad = [n for n, p in ps.items() if p.values is not None]
        if bad:
            out.append(
                (
                    ("parameters",),
                    "a calibration needs parameters with a range (uniform prior) or a "
                    f"distribution (normal prior); found values for {bad}",
                )
            )
        elif not ps:
            out.append((("parameters",), "a calibration needs at least one parameter"))
        return out

    def _design_problems(self) -> list[tuple[tuple[Any, ...], str]]:
        """What each design needs of its parameters and sizes."""
        d, ps = self.design, self.parameters
        out = []
        if (d.type == "table") != (d.file is not None):
            out.append((("design", "file"), "give a file exactly for design 'table'"))
        if d.type == "grid":
            for name, p in ps.items():
                if p.distribution is not None:
                    out.append((("parameters", name), "a grid needs values or a range"))
            ranged = [name for name, p in ps.items() if p.range is not None]
            if ranged and d.levels is None:
                names = ", ".join(map(repr, ranged))
                has = "has" if len(ranged) == 1 else "have"
                noun = "parameter" if len(ranged) == 1 else "parameters"
                out.append(
                    (("design", "levels"), f"{noun} {names} {has} a range: a grid needs levels")
                )
        elif d.type != "table":  # a table's points are given, nothing to check here
            if not ps:
                out.append((("parameters",), f"design {d.type!r} needs at least one parameter"))
            if d.type in ("random", "latin_hypercube", "sobol") and d.samples is None:
                out.append((("design", "samples"), f"design {d.type!r} needs samples"))
            if d.type == "morris" and d.trajectories is None:
                out.append((("design", "trajectories"), "design 'morris' needs trajectories"))
            bad = [n for n, p in ps.items() if p.range is None]
            if d.type in ("sobol", "morris") and bad:
                out.append(
                    (("parameters",), f"design {d.type!r} needs a range for parameters {bad}")
                )
        return out


def param_paths(name: str, p: Parameter) -> list[str]:
    return list(p.paths) if p.paths else [name]


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment file, and check that the files it names exist.
    Raises an `InputProblemsError` (a PolarsimInputError) listing every problem."""
    return read_experiment(path)[0]


def read_experiment(path: str | Path) -> tuple[Experiment, YamlDocument]:
    """`load_experiment` and the document as read, whose positions place the problems
    found by the checks that follow (experiment.check)."""
    path = Path(path)
    exp, doc = load_model(
        path, Experiment, "experiment file", shape="base: ..., parameters: ..., design: ..."
    )
    missing: list[RawProblem] = []
    base = base_path(path, exp)
    if not base.is_file():
        missing.append(RawProblem(("base",), f"base scenario not found: {base}"))
    if exp.design.file is not None:  # relative to the experiment file, like `base`
        table = (path.parent / exp.design.file).resolve()
        if not table.is_file():
            missing.append(RawProblem(("design", "file"), f"design table not found: {table}"))
        exp = exp.model_copy(update={"design": exp.design.model_copy(update={"file": str(table)})})
    doc.refuse(missing)
    return exp, doc


def base_path(exp_path: str | Path, exp: Experiment) -> Path:
    return (Path(exp_path).parent / exp.base).resolve()


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
