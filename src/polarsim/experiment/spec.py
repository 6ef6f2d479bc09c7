"""Experiment files: the base scenario, the parameters to vary, the design, replicates,
the root seed and the outcomes to keep. Validated strictly (unknown keys are errors);
errors are PolarsimInputError naming the file and the field."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from polarsim.calibration.spec import Calibration
from polarsim.errors import PolarsimInputError
from polarsim.scenario.files import read_mapping

DESIGNS = ("grid", "random", "latin_hypercube", "sobol", "morris", "table")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Normal(Strict):
    mean: float
    sd: float = Field(gt=0)


class Distribution(Strict):
    normal: Normal


class Parameter(Strict):
    """One varied quantity. `paths` (default: the parameter's name) are dotted paths into
    the scenario that all receive the same value (linked parameters). Exactly one of
    `values`, `range` or `distribution`."""

    paths: list[str] | None = None
    values: list[float | int | str | bool] | None = None
    range: tuple[float, float] | None = None
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


class Design(Strict):
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


class Outcomes(Strict):
    metrics: list[str] = Field(default_factory=lambda: ["autonomy_index"], min_length=1)
    years: list[int] | None = None
    aggregate: Literal["state", "mean"] = "state"


class Experiment(Strict):
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
        d = self.design
        ps = self.parameters
        if self.calibration is not None:
            if d.type not in ("random", "latin_hypercube", "table"):
                raise ValueError(
                    f"[design.type] a calibration draws its prior sample with random or "
                    f"latin_hypercube (or reads it from a table), found {d.type!r}"
                )
            bad = [n for n, p in ps.items() if p.values is not None]
            if bad or not ps:
                raise ValueError(
                    f"[parameters] a calibration needs parameters with a range (uniform "
                    f"prior) or a distribution (normal prior); found values for {bad}"
                    if bad
                    else "[parameters] a calibration needs at least one parameter"
                )
        if (d.type == "table") != (d.file is not None):
            raise ValueError("[design.file] give a file exactly for design 'table'")
        if d.type == "grid":
            for name, p in ps.items():
                if p.distribution is not None:
                    raise ValueError(f"[parameters.{name}] a grid needs values or a range")
                if p.range is not None and d.levels is None:
                    raise ValueError(
                        f"[design.levels] parameter {name!r} has a range: a grid needs levels"
                    )
        elif d.type != "table":  # a table's points are given, nothing to check here
            if not ps:
                raise ValueError(f"[parameters] design {d.type!r} needs at least one parameter")
            if d.type in ("random", "latin_hypercube", "sobol") and d.samples is None:
                raise ValueError(f"[design.samples] design {d.type!r} needs samples")
            if d.type == "morris" and d.trajectories is None:
                raise ValueError("[design.trajectories] design 'morris' needs trajectories")
            if d.type in ("sobol", "morris"):
                bad = [n for n, p in ps.items() if p.range is None]
                if bad:
                    raise ValueError(
                        f"[parameters] design {d.type!r} needs a range for parameters {bad}"
                    )
        return self


def param_paths(name: str, p: Parameter) -> list[str]:
    return list(p.paths) if p.paths else [name]


def _field_of(err: dict) -> str:
    loc = [str(x) for x in err.get("loc", ()) if not str(x).startswith("function-")]
    return ".".join(loc) or "<top>"


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment file. Raises PolarsimInputError (file, field)."""
    path = Path(path)
    file = str(path)
    data = read_mapping(path, "experiment")
    try:
        exp = Experiment.model_validate(data)
    except ValidationError as exc:
        errs = exc.errors()
        first = errs[0]
        msg = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            msg = "unknown key"
        elif first["type"] == "literal_error":
            msg = f"{msg}, found {first.get('input')!r}"
        field = _field_of(first)
        if msg.startswith("[") and "] " in msg:
            inner, _, msg = msg[1:].partition("] ")
            field = ".".join(p for p in (_field_of(first).removeprefix("<top>"), inner) if p)
        more = f" (and {len(errs) - 1} more problems)" if len(errs) > 1 else ""
        raise PolarsimInputError(msg + more, file=file, field=field) from None
    base = base_path(path, exp)
    if not base.is_file():
        raise PolarsimInputError(f"base scenario not found: {base}", file=file, field="base")
    if exp.design.file is not None:  # relative to the experiment file, like `base`
        table = (path.parent / exp.design.file).resolve()
        if not table.is_file():
            raise PolarsimInputError(
                f"design table not found: {table}", file=file, field="design.file"
            )
        exp = exp.model_copy(update={"design": exp.design.model_copy(update={"file": str(table)})})
    return exp


def base_path(exp_path: str | Path, exp: Experiment) -> Path:
    return (Path(exp_path).parent / exp.base).resolve()


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
