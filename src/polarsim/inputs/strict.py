"""`StrictModel`: the pydantic base of every input file's schema (scenario, experiment,
calibration section, study), and `FieldProblems`, how a check across fields reports
problems at the fields they concern."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Keys = tuple[Any, ...]


class StrictModel(BaseModel):
    """Unknown keys are errors (a typo must not be silently ignored), and values are not
    coerced across types: YAML's `1e3` (a string) or `NO` (a boolean) are rejected where
    a number or a name is expected. Defaults are validated too, and numbers are finite.

    YAML has lists, not tuples, and a strict tuple refuses a list: declare a fixed-length
    field read from a YAML list with `list_as_tuple()` (its items stay strict)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, strict=True, allow_inf_nan=False
    )


def list_as_tuple() -> Any:
    """Metadata for a tuple field written as a YAML list (`window: [2005, 2007]`):
    `Annotated[tuple[int, int], list_as_tuple()]`."""
    return Field(strict=False)


class FieldProblems(ValueError):
    """Raised by a model validator to report every problem of a check across fields at
    once, each at the field it concerns: `problems` are (keys relative to the model,
    message), e.g. `(("design", "samples"), "design 'sobol' needs samples")`. Keys are a
    tuple because a name may hold dots (a parameter named `trade.persistence`)."""

    def __init__(self, problems: list[tuple[Keys, str]]):
        if not problems:
            raise ValueError("FieldProblems needs at least one problem")
        super().__init__("; ".join(message for _, message in problems))
        self.problems = [(tuple(keys), message) for keys, message in problems]


def raise_problems(problems: list[tuple[Keys, str]]) -> None:
    """Raise `FieldProblems` if a check found any (a validator's last line)."""
    if problems:
        raise FieldProblems(problems)


__all__ = ["FieldProblems", "StrictModel", "list_as_tuple", "raise_problems"]
